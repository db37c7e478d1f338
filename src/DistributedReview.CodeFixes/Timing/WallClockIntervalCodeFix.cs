using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Timing
{
    /// <summary>
    /// DR1001 fix: measure with a monotonic Stopwatch timestamp. Rewrites the start variable's declaration, its
    /// writes and every interval read from it at once (a half-rewritten variable would not compile), so Fix All
    /// merges diagnostics per variable instead of batching text edits.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WallClockIntervalCodeFix)), Shared]
    public sealed class WallClockIntervalCodeFix : CodeFixProvider
    {
        public const string Title = "Measure with a monotonic Stopwatch timestamp";
        private const string EquivalenceKey = RuleIds.WallClockInterval + ".Stopwatch";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.WallClockInterval);

        public override FixAllProvider GetFixAllProvider() =>
            FixAllProvider.Create((_, document, diagnostics) => FixAsync(document, diagnostics.Select(d => d.Location.SourceSpan), CancellationToken.None)!);

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var plan = await MonotonicRewrite.PlanAsync(context.Document, new[] { context.Span }, context.CancellationToken).ConfigureAwait(false);
            if (plan is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, cancellationToken => plan.ApplyAsync(cancellationToken), EquivalenceKey),
                    context.Diagnostics);
            }
        }

        private static async Task<Document?> FixAsync(Document document, System.Collections.Generic.IEnumerable<TextSpan> spans, CancellationToken cancellationToken)
        {
            var plan = await MonotonicRewrite.PlanAsync(document, spans, cancellationToken).ConfigureAwait(false);
            return plan is null ? document : await plan.ApplyAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
