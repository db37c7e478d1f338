using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using DistributedReview.Concurrency;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview.Consistency
{
    /// <summary>
    /// DR6001: a Redis read sent to a replica (<c>CommandFlags.PreferReplica</c>/<c>DemandReplica</c>, or the obsolete
    /// <c>*Slave</c> names) whose value, followed through locals in the same method, is part of what a store write
    /// writes. Replica reads that are only returned, shown or counted are left alone. Squiggle: the read call.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ReplicaReadFeedsWriteAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.ReplicaReadFeedsWrite);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(compilationStart =>
            {
                var stores = StoreCalls.Create(compilationStart.Compilation);
                if (stores.HasRedis)
                {
                    compilationStart.RegisterSymbolStartAction(typeStart => AnalyzeType(typeStart, stores), SymbolKind.NamedType);
                }
            });
        }

        private static void AnalyzeType(SymbolStartAnalysisContext typeStart, StoreCalls stores)
        {
            var type = (INamedTypeSymbol)typeStart.Symbol;
            var log = WriteLog.Start(typeStart, _ => true);
            var writes = new Pending<StoreCall>();
            var hasReplicaRead = false;
            typeStart.RegisterOperationAction(
                context =>
                {
                    if (!TypeScopedAnalysis.IsOwnOperation(context, type))
                    {
                        return;
                    }

                    var invocation = (IInvocationOperation)context.Operation;
                    if (stores.Write(invocation, anyRedisWrite: true) is { } write)
                    {
                        writes.Add(write);
                    }
                    else if (!hasReplicaRead && stores.IsReplicaRead(invocation))
                    {
                        hasReplicaRead = true;
                    }
                },
                OperationKind.Invocation);
            typeStart.RegisterSymbolEndAction(context =>
            {
                if (!hasReplicaRead)
                {
                    return; // only a replica read in this type can feed a write here
                }

                // Confidence per read: 90 when a write goes back to the entry it read (a lost update), 80 when the stale
                // value only flows into another entry.
                var findings = new Dictionary<IInvocationOperation, int>();
                foreach (var write in writes)
                {
                    foreach (var value in write.Values)
                    {
                        foreach (var origin in StoreCalls.Origins(value, log))
                        {
                            if (stores.IsReplicaRead(origin))
                            {
                                var sameEntry = stores.Read(origin) is { } read && read.SameEntryAs(write);
                                findings[origin] = System.Math.Max(findings.TryGetValue(origin, out var known) ? known : 0, sameEntry ? 90 : 80);
                            }
                        }
                    }
                }

                foreach (var finding in findings)
                {
                    Confidence.Report(context.ReportDiagnostic, context.Options, Rules.ReplicaReadFeedsWrite, finding.Key.Syntax.GetLocation(), finding.Value, null, Display.Of(finding.Key.Syntax));
                }
            });
        }
    }
}
