using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace DistributedReview
{
    /// <summary>
    /// The single descriptor factory: nothing else constructs a <see cref="DiagnosticDescriptor"/>.
    /// Every message ends with the confidence placeholder filled in by <see cref="Confidence"/>.
    /// </summary>
    internal static class Rules
    {
        public const string RepositoryUrl = "https://github.com/DistributedReview/DistributedReview";
        public const string HelpLinkBase = RepositoryUrl + "/blob/main/docs/rules/";
        public const string CategoryPrefix = "DistributedReview.";
        public const string TopicTagPrefix = "Topic=";
        public const string ImpactTagPrefix = "Impact=";

        public static readonly DiagnosticDescriptor WallClockInterval = Create(
            RuleIds.WallClockInterval,
            Topic.Timing,
            Impact.Important,
            title: "Elapsed time measured with a wall clock",
            messageFormat: "'{0}' measures elapsed time with the wall clock, which NTP or an operator can step backwards or forwards; measure it with a monotonic Stopwatch timestamp",
            description: "DateTime/DateTimeOffset/TimeProvider 'now' values follow the system clock, which jumps when NTP steps it, on daylight-saving changes (DateTime.Now) or when an operator sets it. "
                + "An interval computed from two wall-clock reads can be negative or hours long, so heartbeats, leases and timeouts fire too early or never. Use Stopwatch.GetTimestamp() and Stopwatch.GetElapsedTime(start).");

        public static readonly DiagnosticDescriptor WallClockDeadline = Create(
            RuleIds.WallClockDeadline,
            Topic.Timing,
            Impact.Important,
            title: "Deadline or lease checked against a wall clock",
            messageFormat: "'{0}' checks a deadline computed from the wall clock in this process, so a clock step makes the lease or timeout expire early or never; keep the deadline as a monotonic timestamp",
            description: "A deadline computed as DateTime.UtcNow + ttl and later compared with DateTime.UtcNow moves whenever the system clock is stepped: a lease can be held past its expiry (two holders) or a timeout never fire. "
                + "Keep the start or the deadline as a Stopwatch (or TimeProvider) timestamp and compare elapsed time.");

        public static readonly DiagnosticDescriptor TickCountWrap = Create(
            RuleIds.TickCountWrap,
            Topic.Timing,
            Impact.Important,
            title: "Environment.TickCount used where its wrap-around breaks it",
            messageFormat: "'{0}' breaks when Environment.TickCount wraps to negative after 24.9 days of uptime; use Environment.TickCount64",
            description: "Environment.TickCount is a 32-bit millisecond counter that wraps to int.MinValue after 24.9 days. Only an unchecked int subtraction survives the wrap; "
                + "comparisons with a deadline, widening to long before subtracting, masking and checked arithmetic all break on long-running servers. Use Environment.TickCount64 or a Stopwatch.");

        public static readonly DiagnosticDescriptor StopwatchTicks = Create(
            RuleIds.StopwatchTicks,
            Topic.Timing,
            Impact.Important,
            title: "Stopwatch ticks treated as TimeSpan ticks",
            messageFormat: "'{0}' treats Stopwatch ticks as 100 ns TimeSpan ticks, which is off by a factor of Stopwatch.Frequency / 10,000,000; use Stopwatch.Elapsed, Stopwatch.GetElapsedTime or a Frequency-based conversion",
            description: "Stopwatch.ElapsedTicks and Stopwatch.GetTimestamp() count in units of 1/Stopwatch.Frequency seconds, not in TimeSpan's 100 ns ticks. On most Linux machines the frequency is 1 GHz, "
                + "so TimeSpan.FromTicks(sw.ElapsedTicks) is 100 times too long and timeouts fire 100 times too early.");

        public static readonly DiagnosticDescriptor WallClockLastWriteWins = Create(
            RuleIds.WallClockLastWriteWins,
            Topic.Timing,
            Impact.Critical,
            title: "Last-write-wins by wall-clock timestamps across nodes",
            messageFormat: "'{0}' decides which replica's value wins by comparing wall-clock timestamps, so clock skew between nodes silently drops the newer write; order writes with a logical version (Lamport or hybrid logical clock, version vector)",
            description: "Clocks on different nodes disagree by milliseconds to minutes. Merging replicated state by keeping the value with the later DateTime timestamp loses every write made on a node whose clock is behind. "
                + "Use a logical version that every write increments, or a hybrid logical clock, and resolve true conflicts explicitly.");

        public static readonly DiagnosticDescriptor UnclampedWallClockDelay = Create(
            RuleIds.UnclampedWallClockDelay,
            Topic.Timing,
            Impact.Important,
            title: "Delay computed from a wall-clock difference without a clamp",
            messageFormat: "'{0}' passes a wall-clock difference to a delay, which a clock step makes negative (ArgumentOutOfRangeException) or hours long; clamp it to TimeSpan.Zero",
            description: "Task.Delay(target - DateTime.UtcNow) throws when the difference is negative (below -1 ms), which happens whenever the target has passed or the clock is stepped forward, "
                + "and sleeps far too long when the clock is stepped back. Clamp the difference to TimeSpan.Zero, and prefer monotonic time for the target.");

        public static readonly DiagnosticDescriptor QuorumOffByOne = Create(
            RuleIds.QuorumOffByOne,
            Topic.Consensus,
            Impact.Critical,
            title: "Quorum off by one",
            messageFormat: "'{0}' is not a strict majority: with an even cluster size two disjoint halves both reach it and can elect two leaders or commit conflicting writes; use n / 2 + 1, or compare with '>'",
            description: "A majority quorum must be more than half of the cluster: n / 2 + 1 nodes. n / 2, (n + 1) / 2 and Math.Ceiling(n / 2.0) are exactly half for even n, and votes >= n / 2 accepts half. "
                + "Two partitions of equal size then both believe they have a quorum: split-brain.");

        public static readonly DiagnosticDescriptor QuorumOfVisibleNodes = Create(
            RuleIds.QuorumOfVisibleNodes,
            Topic.Consensus,
            Impact.Critical,
            title: "Quorum computed from the nodes you can currently see",
            messageFormat: "'{0}' sizes a majority by the nodes this node can currently reach, so each side of a partition computes its own majority; size it by the configured cluster membership",
            description: "During a partition every side sees only its own nodes. A majority of the reachable nodes is then always reachable, on every side at once, and each side elects a leader or accepts writes. "
                + "Quorums must be computed from the configured membership, which does not shrink when nodes become unreachable.");

        public static readonly DiagnosticDescriptor LeaderWithoutQuorum = Create(
            RuleIds.LeaderWithoutQuorum,
            Topic.Consensus,
            Impact.Critical,
            title: "Becoming leader without a quorum check",
            messageFormat: "'{0}' makes this node leader without a visible majority check, so a partitioned node can become a second leader; guard it with a vote count compared to the cluster size",
            description: "A node that promotes itself because the old leader looks dead, without collecting votes from a majority of the cluster, becomes a second leader whenever it is partitioned from the old one. "
                + "Guard the transition with a quorum check (votes > clusterSize / 2) or leave leader election to a consensus library.");

        public static readonly DiagnosticDescriptor UnboundedRemoteWait = Create(
            RuleIds.UnboundedRemoteWait,
            Topic.Partitions,
            Impact.Important,
            title: "A remote call that can wait forever",
            messageFormat: "'{0}' can wait forever for a remote peer, so a partition hangs its caller instead of failing it; give the call a deadline or a finite timeout",
            description: "A partitioned peer does not answer and often does not close the connection either. A call without a timeout, deadline or cancellation then never completes: "
                + "threads, connections and requests pile up behind it and the partition turns into an outage. Bound every remote call.");

        public static readonly DiagnosticDescriptor RetryWithoutBackoff = Create(
            RuleIds.RetryWithoutBackoff,
            Topic.Partitions,
            Impact.Important,
            title: "Retry without backoff or jitter",
            messageFormat: "This loop retries '{0}' with no growing delay and no jitter, so after a partition heals every client retries in lockstep and overloads the service; back off exponentially with jitter and cap the attempts",
            description: "Retries at a fixed interval (or none) from many clients line up: when the network comes back they all hit the recovering service at the same moments. "
                + "Exponential backoff spreads retries over time, jitter de-synchronises clients, and an attempt cap bounds the damage. Polly or Microsoft.Extensions.Resilience do all three.");

        public static readonly DiagnosticDescriptor SwallowedNetworkFailure = Create(
            RuleIds.SwallowedNetworkFailure,
            Topic.Partitions,
            Impact.Important,
            title: "A swallowed network failure",
            messageFormat: "'{0}' swallows a network failure, so partitions never reach logs, metrics or callers; log it, count it, or let it propagate",
            description: "An empty catch around a remote call makes a partition invisible: nothing is logged, no metric moves, callers carry on with missing data. "
                + "Log and count the failure, return an explicit failure value, or rethrow.");

        public static readonly DiagnosticDescriptor UncheckedDistributedLock = Create(
            RuleIds.UncheckedDistributedLock,
            Topic.Partitions,
            Impact.Critical,
            title: "A distributed lock used without checking it was acquired",
            messageFormat: "'{0}' may return without the lock and the protected work runs anyway, so two nodes can be in the critical section at once; check that the lock was acquired first",
            description: "RedLock.net's CreateLock returns a lock object even when acquisition failed, and Medallion's TryAcquire returns null. Work done without checking IsAcquired or the null "
                + "runs unprotected exactly when another node holds the lock.");

        public static readonly DiagnosticDescriptor AkkaAutoDowning = Create(
            RuleIds.AkkaAutoDowning,
            Topic.Clustering,
            Impact.Critical,
            title: "Akka.NET auto-downing",
            messageFormat: "'{0}' turns on auto-downing, so both sides of a partition down each other and form two clusters; use the split brain resolver with keep-majority",
            description: "auto-down-unreachable-after removes unreachable members after a delay on every side of a partition at once. Each side then continues as a cluster of its own, "
                + "with its own singletons and shard owners: split-brain. The split brain resolver keeps only the majority side.");

        public static readonly DiagnosticDescriptor OrleansDevelopmentClustering = Create(
            RuleIds.OrleansDevelopmentClustering,
            Topic.Clustering,
            Impact.Important,
            title: "Orleans development clustering outside development",
            messageFormat: "'{0}' uses development clustering outside a development guard, which has no real membership and makes one silo the cluster's single point of failure; configure a production membership provider",
            description: "UseLocalhostClustering and UseDevelopmentClustering keep membership on one primary silo or in memory. In production a failure of that silo takes the whole cluster down. "
                + "Use a membership provider backed by a shared store (Azure Table, ADO.NET, Redis, Consul, Kubernetes) and keep development clustering behind IsDevelopment() or #if DEBUG.");

        public static readonly DiagnosticDescriptor UnversionedStoreUpdate = Create(
            RuleIds.UnversionedStoreUpdate,
            Topic.Concurrency,
            Impact.Critical,
            title: "Unversioned read-modify-write on a shared store",
            messageFormat: "'{0}' writes back a value computed from an earlier read of the same key with no version or condition, so two nodes that read the same value both write and one update is lost; {1}",
            description: "Reading a value from Redis, a distributed cache or another shared store, computing a new value and writing it back is a race between nodes: both read 5, both write 6. "
                + "Use an atomic server-side operation, or optimistic concurrency: read value and version, write only if the version is unchanged, retry on conflict.");

        public static readonly DiagnosticDescriptor NonAtomicConcurrentDictionaryUpdate = Create(
            RuleIds.NonAtomicConcurrentDictionaryUpdate,
            Topic.Concurrency,
            Impact.Critical,
            title: "Non-atomic update of a ConcurrentDictionary",
            messageFormat: "'{0}' reads and then writes a ConcurrentDictionary entry in two steps, so concurrent updates of the same key are lost; use AddOrUpdate, GetOrAdd, TryAdd or a TryUpdate loop",
            description: "ConcurrentDictionary makes each call atomic, not a sequence of calls. d[k] = d[k] + 1, or TryGetValue followed by an indexer write, lets two threads read the same old value and both write, "
                + "losing one update. AddOrUpdate, GetOrAdd, TryAdd and TryUpdate perform the read and the write as one operation.");

        public static readonly DiagnosticDescriptor NonAtomicSharedUpdate = Create(
            RuleIds.NonAtomicSharedUpdate,
            Topic.Concurrency,
            Impact.Critical,
            title: "Non-atomic read-modify-write of shared in-memory state",
            messageFormat: "'{0}' is a read-modify-write of state that other threads update concurrently, so updates are lost; use Interlocked or a compare-and-swap loop",
            description: "x++ and x += n read, compute and write in separate steps. A field that is elsewhere updated with Interlocked or Volatile, or a variable captured by Parallel.For/ForEach/Invoke or Task.Run lambdas, "
                + "is shared between threads: two threads read the same value and one increment disappears. Interlocked.Increment/Add or a CompareExchange loop make the update atomic.");

        public static readonly DiagnosticDescriptor ReplicaReadFeedsWrite = Create(
            RuleIds.ReplicaReadFeedsWrite,
            Topic.Consistency,
            Impact.Critical,
            title: "A replica read feeding a write",
            messageFormat: "'{0}' reads from a replica and the value is written back, so a stale replica value overwrites newer data on the primary; read from the primary for read-modify-write",
            description: "Replicas lag behind the primary. A value read with CommandFlags.PreferReplica or DemandReplica can be seconds old; computing a write from it silently undoes writes the replica has not seen yet "
                + "and breaks read-your-writes. Replica reads are for display and analytics; reads that feed writes go to the primary.");

        private static DiagnosticDescriptor Create(string id, Topic topic, Impact impact, string title, string messageFormat, string description)
        {
            var confidenceIndex = CountPlaceholders(messageFormat);
            return new DiagnosticDescriptor(
                id,
                title,
                messageFormat + " (confidence {" + confidenceIndex + "}%)",
                CategoryPrefix + topic,
                DiagnosticSeverity.Warning,
                isEnabledByDefault: true,
                description: description,
                helpLinkUri: HelpLinkBase + id + ".md",
                customTags: new[] { TopicTagPrefix + topic, ImpactTagPrefix + impact });
        }

        private static int CountPlaceholders(string format)
        {
            var highest = -1;
            foreach (Match match in Regex.Matches(format, @"\{(\d+)\}"))
            {
                highest = System.Math.Max(highest, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }

            return highest + 1;
        }
    }
}
