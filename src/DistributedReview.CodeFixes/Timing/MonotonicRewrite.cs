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
    /// Turns wall-clock variables into monotonic ones, rewriting a variable's declaration, writes and reads together
    /// (a half-rewritten variable would not compile). A variable is rewritten only when every reference is one this
    /// class knows how to rewrite; otherwise no edit is planned for it.
    /// <list type="bullet">
    /// <item>Interval starts (DR1001): a <c>long</c> timestamp read with <c>GetElapsedTime</c> on .NET 7+, a running
    /// <c>Stopwatch</c> before that.</item>
    /// <item>Deadlines (DR1002): a <c>long</c> timestamp deadline, <c>GetTimestamp() + duration in timestamp units</c>,
    /// compared with <c>GetTimestamp()</c>; available on every target.</item>
    /// </list>
    /// Reads through one TimeProvider use that provider's timestamps, so tests keep their fake clock.
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

        /// <summary>What the variable behind a diagnostic holds.</summary>
        public enum Kind
        {
            /// <summary>The start of an interval (DR1001).</summary>
            IntervalStart,

            /// <summary>A deadline: a wall-clock read plus a duration (DR1002).</summary>
            Deadline,
        }

        /// <summary>Plans the rewrite of the variables behind the diagnostics at <paramref name="spans"/>; null when none can be rewritten.</summary>
        public static async Task<MonotonicRewrite?> PlanAsync(Document document, IEnumerable<TextSpan> spans, Kind kind, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null
                || ClockSymbols.Create(model.Compilation) is not { } clocks
                || model.Compilation.GetTypeByMetadataName("System.Diagnostics.Stopwatch") is not { } stopwatch
                || model.Compilation.GetTypeByMetadataName("System.TimeSpan") is not { } timeSpan)
            {
                return null;
            }

            var generator = SyntaxGenerator.GetGenerator(document);
            var planner = new Planner(model, clocks, stopwatch, generator.TypeExpression(stopwatch), generator.TypeExpression(timeSpan), root, kind, cancellationToken);
            var edits = new List<(SyntaxNode Old, SyntaxNode New)>();
            var planned = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var span in spans)
            {
                var node = root.FindNode(span, getInnermostNodeForTie: true);
                if (planner.VariableOf(node) is { } variable && planned.Add(variable) && planner.EditsFor(variable) is { } variableEdits)
                {
                    edits.AddRange(variableEdits);
                }
            }

            return edits.Count == 0 ? null : new MonotonicRewrite(document, root, edits);
        }

        public Task<Document> ApplyAsync(CancellationToken cancellationToken)
        {
            var replacements = _edits.ToDictionary(edit => edit.Old, edit => edit.New.WithAdditionalAnnotations(RewriteFinisher.Rewritten));
            var newRoot = _root.ReplaceNodes(replacements.Keys, (original, _) => replacements[original]);
            return RewriteFinisher.FinishAsync(_document.WithSyntaxRoot(newRoot), cancellationToken);
        }

        /// <summary>What a variable holds, which decides how each of its uses is rewritten.</summary>
        private enum Held
        {
            Instant,
            Ticks,
            Deadline,
        }

        private sealed class Planner
        {
            private static readonly Dictionary<string, string> ShiftUnits = new()
            {
                ["AddMilliseconds"] = "FromMilliseconds",
                ["AddSeconds"] = "FromSeconds",
                ["AddMinutes"] = "FromMinutes",
                ["AddHours"] = "FromHours",
                ["AddDays"] = "FromDays",
                ["AddTicks"] = "FromTicks",
            };

            private readonly SemanticModel _model;
            private readonly ClockSymbols _clocks;
            private readonly SyntaxNode _stopwatchType;
            private readonly SyntaxNode _timeSpanType;
            private readonly SyntaxNode _root;
            private readonly Kind _kind;
            private readonly CancellationToken _cancellationToken;
            private readonly bool _hasElapsedTime;
            private readonly List<ExpressionSyntax?> _providersRead = new();

            /// <summary>The TimeProvider whose timestamps replace its wall-clock reads; null for Stopwatch.</summary>
            private ExpressionSyntax? _provider;

            public Planner(SemanticModel model, ClockSymbols clocks, INamedTypeSymbol stopwatch, SyntaxNode stopwatchType, SyntaxNode timeSpanType, SyntaxNode root, Kind kind, CancellationToken cancellationToken)
            {
                _timeSpanType = timeSpanType.WithAdditionalAnnotations(Simplifier.AddImportsAnnotation, Simplifier.Annotation);
                _model = model;
                _clocks = clocks;
                _stopwatchType = stopwatchType.WithAdditionalAnnotations(Simplifier.AddImportsAnnotation, Simplifier.Annotation);
                _root = root;
                _kind = kind;
                _cancellationToken = cancellationToken;
                _hasElapsedTime = stopwatch.GetMembers("GetElapsedTime").OfType<IMethodSymbol>().Any(m => m.IsStatic && m.Parameters.Length == 1);
            }

            /// <summary>
            /// The variable behind the diagnostic at <paramref name="node"/>: the start of <c>now - start</c>,
            /// <c>now.Subtract(start)</c>, <c>now.Ticks - start.Ticks</c>, or the deadline of <c>now &lt; deadline</c>.
            /// </summary>
            public ISymbol? VariableOf(SyntaxNode node)
            {
                var expression = node switch
                {
                    BinaryExpressionSyntax { RawKind: (int)SyntaxKind.SubtractExpression } binary when _kind == Kind.IntervalStart => binary.Right,
                    InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } invocation when _kind == Kind.IntervalStart => invocation.ArgumentList.Arguments[0].Expression,
                    BinaryExpressionSyntax binary when _kind == Kind.Deadline && IsComparison(binary) =>
                        IsWallClockRead(binary.Left) ? binary.Right : IsWallClockRead(binary.Right) ? binary.Left : null,
                    _ => null,
                };
                if (expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Ticks" } ticks
                    && _model.GetSymbolInfo(ticks, _cancellationToken).Symbol is IPropertySymbol { ContainingType: var type } && _clocks.IsInstantType(type))
                {
                    expression = ticks.Expression;
                }

                return expression is null ? null : _model.GetSymbolInfo(expression, _cancellationToken).Symbol switch
                {
                    ILocalSymbol local => local,
                    IFieldSymbol field => field,
                    _ => null,
                };
            }

            /// <summary>
            /// Every edit for one variable, or null when any reference or the declaration cannot be rewritten.
            /// Reads through one TimeProvider keep that provider; DateTime/DateTimeOffset reads become Stopwatch
            /// timestamps; a mix of clocks is not rewritten.
            /// </summary>
            public List<(SyntaxNode Old, SyntaxNode New)>? EditsFor(ISymbol variable)
            {
                _provider = null;
                _providersRead.Clear();
                var edits = TryBuildEdits(variable);
                if (edits is not null && _providersRead.All(provider => provider is null))
                {
                    // Every read is DateTime/DateTimeOffset: a TimeProvider in scope keeps the code testable.
                    if (ProviderInScope(variable) is not { } inScope)
                    {
                        return edits;
                    }

                    _provider = inScope;
                    _providersRead.Clear();
                    return TryBuildEdits(variable) ?? edits;
                }

                if (edits is null)
                {
                    return null;
                }

                var receivers = _providersRead.Select(provider => provider?.ToString()).Distinct().ToList();
                if (receivers.Count != 1 || receivers[0] is null)
                {
                    return null;
                }

                _provider = _providersRead[0];
                return TryBuildEdits(variable);
            }

            /// <summary>
            /// The one TimeProvider field, property or parameter usable wherever <paramref name="variable"/> is
            /// rewritten: not an instance member in a static context, nor in an instance field's initializer.
            /// </summary>
            private ExpressionSyntax? ProviderInScope(ISymbol variable)
            {
                if (_clocks.TimeProvider is not { } timeProvider
                    || variable.DeclaringSyntaxReferences.Length != 1
                    || variable.DeclaringSyntaxReferences[0].GetSyntax(_cancellationToken) is not VariableDeclaratorSyntax declarator)
                {
                    return null;
                }

                var staticContext = variable is IFieldSymbol field
                    ? field.IsStatic || declarator.Initializer is not null
                    : IsStaticContext(declarator.SpanStart);
                var candidates = _model.LookupSymbols(declarator.SpanStart)
                    .Where(candidate => candidate switch
                    {
                        IParameterSymbol parameter => variable is ILocalSymbol && IsTimeProvider(parameter.Type, timeProvider),
                        IFieldSymbol { IsImplicitlyDeclared: false } member => (member.IsStatic || !staticContext) && IsTimeProvider(member.Type, timeProvider),
                        IPropertySymbol { IsIndexer: false } member => (member.IsStatic || !staticContext) && IsTimeProvider(member.Type, timeProvider),
                        _ => false,
                    })
                    .ToList();
                return candidates.Count == 1 ? SyntaxFactory.IdentifierName(candidates[0].Name) : null;
            }

            /// <summary>True unless every enclosing lambda, local function and the member itself are instance code.</summary>
            private bool IsStaticContext(int position)
            {
                for (var symbol = _model.GetEnclosingSymbol(position, _cancellationToken); symbol is not null; symbol = symbol.ContainingSymbol)
                {
                    if (symbol.IsStatic)
                    {
                        return true;
                    }

                    if (symbol is not IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
                    {
                        return false;
                    }
                }

                return true;
            }

            private static bool IsTimeProvider(ITypeSymbol type, INamedTypeSymbol timeProvider)
            {
                for (var current = type; current is not null; current = current.BaseType)
                {
                    if (SymbolEqualityComparer.Default.Equals(current, timeProvider))
                    {
                        return true;
                    }
                }

                return false;
            }

            private List<(SyntaxNode Old, SyntaxNode New)>? TryBuildEdits(ISymbol variable)
            {
                Held held;
                if (TypeOf(variable).SpecialType == SpecialType.System_Int64 && _kind == Kind.IntervalStart)
                {
                    held = Held.Ticks;
                }
                else if (_clocks.IsInstantType(TypeOf(variable)))
                {
                    held = _kind == Kind.Deadline ? Held.Deadline : Held.Instant;
                }
                else
                {
                    return null;
                }

                var edits = new List<(SyntaxNode Old, SyntaxNode New)>();
                if (!TryEditDeclaration(variable, held, edits))
                {
                    return null;
                }

                foreach (var reference in References(variable))
                {
                    if (EditFor(reference, held) is not { } edit)
                    {
                        return null;
                    }

                    edits.Add(edit);
                }

                return edits;
            }

            private bool TryEditDeclaration(ISymbol variable, Held held, List<(SyntaxNode Old, SyntaxNode New)> edits)
            {
                if (variable.DeclaringSyntaxReferences.Length != 1
                    || variable.DeclaringSyntaxReferences[0].GetSyntax(_cancellationToken) is not VariableDeclaratorSyntax declarator
                    || declarator.SyntaxTree != _root.SyntaxTree
                    || declarator.Parent is not VariableDeclarationSyntax { Variables.Count: 1 } declaration)
                {
                    return false;
                }

                switch (variable, declaration.Parent)
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
                            || (!UsesTimestamps(held) && declarator.Initializer is null))
                        {
                            return false;
                        }

                        break;
                    default:
                        return false;
                }

                if (declarator.Initializer is { } initializer)
                {
                    if (NewValue(initializer.Value, held) is not { } value)
                    {
                        return false;
                    }

                    edits.Add((initializer.Value, value.WithTriviaFrom(initializer.Value)));
                }

                if (!declaration.Type.IsVar && NewVariableType(held) is { } newType)
                {
                    edits.Add((declaration.Type, newType.WithTriviaFrom(declaration.Type)));
                }

                return true;
            }

            private IEnumerable<ExpressionSyntax> References(ISymbol variable)
            {
                var scopes = variable is IFieldSymbol field
                    ? field.ContainingType.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_cancellationToken))
                    : new[] { _root };
                foreach (var identifier in scopes.SelectMany(s => s.DescendantNodes()).OfType<IdentifierNameSyntax>())
                {
                    if (identifier.Identifier.ValueText == variable.Name
                        && SymbolEqualityComparer.Default.Equals(_model.GetSymbolInfo(identifier, _cancellationToken).Symbol, variable))
                    {
                        yield return identifier.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } qualified && qualified.Name == identifier
                            ? qualified
                            : identifier;
                    }
                }
            }

            /// <summary>Rewrites one use of the variable: an interval or deadline check, or a new value from the wall clock.</summary>
            private (SyntaxNode Old, SyntaxNode New)? EditFor(ExpressionSyntax reference, Held held)
            {
                var variable = reference.WithoutTrivia();
                switch (reference.Parent)
                {
                    // variable = DateTime.UtcNow (+ ttl); its value unused
                    case AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment
                        when assignment.Left == reference && IsValueUnused(assignment) && NewValue(assignment.Right, held) is { } value:
                        return (assignment.Right, value.WithTriviaFrom(assignment.Right));

                    // now < deadline, deadline >= now, ...
                    case BinaryExpressionSyntax comparison when held == Held.Deadline && IsComparison(comparison):
                        var now = comparison.Left == reference ? comparison.Right : comparison.Left;
                        return IsWallClockRead(now) ? (now, Invoke("GetTimestamp").WithTriviaFrom(now)) : null;

                    // now - start
                    case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.SubtractExpression } binary when held != Held.Deadline && binary.Right == reference
                        && (held == Held.Ticks ? IsWallClockTicks(binary.Left) : IsWallClockRead(binary.Left)):
                        return (binary, (held == Held.Ticks ? Ticks(Elapsed(variable)) : Elapsed(variable)).WithTriviaFrom(binary));

                    // now.Ticks - start.Ticks
                    case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Ticks", Parent: BinaryExpressionSyntax { RawKind: (int)SyntaxKind.SubtractExpression } binary } ticks
                        when held == Held.Instant && binary.Right == ticks && IsWallClockTicks(binary.Left):
                        return (binary, Ticks(Elapsed(variable)).WithTriviaFrom(binary));

                    // now.Subtract(start)
                    case ArgumentSyntax { Parent: ArgumentListSyntax { Arguments.Count: 1, Parent: InvocationExpressionSyntax invocation } }
                        when held == Held.Instant && invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Subtract" } subtract
                            && IsWallClockRead(subtract.Expression):
                        return (invocation, Elapsed(variable).WithTriviaFrom(invocation));

                    default:
                        return null;
                }
            }

            /// <summary>The monotonic replacement of a value the variable is given, or null when the value is not a wall-clock one.</summary>
            private ExpressionSyntax? NewValue(ExpressionSyntax value, Held held) => held switch
            {
                Held.Instant => IsWallClockRead(value) ? NewStart() : null,
                Held.Ticks => IsWallClockTicks(value) ? NewStart() : null,
                _ => NewDeadline(value),
            };

            /// <summary>
            /// <c>DateTime.UtcNow + ttl</c> → <c>Stopwatch.GetTimestamp() + (long)(ttl.TotalSeconds * Stopwatch.Frequency)</c>;
            /// <c>.AddSeconds(n)</c> and friends go through the matching <c>TimeSpan.FromSeconds(n)</c>.
            /// </summary>
            private ExpressionSyntax? NewDeadline(ExpressionSyntax value)
            {
                ExpressionSyntax duration;
                var subtract = false;
                switch (value)
                {
                    case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression or (int)SyntaxKind.SubtractExpression } shift when IsWallClockRead(shift.Left):
                        duration = shift.Right;
                        subtract = shift.IsKind(SyntaxKind.SubtractExpression);
                        break;
                    case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access, ArgumentList.Arguments: { Count: 1 } arguments }
                        when IsWallClockRead(access.Expression) && IsInstantMethod(value):
                        var method = access.Name.Identifier.ValueText;
                        if (method == "Add")
                        {
                            duration = arguments[0].Expression;
                        }
                        else if (ShiftUnits.TryGetValue(method, out var factory))
                        {
                            duration = SyntaxFactory.InvocationExpression(
                                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, (ExpressionSyntax)_timeSpanType, SyntaxFactory.IdentifierName(factory)),
                                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(arguments[0].Expression.WithoutTrivia()))));
                        }
                        else
                        {
                            return null;
                        }

                        break;
                    default:
                        return null;
                }

                // (long)(duration.TotalSeconds * frequency)
                var frequency = _provider is not null
                    ? SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, _provider, SyntaxFactory.IdentifierName("TimestampFrequency"))
                    : SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, (ExpressionSyntax)_stopwatchType, SyntaxFactory.IdentifierName("Frequency"));
                var seconds = SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Parenthesize(duration.WithoutTrivia()), SyntaxFactory.IdentifierName("TotalSeconds"));
                var units = SyntaxFactory.CastExpression(
                    SyntaxFactory.PredefinedType(SyntaxFactory.Token(SyntaxKind.LongKeyword)),
                    SyntaxFactory.ParenthesizedExpression(Spaced(SyntaxKind.MultiplyExpression, seconds, SyntaxKind.AsteriskToken, frequency)));
                return subtract
                    ? Spaced(SyntaxKind.SubtractExpression, Invoke("GetTimestamp"), SyntaxKind.MinusToken, units)
                    : Spaced(SyntaxKind.AddExpression, Invoke("GetTimestamp"), SyntaxKind.PlusToken, units);
            }

            /// <summary>A binary expression with one space on each side of the operator, as written by hand.</summary>
            private static BinaryExpressionSyntax Spaced(SyntaxKind kind, ExpressionSyntax left, SyntaxKind operatorKind, ExpressionSyntax right) =>
                SyntaxFactory.BinaryExpression(kind, left, SyntaxFactory.Token(SyntaxFactory.TriviaList(SyntaxFactory.Space), operatorKind, SyntaxFactory.TriviaList(SyntaxFactory.Space)), right);

            private bool IsInstantMethod(ExpressionSyntax invocation) =>
                _model.GetSymbolInfo(invocation, _cancellationToken).Symbol is IMethodSymbol { IsStatic: false } method && _clocks.IsInstantType(method.ContainingType);

            /// <summary>An assignment used as a statement, or as the body of a member that returns nothing.</summary>
            private static bool IsValueUnused(AssignmentExpressionSyntax assignment) => assignment.Parent switch
            {
                ExpressionStatementSyntax => true,
                ArrowExpressionClauseSyntax { Parent: MethodDeclarationSyntax { ReturnType: PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword } } } => true,
                ArrowExpressionClauseSyntax { Parent: LocalFunctionStatementSyntax { ReturnType: PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword } } } => true,
                ArrowExpressionClauseSyntax { Parent: ConstructorDeclarationSyntax or AccessorDeclarationSyntax { RawKind: (int)SyntaxKind.SetAccessorDeclaration or (int)SyntaxKind.InitAccessorDeclaration } } => true,
                _ => false,
            };

            private static bool IsComparison(BinaryExpressionSyntax binary) =>
                binary.Kind() is SyntaxKind.LessThanExpression or SyntaxKind.LessThanOrEqualExpression
                    or SyntaxKind.GreaterThanExpression or SyntaxKind.GreaterThanOrEqualExpression;

            /// <summary>A wall-clock read in place: the only 'now' this rewrite replaces. Records which clock it reads.</summary>
            private bool IsWallClockRead(ExpressionSyntax expression) =>
                Record(ClockSymbols.WalkDownImplicitConversions(_model.GetOperation(expression, _cancellationToken)));

            /// <summary>The <c>.Ticks</c> of a wall-clock read in place.</summary>
            private bool IsWallClockTicks(ExpressionSyntax expression) =>
                ClockSymbols.WalkDownImplicitConversions(_model.GetOperation(expression, _cancellationToken)) is IPropertyReferenceOperation { Property.Name: "Ticks", Instance: var instance } property
                && _clocks.IsInstantType(property.Property.ContainingType)
                && Record(ClockSymbols.WalkDownImplicitConversions(instance));

            private bool Record(IOperation? read)
            {
                if (!_clocks.IsWallClockRead(read))
                {
                    return false;
                }

                _providersRead.Add(read is IInvocationOperation { Instance.Syntax: ExpressionSyntax provider } ? provider.WithoutTrivia() : null);
                return true;
            }

            /// <summary>Timestamps (a long) where the clock can measure from one; otherwise a running Stopwatch.</summary>
            private bool UsesTimestamps(Held held) => held == Held.Deadline || _provider is not null || _hasElapsedTime;

            private ExpressionSyntax NewStart() =>
                UsesTimestamps(Held.Instant) ? Invoke("GetTimestamp") : Invoke("StartNew");

            private TypeSyntax? NewVariableType(Held held) => UsesTimestamps(held)
                ? held == Held.Ticks ? null : SyntaxFactory.PredefinedType(SyntaxFactory.Token(SyntaxKind.LongKeyword))
                : (TypeSyntax)_stopwatchType;

            private ExpressionSyntax Elapsed(ExpressionSyntax start) => UsesTimestamps(Held.Instant)
                ? Invoke("GetElapsedTime", start)
                : SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Parenthesize(start), SyntaxFactory.IdentifierName("Elapsed"));

            private static ExpressionSyntax Ticks(ExpressionSyntax elapsed) =>
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, elapsed, SyntaxFactory.IdentifierName("Ticks"));

            /// <summary>A call on the TimeProvider in use, or a static Stopwatch call.</summary>
            private ExpressionSyntax Invoke(string method, params ExpressionSyntax[] arguments) =>
                SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, _provider ?? (ExpressionSyntax)_stopwatchType, SyntaxFactory.IdentifierName(method)),
                    SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(arguments.Select(SyntaxFactory.Argument))));

            private static ExpressionSyntax Parenthesize(ExpressionSyntax expression) =>
                expression is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax ? expression : SyntaxFactory.ParenthesizedExpression(expression);

            private static ITypeSymbol TypeOf(ISymbol symbol) => symbol is ILocalSymbol local ? local.Type : ((IFieldSymbol)symbol).Type;
        }
    }
}
