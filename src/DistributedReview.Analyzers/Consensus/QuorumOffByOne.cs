using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Consensus
{
    /// <summary>
    /// DR2001: a quorum that is not a strict majority. Halves of a cluster size (<c>n / 2</c>, <c>n &gt;&gt; 1</c>,
    /// <c>(n + 1) / 2</c>, <c>Math.Ceiling(n / 2.0)</c>, <c>Math.Round(n / 2.0)</c>) kept as the number of nodes
    /// needed, and vote or ack counts compared <c>&gt;= n / 2</c> (also through a threshold variable, and
    /// <c>votes * 2 &gt;= n</c>). Reported only with evidence that the value is a quorum; see <see cref="ConfidenceOf"/>.
    /// Run by <see cref="QuorumAnalyzer"/>, which finds the majority expressions once for DR2001 and DR2002.
    /// </summary>
    public static class QuorumOffByOne
    {
        /// <summary>Diagnostic property telling the fix what to do: <see cref="FlipFix"/> or <see cref="ReplaceFix"/>; absent when no fix is safe.</summary>
        public const string FixProperty = "Fix";

        /// <summary>Toggle the comparison's strictness: <c>&gt;=</c> to <c>&gt;</c>, <c>&lt;</c> to <c>&lt;=</c>.</summary>
        public const string FlipFix = "Flip";

        /// <summary>Rewrite the half at <see cref="HalfSpanProperty"/> to <c>n / 2 + 1</c>.</summary>
        public const string ReplaceFix = "Replace";

        /// <summary>"start,length" of the half to rewrite, in the diagnostic's document.</summary>
        public const string HalfSpanProperty = "HalfSpan";

        internal static void Report(SymbolAnalysisContext typeEnd, IReadOnlyList<Majority> majorities)
        {
            var reported = new HashSet<(SyntaxTree, TextSpan)>();
            foreach (var majority in majorities)
            {
                var syntax = majority.Operation.Syntax;
                if (majority.IsOffByOne
                    && (majority.QuorumNamed || (majority.CountNamed && majority.SizeNamed))
                    && reported.Add((syntax.SyntaxTree, syntax.Span)))
                {
                    Confidence.Report(
                        typeEnd.ReportDiagnostic,
                        typeEnd.Options,
                        Rules.QuorumOffByOne,
                        syntax.GetLocation(),
                        ConfidenceOf(majority),
                        FixProperties(majority, syntax),
                        Display.Of(syntax));
                }
            }
        }

        /// <summary>
        /// Evidence that the expression is a quorum, added to a base of 40: the target, threshold variable or
        /// enclosing member is named like a quorum (quorum, majority, requiredVotes, minAcks, ...): +40; the count
        /// compared is named like votes or acks (votes, acks, replies, grants, confirmations, responses, or alive/
        /// reachable nodes): +25; the size is named like the membership (members, nodes, replicas, peers, cluster,
        /// voters, servers): +15. The half kept in a non-private field, property or method: -10 (code not seen here
        /// can use it). Reported only with a quorum name, or with both a vote/ack count and a membership size.
        /// </summary>
        private static int ConfidenceOf(Majority majority)
        {
            var confidence = 40;
            confidence += majority.QuorumNamed ? 40 : 0;
            confidence += majority.CountNamed ? 25 : 0;
            confidence += majority.SizeNamed ? 15 : 0;
            confidence -= majority.KeptInNonPrivateMember ? 10 : 0;
            return Confidence.Clamp(confidence);
        }

        private static ImmutableDictionary<string, string?> FixProperties(Majority majority, SyntaxNode reported)
        {
            var properties = ImmutableDictionary<string, string?>.Empty;
            switch (majority.Fix)
            {
                case QuorumFix.FlipComparison:
                    return properties.Add(FixProperty, FlipFix);
                case QuorumFix.ReplaceHalf when majority.Half?.Operation.Syntax is { } half && half.SyntaxTree == reported.SyntaxTree:
                    return properties
                        .Add(FixProperty, ReplaceFix)
                        .Add(HalfSpanProperty, half.Span.Start.ToString(CultureInfo.InvariantCulture) + "," + half.Span.Length.ToString(CultureInfo.InvariantCulture));
                default:
                    return properties;
            }
        }
    }
}
