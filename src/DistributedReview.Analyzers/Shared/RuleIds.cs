namespace DistributedReview
{
    /// <summary>Every rule ID, in one place. IDs are permanent once shipped.</summary>
    internal static class RuleIds
    {
        /// <summary>Elapsed interval measured with a wall clock.</summary>
        public const string WallClockInterval = "DR1001";

        /// <summary>In-process deadline, lease or timeout checked against a wall clock.</summary>
        public const string WallClockDeadline = "DR1002";

        /// <summary>Environment.TickCount used where its wrap-around breaks it.</summary>
        public const string TickCountWrap = "DR1003";

        /// <summary>Stopwatch ticks treated as TimeSpan ticks.</summary>
        public const string StopwatchTicks = "DR1004";

        /// <summary>Last-write-wins by wall-clock timestamps across nodes.</summary>
        public const string WallClockLastWriteWins = "DR1005";

        /// <summary>A delay computed from a wall-clock difference without a clamp.</summary>
        public const string UnclampedWallClockDelay = "DR1006";

        /// <summary>Quorum off by one: a half that is not a strict majority.</summary>
        public const string QuorumOffByOne = "DR2001";

        /// <summary>Quorum computed from the nodes currently visible.</summary>
        public const string QuorumOfVisibleNodes = "DR2002";

        /// <summary>Becoming leader without a quorum check.</summary>
        public const string LeaderWithoutQuorum = "DR2003";

        /// <summary>Unversioned read-modify-write on a shared store.</summary>
        public const string UnversionedStoreUpdate = "DR3001";

        /// <summary>Non-atomic update of a ConcurrentDictionary.</summary>
        public const string NonAtomicConcurrentDictionaryUpdate = "DR3002";

        /// <summary>Non-atomic read-modify-write of shared in-memory state.</summary>
        public const string NonAtomicSharedUpdate = "DR3003";

        /// <summary>A remote call that can wait forever.</summary>
        public const string UnboundedRemoteWait = "DR4001";

        /// <summary>Retry without backoff or jitter.</summary>
        public const string RetryWithoutBackoff = "DR4002";

        /// <summary>A swallowed network failure.</summary>
        public const string SwallowedNetworkFailure = "DR4003";

        /// <summary>A distributed lock used without checking it was acquired.</summary>
        public const string UncheckedDistributedLock = "DR4004";

        /// <summary>Akka.NET auto-downing.</summary>
        public const string AkkaAutoDowning = "DR5001";

        /// <summary>Orleans development clustering outside development.</summary>
        public const string OrleansDevelopmentClustering = "DR5002";

        /// <summary>A replica read feeding a write.</summary>
        public const string ReplicaReadFeedsWrite = "DR6001";
    }
}
