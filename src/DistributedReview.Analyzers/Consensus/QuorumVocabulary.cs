using System;
using System.Collections.Generic;
using System.Linq;

namespace DistributedReview.Consensus
{
    /// <summary>How strongly a name says that it counts only the nodes this node can currently see.</summary>
    internal enum Visibility
    {
        None,

        /// <summary><c>active</c>, <c>available</c>: usually liveness, sometimes configuration ("active configuration").</summary>
        Weak,

        /// <summary><c>reachable</c>, <c>alive</c>, <c>healthy</c>, <c>connected</c>, <c>online</c>, <c>up</c>, ...</summary>
        Strong,
    }

    /// <summary>
    /// Names that are evidence in the consensus rules. Names are split into words (<c>_requiredAcks</c> is
    /// "required" + "acks", <c>GetConnectedPeers</c> is "get" + "connected" + "peers") and matched word by word,
    /// so <c>unreachable</c> is not <c>reachable</c> and <c>upstream</c> is not <c>up</c>.
    /// </summary>
    internal static class QuorumVocabulary
    {
        private static readonly string[] QuorumWords = { "quorum", "majorit" };
        private static readonly string[] RequirementWords = { "required", "require", "requires", "need", "needed", "needs", "min", "minimum", "enough", "threshold" };
        private static readonly string[] StandaloneRequirementWords = { "required", "require", "requires", "need", "needed", "needs" };
        private static readonly string[] CountFillers = { "count", "number", "num", "n" };
        private static readonly string[] ResponseWords = { "vote", "ack", "reply", "replies", "replied", "grant", "confirm", "respon", "promise", "accept", "success" };
        private static readonly string[] ResponseExceptions = { "voter", "acceptor" };
        private static readonly string[] MembershipWords = { "member", "node", "replica", "peer", "cluster", "voter", "server", "participant", "acceptor", "follower", "ensemble", "silo" };
        private static readonly string[] SelfExcludingWords = { "peer", "follower", "other", "remote" };
        private static readonly string[] StrongVisibleWords = { "reachab", "alive", "healthy", "connected", "visible", "online", "responsive", "responding" };
        private static readonly string[] StrongVisibleExactWords = { "live", "up" };
        private static readonly string[] WeakVisibleWords = { "active", "available" };
        private static readonly string[] DownWords = { "down", "dead", "fail", "faulty", "unreachab", "unhealthy", "offline", "suspect", "disconnected", "crash", "unavailable", "inactive", "unresponsive" };
        private static readonly string[] ConfigurationWords = { "config", "membership" };
        private static readonly string[] ConfigurationExactWords = { "all", "total", "expected" };
        private static readonly string[] RecencyWords = { "heartbeat", "seen", "contact", "lastping" };

        /// <summary>
        /// The value is the number of nodes needed: <c>quorum</c>, <c>majority</c>, <c>HasQuorum</c>, <c>requiredVotes</c>,
        /// <c>minAcks</c>, <c>votesNeeded</c>, <c>required</c>.
        /// </summary>
        public static bool IsQuorumName(string? name)
        {
            var words = Words(name);
            if (words.Any(word => StartsWithAny(word, QuorumWords)))
            {
                return true;
            }

            // requiredVotes, minAcks, voteThreshold; on their own only "required"/"needed" (a bare "threshold" may be one to exceed).
            return words.Any(word => RequirementWords.Contains(word)) && words.Any(IsResponseWord)
                || (words.Any(word => StandaloneRequirementWords.Contains(word)) && words.All(word => StandaloneRequirementWords.Contains(word) || CountFillers.Contains(word)));
        }

        /// <summary>
        /// A count of answers or of live nodes, the thing compared with a majority: <c>votes</c>, <c>acks</c>,
        /// <c>replies</c>, <c>grants</c>, <c>confirmations</c>, <c>responses</c>, <c>promises</c>, <c>reachable</c>, ...
        /// </summary>
        public static bool IsResponseCountName(string? name) =>
            Words(name).Any(word => IsResponseWord(word) || VisibilityOfWord(word) != Visibility.None);

