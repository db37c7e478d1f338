using System.Collections.Generic;
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
    /// Run by <see cref="SharedStoreAnalyzer"/>, which finds a type's store calls once for DR3001 and DR6001.
    /// </summary>
    internal static class ReplicaReadFeedsWrite
    {
        /// <summary>At the type's end: each replica read whose value, followed through locals, some write writes.</summary>
        public static void Report(SymbolAnalysisContext context, IEnumerable<StoreCall> writes, StoreCalls stores, WriteLog log)
        {
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
        }
    }
}
