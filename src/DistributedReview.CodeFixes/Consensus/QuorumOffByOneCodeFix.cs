using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Consensus
{
    /// <summary>
    /// DR2001 fix: require a strict majority. A comparison with a half rounded down becomes strict
    /// (<c>votes &gt;= n / 2</c> → <c>votes &gt; n / 2</c>, <c>acks &lt; half</c> → <c>acks &lt;= half</c>,
    /// <c>votes * 2 &gt;= n</c> → <c>votes * 2 &gt; n</c>); a half kept as the quorum, or rounded up, becomes
    /// <c>n / 2 + 1</c> (<c>n &gt;&gt; 1</c> → <c>(n &gt;&gt; 1) + 1</c>; <c>(int)Math.Ceiling(n / 2.0)</c> → <c>n / 2 + 1</c>,
    /// keeping a <c>double</c> a <c>double</c> where the type is not fixed by the context: <c>n / 2 + 1.0</c>).
    /// The analyzer decides which edit is safe (property <c>Fix</c>); no property, no fix. Fix All applies every edit
    /// of a document in one pass.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(QuorumOffByOneCodeFix)), Shared]
    public sealed class QuorumOffByOneCodeFix : PlannedCodeFix
    {
        public const string Title = "Require a strict majority";
        private const string EquivalenceKey = RuleIds.QuorumOffByOne + ".StrictMajority";

        public QuorumOffByOneCodeFix()
            : base(RuleIds.QuorumOffByOne, EquivalenceKey)
        {
        }

        private protected override string? TitleIfFixable(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken) =>
            Edit.Plan(root, model, diagnostic, cancellationToken) is not null ? Title : null;

        private protected override SyntaxNode ApplyPlans(Document document, SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        {
            var edits = new Dictionary<SyntaxNode, Edit>();
            foreach (var diagnostic in diagnostics)
            {
                if (Edit.Plan(root, model, diagnostic, cancellationToken) is { } edit && !edits.ContainsKey(edit.Node))
                {
                    edits.Add(edit.Node, edit);
                }
            }

            return edits.Count == 0 ? root : root.ReplaceNodes(edits.Keys, (original, rewritten) => edits[original].Rewrite(rewritten));
        }

        /// <summary>One node to rewrite. Built from the original tree; applied to the node as rewritten by nested edits.</summary>
        private sealed class Edit
        {
            private Edit(SyntaxNode node, Func<SyntaxNode, SyntaxNode> rewrite)
            {
                Node = node;
                Rewrite = rewrite;
            }

            public SyntaxNode Node { get; }

            public Func<SyntaxNode, SyntaxNode> Rewrite { get; }

            public static Edit? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
            {
                if (diagnostic.Location.SourceTree != root.SyntaxTree || !diagnostic.Properties.TryGetValue(QuorumOffByOne.FixProperty, out var fix))
                {
                    return null;
                }

                switch (fix)
                {
                    case QuorumOffByOne.FlipFix:
                        return ExpressionAt(root, diagnostic.Location.SourceSpan) is BinaryExpressionSyntax comparison && Toggled(comparison.Kind()) is not SyntaxKind.None
                            ? new Edit(comparison, rewritten => rewritten is BinaryExpressionSyntax binary ? Flip(binary) : rewritten)
                            : null;
                    case QuorumOffByOne.ReplaceFix:
                        return diagnostic.Properties.TryGetValue(QuorumOffByOne.HalfSpanProperty, out var span) && ParseSpan(span) is { } halfSpan
                            ? PlanReplacement(root, model, halfSpan, cancellationToken)
                            : null;
                    default:
                        return null;
                }
            }

            private static Edit? PlanReplacement(SyntaxNode root, SemanticModel model, TextSpan span, CancellationToken cancellationToken)
            {
                if (ExpressionAt(root, span) is not { } halfSyntax
                    || MajoritySymbols.Create(model.Compilation) is not { } symbols
                    || MajorityExpressions.AsHalf(WithoutImplicitConversions(model.GetOperation(halfSyntax, cancellationToken)), symbols) is not { } half
                    || half.Size.Syntax is not ExpressionSyntax size
                    || !size.Span.IntersectsWith(halfSyntax.Span)
                    || PromotedType(half.Size.Type) is not { } sizeType)
                {
                    return null;
                }

                ExpressionSyntax target = halfSyntax;
                ExpressionSyntax replacement;
                switch (half.Form)
                {
                    case HalfForm.Divide:
                        replacement = PlusOne(halfSyntax.WithoutTrivia());
                        break;
                    case HalfForm.Shift:
                        replacement = PlusOne(Parenthesized(halfSyntax.WithoutTrivia()));
                        break;
                    case HalfForm.IntegerCeiling:
                        replacement = PlusOne(HalfOf(size));
                        break;
                    default:
                        // A fractional result: (int)Math.Ceiling(n / 2.0) loses its cast; elsewhere the type is kept.
                        if (CastAround(halfSyntax) is { } cast && model.GetTypeInfo(cast, cancellationToken).Type?.SpecialType == sizeType)
                        {
                            target = cast;
                            replacement = PlusOne(HalfOf(size));
                        }
                        else
                        {
                            // An int stands for the value only where a numeric type is fixed by the context ('object o = ...' would box an int).
                            var type = model.GetTypeInfo(halfSyntax, cancellationToken);
                            replacement = IsTypedByContext(halfSyntax) && MajorityExpressions.IsNumber(type.ConvertedType)
                                ? PlusOne(HalfOf(size))
                                : PlusOne(HalfOf(size), One(type.Type?.SpecialType ?? SpecialType.None));
                        }

                        break;
                }

                if (NeedsParentheses(target))
                {
                    replacement = Parenthesized(replacement);
                }

                replacement = replacement.WithTriviaFrom(target);
                return new Edit(target, _ => replacement);
            }

            private static IOperation? WithoutImplicitConversions(IOperation? operation)
            {
                while (operation is IConversionOperation { IsImplicit: true } conversion)
                {
                    operation = conversion.Operand;
                }

                return operation;
            }

            /// <summary>The expression exactly covering <paramref name="span"/>, or null.</summary>
            private static ExpressionSyntax? ExpressionAt(SyntaxNode root, TextSpan span)
            {
                if (!root.FullSpan.Contains(span))
                {
                    return null;
                }

                for (var node = root.FindNode(span, getInnermostNodeForTie: true); node is not null && node.Span == span; node = node.Parent)
                {
                    if (node is ExpressionSyntax expression)
                    {
                        return expression;
                    }
                }

                return null;
            }

            private static TextSpan? ParseSpan(string? text)
            {
                var parts = text?.Split(',');
                return parts is { Length: 2 }
                    && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start)
                    && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var length)
                    && start >= 0 && length > 0
                    ? new TextSpan(start, length)
                    : null;
            }

            private static SyntaxKind Toggled(SyntaxKind kind) => kind switch
            {
                SyntaxKind.GreaterThanOrEqualExpression => SyntaxKind.GreaterThanExpression,
                SyntaxKind.GreaterThanExpression => SyntaxKind.GreaterThanOrEqualExpression,
                SyntaxKind.LessThanExpression => SyntaxKind.LessThanOrEqualExpression,
                SyntaxKind.LessThanOrEqualExpression => SyntaxKind.LessThanExpression,
                _ => SyntaxKind.None,
            };

            private static SyntaxKind OperatorTokenOf(SyntaxKind expression) => expression switch
            {
                SyntaxKind.GreaterThanOrEqualExpression => SyntaxKind.GreaterThanEqualsToken,
                SyntaxKind.GreaterThanExpression => SyntaxKind.GreaterThanToken,
                SyntaxKind.LessThanExpression => SyntaxKind.LessThanToken,
                _ => SyntaxKind.LessThanEqualsToken,
            };

            private static SyntaxNode Flip(BinaryExpressionSyntax comparison)
            {
                var kind = Toggled(comparison.Kind());
                if (kind == SyntaxKind.None)
                {
                    return comparison;
                }

                var token = comparison.OperatorToken;
                return SyntaxFactory.BinaryExpression(kind, comparison.Left, SyntaxFactory.Token(token.LeadingTrivia, OperatorTokenOf(kind), token.TrailingTrivia), comparison.Right);
            }

            /// <summary>The type of <c>n / 2 + 1</c> for a size of the given type: int, uint, long or ulong.</summary>
            private static SpecialType? PromotedType(ITypeSymbol? size) => size?.SpecialType switch
            {
                SpecialType.System_Int32 or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Byte or SpecialType.System_SByte => SpecialType.System_Int32,
                SpecialType.System_UInt32 => SpecialType.System_UInt32,
                SpecialType.System_Int64 => SpecialType.System_Int64,
                SpecialType.System_UInt64 => SpecialType.System_UInt64,
                _ => null,
            };

            private static CastExpressionSyntax? CastAround(ExpressionSyntax expression)
            {
                var parent = expression.Parent;
                while (parent is ParenthesizedExpressionSyntax)
                {
                    parent = parent.Parent;
                }

                return parent as CastExpressionSyntax;
            }

            /// <summary>
            /// Where an integer can stand for the fractional value without changing any type or overload: a comparison, a
            /// cast, or a value given to an explicitly typed variable, field, property or member's return.
            /// </summary>
            private static bool IsTypedByContext(ExpressionSyntax expression)
            {
                var child = (SyntaxNode)expression;
                var parent = expression.Parent;
                while (parent is ParenthesizedExpressionSyntax)
                {
                    child = parent;
                    parent = parent.Parent;
                }

                switch (parent)
                {
                    case BinaryExpressionSyntax comparison:
                        return comparison.Kind() is SyntaxKind.GreaterThanExpression or SyntaxKind.GreaterThanOrEqualExpression or SyntaxKind.LessThanExpression
                            or SyntaxKind.LessThanOrEqualExpression or SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression;
                    case CastExpressionSyntax:
                        return true;
                    case AssignmentExpressionSyntax assignment:
                        return assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && assignment.Right == child && assignment.Left is not DeclarationExpressionSyntax and not TupleExpressionSyntax;
                    case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } }:
                        return !declaration.Type.IsVar;
                    case EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax }:
                        return true;
                    case ReturnStatementSyntax:
                    case ArrowExpressionClauseSyntax:
                        return !parent.Ancestors().TakeWhile(a => a is not MemberDeclarationSyntax).Any(a => a is AnonymousFunctionExpressionSyntax);
                    default:
                        return false;
                }
            }

            /// <summary>
            /// Where <c>a + 1</c> can stand without parentheses: the whole of an argument, initializer, return, assignment,
            /// comparison side, switch-expression arm or result of <c>?:</c>.
            /// </summary>
            private static bool NeedsParentheses(ExpressionSyntax target) => target.Parent switch
            {
                ArgumentSyntax or EqualsValueClauseSyntax or ReturnStatementSyntax or ArrowExpressionClauseSyntax or ParenthesizedExpressionSyntax => false,
                SwitchExpressionArmSyntax arm => arm.Expression != target,
                ConditionalExpressionSyntax conditional => conditional.Condition == target,
                AssignmentExpressionSyntax assignment => assignment.Left == target,
                BinaryExpressionSyntax binary => !(binary.Kind() is SyntaxKind.GreaterThanExpression or SyntaxKind.GreaterThanOrEqualExpression
                    or SyntaxKind.LessThanExpression or SyntaxKind.LessThanOrEqualExpression or SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression
                    or SyntaxKind.LogicalAndExpression or SyntaxKind.LogicalOrExpression),
                _ => true,
            };

            /// <summary><c>size / 2</c>, with the size as written.</summary>
            private static ExpressionSyntax HalfOf(ExpressionSyntax size) =>
                SyntaxFactory.BinaryExpression(SyntaxKind.DivideExpression, size.WithoutTrivia(), Spaced(SyntaxKind.SlashToken), Number("2", 2));

            private static ExpressionSyntax PlusOne(ExpressionSyntax half, LiteralExpressionSyntax? one = null) =>
                SyntaxFactory.BinaryExpression(SyntaxKind.AddExpression, half, Spaced(SyntaxKind.PlusToken), one ?? Number("1", 1));

            /// <summary>1 of the fractional type, so <c>n / 2 + 1.0</c> keeps the expression a double (1f for float, 1m for decimal).</summary>
            private static LiteralExpressionSyntax One(SpecialType type) => type switch
            {
                SpecialType.System_Single => SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(SyntaxTriviaList.Empty, "1f", 1f, SyntaxTriviaList.Empty)),
                SpecialType.System_Decimal => SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(SyntaxTriviaList.Empty, "1m", 1m, SyntaxTriviaList.Empty)),
                _ => SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(SyntaxTriviaList.Empty, "1.0", 1.0, SyntaxTriviaList.Empty)),
            };

            private static LiteralExpressionSyntax Number(string text, int value) =>
                SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(SyntaxTriviaList.Empty, text, value, SyntaxTriviaList.Empty));

            private static SyntaxToken Spaced(SyntaxKind kind) =>
                SyntaxFactory.Token(SyntaxFactory.TriviaList(SyntaxFactory.Space), kind, SyntaxFactory.TriviaList(SyntaxFactory.Space));

            private static ExpressionSyntax Parenthesized(ExpressionSyntax expression) =>
                SyntaxFactory.ParenthesizedExpression(
                    SyntaxFactory.Token(SyntaxTriviaList.Empty, SyntaxKind.OpenParenToken, SyntaxTriviaList.Empty),
                    expression,
                    SyntaxFactory.Token(SyntaxTriviaList.Empty, SyntaxKind.CloseParenToken, SyntaxTriviaList.Empty));
        }
    }
}