        /// <summary>A size of the cluster's membership: <c>members</c>, <c>nodes</c>, <c>replicas</c>, <c>peers</c>, <c>clusterSize</c>, <c>voters</c>, ...</summary>
        public static bool IsMembershipName(string? name) => Words(name).Any(word => StartsWithAny(word, MembershipWords));

        /// <summary>A count that leaves this node out: <c>peers</c>, <c>followers</c>, <c>otherNodes</c>, <c>remoteAcks</c>.</summary>
        public static bool ExcludesSelf(string? name) => Words(name).Any(word => StartsWithAny(word, SelfExcludingWords));

        /// <summary>
        /// How strongly the name says it counts only reachable nodes. A name that also says configuration or
        /// all (<c>ActiveConfiguration</c>, <c>allAvailableSlots</c>) is about the membership, not liveness.
        /// </summary>
        public static Visibility VisibilityOf(string? name)
        {
            var words = Words(name);
            if (words.Any(word => StartsWithAny(word, ConfigurationWords) || ConfigurationExactWords.Contains(word)))
            {
                return Visibility.None;
            }

            var strongest = Visibility.None;
            foreach (var word in words)
            {
                var visibility = VisibilityOfWord(word);
                strongest = visibility > strongest ? visibility : strongest;
            }

            return strongest;
        }

        /// <summary>A state that is the opposite of visible: <c>IsDown</c>, <c>Dead</c>, <c>Failed</c>, <c>Unreachable</c>, <c>Suspected</c>.</summary>
        public static bool IsDownName(string? name) => Words(name).Any(word => StartsWithAny(word, DownWords));

        /// <summary>A failure detector's recency: <c>LastHeartbeat</c>, <c>LastSeen</c>, <c>LastContact</c>.</summary>
        public static bool IsRecencyName(string? name) => Words(name).Any(word => StartsWithAny(word, RecencyWords));

        /// <summary>Names that only say "how many" and point to the receiver for what is counted.</summary>
        public static bool IsGenericCountName(string? name) =>
            name is "Count" or "LongCount" or "Length" or "LongLength" or "Size" or "Value" or "Total" or "TotalCount";

        /// <summary>Splits an identifier into lower-case words at underscores, digits and case changes (<c>HTTPServer</c> is "http" + "server").</summary>
        public static IReadOnlyList<string> Words(string? name)
        {
            var words = new List<string>();
            if (string.IsNullOrEmpty(name))
            {
                return words;
            }

            var start = -1;
            for (var i = 0; i < name!.Length; i++)
            {
                var c = name[i];
                if (!char.IsLetter(c))
                {
                    Flush(name, ref start, i, words);
                    continue;
                }

                if (start >= 0 && char.IsUpper(c)
                    && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
                {
                    Flush(name, ref start, i, words);
                }

                if (start < 0)
                {
                    start = i;
                }
            }

            Flush(name, ref start, name.Length, words);
            return words;
        }

        private static void Flush(string name, ref int start, int end, List<string> words)
        {
            if (start >= 0 && end > start)
            {
                words.Add(name.Substring(start, end - start).ToLowerInvariant());
            }

            start = -1;
        }

        private static bool IsResponseWord(string word) => StartsWithAny(word, ResponseWords) && !StartsWithAny(word, ResponseExceptions);

        private static Visibility VisibilityOfWord(string word) =>
            StartsWithAny(word, StrongVisibleWords) || StrongVisibleExactWords.Contains(word) ? Visibility.Strong
            : WeakVisibleWords.Contains(word) ? Visibility.Weak
            : Visibility.None;

        private static bool StartsWithAny(string word, string[] prefixes) =>
            prefixes.Any(prefix => word.StartsWith(prefix, StringComparison.Ordinal));
    }
}
