using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
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
    /// <item>Any other <c>d[k] = f(d[k])</c> or <c>d[k] op= x</c> statement → a <c>TryUpdate</c> loop that re-reads the entry on
    /// every attempt and, like the original, throws <c>KeyNotFoundException</c> for an absent key:
    /// <c>for (var current = d[k]; !d.TryUpdate(k, f(current), current); current = d[k]) { }</c>.</item>
    /// <item>Update only if present (<c>if (d.TryGetValue(k, out var v) [&amp;&amp; c]) d[k] = g(v);</c>, <c>if (d.ContainsKey(k)) d[k] = f(d[k]);</c>,
    /// or any write under such a guard) → <c>while (d.TryGetValue(k, out var v) [&amp;&amp; c] &amp;&amp; !d.TryUpdate(k, g(v), v)) { }</c>:
    /// it never adds the key, and stops when the key is gone.</item>
    /// <item><c>if (d.TryGetValue(k, out var v)) d[k] = g(v); else d[k] = a;</c> (or <c>ContainsKey</c>) → <c>d.AddOrUpdate(k, a, (_, v) =&gt; g(v));</c></item>
    /// <item><c>if (!d.ContainsKey(k)) d[k] = v;</c> (or after <c>if (d.ContainsKey(k)) return;</c>) → <c>d.TryAdd(k, v);</c>,
    /// or <c>d.GetOrAdd(k, _ =&gt; v);</c> when computing <c>v</c> has effects, so it still runs only for an absent key.</item>
    /// </list>
    /// No fix when a value that is computed again on each attempt has side effects or awaits, when a lambda would capture a
    /// ref/out/in parameter, a ref local or <c>this</c> of a struct, when a loop would repeat a receiver or key that is not a
    /// plain variable, field, property or constant, when the value uses a local read from the entry before, or for other shapes.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NonAtomicConcurrentDictionaryUpdateCodeFix)), Shared]
    public sealed class NonAtomicConcurrentDictionaryUpdateCodeFix : PlannedCodeFix
    {
        public const string Title = "Update the entry atomically";
        private const string EquivalenceKey = RuleIds.NonAtomicConcurrentDictionaryUpdate + ".Atomic";

        public NonAtomicConcurrentDictionaryUpdateCodeFix()
            : base(RuleIds.NonAtomicConcurrentDictionaryUpdate, EquivalenceKey)
        {
        }

        private protected override string? TitleIfFixable(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken) =>
            Plan(root, model, diagnostic, cancellationToken) is not null ? Title : null;

        private protected override SyntaxNode ApplyPlans(Document document, SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        {
            var edits = new Dictionary<SyntaxNode, SyntaxNode>();
            foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
            {
                // A write nested in another fixed one is left to a second pass.
                if (Plan(root, model, diagnostic, cancellationToken) is { } edit && !edits.Keys.Any(old => old.Span.IntersectsWith(edit.Old.Span)))
                {
                    edits[edit.Old] = edit.New;
                }
            }

            root = root.ReplaceNodes(edits.Keys, (old, _) => edits[old].WithTriviaFrom(old).WithAdditionalAnnotations(RewriteFinisher.Rewritten));
            return root;
        }

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

            return new Fixer(model, element, arguments[0].Expression, valueType, cancellationToken).Plan(write);
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

            private string Entry => element.WithoutTrivia().ToString();

            /// <summary>The edit for the write, or null when no atomic form compiles and keeps the behaviour.</summary>
            public (SyntaxNode, SyntaxNode)? Plan(ExpressionSyntax write)
            {
                var statement = write.Parent as ExpressionStatementSyntax;
                var branch = statement?.Parent is BlockSyntax { Statements.Count: 1 } block ? block : (SyntaxNode?)statement;

                // if (d.TryGetValue(k, out var v) [&& c]) d[k] = g(v); [else d[k] = a;]
                if (branch?.Parent is IfStatementSyntax check && check.Statement == branch && statement is not null)
                {
                    if (Conjuncts(check.Condition) is { } conjuncts && IsKeyCall(conjuncts[0]))
                    {
                        return check.Else is null ? UpdateIfPresent(write, check, conjuncts)
                            : conjuncts.Count == 1 ? AddOrUpdate(write, check, (InvocationExpressionSyntax)Unparenthesized(conjuncts[0]), check.Else.Statement) : null;
                    }

                    if (Negated(check.Condition) is { } absent && IsKeyCall(absent))
                    {
                        return write is AssignmentExpressionSyntax add ? GuardedAdd(add, statement, check) : null;
                    }
                }

                // if (!d.TryGetValue(k, out var v)) d[k] = a; else d[k] = g(v);
                if (branch?.Parent is ElseClauseSyntax { Parent: IfStatementSyntax owner } && Negated(owner.Condition) is { } present && IsKeyCall(present))
                {
                    return AddOrUpdate(write, owner, (InvocationExpressionSyntax)Unparenthesized(present), owner.Statement);
                }

                switch (GuardOf(write))
                {
                    case Guard.None:
                        return Unguarded(write) ?? (statement is not null ? UpdateOrThrow(write, statement) : null);
                    case Guard.Present when statement is not null:
                        return UpdateIfPresent(write, statement, null);
                    case Guard.Absent when statement is not null && write is AssignmentExpressionSyntax add:
                        return GuardedAdd(add, statement, null);
                    default:
                        return null;
                }
            }

            private (SyntaxNode, SyntaxNode)? Unguarded(ExpressionSyntax write) => write switch
            {
                PostfixUnaryExpressionSyntax postfix when IsValueDiscarded(postfix, model, cancellationToken) => Counter(write, postfix.IsKind(SyntaxKind.PostIncrementExpression)),
                PrefixUnaryExpressionSyntax prefix => Counter(write, prefix.IsKind(SyntaxKind.PreIncrementExpression)),
                AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.AddAssignmentExpression } add => Update(write, add.Right, plus: true),
                AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SubtractAssignmentExpression } subtract => Update(write, subtract.Right, plus: false),

                // d[k] = d[k] ± x
                AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Right: var value }
                    when Unparenthesized(value) is BinaryExpressionSyntax binary && binary.Kind() is SyntaxKind.AddExpression or SyntaxKind.SubtractExpression
                        && SyntaxFactory.AreEquivalent(Unparenthesized(binary.Left), element) => Update(write, binary.Right, binary.IsKind(SyntaxKind.AddExpression)),
                _ => null,
            };

            private (SyntaxNode, SyntaxNode)? Counter(ExpressionSyntax write, bool plus) =>
                IsNumber(valueType, plus) ? Replace(write, $"{Receiver}.AddOrUpdate({Key}, {(plus ? "1" : "-1")}, ({Name(write, "_", "key")}, {Name(write, "old", "current")}) => {Name(write, "old", "current")} {(plus ? "+" : "-")} 1)") : null;

            /// <summary><c>d[k] ±= x</c>: the add value is what the update gives for <c>default</c>.</summary>
            private (SyntaxNode, SyntaxNode)? Update(ExpressionSyntax write, ExpressionSyntax amount, bool plus)
            {
                if (!(IsNumber(valueType, plus) || (plus && valueType.SpecialType == SpecialType.System_String))
                    || !model.ClassifyConversion(amount, valueType).IsImplicit
                    || !CanMoveIntoLambda(amount)
                    || ReadsEntryThroughLocal(amount, null))
                {
                    return null;
                }

                var text = Operand(amount);
                var old = Name(write, "old", "current");
                return Replace(write, $"{Receiver}.AddOrUpdate({Key}, {(plus ? amount.WithoutTrivia().ToString() : "-" + text)}, ({Name(write, "_", "key")}, {old}) => {old} {(plus ? "+" : "-")} {text})");
            }

            /// <summary>
            /// Any other update of the old value: <c>for (var current = d[k]; !d.TryUpdate(k, f(current), current); current = d[k]) { }</c>.
            /// <c>d[k]</c> throws for an absent key, as the original does.
            /// </summary>
            private (SyntaxNode, SyntaxNode)? UpdateOrThrow(ExpressionSyntax write, ExpressionStatementSyntax statement)
            {
                if (write is AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } simple && !ReadsEntry(simple.Right))
                {
                    return null;
                }

                var current = Unused(statement, "current");
                return IsRepeatable() && NewValue(write, current) is { } next
                    ? Replace(statement, $"for (var {current} = {Entry}; !{Receiver}.TryUpdate({Key}, {next}, {current}); {current} = {Entry}) {{ }}", statement: true)
                    : null;
            }

            /// <summary>
            /// Update only if present: <c>while (d.TryGetValue(k, out var v) [&amp;&amp; c] &amp;&amp; !d.TryUpdate(k, g(v), v)) { }</c> replaces
            /// <paramref name="replaced"/> (the guarding <c>if</c>, whose condition starts with the key check, or the write under it).
            /// </summary>
            private (SyntaxNode, SyntaxNode)? UpdateIfPresent(ExpressionSyntax write, StatementSyntax replaced, List<ExpressionSyntax>? conjuncts)
            {
                var current = Unused(replaced, "current");
                var declaration = "var " + current;
                string? kept = null;
                if (conjuncts is not null && Unparenthesized(conjuncts[0]) is InvocationExpressionSyntax { ArgumentList.Arguments: { Count: 2 } arguments } tryGetValue
                    && KeyCall(tryGetValue, "TryGetValue") is not null)
                {
                    switch (arguments[1].Expression)
                    {
                        // Its scope is the enclosing block: used only in this if, it can move into the loop's condition.
                        case DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax { Identifier.ValueText: var name } } declared
                            when !(replaced.Parent ?? replaced).DescendantNodes().OfType<IdentifierNameSyntax>().Any(id => id.Identifier.ValueText == name && !replaced.Span.Contains(id.Span)):
                            (current, declaration, kept) = (name, declared.WithoutTrivia().ToString(), name);
                            break;
                        case IdentifierNameSyntax { Identifier.ValueText: "_" }:
                        case DeclarationExpressionSyntax { Designation: DiscardDesignationSyntax }:
                            break;
                        default:
                            return null;
                    }
                }

                var rest = conjuncts?.Skip(1).ToList() ?? new List<ExpressionSyntax>();
                if (!IsRepeatable() || NewValue(write, current, kept) is not { } next
                    || rest.Any(c => !IsPure(c) || ReadsEntryThroughLocal(c, kept)))
                {
                    return null;
                }

                var condition = string.Concat(rest.Select(c => " && " + Substitute(c, current)));
                return Replace(replaced, $"while ({Receiver}.TryGetValue({Key}, out {declaration}){condition} && !{Receiver}.TryUpdate({Key}, {next}, {current})) {{ }}", statement: true);
            }

            /// <summary><c>if (d.TryGetValue(k, out var v)) d[k] = g(v); else d[k] = a;</c> → <c>d.AddOrUpdate(k, a, (_, v) =&gt; g(v));</c> (or <c>ContainsKey</c>).</summary>
            private (SyntaxNode, SyntaxNode)? AddOrUpdate(ExpressionSyntax update, IfStatementSyntax check, InvocationExpressionSyntax call, StatementSyntax otherBranch)
            {
                if (WriteOf(otherBranch) is not { } add || ReadsEntry(add.Right) || !IsPure(add.Right) || ReadsEntryThroughLocal(add.Right, null))
                {
                    return null;
                }

                var old = Name(check, "old", "current");
                string? kept = null;
                if (KeyCall(call, "TryGetValue") is { ArgumentList.Arguments: { Count: 2 } arguments })
                {
                    if (arguments[1].Expression is not DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax { Identifier.ValueText: var name } })
                    {
                        return null;
                    }

                    // v only inside the update (its scope is the whole enclosing block).
                    var scope = check.Parent ?? check;
                    if (scope.DescendantNodes().OfType<IdentifierNameSyntax>().Any(id => id.Identifier.ValueText == name && !update.Span.Contains(id.Span)))
                    {
                        return null;
                    }

                    (old, kept) = (name, name);
                }

                var moved = update is AssignmentExpressionSyntax assignment ? assignment.Right : null;
                return (moved is null || CanCapture(moved)) && NewValue(update, old, kept) is { } next
                    ? Replace(check, $"{Receiver}.AddOrUpdate({Key}, {add.Right.WithoutTrivia()}, ({Name(check, "_", "key")}, {old}) => {next});", statement: true)
                    : null;
            }

            /// <summary><c>if (!d.ContainsKey(k)) d[k] = v;</c> → <c>d.TryAdd(k, v);</c> (or <c>GetOrAdd</c> when <c>v</c> has effects).</summary>
            private (SyntaxNode, SyntaxNode)? GuardedAdd(AssignmentExpressionSyntax write, ExpressionStatementSyntax statement, IfStatementSyntax? check)
            {
                if (!write.IsKind(SyntaxKind.SimpleAssignmentExpression) || ReadsEntry(write.Right) || ReadsEntryThroughLocal(write.Right, null))
                {
                    return null;
                }

                SyntaxNode replaced = statement;
                if (check is not null)
                {
                    if (Negated(check.Condition) is not { } absent || !IsAbsenceCheck(absent))
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

            /// <summary>
            /// The written value as a function of the old one, named <paramref name="old"/>: reads of the entry become
            /// <paramref name="old"/>; <c>d[k] op= x</c> becomes <c>old op x</c>. Null when computing it again on every attempt could
            /// differ (effects, awaits, locals read from the entry before) or when <c>old op x</c> would not have the value type.
            /// </summary>
            private string? NewValue(ExpressionSyntax write, string old, string? kept = null)
            {
                switch (write)
                {
                    case AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Right: var value }:
                        return IsPure(value) && !ReadsEntryThroughLocal(value, kept) ? Substitute(value, old) : null;
                    case AssignmentExpressionSyntax { Right: var amount } compound
                        when model.GetOperation(compound, cancellationToken) is ICompoundAssignmentOperation { InConversion.IsIdentity: true, OutConversion.IsIdentity: true }
                            && compound.OperatorToken.ValueText.TrimEnd('=') is { Length: > 0 } op:
                        return IsPure(amount) && !ReadsEntryThroughLocal(amount, kept) ? $"{old} {op} {Operand(SyntaxFactory.ParseExpression(Substitute(amount, old)))}" : null;
                    case PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax when IsNumber(valueType, plus: true):
                        return $"{old} {(write.IsKind(SyntaxKind.PreIncrementExpression) || write.IsKind(SyntaxKind.PostIncrementExpression) ? "+" : "-")} 1";
                    default:
                        return null;
                }
            }

            /// <summary>The text of <paramref name="value"/> with every read of the entry replaced by <paramref name="old"/>.</summary>
            private string Substitute(ExpressionSyntax value, string old)
            {
                var reads = value.DescendantNodesAndSelf().OfType<ElementAccessExpressionSyntax>().Where(e => SyntaxFactory.AreEquivalent(e, element)).ToList();
                return value.ReplaceNodes(reads, (read, _) => SyntaxFactory.IdentifierName(old).WithTriviaFrom(read)).WithoutTrivia().ToString();
            }

            private bool ReadsEntry(ExpressionSyntax value) =>
                value.DescendantNodesAndSelf().OfType<ElementAccessExpressionSyntax>().Any(e => SyntaxFactory.AreEquivalent(e, element));

            /// <summary>
            /// A local in <paramref name="value"/> (other than <paramref name="kept"/>, re-read by the fix) got its value from
            /// this dictionary, directly or through other locals: computing from it again would use a stale read.
            /// </summary>
            private bool ReadsEntryThroughLocal(ExpressionSyntax value, string? kept)
            {
                var body = element.Ancestors().FirstOrDefault(a => a is MemberDeclarationSyntax and not GlobalStatementSyntax) ?? element.SyntaxTree.GetRoot(cancellationToken);
                var seen = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
                var pending = new Stack<SyntaxNode>();
                pending.Push(value);
                while (pending.Count > 0)
                {
                    var next = pending.Pop();

                    // The receiver and key of the entry's own reads are re-read with it.
                    var reads = next.DescendantNodesAndSelf().OfType<ElementAccessExpressionSyntax>().Where(e => SyntaxFactory.AreEquivalent(e, element)).ToList();
                    foreach (var id in next.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Where(id => !reads.Any(r => r.Span.Contains(id.Span))))
                    {
                        if (id.Identifier.ValueText == kept || model.GetSymbolInfo(id, cancellationToken).Symbol is not ILocalSymbol local || !seen.Add(local))
                        {
                            continue;
                        }

                        // Where it is written: its initializer, the call it is an out argument of, or assignments.
                        var sources = local.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken))
                            .Select(d => d is VariableDeclaratorSyntax declarator ? declarator.Initializer : d.FirstAncestorOrSelf<InvocationExpressionSyntax>() ?? d.Parent)
                            .Concat(body.DescendantNodes().OfType<AssignmentExpressionSyntax>()
                                .Where(a => a.Left is IdentifierNameSyntax { Identifier.ValueText: var name } && name == local.Name)
                                .Select(a => a.Right));
                        foreach (var source in sources.OfType<SyntaxNode>())
                        {
                            if (source.DescendantNodesAndSelf().Any(n => SyntaxFactory.AreEquivalent(n, element.Expression)))
                            {
                                return true;
                            }

                            pending.Push(source);
                        }
                    }
                }

                return false;
            }

            /// <summary>A loop evaluates the receiver and the key on every attempt: only plain variables, fields, properties and constants.</summary>
            private bool IsRepeatable() => IsPlain(element.Expression) && IsPlain(key);

            private bool IsPlain(ExpressionSyntax expression) =>
                model.GetOperation(expression, cancellationToken) is { } operation
                && operation.DescendantsAndSelf().All(o => o.ConstantValue.HasValue || o switch
                {
                    ILiteralOperation or ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IInstanceReferenceOperation or IParenthesizedOperation => true,
                    IPropertyReferenceOperation { Arguments.IsEmpty: true } or IConversionOperation { OperatorMethod: null } => true,
                    _ => false,
                });

            private enum Guard
            {
                None,
                Present,
                Absent,
                Unknown,
            }

            /// <summary>
            /// What the enclosing <c>if</c>s and earlier early exits of the function know about the key: present (the write
            /// runs only after a check found it), absent, or unknown (a check the fix does not understand).
            /// </summary>
            private Guard GuardOf(SyntaxNode write)
            {
                var guard = Guard.None;
                for (var node = write; node.Parent is { } parent && node is not (MemberDeclarationSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax); node = parent)
                {
                    if (parent is IfStatementSyntax check && (node == check.Statement || node == check.Else))
                    {
                        guard = Combine(guard, GuardOfCondition(check.Condition, inTrueBranch: node == check.Statement));
                    }

                    if (parent is BlockSyntax block)
                    {
                        foreach (var exit in block.Statements.TakeWhile(s => s != node).OfType<IfStatementSyntax>().Where(s => s.Else is null && Exits(s.Statement)))
                        {
                            guard = Combine(guard, GuardOfCondition(exit.Condition, inTrueBranch: false));
                        }
                    }
                }

                return guard;
            }

            private Guard GuardOfCondition(ExpressionSyntax condition, bool inTrueBranch)
            {
                if (!condition.DescendantNodesAndSelf().OfType<ExpressionSyntax>().Any(IsKeyCall))
                {
                    return Guard.None;
                }

                if (inTrueBranch && Conjuncts(condition) is { } conjuncts)
                {
                    return conjuncts.Any(IsKeyCall) ? Guard.Present : conjuncts.Any(c => Negated(c) is { } absent && IsKeyCall(absent)) ? Guard.Absent : Guard.Unknown;
                }

                return IsKeyCall(condition) ? Guard.Absent : Negated(condition) is { } negated && IsKeyCall(negated) ? Guard.Present : Guard.Unknown;
            }

            private static Guard Combine(Guard first, Guard second) =>
                first == Guard.None ? second : second == Guard.None || second == first ? first : Guard.Unknown;

            /// <summary>The operands of a <c>&amp;&amp;</c> chain, left to right, each as written (parentheses kept).</summary>
            private static List<ExpressionSyntax> Conjuncts(ExpressionSyntax condition) =>
                Unparenthesized(condition) is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression } conjunction
                    ? Conjuncts(conjunction.Left).Concat(Conjuncts(conjunction.Right)).ToList()
                    : new List<ExpressionSyntax> { condition };

            private static ExpressionSyntax? Negated(ExpressionSyntax condition) =>
                Unparenthesized(condition) is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression } not ? not.Operand : null;

            private bool IsKeyCall(ExpressionSyntax condition) => KeyCall(condition, "ContainsKey") is not null || KeyCall(condition, "TryGetValue") is not null;

            /// <summary>
            /// A name for the loop's local: no local or parameter in scope there (it would clash) and no name the replaced
            /// code uses (it would hide a field). Loops side by side each have their own scope, so they may share it.
            /// </summary>
            private string Unused(SyntaxNode replaced, string preferred) =>
                NewNames.Unused(preferred, NewNames.TakenIn(replaced, model, replaced.SpanStart));

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
                && !operation.DescendantsAndSelf().Any(o => (o is IAssignmentOperation && o.Parent is not IObjectOrCollectionInitializerOperation) // new T { X = x } and with { X = x } only set the copy
                    || o is IIncrementOrDecrementOperation or IAwaitOperation or IInvalidOperation
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
