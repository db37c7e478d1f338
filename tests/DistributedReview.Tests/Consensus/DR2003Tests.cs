using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using DistributedReview.Consensus;
using DistributedReview.Tests.Catalog;
using DistributedReview.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using VerifyAnalyzer = DistributedReview.Tests.Verification.Verify<DistributedReview.Consensus.LeaderWithoutQuorumAnalyzer>;

namespace DistributedReview.Tests.Consensus;

/// <summary>DR2003: becoming leader without a quorum check.</summary>
public class DR2003Tests
{
    /// <summary>Minimal stand-ins for DotNext's cluster interfaces, with their real namespaces and names.</summary>
    private const string DotNext = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        namespace DotNext.Net.Cluster
        {
            public interface IClusterMember
            {
                bool IsRemote { get; }
            }

            public interface ICluster
            {
                IClusterMember? Leader { get; }

                event Action<ICluster, IClusterMember?> LeaderChanged;
            }
        }

        namespace DotNext.Net.Cluster.Consensus.Raft
        {
            public interface IRaftCluster : DotNext.Net.Cluster.ICluster
            {
                CancellationToken LeadershipToken { get; }

                ValueTask<CancellationToken> WaitForLeadershipAsync(TimeSpan timeout, CancellationToken token = default);
            }
        }
        """;

    /// <summary>Minimal stand-ins for Akka.NET's cluster events and receive actor.</summary>
    private const string Akka = """
        using System;

        namespace Akka.Actor
        {
            public sealed class Address { }

            public abstract class ReceiveActor
            {
                protected void Receive<T>(Action<T> handler) { }
            }
        }

        namespace Akka.Cluster
        {
            public static class ClusterEvent
            {
                public sealed class LeaderChanged
                {
                    public Akka.Actor.Address? Leader { get; set; }
                }
            }

