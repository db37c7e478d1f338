using DistributedReview.Consistency;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview.Concurrency
{
    /// <summary>
    /// DR3001 (<see cref="UnversionedStoreUpdate"/>) and DR6001 (<see cref="ReplicaReadFeedsWrite"/>) from one pass:
    /// both follow the values a type writes to shared stores back to the reads they came from, so a type's store
    /// calls are recognised, and its write log kept, once for the two.
    /// </summary>
    public class SharedStoreAnalyzer : RuleFamilyAnalyzer
    {
        public SharedStoreAnalyzer()
            : this(Rules.UnversionedStoreUpdate, Rules.ReplicaReadFeedsWrite)
        {
        }

        /// <summary>Only the given rules: the tests look at one rule at a time.</summary>
        internal SharedStoreAnalyzer(params DiagnosticDescriptor[] rules)
            : base(rules)
        {
        }

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(compilationStart =>
            {
                var stores = StoreCalls.Create(compilationStart.Compilation);
                var lostUpdates = Runs(Rules.UnversionedStoreUpdate);
                var replicaReads = Runs(Rules.ReplicaReadFeedsWrite) && stores.HasRedis;
                if (lostUpdates || replicaReads)
                {
                    compilationStart.RegisterSymbolStartAction(typeStart => AnalyzeType(typeStart, stores, lostUpdates, replicaReads), SymbolKind.NamedType);
                }
            });
        }

        private static void AnalyzeType(SymbolStartAnalysisContext typeStart, StoreCalls stores, bool lostUpdates, bool replicaReads)
        {
            var type = (INamedTypeSymbol)typeStart.Symbol;
            var log = WriteLog.Start(typeStart, _ => true);
            var writes = new Pending<StoreCall>();
            var reads = new Pending<StoreCall>(); // nested types' too: a value can reach a field of this type from one
            var hasRead = false;
            var hasReplicaRead = false;
            typeStart.RegisterOperationAction(
                StoreCalls.Names.Filter(context =>
                {
                    var invocation = (IInvocationOperation)context.Operation;
                    var own = TypeScopedAnalysis.IsOwnOperation(context, type);
                    if (stores.Write(invocation, anyRedisWrite: true) is { } write)
                    {
                        if (own)
                        {
                            writes.Add(write);
                        }

                        return;
                    }

                    if (stores.Read(invocation) is { } read)
                    {
                        reads.Add(read);
                        hasRead = hasRead || own;
                    }

                    hasReplicaRead = hasReplicaRead || (own && replicaReads && stores.IsReplicaRead(invocation));
                }),
                OperationKind.Invocation);
            typeStart.RegisterSymbolEndAction(context =>
            {
                // Each rule starts from a read in this type: without one there is nothing to follow.
                if (lostUpdates && hasRead)
                {
                    UnversionedStoreUpdate.Report(context, writes, reads, stores, log);
                }

                if (replicaReads && hasReplicaRead)
                {
                    ReplicaReadFeedsWrite.Report(context, writes, stores, log);
                }
            });
        }
    }
}
