using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace DistributedReview
{
    /// <summary>
    /// A fix that plans each diagnostic's edit from the syntax and semantic model, offers it only when a plan exists,
    /// and applies all of a document's plans in one pass, so Fix All never merges overlapping text edits.
    /// </summary>
    public abstract class PlannedCodeFix : CodeFixProvider
    {
        private readonly string _equivalenceKey;

        private protected PlannedCodeFix(string diagnosticId, string equivalenceKey)
        {
            FixableDiagnosticIds = ImmutableArray.Create(diagnosticId);
            _equivalenceKey = equivalenceKey;
        }

        public sealed override ImmutableArray<string> FixableDiagnosticIds { get; }

        public sealed override FixAllProvider GetFixAllProvider() =>
            FixAllProvider.Create(async (context, document, diagnostics) =>
                await FixAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

        public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                if (TitleIfFixable(root, model, diagnostic, context.CancellationToken) is { } title)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(title, cancellationToken => FixAsync(context.Document, ImmutableArray.Create(diagnostic), cancellationToken), _equivalenceKey),
                        diagnostic);
                }
            }
        }

        /// <summary>The code action's title when <paramref name="diagnostic"/> has a plan; null when no fix can compile.</summary>
        private protected abstract string? TitleIfFixable(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken);

        /// <summary>
        /// The root with the plans of <paramref name="diagnostics"/> (all in <paramref name="document"/>) applied in one pass;
        /// <paramref name="root"/> itself when none applies. New nodes carry <see cref="RewriteFinisher.Rewritten"/>.
        /// </summary>
        private protected abstract SyntaxNode ApplyPlans(Document document, SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken);

        private async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
            {
                return document;
            }

            var changed = ApplyPlans(document, root, model, diagnostics, cancellationToken);
            return changed == root
                ? document
                : await RewriteFinisher.FinishAsync(document.WithSyntaxRoot(changed), cancellationToken).ConfigureAwait(false);
        }
    }
}
