using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview.Timing
{
    /// <summary>
    /// DR1004: a Stopwatch tick count (<c>sw.ElapsedTicks</c>, or a difference of <c>Stopwatch.GetTimestamp()</c> values)
    /// converted as if it were in TimeSpan's 100 ns ticks: <c>TimeSpan.FromTicks(x)</c>, <c>new TimeSpan(x)</c>,
    /// <c>dateTime.AddTicks(x)</c>, <c>x / TimeSpan.TicksPerMillisecond</c>. Stopwatch ticks are 1/<c>Stopwatch.Frequency</c> s.
    /// Values kept in locals and fields are followed through the type's <see cref="WriteLog"/>, so conversions are
    /// collected per type and judged at symbol end.
    /// </summary>
    public sealed class StopwatchTicksAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: what the fix can turn the converted value into (see <see cref="Shape"/>).</summary>
        internal const string ShapeProperty = "Shape";

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.StopwatchTicks);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(compilationStart =>
            {
                if (StopwatchSymbols.Create(compilationStart.Compilation) is { } symbols
                    && ClockSymbols.Create(compilationStart.Compilation) is { } clocks)
                {
                    compilationStart.RegisterSymbolStartAction(typeStart => AnalyzeType(typeStart, symbols, clocks), SymbolKind.NamedType);
                }
            });
        }

        /// <summary>How the fix can rewrite the converted value; the analyzer has seen the data flow, the fix only the syntax.</summary>
        internal enum Shape
        {
            /// <summary>Any Stopwatch tick count: convert through <c>Stopwatch.Frequency</c>.</summary>
            Ticks,

            /// <summary><c>sw.ElapsedTicks</c> read in place: <c>sw.Elapsed</c>.</summary>
            Elapsed,

            /// <summary><c>Stopwatch.GetTimestamp() - start</c> in place: <c>Stopwatch.GetElapsedTime(start)</c>.</summary>
            SinceStart,

            /// <summary><c>end - start</c> in place, both timestamp variables: <c>Stopwatch.GetElapsedTime(start, end)</c>.</summary>
            Between,
        }

        /// <summary>Where Stopwatch ticks come from: a type that never names these holds no Stopwatch tick count.</summary>
        private static readonly string[] TickSources = { "ElapsedTicks", "GetTimestamp" };

        private static void AnalyzeType(SymbolStartAnalysisContext context, StopwatchSymbols symbols, ClockSymbols clocks)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (!SourceMentions.Any(type, TickSources, context.CancellationToken) || clocks.IsClockImplementation(type))
            {
                return;
            }

            var writes = WriteLog.Start(context, t => t.SpecialType == SpecialType.System_Int64);
            var conversions = new Pending<Conversion>();
            context.RegisterOperationAction(
                operationContext =>
                {
                    // Nested types run their own analysis; count each conversion once.
                    if (SymbolEqualityComparer.Default.Equals(operationContext.ContainingSymbol.ContainingType, type)
                        && Conversion.From(operationContext.Operation, operationContext.ContainingSymbol, symbols) is { } conversion)
                    {
                        conversions.Add(conversion);
                    }
                },
                OperationKind.Invocation,
                OperationKind.ObjectCreation,
                OperationKind.Binary);

            context.RegisterSymbolEndAction(endContext =>
            {
                var origins = new Origins(symbols, writes);
                foreach (var conversion in conversions)
                {
                    endContext.CancellationToken.ThrowIfCancellationRequested();
                    var evidence = origins.Of(conversion.Value);
                    if (evidence.Origin != Origin.StopwatchTicks)
                    {
                        continue;
                    }

                    var properties = ImmutableDictionary<string, string?>.Empty
                        .Add(ShapeProperty, ShapeOf(conversion, origins, writes).ToString());
                    Confidence.Report(
                        endContext.ReportDiagnostic,
                        endContext.Options,
                        Rules.StopwatchTicks,
                        conversion.Operation.Syntax.GetLocation(),
                        ConfidenceOf(conversion, evidence, writes),
                        properties,
                        Display.Of(conversion.Operation.Syntax));
                }
            });
        }

        /// <summary>
        /// The value is a Stopwatch tick count for certain; what varies is how much of its history was seen.
        /// Base 95 when every variable it went through is a local (or it is read in place), 85 when one is a private
        /// field or auto-property of the type, 75 when one is non-private (written from code not analysed here).
        /// The converted value taken from a variable rather than computed in place: -5. Interval words (timeout,
        /// elapsed, lease, ...) in a variable's name or the enclosing member's name: +5. Clamped to 1-99.
        /// </summary>
        private static int ConfidenceOf(Conversion conversion, Evidence evidence, WriteLog writes)
        {
            var confidence = evidence.Reach switch
            {
                Reach.Local => 95,
                Reach.PrivateMember => 85,
                _ => 75,
            };

            if (writes.TrackedSymbol(conversion.Value) is not null)
            {
                confidence -= 5;
            }

            if (evidence.Vocabulary || IntervalVocabulary.Matches(conversion.ContainingMemberName))
            {
                confidence += 5;
            }

            return Confidence.Clamp(confidence);
        }

        private static Shape ShapeOf(Conversion conversion, Origins origins, WriteLog writes)
        {
            if (conversion.IsDivision)
            {
                return Shape.Ticks;
            }

            switch (conversion.Value)
            {
                case IPropertyReferenceOperation property when origins.IsElapsedTicks(property):
                    return Shape.Elapsed;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } difference:
                    var end = ClockSymbols.WalkDownImplicitConversions(difference.LeftOperand);
                    var start = ClockSymbols.WalkDownImplicitConversions(difference.RightOperand);
                    if (origins.Of(start).Origin != Origin.Timestamp)
                    {
                        return Shape.Ticks;
                    }

                    if (end is IInvocationOperation invocation && origins.IsGetTimestamp(invocation))
                    {
                        return Shape.SinceStart;
                    }

                    // Only plain variables: GetElapsedTime(start, end) evaluates them in the other order.
                    return writes.TrackedSymbol(end) is not null && writes.TrackedSymbol(start) is not null ? Shape.Between : Shape.Ticks;
                default:
                    return Shape.Ticks;
            }
        }

        /// <summary>What a <c>long</c> value is, as far as this rule cares.</summary>
        private enum Origin
        {
            Unknown,

            /// <summary>A <c>Stopwatch.GetTimestamp()</c> reading: an instant in Stopwatch ticks.</summary>
            Timestamp,

            /// <summary>A duration in Stopwatch ticks: <c>ElapsedTicks</c>, or a difference of two timestamps.</summary>
            StopwatchTicks,
        }

        /// <summary>How far the variables a value went through can be written from: the wider, the less is known.</summary>
        private enum Reach
        {
            Local,
            PrivateMember,
            OtherMember,
        }

        private readonly struct Evidence
        {
            public static readonly Evidence Unknown = new(Origin.Unknown, Reach.Local, vocabulary: false);

            public Evidence(Origin origin, Reach reach, bool vocabulary)
            {
                Origin = origin;
                Reach = reach;
                Vocabulary = vocabulary;
            }

            public Origin Origin { get; }

            public Reach Reach { get; }

            /// <summary>A variable on the way is named with interval vocabulary.</summary>
            public bool Vocabulary { get; }

            public Evidence Through(Evidence other) =>
                new(Origin, (Reach)Math.Max((int)Reach, (int)other.Reach), Vocabulary || other.Vocabulary);
        }

        /// <summary>One candidate: a conversion that would be wrong if <see cref="Value"/> is in Stopwatch ticks.</summary>
        private sealed class Conversion
        {
            private Conversion(IOperation operation, IOperation value, bool isDivision, string containingMemberName)
            {
                Operation = operation;
                Value = value;
                IsDivision = isDivision;
                ContainingMemberName = containingMemberName;
            }

            /// <summary>The conversion: the squiggle goes here.</summary>
            public IOperation Operation { get; }

            /// <summary>The tick count being converted.</summary>
            public IOperation Value { get; }

            public bool IsDivision { get; }

            public string ContainingMemberName { get; }

            public static Conversion? From(IOperation operation, ISymbol containingMember, StopwatchSymbols symbols)
            {
                switch (operation)
                {
                    // TimeSpan.FromTicks(x), dateTime.AddTicks(x), dateTimeOffset.AddTicks(x)
                    case IInvocationOperation { Arguments.Length: 1 } invocation
                        when (symbols.IsFromTicks(invocation.TargetMethod) || symbols.IsAddTicks(invocation.TargetMethod)) && !IsDiscarded(invocation):
                        return Create(invocation, invocation.Arguments[0].Value, isDivision: false, containingMember);

                    // new TimeSpan(x)
                    case IObjectCreationOperation { Constructor: { } constructor, Arguments.Length: 1, Initializer: null } creation
                        when symbols.IsTicksConstructor(constructor) && !IsDiscarded(creation):
                        return Create(creation, creation.Arguments[0].Value, isDivision: false, containingMember);

                    // x / TimeSpan.TicksPerMillisecond (Second, Minute, ...), x possibly cast to another numeric type
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide, OperatorMethod: null } division
                        when symbols.TicksPerUnit(division.RightOperand) is not null:
                        return Create(division, WalkDownConversions(division.LeftOperand), isDivision: true, containingMember);

                    default:
                        return null;
                }
            }

            private static Conversion? Create(IOperation operation, IOperation? value, bool isDivision, ISymbol containingMember)
            {
                value = ClockSymbols.WalkDownImplicitConversions(value);
                return value is null ? null : new Conversion(operation, value, isDivision, containingMember.Name);
            }

            /// <summary>A result nobody reads (<c>TimeSpan.FromTicks(x);</c>) decides nothing.</summary>
            private static bool IsDiscarded(IOperation operation) => operation.Parent is IExpressionStatementOperation;
        }

        /// <summary>Looks through numeric conversions either way: <c>(double)sw.ElapsedTicks</c> is still Stopwatch ticks.</summary>
        internal static IOperation? WalkDownConversions(IOperation? operation)
        {
            while (true)
            {
                switch (operation)
                {
                    case IConversionOperation { Conversion.IsNumeric: true } conversion:
                        operation = conversion.Operand;
                        break;
                    case IConversionOperation { Conversion.IsIdentity: true } identity:
                        operation = identity.Operand;
                        break;
                    case IParenthesizedOperation parenthesized:
                        operation = parenthesized.Operand;
                        break;
                    default:
                        return operation;
                }
            }
        }

        /// <summary>Resolves the origin of values and variables, following writes through other variables.</summary>
        private sealed class Origins
        {
            private readonly StopwatchSymbols _symbols;
            private readonly WriteLog _writes;
            private readonly Dictionary<ISymbol, Evidence> _resolved = new(SymbolEqualityComparer.Default);
            private readonly HashSet<ISymbol> _resolving = new(SymbolEqualityComparer.Default);

            public Origins(StopwatchSymbols symbols, WriteLog writes)
            {
                _symbols = symbols;
                _writes = writes;
            }

            public bool IsElapsedTicks(IPropertyReferenceOperation property) => _symbols.IsElapsedTicks(property.Property);

            public bool IsGetTimestamp(IInvocationOperation invocation) => _symbols.IsGetTimestamp(invocation.TargetMethod);

            public Evidence Of(IOperation? value)
            {
                value = ClockSymbols.WalkDownImplicitConversions(value);
                switch (value)
                {
                    case IInvocationOperation invocation when IsGetTimestamp(invocation):
                        return new Evidence(Origin.Timestamp, Reach.Local, vocabulary: false);

                    case IPropertyReferenceOperation property when IsElapsedTicks(property):
                        return new Evidence(Origin.StopwatchTicks, Reach.Local, vocabulary: false);

                    // end - start (two timestamps) or ticks - earlierTicks (two durations): a duration in Stopwatch ticks
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract, OperatorMethod: null, Type.SpecialType: SpecialType.System_Int64 } difference:
                        var left = Of(difference.LeftOperand);
                        var right = Of(difference.RightOperand);
                        return left.Origin != Origin.Unknown && left.Origin == right.Origin
                            ? new Evidence(Origin.StopwatchTicks, Reach.Local, vocabulary: false).Through(left).Through(right)
                            : Evidence.Unknown;

                    // -ticks: still a duration in Stopwatch ticks, counted backwards
                    case IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus, OperatorMethod: null } negation
                        when Of(negation.Operand) is { Origin: Origin.StopwatchTicks } negated:
                        return negated;

                    default:
                        return _writes.TrackedSymbol(value) is { } variable ? OfVariable(variable) ?? Evidence.Unknown : Evidence.Unknown;
                }
            }

            /// <summary>The one origin every write to the variable agrees on; a variable never written is unknown.</summary>
            private Evidence? OfVariable(ISymbol symbol)
            {
                if (_resolved.TryGetValue(symbol, out var known))
                {
                    return known;
                }

                if (!_resolving.Add(symbol))
                {
                    return null; // a cycle (last = now; now = last): decided by the other writes
                }

                var own = new Evidence(Origin.Unknown, ReachOf(symbol), IntervalVocabulary.Matches(symbol.Name));
                Evidence? agreed = null;
                foreach (var write in _writes.WritesTo(symbol))
                {
                    var evidence = write is null ? Evidence.Unknown : OfWrite(write);
                    if (evidence is not { } seen)
                    {
                        continue;
                    }

                    agreed = agreed is not { } sofar ? seen
                        : sofar.Origin == seen.Origin ? sofar.Through(seen)
                        : Evidence.Unknown;
                }

                _resolving.Remove(symbol);
                var result = agreed is { Origin: not Origin.Unknown } found ? found.Through(own) : Evidence.Unknown;
                _resolved[symbol] = result;
                return result;
            }

            private Evidence? OfWrite(IOperation value)
            {
                var tracked = _writes.TrackedSymbol(ClockSymbols.WalkDownImplicitConversions(value));
                return tracked is not null ? OfVariable(tracked) : Of(value);
            }

            private static Reach ReachOf(ISymbol symbol) => symbol switch
            {
                ILocalSymbol => Reach.Local,
                { DeclaredAccessibility: Accessibility.Private } => Reach.PrivateMember,
                _ => Reach.OtherMember,
            };
        }

        /// <summary>
        /// The Stopwatch and TimeSpan members this rule and its fix recognise, looked up once per compilation by
        /// metadata name. (A candidate for Shared/ once another rule needs Stopwatch.)
        /// </summary>
        internal sealed class StopwatchSymbols
        {
            private StopwatchSymbols(INamedTypeSymbol stopwatch, INamedTypeSymbol timeSpan, INamedTypeSymbol dateTime, INamedTypeSymbol dateTimeOffset)
            {
                Stopwatch = stopwatch;
                TimeSpan = timeSpan;
                DateTime = dateTime;
                DateTimeOffset = dateTimeOffset;
                HasElapsedTime = HasStaticMethod(stopwatch, "GetElapsedTime", 1);
                HasElapsedTimeBetween = HasStaticMethod(stopwatch, "GetElapsedTime", 2);
            }

            public INamedTypeSymbol Stopwatch { get; }

            public INamedTypeSymbol TimeSpan { get; }

            public INamedTypeSymbol DateTime { get; }

            public INamedTypeSymbol DateTimeOffset { get; }

            /// <summary><c>Stopwatch.GetElapsedTime(long)</c>: .NET 7+.</summary>
            public bool HasElapsedTime { get; }

            /// <summary><c>Stopwatch.GetElapsedTime(long, long)</c>: .NET 7+.</summary>
            public bool HasElapsedTimeBetween { get; }

            public static StopwatchSymbols? Create(Compilation compilation)
            {
                var stopwatch = compilation.GetTypeByMetadataName("System.Diagnostics.Stopwatch");
                var timeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
                var dateTime = compilation.GetSpecialType(SpecialType.System_DateTime);
                var dateTimeOffset = compilation.GetTypeByMetadataName("System.DateTimeOffset");
                return stopwatch is null || timeSpan is null || dateTimeOffset is null || dateTime.TypeKind == TypeKind.Error
                    ? null
                    : new StopwatchSymbols(stopwatch, timeSpan, dateTime, dateTimeOffset);
            }

            public bool IsElapsedTicks(IPropertySymbol property) =>
                property is { Name: "ElapsedTicks", IsStatic: false } && Is(property.ContainingType, Stopwatch);

            public bool IsGetTimestamp(IMethodSymbol method) =>
                method is { Name: "GetTimestamp", IsStatic: true, Parameters.Length: 0 } && Is(method.ContainingType, Stopwatch);

            public bool IsFromTicks(IMethodSymbol method) =>
                method is { Name: "FromTicks", IsStatic: true, Parameters.Length: 1 } && IsLong(method.Parameters[0]) && Is(method.ContainingType, TimeSpan);

            public bool IsAddTicks(IMethodSymbol method) =>
                method is { Name: "AddTicks", IsStatic: false, Parameters.Length: 1 } && IsLong(method.Parameters[0])
                && (Is(method.ContainingType, DateTime) || Is(method.ContainingType, DateTimeOffset));

            public bool IsTicksConstructor(IMethodSymbol constructor) =>
                constructor is { MethodKind: MethodKind.Constructor, Parameters.Length: 1 } && IsLong(constructor.Parameters[0]) && Is(constructor.ContainingType, TimeSpan);

            /// <summary>The name of the <c>TimeSpan.TicksPer*</c> constant <paramref name="operation"/> reads, if any.</summary>
            public string? TicksPerUnit(IOperation? operation) =>
                WalkDownConversions(operation) is IFieldReferenceOperation { Field: { IsStatic: true } field }
                && field.Name.StartsWith("TicksPer", StringComparison.Ordinal) && Is(field.ContainingType, TimeSpan)
                    ? field.Name
                    : null;

            private static bool Is(ITypeSymbol? type, INamedTypeSymbol expected) =>
                SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, expected);

            private static bool IsLong(IParameterSymbol parameter) =>
                parameter.Type.SpecialType == SpecialType.System_Int64 && parameter.RefKind == RefKind.None;

            private static bool HasStaticMethod(INamedTypeSymbol type, string name, int parameters) =>
                type.GetMembers(name).OfType<IMethodSymbol>().Any(m => m.IsStatic && m.Parameters.Length == parameters
                    && m.Parameters.All(IsLong) && m.DeclaredAccessibility == Accessibility.Public);
        }
    }
}
