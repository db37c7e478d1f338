using System.Collections.Generic;
using System.Collections.Immutable;
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
    /// Shared by the fixes built on <see cref="MonotonicRewrite"/>. A fix rewrites a variable's declaration, writes
    /// and reads at once, so several diagnostics on one variable are one edit: Fix All plans per variable instead
    /// of batching text edits.
    /// </summary>
    public abstract class MonotonicRewriteCodeFix : CodeFixProvider
    {
        private readonly string _title;
        private readonly string _equivalenceKey;
        private readonly MonotonicRewrite.Kind _kind;

        private protected MonotonicRewriteCodeFix(string diagnosticId, string title, MonotonicRewrite.Kind kind)
        {
            FixableDiagnosticIds = ImmutableArray.Create(diagnosticId);
            _title = title;
            _equivalenceKey = diagnosticId + "." + kind;
            _kind = kind;
        }

        public sealed override ImmutableArray<string> FixableDiagnosticIds { get; }

        public sealed override FixAllProvider GetFixAllProvider() =>
            FixAllProvider.Create((context, document, diagnostics) => FixAsync(document, diagnostics.Select(d => d.Location.SourceSpan), context.CancellationToken));

        public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var plan = await MonotonicRewrite.PlanAsync(context.Document, new[] { context.Span }, _kind, context.CancellationToken).ConfigureAwait(false);
            if (plan is not null)
            {
                context.RegisterCodeFix(CodeAction.Create(_title, plan.ApplyAsync, _equivalenceKey), context.Diagnostics);
            }
        }

        private async Task<Document?> FixAsync(Document document, IEnumerable<TextSpan> spans, CancellationToken cancellationToken)
        {
            var plan = await MonotonicRewrite.PlanAsync(document, spans, _kind, cancellationToken).ConfigureAwait(false);
            return plan is null ? document : await plan.ApplyAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
