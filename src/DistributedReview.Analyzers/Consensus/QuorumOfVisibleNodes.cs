using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Consensus
{
    /// <summary>
    /// DR2002: a majority taken of the nodes this node can currently see. Any majority expression (the correct
    /// <c>n / 2 + 1</c> and <c>votes &gt; n / 2</c> as much as the off-by-one forms of DR2001) whose size counts
    /// reachable, alive, healthy, connected, visible, online, available, active or up nodes: by its name
    /// (<c>_reachableNodes.Count</c>, <c>GetConnectedPeers().Count()</c>) or by the filter behind it
    /// (<c>nodes.Count(n =&gt; n.IsAlive)</c>), also through locals and fields. A count of alive nodes compared with a
    /// majority of the configured size is the correct pattern and is left alone: only the size is judged.
    /// Run by <see cref="QuorumAnalyzer"/>, which finds the majority expressions once for DR2001 and DR2002.
    /// </summary>
    internal static class QuorumOfVisibleNodes
    {
        public static void Report(SymbolAnalysisContext typeEnd, MajorityCollector collector, IReadOnlyList<Majority> majorities)
        {
            var reported = new HashSet<(SyntaxTree, TextSpan)>();
            foreach (var majority in majorities)
            {
                // A bare half or a comparison is a majority only with a quorum name or a vote/ack count; n / 2 + 1 says so itself.
                if (!majority.QuorumNamed && !majority.CountNamed && majority.Shape != MajorityShape.PlusOne)
                {
                    continue;
                }

                var size = majority.Size.Syntax;
                var facts = collector.Describe(majority.Size);
                if (facts.Visibility != Visibility.None && reported.Add((size.SyntaxTree, size.Span)))
                {
                    Confidence.Report(
                        typeEnd.ReportDiagnostic,
                        typeEnd.Options,
                        Rules.QuorumOfVisibleNodes,
                        size.GetLocation(),
                        ConfidenceOf(majority, facts),
                        messageArgs: Display.Of(size));
                }
            }
        }

        /// <summary>
        /// How sure the size counts only visible nodes: base 75 for a filter on liveness (<c>IsAlive</c>,
        /// <c>Status == Up</c>, <c>!IsDown</c>, a recent heartbeat) or a strong name (reachable, alive, live, healthy,
        /// connected, visible, online, responsive, up), 55 for a weak name (active, available); -5 when the evidence was
        /// found only by following what was written to a variable. How sure it is a quorum: +15 for a quorum name
        /// (target, threshold or enclosing member), +10 for a vote/ack count compared with it; -10 for a bare
        /// <c>n / 2 + 1</c> with neither.
        /// </summary>
        private static int ConfidenceOf(Majority majority, OperandFacts facts)
        {
            var confidence = facts.Visibility == Visibility.Strong ? 75 : 55;
            confidence -= facts.DirectVisibility == Visibility.None ? 5 : 0;
            confidence += majority.QuorumNamed ? 15 : 0;
            confidence += majority.CountNamed ? 10 : 0;
            confidence -= !majority.QuorumNamed && !majority.CountNamed ? 10 : 0;
            return Confidence.Clamp(confidence);
        }
    }
}
