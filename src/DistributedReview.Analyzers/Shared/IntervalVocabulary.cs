using System;
using System.Linq;

namespace DistributedReview
{
    /// <summary>Names that say a value is part of an interval, lease or timeout: evidence that raises confidence.</summary>
    internal static class IntervalVocabulary
    {
        private static readonly string[] Words =
        {
            "lease", "deadline", "timeout", "heartbeat", "expir", "elapsed", "lastseen", "lastcontact",
            "ttl", "idle", "election", "stale", "duration", "since",
        };

        public static bool Matches(string? name) =>
            !string.IsNullOrEmpty(name) && Words.Any(word => name!.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0);
    }
}