            public sealed class Cluster
            {
                public Akka.Actor.Address SelfAddress { get; } = new();
            }
        }
        """;

    private static readonly TestOptions WithDotNext = new() { AdditionalSources = ImmutableArray.Create(DotNext) };

    // ---- Reported --------------------------------------------------------------------------------------

    [Fact]
    public Task Seed_shape_leader_looks_dead_so_I_become_leader() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Diagnostics;

        public sealed class LeaderElection
        {
            private readonly TimeSpan _timeout = TimeSpan.FromSeconds(5);
            private long _lastHeartbeat = Stopwatch.GetTimestamp();

            public void OnHeartbeat() => _lastHeartbeat = Stopwatch.GetTimestamp();

            public void ElectLeader()
            {
                if (Stopwatch.GetElapsedTime(_lastHeartbeat) > _timeout)
                {
                    [|BecomeLeader();|]
                }
            }

            private void BecomeLeader() => Console.WriteLine("I am the leader now");
        }
        """);

    [Fact]
    public Task Flags_fields_and_properties_set_to_true() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        public class ClusterNode
        {
            private bool _isLeader;
            private static bool s_amLeader;
            private bool _leaderAlive = true;

            public bool IsLeader { get; private set; }

            public void OnElectionTimeout()
            {
                [|_isLeader = true;|]
            }

            public void OnLeaderSilent() => [|IsLeader = true|];

            public void Failover()
            {
                if (!_leaderAlive)
                    [|this.IsLeader = true;|]
            }

            public static void TakeOverStatic() => [|s_amLeader = true|];
        }
        """);

    [Fact]
    public Task Role_and_state_enums_set_to_their_leader_member() => VerifyAnalyzer.AnalyzerAsync("""
        using static RaftState;

        public enum Role { Follower, Candidate, Leader }
        public enum NodeState { Follower, Candidate, Leader }
        public enum RaftState { Follower, Candidate, Leader }

        public sealed class RaftNode
        {
            private RaftState _state;
            private Role? _currentRole;
            private int _missedHeartbeats;

            public Role Role { get; private set; }
            public NodeState State { get; set; }

            public void OnElectionTimeout()
            {
                [|Role = Role.Leader;|]
            }

            public void OnHeartbeatMissed()
            {
                _missedHeartbeats++;
                if (_missedHeartbeats > 3)
                {
                    [|State = NodeState.Leader;|]
                }
            }

            public void Tick()
            {
                if (_missedHeartbeats > 3) [|_state = Leader;|]
            }

            public void Campaign() => [|_currentRole = Role.Leader|];
        }
        """);

    [Fact]
    public Task Become_leader_calls_sync_async_and_discarded() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        public class ClusterMember
        {
            private bool _leaderTimedOut;

            public async Task OnElectionTimeoutAsync()
            {
                if (_leaderTimedOut)
                {
                    [|await BecomeLeaderAsync();|]
                }
            }

            public async Task FailoverAsync()
            {
                [|await PromoteToLeaderAsync().ConfigureAwait(false);|]
            }

            public void OnLeaderLost()
            {
                [|_ = TakeLeadershipAsync();|]
            }

            public Task OnHeartbeatTimeout() => [|BecomeLeaderAsync()|];

            public Task OnFailover()
            {
                [|return this.BecomeLeaderAsync();|]
            }

            protected virtual Task BecomeLeaderAsync() => Task.CompletedTask;

            private Task PromoteToLeaderAsync() => Task.CompletedTask;

            private Task TakeLeadershipAsync() => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task Lambdas_and_local_functions_are_judged_by_their_own_guards() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;

        public sealed class HeartbeatWatcher : IDisposable
        {
            private readonly Timer _timer;
            private long _lastHeartbeatTicks;

            public bool IsLeader { get; private set; }

            public HeartbeatWatcher()
            {
                // The callback runs later, on every tick: it is not initial state.
                _timer = new Timer(_ =>
                {
                    if (Environment.TickCount64 - _lastHeartbeatTicks > 5000)
                    {
                        [|IsLeader = true;|]
                    }
                }, null, 1000, 1000);
            }

            public void OnHeartbeat() => _lastHeartbeatTicks = Environment.TickCount64;

            public void Watch()
            {
                void OnLeaderMissing() { [|IsLeader = true;|] }

                if (_lastHeartbeatTicks == 0)
                {
                    OnLeaderMissing();
                }
            }

            public void Dispose() => _timer.Dispose();
        }
        """);

    [Fact]
    public Task Conditional_value_is_judged_by_its_condition() => VerifyAnalyzer.AnalyzerAsync("""
        public enum Role { Follower, Leader }

        public sealed class Node
        {
            private Role _role;
            private bool _leaderAlive;

            public void Check() => [|_role = _leaderAlive ? Role.Follower : Role.Leader|];

            public void Settle(bool leaderIsDead) { [|_role = leaderIsDead ? Role.Leader : _role;|] }
        }
        """);

    [Fact]
    public Task Private_helper_reached_from_an_unguarded_caller_is_reported_where_it_transitions() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;

        public sealed class ClusterNode
        {
            private readonly List<string> _peers = new();
            private bool _isLeader;
            private bool _leaderDown;
            private int _votes;

            public void Tick()
            {
                if (_leaderDown)
                {
                    ApplyLeadership();
                }
            }

            public void OnVote()
            {
                _votes++;
                if (_votes > _peers.Count / 2)
                {
                    ApplyLeadership();
                }
            }

            private void ApplyLeadership()
            {
                [|_isLeader = true;|]
            }
        }
        """);

    [Fact]
    public Task Inherited_flag_and_base_call() => VerifyAnalyzer.AnalyzerAsync("""
        public abstract class NodeBase
        {
            protected bool IsLeader;
            protected void BecomeLeader() => IsLeader = true;
        }

        public sealed class FailoverNode : NodeBase
        {
            private bool _primaryUnreachable;

            public void Check()
            {
                if (_primaryUnreachable)
                {
                    [|IsLeader = true;|]
                }
            }

            public void CheckAgain()
            {
                if (_primaryUnreachable)
                {
                    [|base.BecomeLeader();|]
                }
            }
        }
        """);

    [Fact]
    public Task Transitions_spelled_only_in_capitals_or_with_an_escape_are_seen() => VerifyAnalyzer.AnalyzerAsync("""
        public enum NodeRole { Follower, Candidate, LEADER }

        public abstract class NodeBase
        {
            protected bool IsLeader;
            protected NodeRole Role;
        }

        // Neither type spells a leader word as written: one in capitals, the other through a Unicode escape.
        public sealed class ShoutingNode : NodeBase
        {
            private bool _heartbeatMissed;

            public void OnTimeout()
            {
                if (_heartbeatMissed)
                {
                    [|Role = NodeRole.LEADER;|]
                }
            }
        }

        public sealed class EscapedNode : NodeBase
        {
            private bool _heartbeatMissed;

            public void OnTimeout()
            {
                if (_heartbeatMissed)
                {
                    [|IsL\u0065ader = true;|]
                }
            }
        }
        """);

    [Fact]
    public Task Primary_master_promote_and_step_up_need_cluster_vocabulary() => VerifyAnalyzer.AnalyzerAsync("""
        public enum ReplicaRole { Primary, Secondary }

        public sealed class ReplicaNode
        {
            private ReplicaRole _role;
            private bool _primaryAlive;

            public bool IsPrimary { get; private set; }
            public bool IsMaster { get; private set; }

            public void OnPrimaryLost() { [|IsPrimary = true;|] }

            public void OnFailover() { [|_role = ReplicaRole.Primary;|] }

            public void Check()
            {
                if (!_primaryAlive)
                {
                    [|PromoteSelf();|]
                }
            }

            public void Replicate() { [|StepUp();|] }

            public void Detect() { [|IsMaster = true;|] }

            private void PromoteSelf() { }

            private void StepUp() { }
        }
        """);

    [Fact]
    public Task Leader_looks_dead_through_a_caught_timeout() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        public sealed class Coordinator
        {
            public bool IsLeader { get; private set; }

            public async Task PingLeaderAsync(Func<Task> ping)
            {
                try
                {
                    await ping();
                }
                catch (TimeoutException)
                {
                    [|IsLeader = true;|]
                }
            }
        }
        """);

    [Fact]
    public Task One_report_per_decision() => VerifyAnalyzer.AnalyzerAsync("""
        public enum Role { Follower, Leader }

        public sealed class Node
        {
            private Role _role;
            private bool _isLeader;
            private bool _leaderDead;

            public void Failover()
            {
                if (_leaderDead)
                {
                    [|_role = Role.Leader;|]
                    _isLeader = true;
                    if (_isLeader)
                    {
                        _role = Role.Leader;
                    }
                }
                else
                {
                    [|_isLeader = true;|]
                }
            }
        }
        """);

    [Fact]
    public Task Condition_reading_a_look_alike_cluster_type_is_not_a_library() => VerifyAnalyzer.AnalyzerAsync("""
        namespace MyCompany.Cluster
        {
            public interface IClusterMember { bool IsRemote { get; } }
            public interface ICluster { IClusterMember? Leader { get; } }

            public sealed class Node
            {
                private readonly ICluster _cluster;
                public Node(ICluster cluster) => _cluster = cluster;
                public bool IsLeader { get; private set; }

                public void Check()
                {
                    if (_cluster.Leader is null)
                    {
                        [|IsLeader = true;|]
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Nested_types_are_reported_once_by_their_own_type() => VerifyAnalyzer.AnalyzerAsync("""
        public class ClusterNode
        {
            private bool _isLeader;
            private bool _leaderDown;

            public void Failover() { if (_leaderDown) [|_isLeader = true;|] }

            public sealed class Replica
            {
                private bool _isLeader;
                private bool _leaderDown;

                public void Failover() { if (_leaderDown) [|_isLeader = true;|] }
            }
        }
        """);

    [Fact]
    public Task Callers_in_other_parts_of_a_partial_type_are_followed() => VerifyAnalyzer.AnalyzerAsync("""
        public partial class ClusterNode
        {
            private bool _isLeader;

            private void ApplyLeadership() { _isLeader = true; }
        }
        """, new TestOptions
        {
            AdditionalSources = ImmutableArray.Create("""
                using System.Collections.Generic;

                public partial class ClusterNode
                {
                    private readonly List<string> _peers = new();

                    public void OnVotes(int votes)
                    {
                        if (votes > _peers.Count / 2) ApplyLeadership();
                    }
                }
                """),
        });

    [Fact]
    public Task Reported_on_older_frameworks() => VerifyAnalyzer.AnalyzerAsync("""
        public class ClusterNode
        {
            private bool _isLeader;
            private bool _leaderDown;

            public void Failover()
            {
                if (_leaderDown) [|_isLeader = true;|]
            }
        }
        """, new TestOptions { Target = TargetFramework.NetStandard20 });

    // ---- Confidence ------------------------------------------------------------------------------------

    [Theory]
    [InlineData("public void Check() { if (_leaderDead) _isLeader = true; }", 90)]
    [InlineData("public void Check() { if (_leader == null) _isLeader = true; }", 90)]
    [InlineData("public void OnElectionTimeout() { _isLeader = true; }", 80)]
    [InlineData("public void OnElectionTimeout() { if (_role == Role.Candidate) _isLeader = true; }", 80)]
    [InlineData("public void OnElectionTimeout(bool ok) { if (ok) _isLeader = true; }", 70)]
    [InlineData("public void Apply() { _isLeader = true; }", 60)]
    [InlineData("public void Apply(bool ok) { if (ok) _isLeader = true; }", 50)]
    [InlineData("public void Check() { if (_leaderDead) IsPrimary = true; }", 80)]
    [InlineData("public void Apply() { StepUp(); }", 50)]
    public async Task Confidence_follows_the_evidence(string member, int confidence)
    {
        var source = $$"""
            public enum Role { Follower, Candidate, Leader }

            public class ClusterNode
            {
                private bool _isLeader;
                private bool _leaderDead;
                private object? _leader;
                private Role _role;

                public bool IsPrimary { get; private set; }

                {{member}}

                private void StepUp() { }
            }
            """;
        var diagnostic = Assert.Single(await DiagnosticsAsync(source, TestOptions.Default));

        ConfidenceAssert.Has(diagnostic, confidence);
        Assert.StartsWith("'", diagnostic.GetMessage());
    }

    [Fact]
    public async Task A_leader_flag_in_a_type_without_cluster_vocabulary_is_less_certain()
    {
        const string source = """
            public class Team
            {
                public bool IsLeader { get; private set; }

                public void Apply() { IsLeader = true; }

                public void Appoint(bool ok) { if (ok) IsLeader = true; }
            }
            """;

        // 60 - 10; the second (50 - 10) falls below the default minimum of 50.
        var diagnostic = Assert.Single(await DiagnosticsAsync(source, TestOptions.Default));
        Assert.Equal("50", diagnostic.Properties["Confidence"]);
    }

    [Theory]
    [InlineData(null, 3)]
    [InlineData("distributed_review.min_confidence = 80", 2)]
    [InlineData("distributed_review.min_confidence = 95", 0)]
    public async Task Min_confidence_from_editorconfig_drops_weaker_findings(string? editorConfig, int expected)
    {
        const string source = """
            public class ClusterNode
            {
                private bool _isLeader;
                private bool _leaderDead;

                public void Check() { if (_leaderDead) _isLeader = true; }
                public void OnElectionTimeout() { _isLeader = true; }
                public void Apply() { _isLeader = true; }
            }
            """;

        Assert.Equal(expected, (await DiagnosticsAsync(source, new TestOptions { EditorConfig = editorConfig })).Length);
    }

    [Fact]
    public async Task Diagnostic_is_critical_links_to_its_docs_page_and_has_no_code_fix()
    {
        var diagnostic = Assert.Single(await DiagnosticsAsync(
            "class ClusterNode { bool _isLeader; bool _leaderDead; void Check() { if (_leaderDead) _isLeader = true; } }", TestOptions.Default));

        Assert.Equal("https://github.com/DistributedReview/DistributedReview/blob/main/docs/rules/DR2003.md", diagnostic.Descriptor.HelpLinkUri);
        Assert.Equal("DistributedReview.Consensus", diagnostic.Descriptor.Category);
        Assert.Contains("Impact=Critical", diagnostic.Descriptor.CustomTags);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal("'_isLeader = true' makes this node leader without a visible majority check, so a partitioned node can become a second leader; guard it with a vote count compared to the cluster size (confidence 90%)", diagnostic.GetMessage());
        Assert.DoesNotContain(RuleIds.LeaderWithoutQuorum, Discovered.CreateCodeFixes().SelectMany(f => f.FixableDiagnosticIds));
    }

    // ---- Left alone: majority evidence -----------------------------------------------------------------

    [Fact]
    public Task Guards_that_call_a_quorum_method_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        public sealed class QuorumTracker
        {
            public bool IsSatisfied => true;
        }

        public class ClusterNode
        {
            private readonly QuorumTracker _tracker = new();
            private bool _leaderDead;
            private bool _quorumReached;

            public bool IsLeader { get; private set; }

            public void A() { if (HasQuorum()) BecomeLeader(); }
            public void B() { if (_leaderDead && HasMajority(3)) IsLeader = true; }
            public async Task C() { if (_leaderDead && await IsQuorumAsync()) IsLeader = true; }
            public void D() { if (_quorumReached) IsLeader = true; }
            public void E() { if (_tracker.IsSatisfied) IsLeader = true; }
            public void F() { if (WonElection()) IsLeader = true; }
            public void G() { if (HasEnoughVotes()) IsLeader = true; }

            private bool HasQuorum() => true;
            private bool HasMajority(int votes) => true;
            private Task<bool> IsQuorumAsync() => Task.FromResult(true);
            private bool WonElection() => true;
            private bool HasEnoughVotes() => true;
            private void BecomeLeader() { }
        }
        """);

    [Fact]
    public Task Guards_that_compare_votes_with_the_cluster_size_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Linq;

        public enum Role { Follower, Candidate, Leader }

        public class RaftNode
        {
            private readonly List<string> _peers = new();
            private readonly HashSet<string> _votesReceived = new();
            private readonly string[] _replicas = new string[5];
            private int _votes;
            private int _quorum = 3;
            private Role _role;

            public int ClusterSize { get; set; } = 5;

            public void A() { if (_votes > _peers.Count / 2) _role = Role.Leader; }
            public void B() { if (_votes * 2 > ClusterSize) _role = Role.Leader; }
            public void C() { if (_votesReceived.Count >= _quorum) _role = Role.Leader; }
            public void D(int acks) { if (acks > _replicas.Length >> 1) _role = Role.Leader; }
            public void E(int granted, int total) { if (granted >= total / 2 + 1) _role = Role.Leader; }
            public void F(int granted) { if (granted > ClusterSize) _role = Role.Leader; }
            public void G() { if (_votesReceived.Count(v => v.Length > 0) >= _peers.Count) _role = Role.Leader; }
            public void H() { if (_votes >= Majority) _role = Role.Leader; }
            public void I(int total) { if (_votes >= System.Math.Ceiling(total / 2.0)) _role = Role.Leader; }

            private int Majority => ClusterSize / 2 + 1;
        }
        """);

    [Fact]
    public Task Guard_clauses_and_loops_before_the_transition_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;

        public class ClusterNode
        {
            private readonly List<string> _members = new();
            private int _votes;
            private bool _isLeader;

            public void A()
            {
                if (_votes <= _members.Count / 2)
                {
                    return;
                }

                _isLeader = true;
            }

            public void B()
            {
                if (!HasQuorum()) throw new InvalidOperationException("no quorum");
                _isLeader = true;
            }

            public async Task C()
            {
                while (_votes <= _members.Count / 2)
                {
                    await Task.Delay(10);
                }

                _isLeader = true;
            }

            public void D(IEnumerable<int> rounds)
            {
                foreach (var round in rounds)
                {
                    if (_votes < _members.Count / 2 + 1)
                        continue;
                    _isLeader = true;
                }
            }

            private bool HasQuorum() => true;
        }
        """);

    [Fact]
    public Task Majority_held_in_locals_and_fields_is_followed() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;

        public class ClusterNode
        {
            private readonly List<string> _members = new();
            private int _votes;
            private bool _won;
            private bool _isLeader;

            public void A()
            {
                var won = _votes > _members.Count / 2;
                if (won) _isLeader = true;
            }

            public void B()
            {
                var needed = _members.Count / 2 + 1;
                if (_votes >= needed) _isLeader = true;
            }

            public void OnVote() => _won = _votes * 2 > _members.Count;

            public void C() { if (_won) _isLeader = true; }
        }
        """);

    [Fact]
    public Task Vote_counts_against_a_threshold_and_leaders_reported_by_others_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        public sealed class ElectionView
        {
            public bool IsLeader { get; set; }
            public string? Leader { get; set; }
        }

        public class ClusterNode
        {
            private readonly string _nodeId = "node-1";
            private readonly int _needed;
            private int _votes;

            public ClusterNode(int needed) => _needed = needed;

            public bool IsLeader { get; private set; }

            // Whether the threshold is a strict majority is DR2001's question.
            public void A() { if (_votes >= _needed) IsLeader = true; }
            public void B() { if (_votes >= 3) IsLeader = true; }

            // Mirrors a decision reported by a coordinator or a membership view.
            public void C(ElectionView response) { if (response.IsLeader) IsLeader = true; }
            public void D(ElectionView view) { if (view.Leader == _nodeId) IsLeader = true; }
        }
        """);

    [Fact]
    public Task A_single_vote_is_not_a_majority() => VerifyAnalyzer.AnalyzerAsync("""
        public sealed class VoteResponse
        {
            public bool VoteGranted { get; set; }
        }

        public class ClusterNode
        {
            private int _votes;

            public bool IsLeader { get; private set; }

            public void OnVoteResponse(VoteResponse response)
            {
                if (response.VoteGranted)
                {
                    [|BecomeLeader();|]
                }
            }

            public void OnVote()
            {
                if (++_votes > 0)
                {
                    [|IsLeader = true;|]
                }
            }

            private void BecomeLeader() { }
        }
        """);

    [Fact]
    public Task Single_node_clusters_are_their_own_majority() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Linq;

        public class ClusterNode
        {
            private readonly List<string> _peers = new();
            private readonly int _clusterSize = 1;
            private bool _isLeader;

            public void A() { if (_peers.Count == 0) _isLeader = true; }
            public void B() { if (_clusterSize == 1) _isLeader = true; }
            public void C() { if (!_peers.Any()) _isLeader = true; }
            public void D() { if (_peers.Count is 0) _isLeader = true; }
            public void E() { if (1 == _clusterSize) _isLeader = true; }
        }
        """);

    [Fact]
    public Task Quorum_check_in_the_ternary_condition_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;

        public enum Role { Follower, Leader }

        public class ClusterNode
        {
            private readonly List<string> _peers = new();
            private Role _role;
            private bool _isLeader;

            public void Count(int votes)
            {
                _role = votes > _peers.Count / 2 ? Role.Leader : Role.Follower;
                _isLeader = votes > _peers.Count / 2 ? true : false;
            }
        }
        """);

    [Fact]
    public Task Private_helper_called_only_from_guarded_places_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;

        public enum Role { Follower, Leader }

        public class ClusterNode
        {
            private readonly List<string> _peers = new();
            private Role _role;
            private int _votes;

            public void OnVote()
            {
                _votes++;
                if (_votes > _peers.Count / 2)
                {
                    ApplyLeadership();
                }
            }

            public void OnVotes(int votes)
            {
                if (votes <= _peers.Count / 2) return;
                Announce();
            }

            private void Announce() => ApplyLeadership();

            private void ApplyLeadership()
            {
                _role = Role.Leader;
            }
        }
        """);

    [Fact]
    public Task Transition_methods_are_judged_where_they_are_called() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        public enum Role { Follower, Leader }

        public class ClusterNode
        {
            private readonly List<string> _peers = new();
            private Role _role;
            private int _votes;

            public bool IsLeader { get; private set; }

            public void OnVote()
            {
                if (++_votes > _peers.Count / 2)
                {
                    BecomeLeader();
                }
            }

            private void BecomeLeader()
            {
                _role = Role.Leader;
                IsLeader = true;
            }

            public Task PromoteToLeaderAsync()
            {
                IsLeader = true;
                return Task.CompletedTask;
            }
        }
        """);

    // ---- Left alone: libraries, arbiters and callbacks ------------------------------------------------

    [Fact]
    public Task DotNext_leader_changed_handlers_and_state_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using DotNext.Net.Cluster;
        using DotNext.Net.Cluster.Consensus.Raft;

        public sealed class LeadershipTracker
        {
            private readonly IRaftCluster _cluster;
            private bool _announce = true;

            public LeadershipTracker(IRaftCluster cluster)
            {
                _cluster = cluster;
                // The library elected the leader; these handlers only mirror its decision.
                _cluster.LeaderChanged += UpdateRole;
                _cluster.LeaderChanged += (c, leader) =>
                {
                    if (_announce)
                    {
                        IsLeader = true;
                    }
                };
            }

            public bool IsLeader { get; private set; }

            private void UpdateRole(ICluster cluster, IClusterMember? leader)
            {
                if (_announce)
                {
                    IsLeader = true;
                }
            }

            public void Refresh()
            {
                if (_cluster.Leader?.IsRemote == false)
                {
                    IsLeader = true;
                }

                if (!_cluster.LeadershipToken.IsCancellationRequested)
                {
                    IsLeader = true;
                }
            }

            public async Task WaitAsync()
            {
                await _cluster.WaitForLeadershipAsync(Timeout.InfiniteTimeSpan);
                IsLeader = true;
            }
        }
        """, WithDotNext);

    [Fact]
    public Task Overrides_and_callbacks_named_for_leader_changes_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        public abstract class RaftNodeBase
        {
            protected virtual void OnLeaderChanged(string? leader) { }
            protected virtual void OnBecameLeader() { }
        }

        public sealed class LeaderElector
        {
            public event Action? OnStartedLeading;
            public event EventHandler? LeadershipChanged;
            public void Fire() { OnStartedLeading?.Invoke(); LeadershipChanged?.Invoke(this, EventArgs.Empty); }
        }

        public sealed class LeaderChangedEventArgs : EventArgs
        {
            public bool IsSelf { get; set; }
        }

        public sealed class Node : RaftNodeBase
        {
            public bool IsLeader { get; private set; }

            public Node(LeaderElector elector)
            {
                elector.OnStartedLeading += () => IsLeader = true;
                elector.LeadershipChanged += HandleChange;
            }

            protected override void OnLeaderChanged(string? leader) { IsLeader = true; }

            protected override void OnBecameLeader() => IsLeader = true;

            public void OnLeaderElected() { IsLeader = true; }

            public void Handle(LeaderChangedEventArgs args) { IsLeader = true; }

            private void HandleChange(object? sender, EventArgs args) { IsLeader = true; }
        }
        """);

    [Fact]
    public Task Akka_leader_changed_messages_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using Akka.Actor;
        using Akka.Cluster;

        public sealed class LeaderWatcher : ReceiveActor
        {
            private readonly Cluster _cluster = new();

            public bool IsLeader { get; private set; }

            public LeaderWatcher()
            {
                Receive<ClusterEvent.LeaderChanged>(changed =>
                {
                    if (IsSelf(changed.Leader))
                    {
                        IsLeader = true;
                    }
                });
            }

            public void Check()
            {
                if (_cluster.SelfAddress == Self)
                {
                    IsLeader = true;
                }
            }

            private Address? Self { get; set; }

            private static bool IsSelf(Address? address) => address is not null;
        }
        """, new TestOptions { AdditionalSources = ImmutableArray.Create(Akka) });

    [Fact]
    public Task Locks_and_leases_acquired_from_a_coordinator_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        public interface ILease { Task<bool> TryAcquireAsync(TimeSpan duration); }
        public interface IElection { Task CampaignAsync(string candidate); }
        public interface IDistributedLock { Task<IAsyncDisposable?> TryAcquireAsync(); }

        public sealed class LeaseLeader
        {
            private readonly ILease _lease;
            private readonly IElection _election;
            private readonly IDistributedLock _lock;

            public LeaseLeader(ILease lease, IElection election, IDistributedLock @lock)
            {
                _lease = lease;
                _election = election;
                _lock = @lock;
            }

            public bool IsLeader { get; private set; }

            public async Task RenewAsync()
            {
                if (await _lease.TryAcquireAsync(TimeSpan.FromSeconds(10)))
                {
                    IsLeader = true;
                }
            }

            public async Task CampaignAsync()
            {
                await _election.CampaignAsync("node-1");
                IsLeader = true;
            }

            public async Task LockAsync()
            {
                var handle = await _lock.TryAcquireAsync();
                if (handle != null)
                {
                    IsLeader = true;
                }
            }
        }
        """);

    // ---- Left alone: not a transition to leader --------------------------------------------------------

    [Fact]
    public Task Stepping_down_and_other_roles_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        public enum Role { Follower, Candidate, Leader }

        public class RaftNode
        {
            private Role _role;
            private bool _isLeader;
            private bool _leaderDead;

            public void StepDown() { _isLeader = false; _role = Role.Follower; }
            public void StartElection() { if (_leaderDead) _role = Role.Candidate; }
            public void Toggle(bool value) { _isLeader = value; }
            public void Copy() { _role = _role; }
        }
        """);

    [Fact]
    public Task Initial_state_in_constructors_and_initializers_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        public enum Role { Follower, Leader }

        public class ClusterNode
        {
            private Role _role = Role.Leader;

            public ClusterNode(bool bootstrap)
            {
                if (bootstrap)
                {
                    IsLeader = true;
                    _role = Role.Leader;
                }

                Initialize();
            }

            public bool IsLeader { get; set; } = true;

            public static ClusterNode Single() => new ClusterNode(false) { IsLeader = true };

            private void Initialize() => _role = Role.Leader;
        }
        """);

    [Fact]
    public Task Other_instances_and_other_names_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        public enum Role { Follower, Leader }
        public enum Kind { Worker, Leader }

        public class ClusterNode
        {
            private readonly ClusterNode? _peer;
            private bool _leaderDead;
            private bool _hasLeader;
            private bool _wasLeader;
            private bool _isLeaderKnown;
            private Kind _kind;

            public bool IsLeader { get; set; }

            public void Failover(ClusterNode other)
            {
                if (_leaderDead)
                {
                    other.IsLeader = true;
                    _peer!.BecomeLeader();
                    _hasLeader = true;
                    _wasLeader = true;
                    _isLeaderKnown = true;
                    _kind = Kind.Leader;
                    if (TryBecomeLeader()) { }
                    var becameLeader = TryBecomeLeader();
                    StartLeaderElection();
                }
            }

            public void BecomeLeader() { }
            private bool TryBecomeLeader() => true;
            private void StartLeaderElection() { }
        }
        """);

    [Fact]
    public Task Primary_and_promote_outside_cluster_code_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        public enum ContactKind { Primary, Other }

        public sealed class EmailAddress
        {
            private ContactKind _status;
            public bool IsPrimary { get; private set; }
            public void MakePrimary() { IsPrimary = true; }
            public void Mark() { _status = ContactKind.Primary; IsPrimary = true; }
        }

        public sealed class Employee
        {
            public int Grade { get; private set; }
            public void Review() { Promote(); StepUp(); }
            private void Promote() => Grade++;
            private void StepUp() => Grade++;
        }
        """);

    [Fact]
    public Task Tests_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        namespace Xunit
        {
            public sealed class FactAttribute : System.Attribute { }
        }

        namespace Tests
        {
            public class ClusterNode
            {
                public bool IsLeader { get; set; }
            }

            public class FailoverTests
            {
                private bool _isLeader;

                [Xunit.Fact]
                public void Leader_can_be_forced()
                {
                    _isLeader = true;
                }

                public void Helper() { _isLeader = true; }
            }
        }
        """);

    [Fact]
    public Task Generated_code_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        // <auto-generated/>
        public class ClusterNode
        {
            private bool _isLeader;
            private bool _leaderDead;

            public void Failover() { if (_leaderDead) _isLeader = true; }
        }
        """);

    [Fact]
    public Task Half_typed_code_does_not_throw() => AssertNoExceptionAsync("""
        public enum Role { Follower, Leader }

        public class ClusterNode
        {
            private bool _isLeader;
            private Role _role;

            public void Failover()
            {
                if (_leaderDead && ) _isLeader = true;
                _role = Role.;
                BecomeLeader(
                _isLeader = 
            }

            public void Other() { if (_votes > _peers.Count / ) _role = Role.Leader; }
        }
        """);

    private static async Task AssertNoExceptionAsync(string source)
    {
        // Analysis.RunAsync fails the test on any analyzer exception; the input need not compile.
        await DiagnosticsAsync(source, TestOptions.Default);
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(string source, TestOptions options)
    {
        var document = TestWorkspace.CreateDocument(source, options);
        return await Analysis.RunAsync(document.Project, ImmutableArray.Create<DiagnosticAnalyzer>(new LeaderWithoutQuorumAnalyzer()));
    }
}
