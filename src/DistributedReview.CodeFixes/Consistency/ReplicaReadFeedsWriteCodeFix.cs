using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview.Consistency
{
    /// <summary>
    /// DR6001 fix: read from the primary by dropping the replica flag. <c>flags: CommandFlags.PreferReplica</c> as the
    /// last argument is removed (the default, <c>PreferMaster</c>, applies); in <c>CommandFlags.DemandReplica |
    /// CommandFlags.FireAndForget</c> only the replica operand goes. Flags held in a variable or constant are not
    /// rewritten (the value may be shared with reads that are right to use a replica).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReplicaReadFeedsWriteCodeFix)), Shared]
    public sealed class ReplicaReadFeedsWriteCodeFix : CodeFixProvider
    {
        public const string Title = "Read from the primary";
        private const string EquivalenceKey = RuleIds.ReplicaReadFeedsWrite + ".Primary";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.ReplicaReadFeedsWrite);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                if (root is not null && model is not null && Rewrite(root, model, diagnostic, context.CancellationToken) is not null)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(Title, cancellationToken => FixAsync(context.Document, diagnostic, cancellationToken), EquivalenceKey),
                        diagnostic);
                }
            }
        }

        private static async Task<Document> FixAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            return root is not null && model is not null && Rewrite(root, model, diagnostic, cancellationToken) is { } changed
                ? document.WithSyntaxRoot(changed)
                : document;
        }

        /// <summary>The root with the read's replica flag dropped, or null when the flags are not written out at the call.</summary>
        private static SyntaxNode? Rewrite(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation
                || model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation
                || operation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "flags" && a.ArgumentKind == ArgumentKind.Explicit)?.Syntax is not ArgumentSyntax flags)
            {
                return null;
            }

            var operands = new List<ExpressionSyntax>();
            Flatten(flags.Expression, operands);
            if (!operands.All(operand => operand is MemberAccessExpressionSyntax && model.GetConstantValue(operand, cancellationToken) is { HasValue: true, Value: int }))
            {
                return null;
            }

            var kept = operands.Where(operand => model.GetConstantValue(operand, cancellationToken).Value is int value && (value & 12) is not (8 or 12)).ToList();
            if (kept.Count == 0)
            {
                var arguments = invocation.ArgumentList.Arguments;
                return flags.NameColon is null && arguments.IndexOf(flags) != arguments.Count - 1
                    ? null
                    : root.ReplaceNode(invocation.ArgumentList, invocation.ArgumentList.WithArguments(arguments.Remove(flags)));
            }

            var combined = kept.Skip(1).Aggregate(kept[0].WithoutTrivia(), (left, right) =>
                SyntaxFactory.BinaryExpression(SyntaxKind.BitwiseOrExpression, left, SyntaxFactory.Token(SyntaxKind.BarToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space), right.WithoutTrivia()));
            return root.ReplaceNode(flags.Expression, combined.WithTriviaFrom(flags.Expression));
        }

        private static void Flatten(ExpressionSyntax expression, List<ExpressionSyntax> operands)
        {
            switch (expression)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    Flatten(parenthesized.Expression, operands);
                    break;
                case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.BitwiseOrExpression } or:
                    Flatten(or.Left, operands);
                    Flatten(or.Right, operands);
                    break;
                default:
                    operands.Add(expression);
                    break;
            }
        }
    }
}
