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

namespace DistributedReview.Concurrency
{
    /// <summary>
    /// DR3002 fix: make the read and the write one dictionary operation.
    /// <list type="bullet">
    /// <item><c>d[k] += x</c>, <c>d[k] = d[k] + x</c>, <c>d[k]++</c> (and <c>-</c>) → <c>d.AddOrUpdate(k, x, (_, old) =&gt; old + x)</c>.
    /// The original throws <c>KeyNotFoundException</c> for an absent key; the fix treats an absent key as
    /// <c>default</c> (adds <c>x</c>, <c>1</c>, <c>-x</c>, <c>-1</c>), which is what such counters mean.</item>
    /// <item><c>if (d.TryGetValue(k, out var v)) d[k] = g(v); else d[k] = a;</c> → <c>d.AddOrUpdate(k, a, (_, v) =&gt; g(v));</c></item>
    /// <item><c>if (!d.ContainsKey(k)) d[k] = v;</c> (or after <c>if (d.ContainsKey(k)) return;</c>) → <c>d.TryAdd(k, v);</c>,
    /// or <c>d.GetOrAdd(k, _ =&gt; v);</c> when computing <c>v</c> has effects, so it still runs only for an absent key.</item>
    /// </list>
    /// No fix when a value that moves into a lambda has side effects (the update lambda can run more than once), awaits, or
    /// would capture a ref/out/in parameter, a ref local or <c>this</c> of a struct; nor for other shapes.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NonAtomicConcurrentDictionaryUpdateCodeFix)), Shared]
    public sealed class NonAtomicConcurrentDictionaryUpdateCodeFix : CodeFixProvider
    {
        public const string Title = "Update the entry atomically";
        private const string EquivalenceKey = RuleIds.NonAtomicConcurrentDictionaryUpdate + ".Atomic";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.NonAtomicConcurrentDictionaryUpdate);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                if (Plan(root, model, diagnostic, context.CancellationToken) is { } edit)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(Title, ct => ApplyAsync(context.Document, root, edit, ct), EquivalenceKey),
                        diagnostic);
                }
            }
        }

        private static Task<Document> ApplyAsync(Document document, SyntaxNode root, (SyntaxNode Old, SyntaxNode New) edit, CancellationToken cancellationToken) =>
            RewriteFinisher.FinishAsync(
                document.WithSyntaxRoot(root.ReplaceNode(edit.Old, edit.New.WithTriviaFrom(edit.Old).WithAdditionalAnnotations(RewriteFinisher.Rewritten))),
                cancellationToken);

        private static (SyntaxNode Old, SyntaxNode New)? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var span = diagnostic.Location.SourceSpan;
            if (diagnostic.Location.SourceTree != root.SyntaxTree || !root.FullSpan.Contains(span))
            {
                return null;
            }

            var write = root.FindNode(span, getInnermostNodeForTie: true).AncestorsAndSelf().OfType<ExpressionSyntax>().FirstOrDefault(e => e.Span == span);
            var entry = write switch
            {
                AssignmentExpressionSyntax assignment => assignment.Left,
                PrefixUnaryExpressionSyntax prefix => prefix.Operand,
                PostfixUnaryExpressionSyntax postfix => postfix.Operand,
                _ => null,
            };
            if (write is null || entry is not ElementAccessExpressionSyntax { ArgumentList.Arguments: { Count: 1 } arguments } element
                || model.GetSymbolInfo(element, cancellationToken).Symbol is not IPropertySymbol { Type: var valueType })
            {
                return null;
            }

            var fix = new Fixer(model, element, arguments[0].Expression, valueType, cancellationToken);
            return write switch
            {
                PostfixUnaryExpressionSyntax postfix when IsValueDiscarded(postfix, model, cancellationToken) => fix.Counter(write, postfix.IsKind(SyntaxKind.PostIncrementExpression)),
                PrefixUnaryExpressionSyntax prefix => fix.Counter(write, prefix.IsKind(SyntaxKind.PreIncrementExpression)),
                AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.AddAssignmentExpression } add => fix.Update(write, add.Right, plus: true),
                AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SubtractAssignmentExpression } subtract => fix.Update(write, subtract.Right, plus: false),
                AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } simple => fix.Assignment(simple),
                _ => null,
            };
        }

        /// <summary>A statement, or the body of a member or lambda returning void: <c>d[k]++</c>'s old value is not used.</summary>
        private static bool IsValueDiscarded(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken) => expression.Parent switch
        {
            ExpressionStatementSyntax => true,
            ArrowExpressionClauseSyntax or LambdaExpressionSyntax => model.GetEnclosingSymbol(expression.SpanStart, cancellationToken) is IMethodSymbol { ReturnsVoid: true },
            _ => false,
        };

        private sealed class Fixer
        {
            private readonly SemanticModel model;
            private readonly ElementAccessExpressionSyntax element;
            private readonly ExpressionSyntax key;
            private readonly ITypeSymbol valueType;
            private readonly CancellationToken cancellationToken;

            public Fixer(SemanticModel model, ElementAccessExpressionSyntax element, ExpressionSyntax key, ITypeSymbol valueType, CancellationToken cancellationToken)
            {
                this.model = model;
                this.element = element;
                this.key = key;
                this.valueType = valueType;
                this.cancellationToken = cancellationToken;
            }

            private string Receiver => element.Expression.WithoutTrivia().ToString();

            private string Key => key.WithoutTrivia().ToString();

            public (SyntaxNode, SyntaxNode)? Counter(ExpressionSyntax write, bool plus) =>
                IsNumber(valueType, plus) ? Replace(write, $"{Receiver}.AddOrUpdate({Key}, {(plus ? "1" : "-1")}, ({Name(write, "_", "key")}, {Name(write, "old", "current")}) => {Name(write, "old", "current")} {(plus ? "+" : "-")} 1)") : null;

            /// <summary><c>d[k] ±= x</c>: the add value is what the update gives for <c>default</c>.</summary>
            public (SyntaxNode, SyntaxNode)? Update(ExpressionSyntax write, ExpressionSyntax amount, bool plus)
            {
                if (!(IsNumber(valueType, plus) || (plus && valueType.SpecialType == SpecialType.System_String))
                    || !model.ClassifyConversion(amount, valueType).IsImplicit
                    || !CanMoveIntoLambda(amount))
                {
                    return null;
                }

                var text = Operand(amount);
                var old = Name(write, "old", "current");
                return Replace(write, $"{Receiver}.AddOrUpdate({Key}, {(plus ? amount.WithoutTrivia().ToString() : "-" + text)}, ({Name(write, "_", "key")}, {old}) => {old} {(plus ? "+" : "-")} {text})");
            }

            public (SyntaxNode, SyntaxNode)? Assignment(AssignmentExpressionSyntax write)
            {
                // d[k] = d[k] ± x
                if (Unparenthesized(write.Right) is BinaryExpressionSyntax binary && binary.Kind() is SyntaxKind.AddExpression or SyntaxKind.SubtractExpression
                    && SyntaxFactory.AreEquivalent(Unparenthesized(binary.Left), element))
                {
                    return Update(write, binary.Right, binary.IsKind(SyntaxKind.AddExpression));
                }

                if (write.Parent is not ExpressionStatementSyntax statement)
                {
                    return null;
                }

                var branch = (SyntaxNode)statement;
                if (branch.Parent is BlockSyntax { Statements.Count: 1 } block)
                {
                    branch = block;
                }

                if (branch.Parent is IfStatementSyntax check && check.Statement == branch)
                {
                    return TryGetValueUpdate(write, check, present: true) ?? GuardedAdd(write, statement, check);
                }

                if (branch.Parent is ElseClauseSyntax { Parent: IfStatementSyntax owner })
                {
                    return TryGetValueUpdate(write, owner, present: false);
                }

                return GuardedAdd(write, statement, null);
            }

            /// <summary><c>if (d.TryGetValue(k, out var v)) d[k] = g(v); else d[k] = a;</c> → <c>d.AddOrUpdate(k, a, (_, v) =&gt; g(v));</c></summary>
            private (SyntaxNode, SyntaxNode)? TryGetValueUpdate(AssignmentExpressionSyntax write, IfStatementSyntax check, bool present)
            {
                var negated = Unparenthesized(check.Condition) is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression } not;
                var condition = negated ? ((PrefixUnaryExpressionSyntax)Unparenthesized(check.Condition)).Operand : check.Condition;
                if (KeyCall(condition, "TryGetValue") is not { ArgumentList.Arguments: { Count: 2 } arguments }
                    || arguments[1].Expression is not DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax { Identifier.ValueText: var name } }
                    || check.Else is not { Statement: var elseStatement }
                    || WriteOf(check.Statement) is not { } whenTrue
                    || WriteOf(elseStatement) is not { } whenFalse)
                {
                    return null;
                }

                var (update, add) = negated ? (whenFalse, whenTrue) : (whenTrue, whenFalse);
                if (update != write)
                {
                    return null;
                }

                // v only inside the update (its scope is the whole enclosing block); the add value is computed eagerly.
                var scope = check.Parent ?? check;
                if (scope.DescendantNodes().OfType<IdentifierNameSyntax>().Any(id => id.Identifier.ValueText == name && !update.Right.Span.Contains(id.Span))
                    || !CanMoveIntoLambda(update.Right)
                    || !IsPure(add.Right))
                {
                    return null;
                }

                return Replace(check, $"{Receiver}.AddOrUpdate({Key}, {add.Right.WithoutTrivia()}, ({Name(check, "_", "key")}, {name}) => {update.Right.WithoutTrivia()});", statement: true);
            }

            /// <summary><c>if (!d.ContainsKey(k)) d[k] = v;</c> → <c>d.TryAdd(k, v);</c> (or <c>GetOrAdd</c> when <c>v</c> has effects).</summary>
            private (SyntaxNode, SyntaxNode)? GuardedAdd(AssignmentExpressionSyntax write, ExpressionStatementSyntax statement, IfStatementSyntax? check)
            {
                SyntaxNode replaced = statement;
                if (check is not null)
                {
                    if (Unparenthesized(check.Condition) is not PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression } not || !IsAbsenceCheck(not.Operand))
                    {
                        return null;
                    }

                    if (check.Else is null)
                    {
                        replaced = check;
                    }
                }
                else if (statement.Parent is not BlockSyntax block
                    || !block.Statements.TakeWhile(s => s != statement).Any(s => s is IfStatementSyntax { Else: null } exit && IsAbsenceCheck(exit.Condition) && Exits(exit.Statement)))
                {
                    return null;
                }

                var value = write.Right.WithoutTrivia();
                if (IsPure(write.Right))
                {
                    return Replace(replaced, $"{Receiver}.TryAdd({Key}, {value});", statement: true);
                }

                return CanCapture(write.Right) ? Replace(replaced, $"{Receiver}.GetOrAdd({Key}, {Name(write, "_", "key")} => {value});", statement: true) : null;
            }

            private bool IsAbsenceCheck(ExpressionSyntax condition) =>
                KeyCall(condition, "ContainsKey") is not null
                || KeyCall(condition, "TryGetValue") is { ArgumentList.Arguments: { Count: 2 } arguments } && arguments[1].Expression is IdentifierNameSyntax { Identifier.ValueText: "_" };

            private static bool Exits(StatementSyntax statement) => statement switch
            {
                ReturnStatementSyntax or ThrowStatementSyntax or ContinueStatementSyntax or BreakStatementSyntax => true,
                BlockSyntax { Statements: { Count: > 0 } statements } => Exits(statements.Last()),
                _ => false,
            };

            private InvocationExpressionSyntax? KeyCall(ExpressionSyntax condition, string method) =>
                Unparenthesized(condition) is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access, ArgumentList.Arguments: { Count: > 0 } arguments } call
                && access.Name.Identifier.ValueText == method
                && SyntaxFactory.AreEquivalent(access.Expression, element.Expression)
                && SyntaxFactory.AreEquivalent(arguments[0].Expression, key)
                    ? call
                    : null;

            private AssignmentExpressionSyntax? WriteOf(StatementSyntax statement) =>
                (statement is BlockSyntax { Statements.Count: 1 } block ? block.Statements[0] : statement) is ExpressionStatementSyntax
                {
                    Expression: AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Left: ElementAccessExpressionSyntax target } assignment,
                }
                && SyntaxFactory.AreEquivalent(target, element)
                    ? assignment
                    : null;

            /// <summary>Computing it has no effect, so evaluating it once more, or eagerly, changes nothing.</summary>
            private bool IsPure(ExpressionSyntax expression) =>
                model.GetOperation(expression, cancellationToken) is { } operation
                && !operation.DescendantsAndSelf().Any(o => o is IAssignmentOperation or IIncrementOrDecrementOperation or IAwaitOperation or IInvalidOperation
                    or IDynamicInvocationOperation or IDynamicMemberReferenceOperation or IEventAssignmentOperation
                    || (o is IInvocationOperation call && call.TargetMethod.ContainingType?.ToDisplayString() != "System.Math"));

            /// <summary>Pure (an update lambda may run more than once), and a lambda may hold it.</summary>
            private bool CanMoveIntoLambda(ExpressionSyntax expression) => IsPure(expression) && CanCapture(expression);

            /// <summary>A lambda may capture all it uses: no await, ref/out/in parameters, ref locals, ref structs or struct <c>this</c>.</summary>
            private bool CanCapture(ExpressionSyntax expression) =>
                model.GetOperation(expression, cancellationToken) is { } operation
                && !operation.DescendantsAndSelf().Any(o => o switch
                {
                    IAwaitOperation or IInvalidOperation => true,
                    IParameterReferenceOperation parameter => parameter.Parameter.RefKind != RefKind.None || parameter.Parameter.Type.IsRefLikeType,
                    ILocalReferenceOperation local => local.Local.IsRef || local.Local.Type.IsRefLikeType,
                    IInstanceReferenceOperation instance => instance.Type?.IsValueType == true,
                    _ => false,
                });

            /// <summary>The first candidate not already a local, parameter or range variable in scope.</summary>
            private string Name(SyntaxNode at, string preferred, string other) =>
                model.LookupSymbols(at.SpanStart, name: preferred).Any(s => s.Kind is SymbolKind.Local or SymbolKind.Parameter or SymbolKind.RangeVariable) ? other : preferred;

            private static bool IsNumber(ITypeSymbol type, bool plus) => type.SpecialType switch
            {
                SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal => true,
                SpecialType.System_UInt32 or SpecialType.System_UInt64 => plus,
                _ => false,
            };

            private static string Operand(ExpressionSyntax expression)
            {
                var text = expression.WithoutTrivia().ToString();
                return expression is IdentifierNameSyntax or LiteralExpressionSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax
                    ? text
                    : "(" + text + ")";
            }

            private static ExpressionSyntax Unparenthesized(ExpressionSyntax expression)
            {
                while (expression is ParenthesizedExpressionSyntax parenthesized)
                {
                    expression = parenthesized.Expression;
                }

                return expression;
            }

            private static (SyntaxNode, SyntaxNode)? Replace(SyntaxNode old, string code, bool statement = false)
            {
                SyntaxNode replacement = statement ? SyntaxFactory.ParseStatement(code) : SyntaxFactory.ParseExpression(code);
                return replacement.ContainsDiagnostics ? null : (old, replacement);
            }
        }
    }
}
