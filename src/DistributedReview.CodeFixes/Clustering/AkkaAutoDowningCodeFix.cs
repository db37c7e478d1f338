using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Clustering
{
    /// <summary>
    /// DR5001 fix: inside the C# string literal, replace <c>auto-down-unreachable-after = ...</c> with the split brain
    /// resolver, <c>downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"</c> and
    /// <c>split-brain-resolver { active-strategy = keep-majority }</c>, at the same nesting and indentation, escaped for
    /// the literal's kind. The analyzer supplies the HOCON when the setting lies within one literal that can hold it.
    /// Each edit stays inside the setting's own text, so edits never overlap and Fix All can batch them.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AkkaAutoDowningCodeFix)), Shared]
    public sealed class AkkaAutoDowningCodeFix : CodeFixProvider
    {
        public const string Title = "Use the split brain resolver (keep-majority)";
        private const string EquivalenceKey = RuleIds.AkkaAutoDowning + ".SplitBrainResolver";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.AkkaAutoDowning);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                var span = diagnostic.Location.SourceSpan;
                if (!diagnostic.Location.IsInSource
                    || !diagnostic.Properties.TryGetValue(AkkaAutoDowningAnalyzer.ReplacementProperty, out var replacement)
                    || replacement is null
                    || span.IsEmpty
                    || span.End > root.FullSpan.End)
                {
                    continue;
                }

                // The setting must still lie inside one string token, which must be able to hold the new text.
                var token = root.FindToken(span.Start);
                if (!token.Span.Contains(span) || CSharpStringText.From(token) is not { } literal || literal.Encode(replacement) is not { } written)
                {
                    continue;
                }

                var document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(Title, cancellationToken => ReplaceAsync(document, span, written, cancellationToken), EquivalenceKey),
                    diagnostic);
            }
        }

        private static async Task<Document> ReplaceAsync(Document document, TextSpan span, string written, CancellationToken cancellationToken)
        {
            var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
            return document.WithText(text.WithChanges(new TextChange(span, written)));
        }
    }
}
