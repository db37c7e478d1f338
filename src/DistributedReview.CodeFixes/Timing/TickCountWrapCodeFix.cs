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
using Microsoft.CodeAnalysis.Text;
using static DistributedReview.Timing.TickCountWrapAnalyzer;

namespace DistributedReview.Timing
{
    /// <summary>
    /// DR1003 fix: <c>Environment.TickCount64</c> instead of <c>TickCount</c>, on targets that have it (.NET Core 3.0+).
    /// Every TickCount reading that meets the flagged values becomes <c>TickCount64</c> and every <c>int</c> local or
    /// private field holding them becomes <c>long</c>, all at once (half of them would mix the two clocks), so Fix All
    /// merges diagnostics per document. The rewrite is offered only when the changed document still compiles.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TickCountWrapCodeFix)), Shared]
    public sealed class TickCountWrapCodeFix : CodeFixProvider
    {
        public const string Title = "Use Environment.TickCount64";
        private const string EquivalenceKey = RuleIds.TickCountWrap + ".TickCount64";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.TickCountWrap);

        public override FixAllProvider GetFixAllProvider() =>
            FixAllProvider.Create(async (context, document, diagnostics) =>
            {
                var fixedRoot = await Rewrite.PlanAsync(document, diagnostics.Select(d => d.Location.SourceSpan), context.CancellationToken).ConfigureAwait(false);
                return fixedRoot is null ? document : document.WithSyntaxRoot(fixedRoot);
            });

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var fixedRoot = await Rewrite.PlanAsync(context.Document, new[] { context.Span }, context.CancellationToken).ConfigureAwait(false);
            if (fixedRoot is not null)
            {
                var document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(Title, _ => Task.FromResult(document.WithSyntaxRoot(fixedRoot)), EquivalenceKey),
                    context.Diagnostics);
            }
        }

        /// <summary>The syntax edits for one or more flagged expressions.</summary>
        private sealed class Edits
        {
            /// <summary><c>TickCount</c> names that become <c>TickCount64</c>.</summary>
            public HashSet<SimpleNameSyntax> Renames { get; } = new();

            /// <summary>
            /// <c>x &amp; int.MaxValue</c> (or its parentheses) replaced by x, the left operand or not: TickCount64 is
            /// never negative.
            /// </summary>
            public Dictionary<ExpressionSyntax, bool> Unmasks { get; } = new();

            /// <summary><c>(long)Environment.TickCount</c>, which becomes just <c>Environment.TickCount64</c>.</summary>
            public HashSet<CastExpressionSyntax> RedundantCasts { get; } = new();

            /// <summary>Declared <c>int</c> types that become <c>long</c>.</summary>
            public HashSet<TypeSyntax> LongTypes { get; } = new();

            public bool IsEmpty => Renames.Count == 0;

            public void UnionWith(Edits other)
            {
                Renames.UnionWith(other.Renames);
                foreach (var unmask in other.Unmasks)
                {
                    Unmasks[unmask.Key] = unmask.Value;
                }

                RedundantCasts.UnionWith(other.RedundantCasts);
                LongTypes.UnionWith(other.LongTypes);
            }

            public SyntaxNode ApplyTo(SyntaxNode root)
            {
                var nodes = Renames.Cast<SyntaxNode>().Concat(Unmasks.Keys).Concat(RedundantCasts).Concat(LongTypes);
                return root.ReplaceNodes(nodes, (original, rewritten) => original switch
                {
                    SimpleNameSyntax when Renames.Contains(original) => SyntaxFactory.IdentifierName("TickCount64").WithTriviaFrom(rewritten),
                    ExpressionSyntax expression when Unmasks.TryGetValue(expression, out var keepLeft) => Unmasked(rewritten, keepLeft),
                    CastExpressionSyntax cast when RedundantCasts.Contains(cast) => ((CastExpressionSyntax)rewritten).Expression.WithTriviaFrom(rewritten),
                    TypeSyntax => SyntaxFactory.PredefinedType(SyntaxFactory.Token(SyntaxKind.LongKeyword)).WithTriviaFrom(rewritten),
                    _ => rewritten,
                });
            }

            private static SyntaxNode Unmasked(SyntaxNode rewritten, bool keepLeft) =>
                rewritten is ExpressionSyntax expression && WithoutParentheses(expression) is BinaryExpressionSyntax mask
                    ? (keepLeft ? mask.Left : mask.Right).WithTriviaFrom(rewritten)
                    : rewritten;
        }

        /// <summary>Plans and checks the rewrite of the TickCount values behind flagged expressions.</summary>
        private sealed class Rewrite
        {
            private readonly SemanticModel _model;
            private readonly SyntaxNode _root;
            private readonly TickCountSymbols _ticks;
            private readonly CancellationToken _cancellationToken;
            private readonly TickValues _values;
            private readonly Dictionary<ISymbol, ImmutableArray<IOperation>> _references = new(SymbolEqualityComparer.Default);
            private readonly ILookup<string, IdentifierNameSyntax> _identifiers;

            private Rewrite(SemanticModel model, SyntaxNode root, TickCountSymbols ticks, CancellationToken cancellationToken)
            {
                _model = model;
                _root = root;
                _ticks = ticks;
                _cancellationToken = cancellationToken;
                _values = new TickValues(ticks, TrackedSymbol, WritesTo);
                _identifiers = root.DescendantNodes().OfType<IdentifierNameSyntax>().ToLookup(i => i.Identifier.ValueText);
            }

            /// <summary>The fixed root, or null when no flagged expression at <paramref name="spans"/> can be rewritten.</summary>
            public static async Task<SyntaxNode?> PlanAsync(Document document, IEnumerable<TextSpan> spans, CancellationToken cancellationToken)
            {
                var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
                if (root is null || model is null || TickCountSymbols.Create(model.Compilation) is not { TickCount64: not null } ticks)
                {
                    return null;
                }

                var rewrite = new Rewrite(model, root, ticks, cancellationToken);
                var components = spans.OrderBy(span => span.Start)
                    .Select(rewrite.FlaggedAt)
                    .Select(flagged => flagged is null ? null : new Component(rewrite, flagged).Build())
                    .OfType<Edits>()
                    .ToList();
                if (components.Count == 0)
                {
                    return null;
                }

                var baseline = ErrorCounts(model, cancellationToken);

                // Usually every component is fine; otherwise keep, in order, those that leave the document compiling.
                var all = new Edits();
                components.ForEach(all.UnionWith);
                if (await CompilesAsync(document, all.ApplyTo(root), baseline, cancellationToken).ConfigureAwait(false) is { } allFixed)
                {
                    return allFixed;
                }

                if (components.Count == 1)
                {
                    return null;
                }

                var accepted = new Edits();
                SyntaxNode? result = null;
                foreach (var component in components)
                {
                    var candidate = new Edits();
                    candidate.UnionWith(accepted);
                    candidate.UnionWith(component);
                    if (await CompilesAsync(document, candidate.ApplyTo(root), baseline, cancellationToken).ConfigureAwait(false) is { } fixedRoot)
                    {
                        accepted = candidate;
                        result = fixedRoot;
                    }
                }

                return result;
            }

            private IBinaryOperation? FlaggedAt(TextSpan span)
            {
                var node = _root.FindNode(span, getInnermostNodeForTie: true);
                var binary = node.DescendantNodesAndSelf().OfType<BinaryExpressionSyntax>().FirstOrDefault(b => b.Span == span);
                return binary is null ? null : _model.GetOperation(binary, _cancellationToken) as IBinaryOperation;
            }

            /// <summary>The new root when it has no compiler error the original did not have.</summary>
            private static async Task<SyntaxNode?> CompilesAsync(Document document, SyntaxNode newRoot, Dictionary<string, int> baseline, CancellationToken cancellationToken)
            {
                var model = await document.WithSyntaxRoot(newRoot).GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
                if (model is null)
                {
                    return null;
                }

                var errors = ErrorCounts(model, cancellationToken);
                return errors.All(error => baseline.TryGetValue(error.Key, out var before) && error.Value <= before) ? newRoot : null;
            }

            private static Dictionary<string, int> ErrorCounts(SemanticModel model, CancellationToken cancellationToken) =>
                model.GetDiagnostics(cancellationToken: cancellationToken)
                    .Where(d => d.Severity == DiagnosticSeverity.Error)
                    .GroupBy(d => d.Id)
                    .ToDictionary(g => g.Key, g => g.Count());

            public TickValues Values => _values;

            public TickCountSymbols Ticks => _ticks;

            /// <summary>
            /// A local of this document, or a field or auto-property accessed on <c>this</c> or statically whose type is
            /// declared only in this document (so every write is in view). Mirrors <see cref="WriteLog.TrackedSymbol"/>.
            /// </summary>
            public ISymbol? TrackedSymbol(IOperation? operation)
            {
                switch (ClockSymbols.WalkDownImplicitConversions(operation))
                {
                    case ILocalReferenceOperation { Local: var local } when IsInThisDocument(local):
                        return local;
                    case IFieldReferenceOperation { Field: var field } reference when IsThisOrStatic(field, reference.Instance) && IsTypeInThisDocument(field.ContainingType):
                        return field.OriginalDefinition;
                    case IPropertyReferenceOperation { Property: var property } reference when IsThisOrStatic(property, reference.Instance)
                        && IsTypeInThisDocument(property.ContainingType)
                        && property.Parameters.IsEmpty
                        && property.ContainingType.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property.OriginalDefinition)):
                        return property.OriginalDefinition;
                    default:
                        return null;
                }
            }

            /// <summary>Every reference to the variable in this document (each a local, field or property reference).</summary>
            public ImmutableArray<IOperation> ReferencesTo(ISymbol symbol)
            {
                if (_references.TryGetValue(symbol, out var known))
                {
                    return known;
                }

                var references = ImmutableArray.CreateBuilder<IOperation>();
                foreach (var identifier in _identifiers[symbol.Name])
                {
                    var node = identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier ? (SyntaxNode)access : identifier;
                    var operation = _model.GetOperation(node, _cancellationToken);
                    if (operation is ILocalReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation
                        && SymbolEqualityComparer.Default.Equals(ReferencedSymbol(operation), symbol))
                    {
                        references.Add(operation);
                    }
                }

                var result = references.ToImmutable();
                _references[symbol] = result;
                return result;
            }

            /// <summary>The initial value in the declaration of a local, field or auto-property, if any.</summary>
            public IOperation? InitializerOf(ISymbol symbol)
            {
                var declaration = symbol.DeclaringSyntaxReferences.Length == 1 ? symbol.DeclaringSyntaxReferences[0].GetSyntax(_cancellationToken) : null;
                var initializer = declaration?.SyntaxTree != _root.SyntaxTree ? null : declaration switch
                {
                    VariableDeclaratorSyntax declarator => declarator.Initializer,
                    PropertyDeclarationSyntax property => property.Initializer,
                    _ => null,
                };

                return initializer is null ? null : _model.GetOperation(initializer, _cancellationToken) switch
                {
                    IVariableInitializerOperation local => local.Value,
                    IFieldInitializerOperation field => field.Value,
                    IPropertyInitializerOperation property => property.Value,
                    _ => null,
                };
            }

            public VariableDeclaratorSyntax? DeclaratorOf(ISymbol symbol) =>
                symbol.DeclaringSyntaxReferences.Length == 1
                && symbol.DeclaringSyntaxReferences[0].GetSyntax(_cancellationToken) is VariableDeclaratorSyntax declarator
                && declarator.SyntaxTree == _root.SyntaxTree
                    ? declarator
                    : null;

            /// <summary>
            /// A variable not known to hold instants that may hold one anyway: a write that is one or reads TickCount,
            /// or a write whose value cannot be seen at all (<c>ref</c>/<c>out</c>, deconstruction). Counters
            /// (<c>++</c>, <c>+= n</c>) are not suspects.
            /// </summary>
            public bool MightHoldTicks(ISymbol variable)
            {
                if (IsOpaquelyDeclared(variable))
                {
                    return true;
                }

                var values = WritesTo(variable).OfType<IOperation>()
                    .Concat(ReferencesTo(variable).Select(r => r.Parent).OfType<ICompoundAssignmentOperation>().Select(c => c.Value));
                return values.Any(value => _values.Of(value) is TickOrigin.Instant or TickOrigin.Pending || value.DescendantsAndSelf().Any(_ticks.IsTickCountRead))
                    || ReferencesTo(variable).Any(r => r.Syntax.Parent is RefExpressionSyntax
                        || r.Parent is IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } or IDeclarationExpressionOperation or ITupleOperation);
            }

            /// <summary>Writes to the variable seen in this document; null for one whose value cannot be seen.</summary>
            private ImmutableArray<IOperation?> WritesTo(ISymbol symbol)
            {
                var writes = ImmutableArray.CreateBuilder<IOperation?>();
                if (IsOpaquelyDeclared(symbol))
                {
                    writes.Add(null);
                }

                if (InitializerOf(symbol) is { } initial)
                {
                    writes.Add(initial);
                }

                foreach (var reference in ReferencesTo(symbol))
                {
                    switch (UseOf(reference))
                    {
                        case Use.Write when reference.Parent is ISimpleAssignmentOperation assignment:
                            writes.Add(assignment.Value);
                            break;
                        case Use.OpaqueWrite:
                            writes.Add(null);
                            break;
                    }
                }

                return writes.ToImmutable();
            }

            /// <summary>Locals declared by <c>out var</c>, patterns, <c>foreach</c> or deconstruction: their value cannot be seen.</summary>
            private bool IsOpaquelyDeclared(ISymbol symbol) =>
                symbol is ILocalSymbol && symbol.DeclaringSyntaxReferences.Any(r => r.GetSyntax(_cancellationToken) is not VariableDeclaratorSyntax);

            public static Use UseOf(IOperation reference)
            {
                if (reference.Syntax.Parent is RefExpressionSyntax)
                {
                    return Use.OpaqueWrite;
                }

                switch (reference.Parent)
                {
                    case ISimpleAssignmentOperation assignment when assignment.Target == reference:
                        return Use.Write;
                    case ICompoundAssignmentOperation compound when compound.Target == reference:
                    case ICoalesceAssignmentOperation coalesce when coalesce.Target == reference:
                    case IIncrementOrDecrementOperation:
                    case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out }:
                    case IDeclarationExpressionOperation:
                    case ITupleOperation:
                        return Use.OpaqueWrite;
                    default:
                        return Use.Read;
                }
            }

            private bool IsInThisDocument(ISymbol symbol) =>
                symbol.DeclaringSyntaxReferences.Length > 0 && symbol.DeclaringSyntaxReferences.All(r => r.SyntaxTree == _root.SyntaxTree);

            public bool IsTypeInThisDocument(INamedTypeSymbol? type) => type is not null && IsInThisDocument(type);

            private static bool IsThisOrStatic(ISymbol member, IOperation? instance) =>
                member.IsStatic || instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };

            private static ISymbol? ReferencedSymbol(IOperation operation) => operation switch
            {
                ILocalReferenceOperation local => local.Local,
                IFieldReferenceOperation field => field.Field.OriginalDefinition,
                IPropertyReferenceOperation property => property.Property.OriginalDefinition,
                _ => null,
            };
        }

        private static ExpressionSyntax WithoutParentheses(ExpressionSyntax expression)
        {
            while (expression is ParenthesizedExpressionSyntax parenthesized)
            {
                expression = parenthesized.Expression;
            }

            return expression;
        }

        private enum Use
        {
            Read,
            Write,
            OpaqueWrite,
        }

        /// <summary>
        /// The TickCount readings and variables connected to one flagged expression: the readings it contains, the
        /// variables holding instants in it, and everything those variables are written from or combined with.
        /// </summary>
        private sealed class Component
        {
            private readonly Rewrite _rewrite;
            private readonly IBinaryOperation _flagged;
            private readonly HashSet<ISymbol> _variables = new(SymbolEqualityComparer.Default);
            private readonly Edits _edits = new();
            private bool _failed;

            public Component(Rewrite rewrite, IBinaryOperation flagged)
            {
                _rewrite = rewrite;
                _flagged = flagged;
            }

            /// <summary>The edits, or null when the expression is not what the analyzer reported or cannot be rewritten safely.</summary>
            public Edits? Build()
            {
                switch (ShapeOf(_flagged, _rewrite.Ticks))
                {
                    case Shape.Comparison when Of(_flagged.LeftOperand) == TickOrigin.Instant && Of(_flagged.RightOperand) == TickOrigin.Instant:
                        Expand(_flagged.LeftOperand);
                        break;
                    case Shape.WidenedSubtraction or Shape.CheckedSubtraction when Of(_flagged.LeftOperand) == TickOrigin.Instant && Of(_flagged.RightOperand) == TickOrigin.Instant:
                        Expand(_flagged);
                        break;
                    case Shape.Mask when Of(_rewrite.Ticks.MaskedOperand(_flagged)) == TickOrigin.Instant:
                        Expand(_flagged);
                        break;
                    default:
                        return null;
                }

                return _failed || _edits.IsEmpty ? null : _edits;
            }

            private TickOrigin Of(IOperation? operation) => _rewrite.Values.Of(operation);

            /// <summary>
            /// Follows a TickCount value up through the arithmetic it is part of, rewrites that whole expression, and
            /// then what the expression goes into: the other side of a comparison, a variable that then holds an
            /// instant too, or anything else provided it is only an interval (intervals are the same in TickCount64).
            /// </summary>
            private void Expand(IOperation operation)
            {
                var top = operation;
                while (top.Parent is IParenthesizedOperation
                    || (top.Parent is IConversionOperation { Conversion.IsUserDefined: false } conversion && TickValues.IsTickType(conversion.Type))
                    || (top.Parent is IBinaryOperation { OperatorMethod: null } binary && TickValues.IsTickType(binary.Type)
                        && (binary.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract || _rewrite.Ticks.MaskedOperand(binary) is not null)))
                {
                    top = top.Parent;
                }

                Tree(top);
                switch (top.Parent)
                {
                    case IBinaryOperation { OperatorMethod: null, OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan
                        or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison:
                        Tree(comparison.LeftOperand == top ? comparison.RightOperand : comparison.LeftOperand);
                        break;
                    case ISimpleAssignmentOperation assignment when assignment.Value == top && Of(top) == TickOrigin.Instant:
                        if (assignment.Parent is IExpressionStatementOperation && _rewrite.TrackedSymbol(assignment.Target) is { } target)
                        {
                            AddVariable(target);
                        }
                        else
                        {
                            Fail();
                        }

                        break;
                    case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when Of(top) == TickOrigin.Instant:
                        AddVariable(declarator.Symbol);
                        break;
                    case IFieldInitializerOperation { InitializedFields.Length: 1 } initializer when Of(top) == TickOrigin.Instant:
                        AddVariable(initializer.InitializedFields[0].OriginalDefinition);
                        break;
                    default:
                        if (Of(top) != TickOrigin.Interval && Of(top) != TickOrigin.Unknown)
                        {
                            Fail(); // an instant leaves for somewhere this fix cannot follow
                        }

                        break;
                }
            }

            /// <summary>Rewrites the TickCount readings in an arithmetic expression and takes in the variables holding instants.</summary>
            private void Tree(IOperation? operation)
            {
                if (_failed)
                {
                    return;
                }

                switch (operation)
                {
                    case null:
                        Fail();
                        break;
                    case IParenthesizedOperation parenthesized:
                        Tree(parenthesized.Operand);
                        break;
                    case IConversionOperation { Conversion.IsUserDefined: false } conversion when TickValues.IsTickType(conversion.Type) && TickValues.IsTickType(conversion.Operand.Type):
                        Conversion(conversion);
                        break;
                    case var read when _rewrite.Ticks.IsTickCountRead(read):
                        Rename(read);
                        break;
                    case IBinaryOperation { OperatorMethod: null, OperatorKind: BinaryOperatorKind.Add } add when TickValues.IsTickType(add.Type):
                        Tree(add.LeftOperand);
                        Tree(add.RightOperand);
                        break;
                    case IBinaryOperation { OperatorMethod: null, OperatorKind: BinaryOperatorKind.Subtract } subtract when TickValues.IsTickType(subtract.Type):
                        // instant - unknown variable: a cutoff, or an interval from a start this fix cannot see; unsafe to guess
                        if (Of(subtract.LeftOperand) == TickOrigin.Instant && Of(subtract.RightOperand) == TickOrigin.Unknown && !subtract.RightOperand.ConstantValue.HasValue)
                        {
                            Fail();
                        }

                        Tree(subtract.LeftOperand);
                        Tree(subtract.RightOperand);
                        break;
                    case IBinaryOperation binary when _rewrite.Ticks.MaskedOperand(binary) is { } masked:
                        Unmask(binary, masked);
                        Tree(masked);
                        break;
                    default:
                        Leaf(operation);
                        break;
                }
            }

            private void Conversion(IConversionOperation conversion)
            {
                if (conversion.IsImplicit || TickValues.IsWide(conversion.Type))
                {
                    if (conversion.Type?.SpecialType == SpecialType.System_Int64 && conversion.Syntax is CastExpressionSyntax cast && _rewrite.Ticks.IsTickCountRead(conversion.Operand))
                    {
                        _edits.RedundantCasts.Add(cast);
                    }

                    Tree(conversion.Operand);
                }
                else if (Of(conversion.Operand) == TickOrigin.Instant)
                {
                    Fail(); // (int)instant would cut TickCount64 back to 32 bits
                }
                else
                {
                    Tree(conversion.Operand);
                }
            }

            private void Leaf(IOperation operation)
            {
                if (_rewrite.TrackedSymbol(operation) is { } variable)
                {
                    if (_rewrite.Values.OfVariable(variable) == TickOrigin.Instant)
                    {
                        AddVariable(variable);
                    }
                    else if (_rewrite.MightHoldTicks(variable))
                    {
                        Fail(); // e.g. also set through Interlocked: would stay a TickCount value next to TickCount64 ones
                    }
                }
                else if (operation.DescendantsAndSelf().Any(o => _rewrite.Ticks.IsTickCountRead(o) || (_rewrite.TrackedSymbol(o) is { } inner && _rewrite.Values.OfVariable(inner) == TickOrigin.Instant)))
                {
                    Fail(); // a TickCount value inside something other than + - & : cannot tell what it becomes
                }
            }

            private void Rename(IOperation read)
            {
                SimpleNameSyntax? name = read.Syntax switch
                {
                    MemberAccessExpressionSyntax access => access.Name,
                    SimpleNameSyntax simple => simple,
                    _ => null,
                };
                if (name is null)
                {
                    Fail();
                }
                else
                {
                    _edits.Renames.Add(name);
                }
            }

            /// <summary>Drops the mask, and its parentheses when the kept operand needs none.</summary>
            private void Unmask(IBinaryOperation mask, IOperation masked)
            {
                if (mask.Syntax is not BinaryExpressionSyntax syntax || masked.Syntax is not ExpressionSyntax kept)
                {
                    Fail();
                    return;
                }

                var replaced = syntax.Parent is ParenthesizedExpressionSyntax parenthesized
                    && WithoutParentheses(kept) is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax
                    ? (ExpressionSyntax)parenthesized
                    : syntax;
                _edits.Unmasks[replaced] = masked.Syntax == syntax.Left;
            }

            /// <summary>Takes in a local or private field holding instants: it becomes long, and every use of it is followed.</summary>
            private void AddVariable(ISymbol variable)
            {
                if (_failed || !_variables.Add(variable))
                {
                    return;
                }

                if (!TryWidenDeclaration(variable))
                {
                    Fail();
                    return;
                }

                if (_rewrite.InitializerOf(variable) is { } initializer)
                {
                    Tree(initializer);
                }
                foreach (var reference in _rewrite.ReferencesTo(variable))
                {
                    if (_failed)
                    {
                        return;
                    }

                    if (reference is IFieldReferenceOperation { Field.IsStatic: false, Instance: not IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } })
                    {
                        Fail(); // another instance's field
                        continue;
                    }

                    switch (Rewrite.UseOf(reference))
                    {
                        case Use.Write when reference.Parent is ISimpleAssignmentOperation { Parent: IExpressionStatementOperation } assignment:
                            Tree(assignment.Value);
                            break;
                        case Use.Read:
                            Expand(reference);
                            break;
                        default:
                            Fail();
                            break;
                    }
                }
            }

            private bool TryWidenDeclaration(ISymbol variable)
            {
                if (_rewrite.DeclaratorOf(variable) is not { Parent: VariableDeclarationSyntax { Variables.Count: 1 } declaration } declarator)
                {
                    return false;
                }

                ITypeSymbol type;
                switch (variable, declaration.Parent)
                {
                    case (ILocalSymbol { IsConst: false, IsRef: false } local, LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0 }):
                        type = local.Type;
                        break;
                    case (IFieldSymbol { DeclaredAccessibility: Accessibility.Private, IsConst: false, IsVolatile: false } field, FieldDeclarationSyntax)
                        when _rewrite.IsTypeInThisDocument(field.ContainingType):
                        type = field.Type;
                        break;
                    default:
                        return false;
                }

                if (type.SpecialType == SpecialType.System_Int32)
                {
                    if (!declaration.Type.IsVar)
                    {
                        _edits.LongTypes.Add(declaration.Type);
                    }
                    else if (declarator.Initializer is null)
                    {
                        return false;
                    }

                    return true;
                }

                // long, double, float, decimal already hold TickCount64; uint and ulong would not keep its meaning.
                return type.SpecialType is SpecialType.System_Int64 or SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Decimal;
            }

            private void Fail() => _failed = true;
        }
    }
}
