using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DistributedReview.Concurrency
{
    /// <summary>
    /// DR3001: a value read from a shared store (Redis, <c>IDistributedCache</c>, a store with a conditional write) and a
    /// value computed from it written back to the same entry in the same method, with no condition and no lock. Values
    /// are followed through locals (type by type, with <see cref="WriteLog"/>); receiver and key are compared by symbol
    /// and constant value. Squiggle: the write call. Run by <see cref="SharedStoreAnalyzer"/>, which finds a type's
    /// store calls once for DR3001 and DR6001.
    /// </summary>
    public static class UnversionedStoreUpdate
    {
        /// <summary>Diagnostic property: the atomic Redis method the fix calls (<c>StringIncrement</c>, ...), when it applies.</summary>
        public const string IncrementProperty = "Increment";

        /// <summary>The writes this rule judges: unconditional, and for Redis only whole-value sets (increments are atomic).</summary>
        internal static bool IsCandidate(StoreCall write) =>
            !write.IsConditional && (write.Kind != StoreKind.Redis || write.Name is "StringSet" or "HashSet");

        /// <summary>At the type's end: each candidate write whose value was computed from a read of the same entry (one of <paramref name="reads"/>).</summary>
        internal static void Report(SymbolAnalysisContext context, IEnumerable<StoreCall> writes, IEnumerable<StoreCall> reads, StoreCalls stores, WriteLog log)
        {
            foreach (var write in writes)
            {
                // The read behind a write is one of the type's reads, in the same body (values are followed through
                // locals only): the entries and bodies are compared before values are followed.
                if (IsCandidate(write) && OperationTree.RootOf(write.Invocation).Syntax is var body
                    && reads.Any(read => read.SameEntryAs(write) && OperationTree.RootOf(read.Invocation).Syntax == body)
                    && ReadBehind(write, stores, log) is { } read && !StoreCalls.IsSerialised(write.Invocation))
                {
                    Report(context, write, read, stores.Increment(write));
                }
            }
        }

        /// <summary>The read of the same entry that a written value is computed from, if any.</summary>
        private static StoreCall? ReadBehind(StoreCall write, StoreCalls stores, WriteLog log) =>
            write.Values
                .SelectMany(value => StoreCalls.Origins(value, log))
                .Select(stores.Read)
                .FirstOrDefault(read => read is not null && read.SameEntryAs(write));

        /// <summary>
        /// Confidence: 90 for Redis and <c>IDistributedCache</c> (the API is known, the data flow is in one method);
        /// 75 for a store recognised only by the shape of its API.
        /// </summary>
        private static void Report(SymbolAnalysisContext context, StoreCall write, StoreCall read, IncrementShape? increment)
        {
            var confidence = write.Kind == StoreKind.Generic ? 75 : 90;
            var advice = increment is not null
                ? $"use {increment.Method}, which is atomic on the server"
                : write.Kind switch
                {
                    StoreKind.Redis when write.Field is not null => "use a transaction with Condition.HashEqual and retry",
                    StoreKind.Redis => "use a transaction with Condition.StringEqual and retry",
                    StoreKind.DistributedCache => "IDistributedCache has no conditional write, so keep this value in a store that has one (a Redis transaction, an ETag)",
                    _ => "write with the store's conditional write and retry on conflict",
                };
            var properties = increment is null
                ? ImmutableDictionary<string, string?>.Empty
                : ImmutableDictionary<string, string?>.Empty.Add(IncrementProperty, increment.Method);
            Confidence.Report(
                context.ReportDiagnostic,
                context.Options,
                Rules.UnversionedStoreUpdate,
                write.Invocation.Syntax.GetLocation(),
                confidence,
                properties,
                Display.Of(write.Invocation.Syntax),
                advice);
        }
    }
}
