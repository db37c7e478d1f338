using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview
{
    /// <summary>What a time value is, as far as the timing rules care.</summary>
    internal enum WallClockOrigin
    {
        Unknown,

        /// <summary>A DateTime/DateTimeOffset read from the wall clock in this process.</summary>
        Instant,

        /// <summary>The <c>.Ticks</c> of such an instant.</summary>
        Ticks,

        /// <summary>Such an instant shifted by a duration (<c>now + ttl</c>, <c>now.AddSeconds(30)</c>): a deadline or cutoff.</summary>
        Shifted,
    }

    /// <summary>
    /// Resolves where time values come from, at the end of a type's analysis: follows writes recorded by
    /// <see cref="WriteLog"/> through variables and collection elements. A variable is a wall-clock value only
    /// when every write to it agrees; one unknown write, or no write at all, makes it unknown.
    /// </summary>
    internal sealed class WallClockOrigins
    {
        private static readonly string[] ShiftMethods = { "Add", "AddSeconds", "AddMilliseconds", "AddMinutes", "AddHours", "AddDays", "AddTicks" };

        private readonly ClockSymbols _clocks;
        private readonly WriteLog _writes;
        private readonly Dictionary<ISymbol, WallClockOrigin> _variables = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<ISymbol, WallClockOrigin> _elements = new(SymbolEqualityComparer.Default);
        private readonly HashSet<ISymbol> _resolving = new(SymbolEqualityComparer.Default);

        public WallClockOrigins(ClockSymbols clocks, WriteLog writes)
        {
            _clocks = clocks;
            _writes = writes;
        }

        public WallClockOrigin Of(IOperation? value) => OfValue(value) ?? WallClockOrigin.Unknown;

        /// <summary>The variable (or collection, for element reads) a value is read from, if tracked.</summary>
        public ISymbol? SourceVariable(IOperation? value) =>
            _writes.TrackedSymbol(value) ?? _writes.CollectionRead(value);

        /// <summary>Null while a cycle is being resolved: such a write is decided by the other writes.</summary>
        private WallClockOrigin? OfValue(IOperation? value)
        {
            value = ClockSymbols.WalkDownImplicitConversions(value);
            if (value is null)
            {
                return WallClockOrigin.Unknown;
            }

            if (_clocks.IsWallClockRead(value))
            {
                return WallClockOrigin.Instant;
            }

            switch (value)
            {
                case IPropertyReferenceOperation { Property: { Name: "Ticks", IsStatic: false } ticks } property when _clocks.IsInstantType(ticks.ContainingType):
                    return Of(property.Instance) == WallClockOrigin.Instant ? WallClockOrigin.Ticks : WallClockOrigin.Unknown;

                // now + duration, now - duration
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract, OperatorMethod: { } method } shift
                    when _clocks.IsInstantType(method.ReturnType) && _clocks.IsInstantType(method.Parameters[0].Type) && !_clocks.IsInstantType(method.Parameters[1].Type):
                    return Of(shift.LeftOperand) == WallClockOrigin.Instant ? WallClockOrigin.Shifted : WallClockOrigin.Unknown;

                // now.Add(duration), now.AddSeconds(n), ...
                case IInvocationOperation { TargetMethod: { IsStatic: false } method, Instance: { } instance }
                    when ShiftMethods.Contains(method.Name) && _clocks.IsInstantType(method.ContainingType):
                    return Of(instance) == WallClockOrigin.Instant ? WallClockOrigin.Shifted : WallClockOrigin.Unknown;
            }

            if (_writes.TrackedSymbol(value) is { } variable)
            {
                return OfVariable(variable);
            }

            return _writes.CollectionRead(value) is { } collection ? OfElements(collection) : WallClockOrigin.Unknown;
        }

        private WallClockOrigin? OfVariable(ISymbol variable) => Resolve(variable, _variables, _writes.WritesTo(variable));

        /// <summary>Elements count only when the collection itself is only ever a fresh, empty one.</summary>
        private WallClockOrigin? OfElements(ISymbol collection)
        {
            if (!_writes.WritesTo(collection).All(IsEmptyCollection))
            {
                return WallClockOrigin.Unknown;
            }

            return Resolve(collection, _elements, _writes.ElementWritesTo(collection));
        }

        private WallClockOrigin? Resolve(ISymbol symbol, Dictionary<ISymbol, WallClockOrigin> resolved, IEnumerable<IOperation?> writes)
        {
            if (resolved.TryGetValue(symbol, out var known))
            {
                return known;
            }

            if (!_resolving.Add(symbol))
            {
                return null;
            }

            WallClockOrigin? agreed = null;
            foreach (var write in writes)
            {
                var origin = OfValue(write);
                if (origin is null)
                {
                    continue;
                }

                agreed = agreed is null || agreed == origin ? origin : WallClockOrigin.Unknown;
            }

            _resolving.Remove(symbol);
            var result = agreed ?? WallClockOrigin.Unknown;
            resolved[symbol] = result;
            return result;
        }

        private static bool IsEmptyCollection(IOperation? write) =>
            ClockSymbols.WalkDownImplicitConversions(write) is IObjectCreationOperation { Initializer: null or { Initializers.Length: 0 } } creation
            && creation.Arguments.All(argument => argument.Value.Type is not INamedTypeSymbol { IsGenericType: true } type || type.Name == "IEqualityComparer");
    }
}
