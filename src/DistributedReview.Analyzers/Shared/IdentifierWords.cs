using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace DistributedReview
{
    /// <summary>The words of an identifier, for name evidence: matching whole words keeps "Async" from meaning "sync".</summary>
    internal static class IdentifierWords
    {
        public static bool Any(string? name, ImmutableHashSet<string> vocabulary) => Of(name).Any(vocabulary.Contains);

        /// <summary>"BecomeLeaderAsync" → become, leader, async; "_isLeader" → is, leader; "IAmLeader" → i, am, leader.</summary>
        public static List<string> Of(string? name)
        {
            var words = new List<string>();
            if (string.IsNullOrEmpty(name))
            {
                return words;
            }

            var start = -1;
            for (var i = 0; i <= name!.Length; i++)
            {
                var boundary = i == name.Length
                    || !char.IsLetterOrDigit(name[i])
                    || (i > 0 && char.IsUpper(name[i]) && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])
                        || (i + 1 < name.Length && char.IsUpper(name[i - 1]) && char.IsLower(name[i + 1]))));
                if (boundary && start >= 0)
                {
                    words.Add(name.Substring(start, i - start).ToLowerInvariant());
                    start = -1;
                }

                if (i < name.Length && char.IsLetterOrDigit(name[i]) && start < 0)
                {
                    start = i;
                }
            }

            return words;
        }
    }
}
