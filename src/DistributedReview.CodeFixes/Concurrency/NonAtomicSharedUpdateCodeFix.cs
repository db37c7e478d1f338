using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace DistributedReview.Concurrency
{
    /// <summary>
    /// DR3003 fix: make the update atomic. <c>x++</c>/<c>x--</c> → <c>Interlocked.Increment/Decrement(ref x)</c> (a
    /// post-increment used as a value gets <c>- 1</c>/<c>+ 1</c> to keep its value); <c>x += n</c>, <c>x -= n</c>,
    /// <c>x = x + n</c> → <c>Interlocked.Add(ref x, n)</c> / <c>(ref x, -n)</c> for int and long; any other
    /// <c>x = f(x)</c> written as a statement, with f pure arithmetic, → a <c>CompareExchange</c> retry loop that re-reads
    /// x on every attempt. Each form is offered only where the overloads exist for x's type in the target framework.
    /// Fix All rewrites a document in one pass (loops share the block and need distinct variable names).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NonAtomicSharedUpdateCodeFix)), Shared]
    public sealed class NonAtomicSharedUpdateCodeFix : PlannedCodeFix
    {
        public const string Title = "Make the update atomic with Interlocked";
        private const string EquivalenceKey = RuleIds.NonAtomicSharedUpdate + ".Interlocked";

        public NonAtomicSharedUpdateCodeFix()
            : base(RuleIds.NonAtomicSharedUpdate, EquivalenceKey)
        {
        }

        private protected override string? TitleIfFixable(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken) =>
            Rewrite.Plan(root, model, diagnostic, new Dictionary<SyntaxNode, HashSet<string>>(), cancellationToken) is not null ? Title : null;

        private protected override SyntaxNode ApplyPlans(Document document, SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        {
            var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
            var generated = new Dictionary<SyntaxNode, HashSet<string>>();
            var rewritten = new List<SyntaxNode>();
            foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
            {
                // An update nested in another one (x += y++) is left to a second pass.
                if (Rewrite.Plan(root, model, diagnostic, generated, cancellationToken) is { } rewrite
                    && !rewritten.Any(node => node.Span.IntersectsWith(rewrite.Node.Span)))
                {
                    rewritten.Add(rewrite.Node);
                    rewrite.Apply(editor);
                }
            }

            return editor.GetChangedRoot();
        }

        private sealed class Rewrite
        {
            private const string Interlocked = "global::System.Threading.Interlocked";
            private const string Volatile = "global::System.Threading.Volatile";

            private readonly System.Action<SyntaxEditor> _apply;

            private Rewrite(SyntaxNode node, System.Action<SyntaxEditor> apply)
            {
                Node = node;
                _apply = apply;
            }

            public SyntaxNode Node { get; }

            public void Apply(SyntaxEditor editor) => _apply(editor);

            /// <summary>The edit for one diagnostic, or null when no atomic form compiles and keeps the behaviour.</summary>
            public static Rewrite? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, Dictionary<SyntaxNode, HashSet<string>> generated, CancellationToken cancellationToken)
            {
                var span = diagnostic.Location.SourceSpan;
                if (diagnostic.Location.SourceTree != root.SyntaxTree || !root.FullSpan.Contains(span)
                    || root.FindNode(span, getInnermostNodeForTie: true).AncestorsAndSelf().FirstOrDefault(n => n.Span == span && n is ExpressionSyntax) is not ExpressionSyntax update
                    || model.GetOperation(update, cancellationToken) is not { } operation)
                {
                    return null;
                }

                var interlocked = model.Compilation.GetTypeByMetadataName("System.Threading.Interlocked");
                switch (operation)
                {
                    case IIncrementOrDecrementOperation { Target: { Type: { } type, Syntax: ExpressionSyntax target } } step
                        when IsAddable(type) && HasRefOverload(interlocked, step.Kind == OperationKind.Increment ? "Increment" : "Decrement", type, 1):
                        {
                            var call = $"{Interlocked}.{(step.Kind == OperationKind.Increment ? "Increment" : "Decrement")}(ref {target})";
                            var text = !step.IsPostfix || !IsValueUsed(update, model, cancellationToken) ? call
                                : Parenthesize($"{call} {(step.Kind == OperationKind.Increment ? "-" : "+")} 1", update);
                            return Replace(update, text);
                        }

                    case ICompoundAssignmentOperation { Target: { Type: { } type, Syntax: ExpressionSyntax target }, Value: var value, OperatorKind: var kind } compound
                        when kind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract && compound.OperatorMethod is null && IsAddable(type)
                            && value.Syntax is ExpressionSyntax amount && ConvertsImplicitly(model, value, type) && HasRefOverload(interlocked, "Add", type, 2):
                        return Replace(update, $"{Interlocked}.Add(ref {target}, {(kind == BinaryOperatorKind.Add ? amount.ToString() : Negated(amount))})");

                    case ISimpleAssignmentOperation { Target: { Type: { } type, Syntax: ExpressionSyntax target }, Value: IBinaryOperation { OperatorKind: var kind, OperatorMethod: null } binary }
                        when kind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract && IsAddable(type) && SymbolEqualityComparer.Default.Equals(binary.Type, type)
                            && AmountAdded(binary, operation) is { Syntax: ExpressionSyntax amount } && HasRefOverload(interlocked, "Add", type, 2):
                        return Replace(update, $"{Interlocked}.Add(ref {target}, {(kind == BinaryOperatorKind.Add ? amount.ToString() : Negated(amount))})");
                }

                return CompareExchangeLoop(update, operation, model, interlocked, generated);
            }

            /// <summary>
            /// <c>T initial, computed; do { initial = Volatile.Read(ref x); computed = f(initial); } while (CAS(ref x, computed, initial) != initial);</c>
            /// Doubles and floats compare bits, so NaN ends the loop and -0.0 is not taken for 0.0.
            /// </summary>
            private static Rewrite? CompareExchangeLoop(ExpressionSyntax update, IOperation operation, SemanticModel model, INamedTypeSymbol? interlocked, Dictionary<SyntaxNode, HashSet<string>> generated)
            {
                if (update.Parent is not ExpressionStatementSyntax { Parent: BlockSyntax } statement
                    || TargetOf(operation) is not { Type: { } type, Syntax: ExpressionSyntax target } targetOperation
                    || !HasRefOverload(interlocked, "CompareExchange", type, 3)
                    || !HasRefOverload(model.Compilation.GetTypeByMetadataName("System.Threading.Volatile"), "Read", type, 1)
                    || BitsOf(type, model.Compilation) is not { } bits)
                {
                    return null;
                }

                var member = statement.Ancestors().OfType<MemberDeclarationSyntax>().FirstOrDefault() ?? (SyntaxNode)statement;
                var taken = new HashSet<string>(member.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
                if (!generated.TryGetValue(member, out var generatedInMember))
                {
                    generated[member] = generatedInMember = new HashSet<string>();
                }

                taken.UnionWith(generatedInMember);
                var initial = Unused("initial", taken);
                var computed = Unused("computed", taken);
                if (NewValue(operation, targetOperation, initial) is not { } newValue)
                {
                    return null;
                }

                generatedInMember.Add(initial);
                generatedInMember.Add(computed);
                var indent = statement.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).ToString();
                var exchanged = $"{Interlocked}.CompareExchange(ref {target}, {computed}, {initial})";
                var condition = bits.Length == 0 ? $"{exchanged} != {initial}" : $"{bits}({exchanged}) != {bits}({initial})";
                var eol = statement.GetTrailingTrivia();
                var n = eol.LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } text ? text : "\n";
                var declaration = SyntaxFactory.ParseStatement($"{indent}{type.ToMinimalDisplayString(model, statement.SpanStart)} {initial}, {computed};{n}");
                var loop = SyntaxFactory.ParseStatement(
                    $"{indent}do{n}{indent}{{{n}{indent}    {initial} = {Volatile}.Read(ref {target});{n}{indent}    {computed} = {newValue};{n}{indent}}}{n}{indent}while ({condition});");
                return new Rewrite(statement, editor =>
                {
                    editor.InsertBefore(statement, Qualified(declaration.WithLeadingTrivia(statement.GetLeadingTrivia())));
                    editor.ReplaceNode(statement, Qualified(loop.WithTrailingTrivia(eol)));
                });
            }

            /// <summary>f(initial) as text: the new value with every read of x replaced by <paramref name="initial"/>; null unless f is pure arithmetic.</summary>
            private static string? NewValue(IOperation operation, IOperation target, string initial)
            {
                var variable = Symbol(target);
                switch (operation)
                {
                    case IIncrementOrDecrementOperation step:
                        return $"{initial} {(step.Kind == OperationKind.Increment ? "+" : "-")} 1";
                    case ICompoundAssignmentOperation { OperatorMethod: null, Value: { Syntax: ExpressionSyntax value } operand } compound
                        when compound.InConversion.IsIdentity && compound.OutConversion.IsIdentity && IsPure(operand, variable)
                            && !operand.DescendantsAndSelf().Any(d => SymbolEqualityComparer.Default.Equals(Symbol(d), variable))
                            && OperatorText(compound.OperatorKind) is { } op:
                        return $"{initial} {op} {Parenthesize(value.ToString(), value, always: value is BinaryExpressionSyntax or ConditionalExpressionSyntax or AssignmentExpressionSyntax)}";
                    case ISimpleAssignmentOperation { Value: { Syntax: ExpressionSyntax value } newValue } when SymbolEqualityComparer.Default.Equals(newValue.Type, target.Type) && IsPure(newValue, variable):
                        var reads = newValue.DescendantsAndSelf().Where(d => SymbolEqualityComparer.Default.Equals(Symbol(d), variable)).Select(d => d.Syntax).ToList();
                        return value.ReplaceNodes(reads, (_, read) => SyntaxFactory.IdentifierName(initial).WithTriviaFrom(read)).ToString();
                    default:
                        return null;
                }
            }

            /// <summary>Arithmetic on constants, locals, parameters, fields of this object and System.Math: safe to repeat on every attempt.</summary>
            private static bool IsPure(IOperation value, ISymbol? variable) =>
                variable is not null
                && value.DescendantsAndSelf().All(d => d switch
                {
                    ILiteralOperation or ILocalReferenceOperation or IParameterReferenceOperation or IInstanceReferenceOperation or IParenthesizedOperation
                        or IConditionalOperation or IArgumentOperation => true,
                    IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } => true,
                    IBinaryOperation { OperatorMethod: null } or IUnaryOperation { OperatorMethod: null } => true,
                    IConversionOperation { OperatorMethod: null } => true,
                    IInvocationOperation { Instance: null, TargetMethod.ContainingType: { Name: "Math", ContainingNamespace.Name: "System" } } => true,
                    _ => false,
                });

            private static string? OperatorText(BinaryOperatorKind kind) => kind switch
            {
                BinaryOperatorKind.Add => "+",
                BinaryOperatorKind.Subtract => "-",
                BinaryOperatorKind.Multiply => "*",
                BinaryOperatorKind.Divide => "/",
                BinaryOperatorKind.Remainder => "%",
                BinaryOperatorKind.And => "&",
                BinaryOperatorKind.Or => "|",
                BinaryOperatorKind.ExclusiveOr => "^",
                BinaryOperatorKind.LeftShift => "<<",
                BinaryOperatorKind.RightShift => ">>",
                _ => null,
            };

            private static IOperation? TargetOf(IOperation operation) => operation switch
            {
                IIncrementOrDecrementOperation step => step.Target,
                IAssignmentOperation assignment => assignment.Target,
                _ => null,
            };

            private static ISymbol? Symbol(IOperation? operation) => operation switch
            {
                IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field.OriginalDefinition,
                ILocalReferenceOperation local => local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };

            /// <summary>In <c>x = x + n</c>, <c>x = n + x</c> or <c>x = x - n</c>: n, when it does not read x itself.</summary>
            private static IOperation? AmountAdded(IBinaryOperation binary, IOperation assignment)
            {
                var variable = Symbol(TargetOf(assignment));
                bool IsX(IOperation o) => SymbolEqualityComparer.Default.Equals(Symbol(o), variable);
                bool ReadsX(IOperation o) => o.DescendantsAndSelf().Any(IsX);
                if (variable is null)
                {
                    return null;
                }

                if (IsX(binary.LeftOperand) && !ReadsX(binary.RightOperand))
                {
                    return binary.RightOperand;
                }

                return binary.OperatorKind == BinaryOperatorKind.Add && IsX(binary.RightOperand) && !ReadsX(binary.LeftOperand) ? binary.LeftOperand : null;
            }

            /// <summary>Interlocked.Increment/Decrement/Add only have int and long overloads everywhere (uint/ulong from .NET 5).</summary>
            private static bool IsAddable(ITypeSymbol type) => type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64;

            private static bool ConvertsImplicitly(SemanticModel model, IOperation value, ITypeSymbol type)
            {
                var operand = value is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : value;
                return operand.Type is { } from && model.Compilation.ClassifyConversion(from, type) is { IsImplicit: true, IsUserDefined: false }
                    || operand.ConstantValue.HasValue;
            }

            /// <summary>Does the target framework have <c>name(ref T, T...)</c> with <paramref name="parameters"/> parameters?</summary>
            private static bool HasRefOverload(INamedTypeSymbol? owner, string name, ITypeSymbol type, int parameters) =>
                owner is not null
                && owner.GetMembers(name).OfType<IMethodSymbol>().Any(m => !m.IsGenericMethod && m.Parameters.Length == parameters
                    && m.Parameters[0].RefKind != RefKind.None && m.Parameters.All(p => SymbolEqualityComparer.Default.Equals(p.Type, type)));

            /// <summary>"" for integers (compared as they are), the bit conversion for double/float; null when it does not exist.</summary>
            private static string? BitsOf(ITypeSymbol type, Compilation compilation)
            {
                var converter = compilation.GetTypeByMetadataName("System.BitConverter");
                string? method = type.SpecialType switch
                {
                    SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt32 or SpecialType.System_UInt64 => string.Empty,
                    SpecialType.System_Double => "DoubleToInt64Bits",
                    SpecialType.System_Single => "SingleToInt32Bits",
                    _ => null,
                };
                return method is null || method.Length == 0 ? method
                    : converter?.GetMembers(method).Any() == true ? $"global::System.BitConverter.{method}"
                    : null;
            }

            /// <summary>
            /// False for a statement, a for-loop incrementor, and the body of a void lambda or a void expression-bodied
            /// member (where <c>(... - 1)</c> would not even be a valid statement).
            /// </summary>
            private static bool IsValueUsed(ExpressionSyntax update, SemanticModel model, CancellationToken cancellationToken) => update.Parent switch
            {
                ExpressionStatementSyntax => false,
                ForStatementSyntax loop => !loop.Incrementors.Contains(update),
                LambdaExpressionSyntax lambda => !(model.GetTypeInfo(lambda, cancellationToken).ConvertedType is INamedTypeSymbol { DelegateInvokeMethod.ReturnsVoid: true }),
                ArrowExpressionClauseSyntax arrow => !(arrow.Parent is { } member && (model.GetDeclaredSymbol(member, cancellationToken) ?? model.GetSymbolInfo(member, cancellationToken).Symbol) is IMethodSymbol { ReturnsVoid: true }),
                _ => true,
            };

            private static string Negated(ExpressionSyntax amount) =>
                amount is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax
                    || (amount is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.NumericLiteralExpression))
                    ? $"-{amount}"
                    : $"-({amount})";

            /// <summary>Parentheses around text replacing <paramref name="original"/> unless it stands alone where it is.</summary>
            private static string Parenthesize(string text, ExpressionSyntax original, bool always = false) =>
                always || original.Parent is not (ArgumentSyntax or EqualsValueClauseSyntax or ReturnStatementSyntax or ArrowExpressionClauseSyntax or ParenthesizedExpressionSyntax
                    or AssignmentExpressionSyntax or LambdaExpressionSyntax)
                    ? $"({text})"
                    : text;

            private static string Unused(string name, HashSet<string> taken)
            {
                var candidate = name;
                for (var i = 2; taken.Contains(candidate); i++)
                {
                    candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return candidate;
            }

            private static Rewrite Replace(ExpressionSyntax update, string text)
            {
                var replacement = Qualified(SyntaxFactory.ParseExpression(text)).WithTriviaFrom(update);
                return new Rewrite(update, editor => editor.ReplaceNode(update, replacement));
            }

            /// <summary>Marks the <c>global::System...</c> type names for the simplifier (which adds the using) and the whole for the finisher.</summary>
            private static TNode Qualified<TNode>(TNode node)
                where TNode : SyntaxNode
            {
                var names = node.DescendantNodes().OfType<AliasQualifiedNameSyntax>()
                    .Select(alias => alias.Ancestors().TakeWhile(a => a is MemberAccessExpressionSyntax).Take(2).LastOrDefault())
                    .Where(n => n is not null)
                    .Select(n => n!)
                    .ToList();
                return node.ReplaceNodes(names, (_, rewritten) => rewritten.WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation))
                    .WithAdditionalAnnotations(RewriteFinisher.Rewritten);
            }
        }
    }
}
