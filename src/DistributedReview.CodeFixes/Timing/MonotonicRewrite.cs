using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
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
    /// Turns wall-clock start variables into monotonic ones. On targets with <c>Stopwatch.GetElapsedTime</c>
    /// (.NET 7+) a start becomes a <c>long</c> timestamp; before that it becomes a running <c>Stopwatch</c>.
    /// A variable is rewritten only when every reference is one this class knows how to rewrite.
    /// </summary>
    internal sealed class MonotonicRewrite
    {
        private readonly Document _document;
        private readonly SyntaxNode _root;
        private readonly List<(SyntaxNode Old, SyntaxNode New)> _edits;

        private MonotonicRewrite(Document document, SyntaxNode root, List<(SyntaxNode Old, SyntaxNode New)> edits)
        {
            _document = document;
            _root = root;
            _edits = edits;
        }

        /// <summary>Plans the rewrite of the start variables behind the intervals at <paramref name="spans"/>; null when none can be rewritten.</summary>
        public static async Task<MonotonicRewrite?> PlanAsync(Document document, IEnumerable<TextSpan> spans, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null
                || ClockSymbols.Create(model.Compilation) is not { } clocks
                || model.Compilation.GetTypeByMetadataName("System.Diagnostics.Stopwatch") is not { } stopwatch)
            {
                return null;
            }

            var stopwatchType = SyntaxGenerator.GetGenerator(document).TypeExpression(stopwatch);
            var planner = new Planner(model, clocks, stopwatch, stopwatchType, root, cancellationToken);
            var edits = new List<(SyntaxNode Old, SyntaxNode New)>();
            var planned = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var span in spans)
            {
                var node = root.FindNode(span, getInnermostNodeForTie: true);
                if (planner.StartOf(node) is { } start && planned.Add(start) && planner.EditsFor(start) is { } startEdits)
                {
                    edits.AddRange(startEdits);
                }
            }

            return edits.Count == 0 ? null : new MonotonicRewrite(document, root, edits);
        }

        public async Task<Document> ApplyAsync(CancellationToken cancellationToken)
        {
            var replacements = _edits.ToDictionary(edit => edit.Old, edit => edit.New);
            var newRoot = _root.ReplaceNodes(replacements.Keys, (original, _) => replacements[original]);
            var document = _document.WithSyntaxRoot(newRoot);
            document = await ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
            document = await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
            return await Formatter.FormatAsync(document, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        private sealed class Planner
        {
            private readonly SemanticModel _model;
            private readonly ClockSymbols _clocks;
            private readonly SyntaxNode _stopwatchType;
            private readonly SyntaxNode _root;
            private readonly CancellationToken _cancellationToken;
            private readonly bool _hasElapsedTime;
            private readonly List<ExpressionSyntax?> _providersRead = new();

            /// <summary>The TimeProvider whose timestamps replace its wall-clock reads; null for Stopwatch.</summary>
            private ExpressionSyntax? _provider;

            public Planner(SemanticModel model, ClockSymbols clocks, INamedTypeSymbol stopwatch, SyntaxNode stopwatchType, SyntaxNode root, CancellationToken cancellationToken)
            {
                _model = model;
                _clocks = clocks;
                _stopwatchType = stopwatchType.WithAdditionalAnnotations(Simplifier.AddImportsAnnotation, Simplifier.Annotation);
                _root = root;
                _cancellationToken = cancellationToken;
                _hasElapsedTime = stopwatch.GetMembers("GetElapsedTime").OfType<IMethodSymbol>().Any(m => m.IsStatic && m.Parameters.Length == 1);
            }

            /// <summary>The start variable of the interval expression at <paramref name="node"/>.</summary>
            public ISymbol? StartOf(SyntaxNode node)
            {
                var startExpression = node switch
                {
                    BinaryExpressionSyntax { RawKind: (int)SyntaxKind.SubtractExpression } binary => binary.Right,
                    InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } invocation => invocation.ArgumentList.Arguments[0].Expression,
                    _ => null,
                };
                if (startExpression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Ticks" } ticks
                    && _model.GetSymbolInfo(ticks, _cancellationToken).Symbol is IPropertySymbol { ContainingType: var type } && _clocks.IsInstantType(type))
                {
                    startExpression = ticks.Expression;
                }

                return startExpression is null ? null : _model.GetSymbolInfo(startExpression, _cancellationToken).Symbol switch
                {
                    ILocalSymbol local => local,
                    IFieldSymbol field => field,
                    _ => null,
                };
            }

            /// <summary>
            /// Every edit for one start variable, or null when any reference or the declaration cannot be rewritten.
            /// Reads through one TimeProvider become its own timestamps (tests keep their fake clock); DateTime and
            /// DateTimeOffset reads become Stopwatch timestamps; a mix of the two is not rewritten.
            /// </summary>
            public List<(SyntaxNode Old, SyntaxNode New)>? EditsFor(ISymbol start)
            {
                _provider = null;
                _providersRead.Clear();
                var edits = TryBuildEdits(start);
                if (edits is null || _providersRead.All(provider => provider is null))
                {
                    return edits;
                }

                var receivers = _providersRead.Select(provider => provider?.ToString()).Distinct().ToList();
                if (receivers.Count != 1 || receivers[0] is null)
                {
                    return null;
                }

                _provider = _providersRead[0];
                return TryBuildEdits(start);
            }

            private List<(SyntaxNode Old, SyntaxNode New)>? TryBuildEdits(ISymbol start)
            {
                var holdsTicks = TypeOf(start).SpecialType == SpecialType.System_Int64;
                if (!holdsTicks && !_clocks.IsInstantType(TypeOf(start)))
                {
                    return null;
                }

                var edits = new List<(SyntaxNode Old, SyntaxNode New)>();
                if (!TryEditDeclaration(start, holdsTicks, edits))
                {
                    return null;
                }

                foreach (var reference in References(start))
                {
                    if (EditFor(reference, holdsTicks) is not { } edit)
                    {
                        return null;
                    }

                    edits.Add(edit);
                }

                return edits;
            }

            private bool TryEditDeclaration(ISymbol start, bool holdsTicks, List<(SyntaxNode Old, SyntaxNode New)> edits)
            {
                if (start.DeclaringSyntaxReferences.Length != 1
                    || start.DeclaringSyntaxReferences[0].GetSyntax(_cancellationToken) is not VariableDeclaratorSyntax declarator
                    || declarator.SyntaxTree != _root.SyntaxTree
                    || declarator.Parent is not VariableDeclarationSyntax { Variables.Count: 1 } declaration)
                {
                    return false;
                }

                switch (start, declaration.Parent)
                {
                    case (ILocalSymbol { IsConst: false, IsRef: false }, LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0 }):
                        if (declarator.Initializer is null)
                        {
                            return false;
                        }

                        break;
                    case (IFieldSymbol { DeclaredAccessibility: Accessibility.Private, IsConst: false, IsVolatile: false } field, FieldDeclarationSyntax):
                        // A field's references must all be in this document; a Stopwatch field needs an initial value.
                        if (field.ContainingType.DeclaringSyntaxReferences.Any(r => r.SyntaxTree != _root.SyntaxTree)
                            || (!UsesTimestamps && declarator.Initializer is null))
                        {
                            return false;
                        }

                        break;
                    default:
                        return false;
                }

                if (declarator.Initializer is { } initializer)
                {
                    if (!IsWallClockValue(initializer.Value, holdsTicks))
                    {
                        return false;
                    }

                    edits.Add((initializer.Value, NewStart().WithTriviaFrom(initializer.Value)));
                }

                if (!declaration.Type.IsVar && NewStartType(holdsTicks) is { } newType)
                {
                    edits.Add((declaration.Type, newType.WithTriviaFrom(declaration.Type)));
                }

                return true;
            }

            private IEnumerable<ExpressionSyntax> References(ISymbol start)
            {
                var scopes = start is IFieldSymbol field
                    ? field.ContainingType.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_cancellationToken))
                    : new[] { _root };
                foreach (var identifier in scopes.SelectMany(s => s.DescendantNodes()).OfType<IdentifierNameSyntax>())
                {
                    if (identifier.Identifier.ValueText == start.Name
                        && SymbolEqualityComparer.Default.Equals(_model.GetSymbolInfo(identifier, _cancellationToken).Symbol, start))
                    {
                        yield return identifier.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } qualified && qualified.Name == identifier
                            ? qualified
                            : identifier;
                    }
                }
            }

            /// <summary>Rewrites one use of the start variable: an interval read, or a restart from the wall clock.</summary>
            private (SyntaxNode Old, SyntaxNode New)? EditFor(ExpressionSyntax reference, bool holdsTicks)
            {
                var start = reference.WithoutTrivia();
                switch (reference.Parent)
                {
                    // now - start
                    case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.SubtractExpression } binary when binary.Right == reference
                        && IsWallClockValue(binary.Left, holdsTicks):
                        return (binary, (holdsTicks ? Ticks(Elapsed(start)) : Elapsed(start)).WithTriviaFrom(binary));

                    // now.Ticks - start.Ticks
                    case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Ticks", Parent: BinaryExpressionSyntax { RawKind: (int)SyntaxKind.SubtractExpression } binary } ticks
                        when !holdsTicks && binary.Right == ticks && IsWallClockValue(binary.Left, holdsTicks: true):
                        return (binary, Ticks(Elapsed(start)).WithTriviaFrom(binary));

                    // now.Subtract(start)
                    case ArgumentSyntax { Parent: ArgumentListSyntax { Arguments.Count: 1, Parent: InvocationExpressionSyntax invocation } }
                        when !holdsTicks && invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Subtract" } subtract
                            && IsWallClockValue(subtract.Expression, holdsTicks: false):
                        return (invocation, Elapsed(start).WithTriviaFrom(invocation));

                    // start = DateTime.UtcNow; (a restart, its value unused)
                    case AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment
                        when assignment.Left == reference && IsValueUnused(assignment) && IsWallClockValue(assignment.Right, holdsTicks):
                        return (assignment.Right, NewStart().WithTriviaFrom(assignment.Right));

                    default:
                        return null;
                }
            }

            /// <summary>An assignment used as a statement, or as the body of a member that returns nothing.</summary>
            private static bool IsValueUnused(AssignmentExpressionSyntax assignment) => assignment.Parent switch
            {
                ExpressionStatementSyntax => true,
                ArrowExpressionClauseSyntax { Parent: MethodDeclarationSyntax { ReturnType: PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword } } } => true,
                ArrowExpressionClauseSyntax { Parent: LocalFunctionStatementSyntax { ReturnType: PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword } } } => true,
                ArrowExpressionClauseSyntax { Parent: ConstructorDeclarationSyntax or AccessorDeclarationSyntax { RawKind: (int)SyntaxKind.SetAccessorDeclaration or (int)SyntaxKind.InitAccessorDeclaration } } => true,
                _ => false,
            };

            /// <summary>A wall-clock read in place (or its <c>.Ticks</c>): the only values this rewrite replaces.</summary>
            private bool IsWallClockValue(ExpressionSyntax expression, bool holdsTicks)
            {
                var operation = ClockSymbols.WalkDownImplicitConversions(_model.GetOperation(expression, _cancellationToken));
                if (holdsTicks)
                {
                    operation = operation is IPropertyReferenceOperation { Property.Name: "Ticks", Instance: var instance } property
                        && _clocks.IsInstantType(property.Property.ContainingType)
                        ? ClockSymbols.WalkDownImplicitConversions(instance)
                        : null;
                }

                if (!_clocks.IsWallClockRead(operation))
                {
                    return false;
                }

                _providersRead.Add(operation is IInvocationOperation { Instance.Syntax: ExpressionSyntax provider } ? provider.WithoutTrivia() : null);
                return true;
            }

            /// <summary>A fresh <c>global::System.Diagnostics.Stopwatch</c> that the simplifier shortens and imports.</summary>
            private SyntaxNode StopwatchType() => _stopwatchType;

            /// <summary>Timestamps (a long) where the clock can measure from one; otherwise a running Stopwatch.</summary>
            private bool UsesTimestamps => _provider is not null || _hasElapsedTime;

            private ExpressionSyntax NewStart() =>
                UsesTimestamps ? Invoke("GetTimestamp") : Invoke("StartNew");

            private TypeSyntax? NewStartType(bool holdsTicks) => UsesTimestamps
                ? holdsTicks ? null : SyntaxFactory.PredefinedType(SyntaxFactory.Token(SyntaxKind.LongKeyword))
                : (TypeSyntax)StopwatchType();

            private ExpressionSyntax Elapsed(ExpressionSyntax start) => UsesTimestamps
                ? Invoke("GetElapsedTime", start)
                : SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Parenthesize(start), SyntaxFactory.IdentifierName("Elapsed"));

            private static ExpressionSyntax Ticks(ExpressionSyntax elapsed) =>
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, elapsed, SyntaxFactory.IdentifierName("Ticks"));

            /// <summary>A call on the TimeProvider in use, or a static Stopwatch call.</summary>
            private ExpressionSyntax Invoke(string method, params ExpressionSyntax[] arguments) =>
                SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, _provider ?? (ExpressionSyntax)StopwatchType(), SyntaxFactory.IdentifierName(method)),
                    SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(arguments.Select(SyntaxFactory.Argument))));

            private static ExpressionSyntax Parenthesize(ExpressionSyntax expression) =>
                expression is IdentifierNameSyntax or MemberAccessExpressionSyntax ? expression : SyntaxFactory.ParenthesizedExpression(expression);

            private static ITypeSymbol TypeOf(ISymbol symbol) => symbol is ILocalSymbol local ? local.Type : ((IFieldSymbol)symbol).Type;
        }
    }
}
