using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace DistributedReview.Cli.Review
{
    /// <summary>One part of the seed's "Architecture Analysis": what was found, how it stands, and which topic page explains it.</summary>
    internal sealed record ArchitectureSection(string Heading, string Current, string Assessment, string Status, string Topic);

    internal sealed record Architecture(
        ArchitectureSection Clustering,
        ArchitectureSection Consensus,
        ArchitectureSection Coordination,
        ArchitectureSection Stores,
        ArchitectureSection Cap,
        ArchitectureSection Partitions,
        string CapStance,
        ImmutableArray<string> LowPriority)
    {
        public IEnumerable<ArchitectureSection> Sections => new[] { Clustering, Consensus, Coordination, Stores, Cap, Partitions };
    }

    /// <summary>
    /// Derives the architecture summary from the code in scope (identifiers), the projects' references (package
    /// assemblies) and configuration files, together with the findings: clustering (Orleans, Akka.Cluster), consensus
    /// (DotNext Raft, a home-grown Raft recognised by its vocabulary), coordination (RedLock.net, Medallion), stores
    /// (Redis, SQL, Cosmos, distributed cache) and the CP/AP stance they imply.
    /// </summary>
    internal static class ArchitectureAnalysis
    {
        private static readonly string[][] ConsensusVocabulary =
        {
            new[] { "leader", "follower", "candidate" },
            new[] { "election", "elect", "vote", "votes", "term" },
            new[] { "quorum", "majority" },
            new[] { "append", "entries", "commit", "committed", "replicas", "replica", "acks", "ack" },
        };

        public static Architecture Derive(Evidence evidence, ImmutableArray<Finding> findings)
        {
            var ids = findings.GroupBy(f => f.Rule.Id).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            int Count(params string[] rules) => rules.Sum(r => ids.TryGetValue(r, out var n) ? n : 0);

            // Clustering.
            var akkaConfig = evidence.ConfigurationsMatching(@"provider\s*[=:]\s*""?(cluster|Akka\.Cluster)|^\s*akka\.cluster|seed-nodes").ToList();
            var akka = evidence.HasAssembly("Akka.Cluster") || akkaConfig.Count > 0 || Count("DR5001") > 0;
            var orleans = evidence.HasAssembly("Orleans", "Microsoft.Orleans") || evidence.HasIdentifier("UseOrleans", "ISiloBuilder", "UseLocalhostClustering", "UseDevelopmentClustering") || Count("DR5002") > 0;
            var seedNodes = akkaConfig.Select(c => Regex.Match(c.Text, @"seed-nodes\s*[=:]\s*\[([^\]]*)\]")).Where(m => m.Success)
                .Select(m => m.Groups[1].Value.Split(',').Count(s => s.Trim().Length > 0)).DefaultIfEmpty(0).Max();
            var sbr = evidence.ConfigurationsMatching(@"split-brain-resolver|SplitBrainResolverProvider").Any();
            var productionMembership = evidence.HasIdentifier("UseAzureStorageClustering", "UseAdoNetClustering", "UseRedisClustering", "UseConsulSiloClustering", "UseKubernetesHosting", "UseZooKeeperClustering", "UseCosmosClustering");

            ArchitectureSection clustering;
            if (akka || orleans)
            {
                var parts = new List<string>();
                var assessments = new List<string>();
                var healthy = true;
                if (akka)
                {
                    var source = akkaConfig.Count > 0 ? $" (configured in {string.Join(", ", akkaConfig.Select(c => Path.GetFileName(c.Path)).Distinct())}{(seedNodes > 0 ? $", {seedNodes} seed nodes" : string.Empty)})" : string.Empty;
                    parts.Add("Akka.Cluster" + source);
                    if (Count("DR5001") > 0)
                    {
                        healthy = false;
                        assessments.Add("auto-downing is on (DR5001): on a partition both sides down each other and carry on as two clusters, each with its own singletons and shard owners");
                    }
                    else if (sbr)
                    {
                        assessments.Add("the split brain resolver decides which side of a partition survives");
                    }
                    else
                    {
                        assessments.Add("no downing strategy is configured explicitly: set the split brain resolver with keep-majority so the minority side downs itself");
                    }
                }

                if (orleans)
                {
                    parts.Add("Orleans");
                    if (Count("DR5002") > 0)
                    {
                        healthy = false;
                        assessments.Add("development clustering outside a development guard (DR5002): no real membership, one silo is a single point of failure");
                    }
                    else
                    {
                        assessments.Add(productionMembership ? "membership is kept in a shared store" : "check that a production membership provider is configured outside development");
                    }
                }

                clustering = new ArchitectureSection(
                    "Clustering Strategy",
                    string.Join("; ", parts),
                    Sentence(string.Join("; ", assessments)),
                    healthy ? "Appropriate ✓" : "Needs migration: replace the unsafe downing or membership configuration",
                    "clustering");
            }
            else
            {
                clustering = new ArchitectureSection(
                    "Clustering Strategy",
                    "No cluster membership library (Orleans, Akka.Cluster) found",
                    "Nodes find and watch each other through the application's own code, so membership, failure detection and partition handling are this code's responsibility.",
                    "Not applicable",
                    "clustering");
            }

            // Consensus.
            var dotNext = evidence.HasAssembly("DotNext.Net.Cluster") || evidence.HasIdentifier("RaftCluster", "IRaftCluster", "RaftHttpCluster", "IRaftClusterMember");
            var vocabulary = ConsensusVocabulary.Where(group => evidence.HasWord(group)).Count();
            var consensusFindings = Count("DR2001", "DR2002", "DR2003");
            var homeGrown = !dotNext && (vocabulary >= 3 || (vocabulary >= 2 && consensusFindings > 0));
            var useCases = new List<string>();
            if (evidence.HasWord("leader", "election", "elect"))
            {
                useCases.Add("leader election");
            }

            if (evidence.HasWord("quorum", "majority", "acks", "ack", "replicas", "commit"))
            {
                useCases.Add("quorum replication");
            }

            var useCase = useCases.Count > 0 ? string.Join(" and ", useCases) : "coordination";
            ArchitectureSection consensus;
            if (dotNext || homeGrown)
            {
                var current = dotNext
                    ? $"Raft via DotNext.Net.Cluster, for {useCase} (CP)"
                    : $"Home-grown Raft-like consensus, recognised by its vocabulary (leader, election, quorum), for {useCase} (CP intended)";
                string assessment;
                string status;
                if (consensusFindings > 0)
                {
                    assessment = $"{Plural(consensusFindings, "quorum or leader-election finding")} ({RuleList(ids, "DR2001", "DR2002", "DR2003")}): a partition can leave two sides that both believe they hold a majority, so two leaders accept writes.";
                    status = "Broken under partition: fix the quorum findings first";
                }
                else
                {
                    assessment = dotNext
                        ? "A maintained Raft implementation; no quorum arithmetic findings in scope."
                        : "No quorum arithmetic findings in scope; a home-grown algorithm still needs partition tests, or a library (DotNext.Net.Cluster).";
                    status = dotNext ? "Correct choice ✓" : "Review the algorithm under partition tests";
                }

                if (!dotNext)
                {
                    assessment += " Prefer a maintained implementation (DotNext.Net.Cluster's Raft) over home-grown elections.";
                }

                consensus = new ArchitectureSection("Consensus Algorithm", current, assessment, status + " · Consistency requirement: CP", "consensus");
            }
            else
            {
                consensus = new ArchitectureSection(
                    "Consensus Algorithm",
                    "None found (no DotNext Raft, no leader/election/quorum vocabulary)",
                    consensusFindings > 0
                        ? $"Quorum arithmetic findings ({RuleList(ids, "DR2001", "DR2002", "DR2003")}) without a recognisable algorithm: review them first."
                        : "No code in scope decides leadership or commits by majority.",
                    consensusFindings > 0 ? "Needs attention" : "Not applicable",
                    "consensus");
            }

            // Coordination.
            var redLock = evidence.HasAssembly("RedLockNet", "RedLockNet.SERedis", "RedLockNet.Abstractions") || evidence.HasIdentifier("RedLockFactory", "IRedLock", "IDistributedLockFactory");
            var medallion = evidence.HasAssembly("DistributedLock", "DistributedLock.Core") || evidence.HasIdentifier("IDistributedLock", "IDistributedSynchronizationHandle", "IDistributedLockProvider");
            var lockFindings = Count("DR4004");
            ArchitectureSection coordination;
            if (redLock || medallion)
            {
                var names = new List<string>();
                if (redLock)
                {
                    names.Add("RedLock.net");
                }

                if (medallion)
                {
                    names.Add("Medallion DistributedLock");
                }

                var assessment = (lockFindings > 0 ? $"{Plural(lockFindings, "lock")} used without checking it was acquired (DR4004). " : string.Empty)
                    + "A lease-based lock can expire while its holder is paused (GC, VM migration): protect the resource with a fencing token as well when correctness, not only efficiency, depends on the lock.";
                coordination = new ArchitectureSection("Coordination", string.Join(" and ", names), assessment, lockFindings > 0 ? "Needs attention" : "Appropriate with fencing ✓", "failure-modes");
            }
            else
            {
                coordination = new ArchitectureSection("Coordination", "No distributed lock library (RedLock.net, Medallion) found", "Mutual exclusion across nodes, if any, comes from the stores or the consensus above.", "Not applicable", "failure-modes");
            }

            // Stores.
            var stores = new List<string>();
            var redis = evidence.HasAssembly("StackExchange.Redis") || evidence.HasIdentifier("ConnectionMultiplexer", "IConnectionMultiplexer");
            var sql = evidence.HasAssembly("Microsoft.Data.SqlClient", "System.Data.SqlClient", "Npgsql", "MySqlConnector", "MySql.Data", "Microsoft.EntityFrameworkCore", "Dapper", "Microsoft.Data.Sqlite") || evidence.HasIdentifier("SqlConnection", "NpgsqlConnection", "DbContext");
            var cosmos = evidence.HasAssembly("Microsoft.Azure.Cosmos.Client", "Microsoft.Azure.Cosmos") || evidence.HasIdentifier("CosmosClient");
            var cache = evidence.HasIdentifier("IDistributedCache");
            if (redis)
            {
                stores.Add("Redis (StackExchange.Redis)");
            }

            if (sql)
            {
                stores.Add("SQL");
            }

            if (cosmos)
            {
                stores.Add("Cosmos DB");
            }

            if (cache)
            {
                stores.Add("distributed cache (IDistributedCache)");
            }

            var storeFindings = Count("DR3001", "DR6001");
            var inMemory = Count("DR3002", "DR3003");
            var storeAssessment = stores.Count == 0
                ? "State lives in process memory or in stores the code in scope does not reference."
                : storeFindings > 0
                    ? $"{Plural(storeFindings, "read-modify-write")} without a version or from a replica ({RuleList(ids, "DR3001", "DR6001")}): concurrent nodes lose updates."
                    : "No unversioned read-modify-write found on these stores.";
            if (inMemory > 0)
            {
                storeAssessment += $" In memory, {Plural(inMemory, "non-atomic update")} of shared state ({RuleList(ids, "DR3002", "DR3003")}) lose updates between threads.";
            }

            var storesSection = new ArchitectureSection(
                "Stores",
                stores.Count == 0 ? "No shared store (Redis, SQL, Cosmos DB, distributed cache) found" : string.Join(", ", stores),
                storeAssessment,
                storeFindings + inMemory > 0 ? "Needs attention" : stores.Count == 0 ? "Not applicable" : "Appropriate ✓",
                "crdts");

            // CAP.
            var capNotes = new List<string>();
            string stance;
            if (dotNext || homeGrown)
            {
                stance = "CP";
                capNotes.Add(consensusFindings > 0
                    ? "the consensus code means to be CP (a minority side stops), but the quorum findings let both sides of a partition accept writes: split-brain, neither consistent nor safely available"
                    : "state behind consensus is CP: the minority side of a partition stops accepting writes");
            }
            else if (akka && sbr)
            {
                stance = "CP";
                capNotes.Add("with keep-majority the minority side of a partition downs itself");
            }
            else if (redis || cosmos || cache)
            {
                stance = "AP";
            }
            else if (sql)
            {
                stance = "CP";
                capNotes.Add("a single SQL primary is consistent and unavailable while it is unreachable");
            }
            else
            {
                stance = "none identified";
            }

            if (akka && Count("DR5001") > 0)
            {
                capNotes.Add("auto-downing lets both sides of a partition continue as separate clusters, which gives up consistency without a plan for merging");
            }

            if (redis)
            {
                capNotes.Add("Redis replication is asynchronous: a failover can drop acknowledged writes and replica reads are stale (AP)");
            }

            if (cosmos)
            {
                capNotes.Add("Cosmos DB's consistency level decides: Strong is CP, Session and Eventual are AP");
            }

            if (Count("DR1005") > 0)
            {
                capNotes.Add("replicas merge by last-write-wins on wall-clock timestamps (DR1005), an AP choice that silently loses writes under clock skew; use logical versions");
            }

            var cap = new ArchitectureSection(
                "CAP Tradeoffs",
                stance == "none identified" ? "No replicated state identified" : stance,
                capNotes.Count > 0 ? Sentence(string.Join("; ", capNotes)) : "No replicated state in scope, so no CAP choice is visible in the code.",
                consensusFindings > 0 || Count("DR5001", "DR1005") > 0 ? "Recommended: CP with correct majorities for coordination state; versioned or CRDT merges for AP data" : stance == "none identified" ? "Not applicable" : "Consistent with the design ✓",
                "cap-theorem");

            // Partitions.
            var partitionFindings = Count("DR4001", "DR4002", "DR4003", "DR4004", "DR2002", "DR5001");
            var partitionParts = new List<string>();
            void Describe(string id, string what)
            {
                if (Count(id) > 0)
                {
                    partitionParts.Add($"{Count(id)} × {what} ({id})");
                }
            }

            Describe("DR4001", "remote call that can wait forever");
            Describe("DR4002", "retry without backoff or jitter");
            Describe("DR4003", "swallowed network failure");
            Describe("DR4004", "unchecked distributed lock");
            Describe("DR2002", "majority of the visible nodes");
            Describe("DR5001", "auto-downing setting");
            var partitions = new ArchitectureSection(
                "Network Partition Behavior",
                partitionParts.Count > 0 ? string.Join(", ", partitionParts) : "Remote calls in scope are bounded, retried with backoff and their failures surface",
                partitionFindings > 0
                    ? "During a partition these calls hang, retry in lockstep when the network heals, or hide the failure from logs and callers."
                    : "No partition-handling findings in scope.",
                partitionFindings > 0 ? "Recommended: bound every remote wait, back off with jitter, surface failures" : "Appropriate ✓",
                "failure-modes");

            // Low priority: monitoring and testing (topic: monitoring).
            var low = new List<string>();
            if (Count("DR1001", "DR1002", "DR1003", "DR1004", "DR1005", "DR1006") > 0 || dotNext || homeGrown)
            {
                low.Add("Monitor NTP offset on every node and alert on clock steps (clock drift detection)");
            }

            if (dotNext || homeGrown || akka || orleans)
            {
                low.Add("Alert when the reachable cluster size drops below a quorum, and track leader election frequency (instability)");
            }

            low.Add("Test partitions (toxiproxy, iptables) and the minority side's behaviour; verify quorum calculations under failures");
            return new Architecture(clustering, consensus, coordination, storesSection, cap, partitions, stance, low.ToImmutableArray());
        }

        private static string RuleList(IReadOnlyDictionary<string, int> ids, params string[] rules) =>
            string.Join(", ", rules.Where(ids.ContainsKey));

        private static string Plural(int count, string noun) => count == 1 ? "1 " + noun : $"{count} {noun}s";

        private static string Sentence(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1) + (text.EndsWith(".", StringComparison.Ordinal) ? string.Empty : ".");
    }
}
