using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview.Concurrency
{
    /// <summary>
    /// DR3001: a value read from a shared store (Redis, <c>IDistributedCache</c>, a store with a conditional write) and a
    /// value computed from it written back to the same entry in the same method, with no condition and no lock. Values
    /// are followed through locals (type by type, with <see cref="WriteLog"/>); receiver and key are compared by symbol
    /// and constant value. Squiggle: the write call.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class UnversionedStoreUpdateAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: the atomic Redis method the fix calls (<c>StringIncrement</c>, ...), when it applies.</summary>
        public const string IncrementProperty = "Increment";

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.UnversionedStoreUpdate);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(compilationStart =>
            {
                var stores = StoreCalls.Create(compilationStart.Compilation);
                compilationStart.RegisterSymbolStartAction(typeStart => AnalyzeType(typeStart, stores), SymbolKind.NamedType);
            });
        }

        private static void AnalyzeType(SymbolStartAnalysisContext typeStart, StoreCalls stores)
        {
            var type = (INamedTypeSymbol)typeStart.Symbol;
            var log = WriteLog.Start(typeStart, _ => true);
            var writes = new Pending<StoreCall>();
            var hasRead = false;
            typeStart.RegisterOperationAction(
                context =>
                {
                    if (!TypeScopedAnalysis.IsOwnOperation(context, type))
                    {
                        return;
                    }

                    var invocation = (IInvocationOperation)context.Operation;
                    if (stores.Write(invocation, anyRedisWrite: false) is { IsConditional: false } write)
                    {
                        writes.Add(write);
                    }
                    else if (!hasRead && stores.Read(invocation) is not null)
                    {
                        hasRead = true;
                    }
                },
                OperationKind.Invocation);
            typeStart.RegisterSymbolEndAction(context =>
            {
                if (!hasRead)
                {
                    return; // a lost update needs a read of the store in this type: nothing to follow
                }

                foreach (var write in writes)
                {
                    if (ReadBehind(write, stores, log) is { } read && !StoreCalls.IsSerialised(write.Invocation))
                    {
                        Report(context, write, read, stores.Increment(write));
                    }
                }
            });
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
