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
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Timing
{
    /// <summary>
    /// DR1006 fix: clamp the delay at zero, keeping every non-negative value exactly as it was.
    /// A <c>TimeSpan</c> argument <c>d</c> becomes <c>TimeSpan.FromTicks(Math.Max(0L, d.Ticks))</c>; an int or long
    /// millisecond argument <c>ms</c> becomes <c>Math.Max(0, ms)</c> (<c>0L</c> for long). Fix All rewrites every argument
    /// of a document in one pass: separate fixes would each add <c>using System;</c>, and the batch fixer drops
    /// fixes whose edits collide like that.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnclampedWallClockDelayCodeFix)), Shared]
    public sealed class UnclampedWallClockDelayCodeFix : CodeFixProvider
    {
        public const string Title = "Clamp the delay to zero";
        private const string EquivalenceKey = RuleIds.UnclampedWallClockDelay + ".Clamp";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.UnclampedWallClockDelay);

        public override FixAllProvider GetFixAllProvider() =>
            FixAllProvider.Create(async (context, document, diagnostics) =>
                await FixAsync(document, diagnostics.Select(d => d.Location.SourceSpan), context.CancellationToken).ConfigureAwait(false));

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null || Clamp.Plan(root, model, context.Span, context.CancellationToken) is null)
            {
                return;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, cancellationToken => FixAsync(context.Document, new[] { context.Span }, cancellationToken), EquivalenceKey),
                context.Diagnostics);
        }

        private static async Task<Document> FixAsync(Document document, IEnumerable<TextSpan> spans, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
            {
                return document;
            }

            var clamps = new Dictionary<SyntaxNode, Clamp>();
            foreach (var span in spans)
            {
                if (Clamp.Plan(root, model, span, cancellationToken) is { } clamp && !clamps.ContainsKey(clamp.Argument))
                {
                    clamps.Add(clamp.Argument, clamp);
                }
            }

            if (clamps.Count == 0)
            {
                return document;
            }

            var changed = document.WithSyntaxRoot(root.ReplaceNodes(clamps.Keys, (original, _) => clamps[original].Replacement.WithAdditionalAnnotations(RewriteFinisher.Rewritten)));
            return await RewriteFinisher.FinishAsync(changed, cancellationToken).ConfigureAwait(false);
        }

        private sealed class Clamp
        {
            private Clamp(ExpressionSyntax argument, ExpressionSyntax replacement)
            {
                Argument = argument;
                Replacement = replacement.WithTriviaFrom(argument);
            }

            /// <summary>The delay argument as written.</summary>
            public ExpressionSyntax Argument { get; }

            public ExpressionSyntax Replacement { get; }

            /// <summary>The clamp for the delay argument at <paramref name="span"/>; null unless it is a TimeSpan, int or long argument.</summary>
            public static Clamp? Plan(SyntaxNode root, SemanticModel model, TextSpan span, CancellationToken cancellationToken)
            {
                if (!root.FullSpan.Contains(span) || root.FindNode(span, getInnermostNodeForTie: true) is not ExpressionSyntax argument)
                {
                    return null;
                }

                while (argument.Parent is ExpressionSyntax parent && parent.Span == argument.Span)
                {
                    argument = parent;
                }

                if (argument.Parent is not ArgumentSyntax argumentSyntax
                    || model.GetOperation(argumentSyntax, cancellationToken) is not IArgumentOperation { Parameter.Type: { } parameterType }
                    || model.Compilation.GetTypeByMetadataName("System.Math") is not { } math)
                {
                    return null;
                }

                var value = argument.WithoutTrivia();
                switch (parameterType.SpecialType)
                {
                    case SpecialType.System_Int32:
                        return new Clamp(argument, Max(math, Zero(longZero: false), value));
                    case SpecialType.System_Int64:
                        return new Clamp(argument, Max(math, Zero(longZero: true), value));
                    default:
                        if (!SymbolEqualityComparer.Default.Equals(parameterType, model.Compilation.GetTypeByMetadataName("System.TimeSpan")))
                        {
                            return null;
                        }

                        // TimeSpan.FromTicks(Math.Max(0L, (next - now).Ticks))
                        var ticks = SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Parenthesize(value), SyntaxFactory.IdentifierName("Ticks"));
                        return new Clamp(argument, Call(TypeName(parameterType), "FromTicks", Max(math, Zero(longZero: true), ticks)));
                }
            }

            private static ExpressionSyntax Max(INamedTypeSymbol math, ExpressionSyntax zero, ExpressionSyntax value) =>
                Call(TypeName(math), "Max", zero, value);

            private static ExpressionSyntax Zero(bool longZero) => SyntaxFactory.LiteralExpression(
                SyntaxKind.NumericLiteralExpression,
                longZero ? SyntaxFactory.Literal("0L", 0L) : SyntaxFactory.Literal(0));

            /// <summary>A call whose arguments are separated by ", ", leaving the user's own expression as it was written.</summary>
            private static ExpressionSyntax Call(ExpressionSyntax receiver, string method, params ExpressionSyntax[] arguments)
            {
                var list = new SyntaxNodeOrTokenList();
                for (var i = 0; i < arguments.Length; i++)
                {
                    if (i > 0)
                    {
                        list = list.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
                    }

                    list = list.Add(SyntaxFactory.Argument(arguments[i]));
                }

                return SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, SyntaxFactory.IdentifierName(method)),
                    SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList<ArgumentSyntax>(list)));
            }

            /// <summary><c>global::System.Math</c>, shortened by the simplifier (which adds <c>using System;</c> if needed).</summary>
            private static ExpressionSyntax TypeName(ITypeSymbol type) =>
                SyntaxFactory.ParseTypeName(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
                    .WithAdditionalAnnotations(Simplifier.AddImportsAnnotation, Simplifier.Annotation);

            private static ExpressionSyntax Parenthesize(ExpressionSyntax expression) =>
                expression is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ParenthesizedExpressionSyntax or ElementAccessExpressionSyntax
                    ? expression
                    : SyntaxFactory.ParenthesizedExpression(expression);
        }
    }
}
