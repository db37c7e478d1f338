using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DistributedReview
{
    /// <summary>
    /// "Where did this value come from?" for one rule in one type: what the type's writes (<see cref="TypeWrites"/>,
    /// shared by the rules of one pass) say about the variables of the types the rule follows, asked at symbol end.
    /// A write whose value cannot be seen is a null entry. The type's bodies are walked only when a rule asks, so
    /// most types cost no walk at all: a question about a local walks the member that declares it, any other the
    /// members whose source spells the variable's name, each once for every rule.
    /// </summary>
    internal sealed class WriteLog
    {
        private readonly TypeWrites _writes;
        private readonly Func<ITypeSymbol, bool> _isTrackedType;
        private readonly object _gate = new();
        private Dictionary<ITypeSymbol, bool>? _trackedTypes;

        private WriteLog(TypeWrites writes, Func<ITypeSymbol, bool> isTrackedType)
        {
            _writes = writes;
            _isTrackedType = isTrackedType;
        }

        /// <summary>Starts following, within <paramref name="context"/>'s type, variables of the given types. Ask at symbol end.</summary>
        public static WriteLog Start(SymbolStartAnalysisContext context, Func<ITypeSymbol, bool> isTrackedType) =>
            new(SharedPass.WritesOf(context), isTrackedType);

        /// <summary>
        /// The operation blocks seen in the type, with the member (or accessor, or initialized field) that owns them;
        /// nested types' members are included. Read at symbol end, so rules that walk bodies need no block action of their own.
        /// </summary>
        public IReadOnlyList<(ImmutableArray<IOperation> Blocks, ISymbol Owner)> Members => _writes.Members;

        /// <summary>Values written to <paramref name="symbol"/>; a null entry is a write whose value is unknown.</summary>
        public ImmutableArray<IOperation?> WritesTo(ISymbol symbol)
        {
            if (TypeWrites.TypeOf(symbol) is not { } type || !(IsTrackedType(type) || FollowsElements(symbol))
                || _writes.VariableWritesTo(symbol) is not { } writes)
            {
                return ImmutableArray<IOperation?>.Empty;
            }

            var values = ImmutableArray.CreateBuilder<IOperation?>(writes.Count);
            foreach (var write in writes)
            {
                if (write.ReadFrom is not { } collection)
                {
                    values.Add(write.Value);
                }
                else if (!FollowsElements(collection))
                {
                    values.Add(null); // a read of elements this rule does not follow: an unknown value
                }
                else if (!write.OnlyUnfollowed)
                {
                    values.Add(write.Value);
                }
            }

            return values.ToImmutable();
        }

        /// <summary>Values stored into the collection held in <paramref name="symbol"/>; null entries are unknown values.</summary>
        public ImmutableArray<IOperation?> ElementWritesTo(ISymbol symbol)
        {
            if (!FollowsElements(symbol) || _writes.ElementWritesTo(symbol) is not { } writes)
            {
                return ImmutableArray<IOperation?>.Empty;
            }

            var values = ImmutableArray.CreateBuilder<IOperation?>(writes.Count);
            foreach (var write in writes)
            {
                values.Add(write.Value);
            }

            return values.MoveToImmutable();
        }

        /// <summary>The collection variable an element read (<c>map[key]</c>, <c>map.TryGetValue(...)</c>, <c>map.GetValueOrDefault(...)</c>) reads from.</summary>
        public ISymbol? CollectionRead(IOperation? operation) =>
            _writes.CollectionRead(operation) is { } collection && FollowsElements(collection) ? collection : null;

        /// <summary>
        /// The variable an expression reads, when its writes are all visible here: a local, or a field or
        /// auto-property of this type accessed on <c>this</c> or statically.
        /// </summary>
        public ISymbol? TrackedSymbol(IOperation? operation) => _writes.TrackedSymbol(operation);

        /// <summary>The variable holds a generic collection whose element (last type argument) is of a followed type.</summary>
        private bool FollowsElements(ISymbol symbol) => TypeWrites.ElementType(symbol) is { } element && IsTrackedType(element);

        /// <summary>Cached per type: a type's variables share a few types, and the rules' tests can walk interfaces.</summary>
        private bool IsTrackedType(ITypeSymbol type)
        {
            lock (_gate)
            {
                _trackedTypes ??= new Dictionary<ITypeSymbol, bool>(SymbolEqualityComparer.Default);
                if (!_trackedTypes.TryGetValue(type, out var tracked))
                {
                    _trackedTypes[type] = tracked = _isTrackedType(type);
                }

                return tracked;
            }
        }
    }
}
