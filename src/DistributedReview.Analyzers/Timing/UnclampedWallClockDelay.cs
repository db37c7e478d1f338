using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview.Timing
{
    /// <summary>
    /// DR1006: a delay (<c>Task.Delay</c>, <c>Thread.Sleep</c>, a timer's due time) computed from a wall-clock
    /// difference such as <c>next - DateTime.UtcNow</c>, with no check or clamp of the difference. Where a delay
    /// variable came from is only known at the end of the type (WriteLog), so candidates are judged at symbol end.
    /// </summary>
    internal static class UnclampedWallClockDelay
    {
        /// <summary>Registers, for one type, what the rule needs; <paramref name="writes"/> follows instants and durations.</summary>
        public static void AnalyzeType(SymbolStartAnalysisContext context, ClockSymbols clocks, DelaySinks sinks, WriteLog writes)
        {
            var type = (INamedTypeSymbol)context.Symbol;

            // Calls named like a wait, and constructions with arguments (a timer's): which of them wait, and for how
            // long, is asked at the end, and only in a type that subtracts instants. A wall-clock difference is such a
            // subtraction in this type's code (Origins follows nothing else): without one, no delay can be one.
            var waits = new Pending<IOperation>();
            var subtractsInstants = 0;
            void OnWait(OperationAnalysisContext operationContext)
            {
                // Nested types run their own analysis; count each delay once.
                if (operationContext.Operation is IInvocationOperation or IObjectCreationOperation { Arguments.IsEmpty: false }
                    && TypeScopedAnalysis.IsOwnOperation(operationContext, type))
                {
                    waits.Add(operationContext.Operation);
                }
            }

            void OnSubtraction(OperationAnalysisContext operationContext)
            {
                if (clocks.IsInstantSubtraction(operationContext.Operation))
                {
                    Volatile.Write(ref subtractsInstants, 1);
                }
            }

            context.RegisterOperationAction(DelaySinks.Calls.Filter(OnWait), OperationKind.Invocation);
            context.RegisterOperationAction(OnWait, OperationKind.ObjectCreation);
            context.RegisterOperationAction(ClockSymbols.Subtractions.Filter(OnSubtraction), OperationKind.Binary);
            context.RegisterOperationAction(ClockSymbols.SubtractCalls.Filter(OnSubtraction), OperationKind.Invocation);

            context.RegisterSymbolEndAction(endContext =>
            {
                if (Volatile.Read(ref subtractsInstants) == 0)
                {
                    return;
                }

                var candidates = new List<Candidate>();
                foreach (var wait in waits)
                {
                    if (sinks.DelayArgument(wait) is { } argument
                        && ClockSymbols.WalkDownImplicitConversions(argument.Value) is { } value
                        && value is IBinaryOperation or IInvocationOperation or IConversionOperation or ILocalReferenceOperation)
                    {
                        candidates.Add(new Candidate(argument, value));
                    }
                }

                var origins = new Origins(clocks, sinks, writes);
                foreach (var candidate in candidates)
                {
                    endContext.CancellationToken.ThrowIfCancellationRequested();
                    var expected = sinks.IsTimeSpan(candidate.Argument.Parameter?.Type) ? Origin.Difference : Origin.Milliseconds;
                    if (origins.Of(candidate.Value) != expected)
                    {
                        continue;
                    }

                    var chain = origins.ChainOf(candidate.Value);
                    if (IsChecked(candidate, chain, origins))
                    {
                        continue;
                    }

                    var squiggled = candidate.Argument.Syntax is ArgumentSyntax { Expression: { } expression } ? expression : candidate.Value.Syntax;
                    Confidence.Report(
                        endContext.ReportDiagnostic,
                        endContext.Options,
                        Rules.UnclampedWallClockDelay,
                        squiggled.GetLocation(),
                        ConfidenceOf(candidate, chain, clocks),
                        messageArgs: Display.Of(squiggled));
                }
            });
        }

        /// <summary>
        /// The difference written inline in the delay's argument: 90. Held in a local first (every write to it a
        /// wall-clock difference): 85. The wall clock read into a variable rather than in the subtraction itself: -5.
        /// </summary>
        private static int ConfidenceOf(Candidate candidate, Chain chain, ClockSymbols clocks)
        {
            var confidence = candidate.Value is ILocalReferenceOperation ? 85 : 90;
            if (!chain.Subtractions.Any(s => clocks.IsWallClockRead(s.Left) || clocks.IsWallClockRead(s.Right)))
            {
                confidence -= 5;
            }

            return Confidence.Clamp(confidence);
        }

        /// <summary>
        /// Checked before the delay in the same method: a comparison (any operator, any bound) of the delay local or
        /// a local it was computed from (also through <c>.Ticks</c>, <c>.TotalMilliseconds</c>), of the same difference
        /// expression, or of the two instants it subtracts (<c>if (next &lt;= now) continue;</c>).
        /// </summary>
        private static bool IsChecked(Candidate candidate, Chain chain, Origins origins)
        {
            var sink = candidate.Argument.Syntax;
            var expressionKeys = new HashSet<string>(chain.Expressions.Select(origins.KeyOf).Where(k => k is not null)!, StringComparer.Ordinal);
            var instantPairs = chain.Subtractions
                .Select(s => (Left: origins.KeyOf(s.Left), Right: origins.KeyOf(s.Right)))
                .Where(p => p.Left is not null && p.Right is not null)
                .ToList();

            foreach (var operation in OperationTree.RootOf(candidate.Argument).Descendants())
            {
                if (operation is not IBinaryOperation binary || !BinaryOperators.Orderings.Contains(binary.OperatorKind)
                    || binary.Syntax.SyntaxTree != sink.SyntaxTree || binary.Syntax.SpanStart >= sink.SpanStart)
                {
                    continue;
                }

                foreach (var operand in new[] { binary.LeftOperand, binary.RightOperand })
                {
                    var stripped = origins.StripToDuration(operand);
                    if ((stripped is ILocalReferenceOperation local && chain.Locals.Contains(local.Local))
                        || (origins.KeyOf(stripped) is { } key && expressionKeys.Contains(key)))
                    {
                        return true;
                    }
                }

                var left = origins.KeyOf(binary.LeftOperand);
                var right = origins.KeyOf(binary.RightOperand);
                if (left is not null && right is not null
                    && instantPairs.Any(p => (p.Left == left && p.Right == right) || (p.Left == right && p.Right == left)))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>What a value is, as far as this rule cares.</summary>
        internal enum Origin
        {
            Unknown,

            /// <summary>A DateTime/DateTimeOffset read from the wall clock.</summary>
            Instant,

            /// <summary>A TimeSpan from subtracting instants, one of them a wall-clock read (or that plus/minus other TimeSpans).</summary>
            Difference,

            /// <summary><c>(int)difference.TotalMilliseconds</c> (or <c>long</c>).</summary>
            Milliseconds,
        }

        private sealed class Candidate
        {
            public Candidate(IArgumentOperation argument, IOperation value)
            {
                Argument = argument;
                Value = value;
            }

            public IArgumentOperation Argument { get; }

            public IOperation Value { get; }
        }

        /// <summary>Everything a delay value was computed from: the locals it went through, their values, the subtractions.</summary>
        private sealed class Chain
        {
            public HashSet<ILocalSymbol> Locals { get; } = new(SymbolEqualityComparer.Default);

            public List<IOperation> Expressions { get; } = new();

            public List<(IOperation Left, IOperation Right)> Subtractions { get; } = new();
        }

        /// <summary>
        /// The APIs that wait for a duration, looked up once per compilation, and which argument is the wait:
        /// <c>Task.Delay</c>, <c>Thread.Sleep</c>, <c>System.Threading.Timer</c>'s constructor and <c>Change</c>,
        /// <c>ITimer.Change</c>, <c>TimeProvider.CreateTimer</c> and the <c>TimeProvider.Delay</c> extension (due times only).
        /// </summary>
        internal sealed class DelaySinks
        {
            /// <summary>The names of the wait methods below (constructors are object creations, not calls).</summary>
            public static readonly CallNames Calls = CallNames.Exactly("Delay", "Sleep", "Change", "CreateTimer");

            private readonly INamedTypeSymbol _timeSpan;
            private readonly INamedTypeSymbol? _task;
            private readonly INamedTypeSymbol? _thread;
            private readonly INamedTypeSymbol? _timer;
            private readonly INamedTypeSymbol? _iTimer;
            private readonly INamedTypeSymbol? _timeProvider;
            private readonly INamedTypeSymbol? _timeProviderExtensions;

            private DelaySinks(Compilation compilation, INamedTypeSymbol timeSpan)
            {
                _timeSpan = timeSpan;
                _task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
                _thread = compilation.GetTypeByMetadataName("System.Threading.Thread");
                _timer = compilation.GetTypeByMetadataName("System.Threading.Timer");
                _iTimer = compilation.GetTypeByMetadataName("System.Threading.ITimer");
                _timeProvider = compilation.GetTypeByMetadataName("System.TimeProvider");
                _timeProviderExtensions = compilation.GetTypeByMetadataName("System.Threading.Tasks.TimeProviderTaskExtensions");
            }

            public static DelaySinks? Create(Compilation compilation)
            {
                if (compilation.GetTypeByMetadataName("System.TimeSpan") is not { } timeSpan)
                {
                    return null;
                }

                var sinks = new DelaySinks(compilation, timeSpan);
                return sinks._task is null && sinks._thread is null && sinks._timer is null && sinks._iTimer is null && sinks._timeProvider is null
                    ? null
                    : sinks;
            }

            public bool IsTimeSpan(ITypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type, _timeSpan);

            /// <summary>TimeSpan, or the int/long milliseconds the older overloads take.</summary>
            public bool IsDurationType(ITypeSymbol? type) =>
                IsTimeSpan(type) || type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64;

            /// <summary>The argument that is the wait, when <paramref name="operation"/> is a delay API taking TimeSpan, int or long.</summary>
            public IArgumentOperation? DelayArgument(IOperation operation)
            {
                var (method, arguments) = operation switch
                {
                    IInvocationOperation invocation => (invocation.TargetMethod, invocation.Arguments),
                    IObjectCreationOperation creation => (creation.Constructor, creation.Arguments),
                    _ => (null, ImmutableArray<IArgumentOperation>.Empty),
                };
                if (method is null || WaitParameter(method) is not { } parameterName)
                {
                    return null;
                }

                foreach (var argument in arguments)
                {
                    if (argument.Parameter is { } parameter && parameter.Name == parameterName && IsDurationType(parameter.Type))
                    {
                        return argument;
                    }
                }

                return null;
            }

            private string? WaitParameter(IMethodSymbol method)
            {
                // The name first: the declaring type is asked for only by the few calls named like a wait.
                switch (method.Name)
                {
                    case "Delay" when Is(method.ContainingType, _task):
                        return method.Parameters.FirstOrDefault()?.Name;
                    case "Delay" when Is(method.ContainingType, _timeProviderExtensions):
                        return "delay";
                    case "Sleep" when Is(method.ContainingType, _thread):
                        return method.Parameters.FirstOrDefault()?.Name;
                    case ".ctor" or "Change" when HasDueTime(method) && method.ContainingType is var type && (Is(type, _timer) || Is(type, _iTimer) || ImplementsITimer(type)):
                        return "dueTime";
                    case "CreateTimer" when DerivesFromTimeProvider(method.ContainingType):
                        return "dueTime";
                    default:
                        return null;
                }
            }

            /// <summary>The cheap test first: most constructors are not timers', and a timer's takes a <c>dueTime</c>.</summary>
            private static bool HasDueTime(IMethodSymbol method)
            {
                foreach (var parameter in method.Parameters)
                {
                    if (parameter.Name == "dueTime")
                    {
                        return true;
                    }
                }

                return false;
            }

            private static bool Is(INamedTypeSymbol? type, INamedTypeSymbol? expected) =>
                expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);

            private bool ImplementsITimer(INamedTypeSymbol? type) =>
                _iTimer is not null && type is not null && type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, _iTimer));

            private bool DerivesFromTimeProvider(INamedTypeSymbol? type)
            {
                for (var current = type; current is not null && _timeProvider is not null; current = current.BaseType)
                {
                    if (SymbolEqualityComparer.Default.Equals(current, _timeProvider))
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        /// <summary>Resolves the origin of values and variables, following writes through other variables.</summary>
        private sealed class Origins
        {
            private readonly ClockSymbols _clocks;
            private readonly DelaySinks _sinks;
            private readonly WriteLog _writes;
            private readonly Dictionary<ISymbol, Origin> _resolved = new(SymbolEqualityComparer.Default);
            private readonly HashSet<ISymbol> _resolving = new(SymbolEqualityComparer.Default);

            public Origins(ClockSymbols clocks, DelaySinks sinks, WriteLog writes)
            {
                _clocks = clocks;
                _sinks = sinks;
                _writes = writes;
            }

            public Origin Of(IOperation? value)
            {
                value = ClockSymbols.WalkDownImplicitConversions(value);
                if (_clocks.IsWallClockRead(value))
                {
                    return Origin.Instant;
                }

                switch (value)
                {
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } binary when IsInstantSubtraction(binary):
                        return Of(binary.LeftOperand) == Origin.Instant || Of(binary.RightOperand) == Origin.Instant ? Origin.Difference : Origin.Unknown;

                    case IInvocationOperation { Instance: { } instance } invocation when IsInstantSubtraction(invocation):
                        return Of(instance) == Origin.Instant || Of(invocation.Arguments[0].Value) == Origin.Instant ? Origin.Difference : Origin.Unknown;

                    // interval - (DateTime.UtcNow - lastRun), difference + jitter
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract, OperatorMethod: { } method } binary
                        when _sinks.IsTimeSpan(method.ContainingType):
                        return Of(binary.LeftOperand) == Origin.Difference || Of(binary.RightOperand) == Origin.Difference ? Origin.Difference : Origin.Unknown;

                    // (int)difference.TotalMilliseconds
                    case IConversionOperation { IsImplicit: false, Type.SpecialType: SpecialType.System_Int32 or SpecialType.System_Int64, Operand: var operand }
                        when ClockSymbols.WalkDownImplicitConversions(operand) is IPropertyReferenceOperation { Property.Name: "TotalMilliseconds", Instance: { } duration } property
                            && _sinks.IsTimeSpan(property.Property.ContainingType):
                        return Of(duration) == Origin.Difference ? Origin.Milliseconds : Origin.Unknown;

                    default:
                        return Variable(value) is { } variable ? OfVariable(variable) ?? Origin.Unknown : Origin.Unknown;
                }
            }

            /// <summary>The locals, values and instant subtractions a delay value was computed from.</summary>
            public Chain ChainOf(IOperation value)
            {
                var chain = new Chain();
                var pending = new Stack<IOperation>();
                pending.Push(value);
                while (pending.Count > 0)
                {
                    var expression = pending.Pop();
                    chain.Expressions.Add(ClockSymbols.WalkDownImplicitConversions(expression) ?? expression);
                    foreach (var operation in expression.DescendantsAndSelf())
                    {
                        switch (operation)
                        {
                            case IBinaryOperation binary when IsInstantSubtraction(binary):
                                chain.Subtractions.Add((Unwrap(binary.LeftOperand) ?? binary.LeftOperand, Unwrap(binary.RightOperand) ?? binary.RightOperand));
                                break;
                            case IInvocationOperation { Instance: { } instance } invocation when IsInstantSubtraction(invocation):
                                chain.Subtractions.Add((Unwrap(instance) ?? instance, Unwrap(invocation.Arguments[0].Value) ?? invocation.Arguments[0].Value));
                                break;
                            case ILocalReferenceOperation { Local: var local } when _sinks.IsDurationType(local.Type) && chain.Locals.Add(local):
                                foreach (var write in _writes.WritesTo(local))
                                {
                                    if (write is not null)
                                    {
                                        pending.Push(write);
                                    }
                                }

                                break;
                        }
                    }
                }

                return chain;
            }

            /// <summary>
            /// A value's identity built from symbols (not text), to recognise the same expression or variable in a
            /// guard: locals, parameters, members, constants, wall-clock reads, operators and calls on those.
            /// </summary>
            public string? KeyOf(IOperation? operation)
            {
                operation = Unwrap(operation);
                if (_clocks.IsWallClockRead(operation))
                {
                    return "now";
                }

                switch (operation)
                {
                    case { ConstantValue: { HasValue: true } constant }:
                        return "c:" + Convert.ToString(constant.Value, CultureInfo.InvariantCulture);
                    case ILocalReferenceOperation local:
                        return "l:" + local.Local.Name + "@" + local.Local.Locations.FirstOrDefault()?.SourceSpan.Start.ToString(CultureInfo.InvariantCulture);
                    case IParameterReferenceOperation parameter:
                        return "p:" + parameter.Parameter.Name + "@" + parameter.Parameter.ContainingSymbol?.ToDisplayString();
                    case IInstanceReferenceOperation:
                        return "this";
                    case IFieldReferenceOperation field:
                        return Member(field.Field, field.Instance, ImmutableArray<IArgumentOperation>.Empty);
                    case IPropertyReferenceOperation property:
                        return Member(property.Property, property.Instance, property.Arguments);
                    case IBinaryOperation binary:
                        return KeyOf(binary.LeftOperand) is { } left && KeyOf(binary.RightOperand) is { } right
                            ? "(" + left + " " + binary.OperatorKind + " " + right + ")"
                            : null;
                    case IInvocationOperation invocation:
                        return Member(invocation.TargetMethod, invocation.Instance, invocation.Arguments);
                    case IConversionOperation conversion:
                        return KeyOf(conversion.Operand) is { } operand ? "(" + conversion.Type?.ToDisplayString() + ")" + operand : null;
                    default:
                        return null;
                }
            }

            /// <summary><c>(int)delay.TotalMilliseconds</c>, <c>delay.Ticks</c> → <c>delay</c>.</summary>
            public IOperation? StripToDuration(IOperation? operation)
            {
                while (true)
                {
                    switch (operation)
                    {
                        case IConversionOperation conversion:
                            operation = conversion.Operand;
                            break;
                        case IParenthesizedOperation parenthesized:
                            operation = parenthesized.Operand;
                            break;
                        case IPropertyReferenceOperation { Property.IsStatic: false, Instance: { } instance } property when _sinks.IsTimeSpan(property.Property.ContainingType):
                            operation = instance;
                            break;
                        default:
                            return operation;
                    }
                }
            }

            private string? Member(ISymbol member, IOperation? instance, ImmutableArray<IArgumentOperation> arguments)
            {
                var receiver = instance is null ? string.Empty : KeyOf(instance);
                var values = arguments.Select(a => KeyOf(a.Value)).ToList();
                return receiver is null || values.Any(v => v is null)
                    ? null
                    : receiver + "." + member.OriginalDefinition.ToDisplayString() + "(" + string.Join(",", values) + ")";
            }

            private static IOperation? Unwrap(IOperation? operation)
            {
                operation = ClockSymbols.WalkDownImplicitConversions(operation);
                while (operation is IParenthesizedOperation parenthesized)
                {
                    operation = ClockSymbols.WalkDownImplicitConversions(parenthesized.Operand);
                }

                return operation;
            }

            private bool IsInstantSubtraction(IOperation operation) => _clocks.IsInstantSubtraction(operation);

            /// <summary>
            /// A variable whose writes are all visible: instants may sit in a local or one of this type's fields; a
            /// duration only in a local (a field could be checked or clamped in another method).
            /// </summary>
            private ISymbol? Variable(IOperation? value) => _writes.TrackedSymbol(value) switch
            {
                ILocalSymbol local => local,
                IFieldSymbol field when _clocks.IsInstantType(field.Type) => field,
                IPropertySymbol property when _clocks.IsInstantType(property.Type) => property,
                _ => null,
            };

            /// <summary>The one origin every write to the variable agrees on; a variable never written is unknown.</summary>
            private Origin? OfVariable(ISymbol symbol)
            {
                if (_resolved.TryGetValue(symbol, out var known))
                {
                    return known;
                }

                if (!_resolving.Add(symbol))
                {
                    return null; // a cycle (delay = delay + step): decided by the other writes
                }

                Origin? agreed = null;
                foreach (var write in _writes.WritesTo(symbol))
                {
                    var origin = write is null ? Origin.Unknown : OfWrite(write);
                    if (origin is null)
                    {
                        continue;
                    }

                    agreed = agreed is null || agreed == origin ? origin : Origin.Unknown;
                }

                _resolving.Remove(symbol);
                var result = agreed ?? Origin.Unknown;
                _resolved[symbol] = result;
                return result;
            }

            private Origin? OfWrite(IOperation value)
            {
                var tracked = Variable(ClockSymbols.WalkDownImplicitConversions(value));
                return tracked is not null ? OfVariable(tracked) : Of(value);
            }
        }
    }
}
