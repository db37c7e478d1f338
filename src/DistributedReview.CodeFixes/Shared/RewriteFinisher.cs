using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace DistributedReview
{
    /// <summary>
    /// The last step of every fix that builds new code: add the usings its fully qualified names need, shorten those
    /// names, and keep the user's own spacing. Fixes mark the nodes they put in with <see cref="Rewritten"/> and build
    /// them already spaced; the simplifier's formatter marks and the elastic trivia of generated tokens would otherwise
    /// let the code action's clean-up reformat the user's code next to them.
    /// </summary>
    internal static class RewriteFinisher
    {
        public static readonly SyntaxAnnotation Rewritten = new("DistributedReview.Rewritten");

        public static async Task<Document> FinishAsync(Document document, CancellationToken cancellationToken)
        {
            document = await ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
            document = await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is { } root)
            {
                root = root.ReplaceNodes(
                    root.GetAnnotatedNodes(Rewritten).SelectMany(node => node.DescendantNodesAndSelf()).Where(node => node.HasAnnotation(Formatter.Annotation)),
                    (_, node) => node.WithoutAnnotations(Formatter.Annotation));
                root = root.ReplaceTokens(
                    root.GetAnnotatedNodes(Rewritten).SelectMany(node => node.DescendantTokens()),
                    (_, token) => token.WithoutAnnotations(Formatter.Annotation).WithLeadingTrivia(Rigid(token.LeadingTrivia)).WithTrailingTrivia(Rigid(token.TrailingTrivia)));
                document = document.WithSyntaxRoot(root);
            }

            // What is left to format is what the import adder put in: the using directive.
            return await Formatter.FormatAsync(document, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Elastic trivia means "format here" to the clean-up; generated spacing is kept as it is.</summary>
        private static IEnumerable<SyntaxTrivia> Rigid(SyntaxTriviaList trivia) =>
            trivia.Where(t => !t.HasAnnotation(SyntaxAnnotation.ElasticAnnotation) || t.Span.Length > 0)
                .Select(t => t.HasAnnotation(SyntaxAnnotation.ElasticAnnotation) ? SyntaxFactory.Whitespace(t.ToString()) : t);
    }
}
