using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using DistributedReview.Consensus;
using DistributedReview.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using VerifyAnalyzer = DistributedReview.Tests.Verification.Verify<DistributedReview.Tests.Consensus.QuorumOffByOneOnly>;
using VerifyCS = DistributedReview.Tests.Verification.Verify<DistributedReview.Tests.Consensus.QuorumOffByOneOnly, DistributedReview.Consensus.QuorumOffByOneCodeFix>;

namespace DistributedReview.Tests.Consensus;

/// <summary>DR2001: quorum off by one.</summary>
public class DR2001Tests
{
    private static readonly TestOptions NetStandard = new() { Target = TargetFramework.NetStandard20 };
    private static readonly TestOptions Net472 = new() { Target = TargetFramework.Net472 };

    // ---- Quorums kept in a variable: the computation is reported and rewritten --------------------------

    [Fact]
    public Task Halves_chosen_by_a_conditional_that_are_not_quorums_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;

        enum Role { Follower, Leader }

        class Node
        {
            private readonly List<string> _members = new();
            private readonly List<int> _latencies = new();
            private Role _role;

            // A median index and a page size, not majorities.
            public int MedianIndex => _latencies.Count > 0 ? _latencies.Count / 2 : 0;

            public int PageSize => _role switch { Role.Leader => _members.Count / 2, _ => _members.Count };

            // A strict comparison with a half is a correct majority.
            public int Majority => _role == Role.Leader ? _members.Count / 2 : 0;

            public bool HasQuorum(int votes) => votes > Majority;

            public int Median() => _latencies[MedianIndex];
        }
        """);

    [Fact]
    public Task Half_chosen_by_a_switch_expression_or_conditional_is_fixed_in_place() => VerifyCS.FixAsync("""
        using System.Collections.Generic;

        enum Role { Follower, Leader }

        class Node
        {
            private readonly List<string> _members = new();
            private Role _role;

            public int Quorum => _role switch
            {
                Role.Leader => [|_members.Count / 2|],
                _ => 0,
            };

            public int Majority => _role == Role.Leader ? [|_members.Count / 2|] : 0;

            public bool HasQuorum(int votes) => votes >= Quorum && votes >= Majority;
        }
        """, """
        using System.Collections.Generic;

        enum Role { Follower, Leader }

        class Node
        {
            private readonly List<string> _members = new();
            private Role _role;

            public int Quorum => _role switch
            {
                Role.Leader => _members.Count / 2 + 1,
                _ => 0,
            };

            public int Majority => _role == Role.Leader ? _members.Count / 2 + 1 : 0;

            public bool HasQuorum(int votes) => votes >= Quorum && votes >= Majority;
        }
        """);

    [Fact]
    public Task Quorum_field_computed_as_half_is_fixed_to_half_plus_one() => VerifyCS.FixAsync("""
        using System.Collections.Generic;

        class RaftNode
        {
            private readonly List<string> _members = new();
            private int _quorum;
            private int _votesReceived;

            public void OnMembershipChanged(IEnumerable<string> members)
            {
                _members.Clear();
                _members.AddRange(members);
                _quorum = [|_members.Count / 2|];
            }

            public bool OnVoteGranted() => ++_votesReceived >= _quorum;
        }
        """, """
        using System.Collections.Generic;

        class RaftNode
        {
            private readonly List<string> _members = new();
            private int _quorum;
            private int _votesReceived;

            public void OnMembershipChanged(IEnumerable<string> members)
            {
                _members.Clear();
                _members.AddRange(members);
                _quorum = _members.Count / 2 + 1;
            }

            public bool OnVoteGranted() => ++_votesReceived >= _quorum;
        }
        """);

    [Fact]
    public Task Shift_is_fixed_with_parentheses() => VerifyCS.FixAsync("""
        class Replicator
        {
            bool Committed(string[] replicas, int acks)
            {
                var majority = [|replicas.Length >> 1|];
                return acks >= majority;
            }
        }
        """, """
        class Replicator
        {
            bool Committed(string[] replicas, int acks)
            {
                var majority = (replicas.Length >> 1) + 1;
                return acks >= majority;
            }
        }
        """);

    [Fact]
    public Task Rounded_up_integer_half_is_rewritten_to_half_plus_one() => VerifyCS.FixAsync("""
        using System.Collections.Generic;

        class Cluster
        {
            public IReadOnlyList<string> Replicas { get; } = new List<string>();

            public int RequiredAcks() => [|(Replicas.Count + 1) / 2|];
        }
        """, """
        using System.Collections.Generic;

        class Cluster
        {
            public IReadOnlyList<string> Replicas { get; } = new List<string>();

            public int RequiredAcks() => Replicas.Count / 2 + 1;
        }
        """);

    [Fact]
    public Task Size_read_from_this_type_is_recognised() => VerifyCS.FixAsync("""
        using System.Collections.ObjectModel;

        class Membership : Collection<string>
        {
            public int Quorum => [|(Count + 1) / 2|];
            public int Majority => [|Count / 2|];
        }
        """, """
        using System.Collections.ObjectModel;

        class Membership : Collection<string>
        {
            public int Quorum => Count / 2 + 1;
            public int Majority => Count / 2 + 1;
        }
        """);

    [Fact]
    public Task Math_Ceiling_cast_to_int_becomes_an_int_majority() => VerifyCS.FixAsync("""
        using System;
        using System.Collections.Generic;

        class Election
        {
            private readonly List<Uri> _nodes = new();

            int RequiredVotes1() => (int)[|Math.Ceiling(_nodes.Count / 2.0)|];
            int RequiredVotes2() => (int)[|Math.Ceiling((double)_nodes.Count / 2)|];
            int RequiredVotes3() => (int)([|Math.Ceiling(_nodes.Count / 2d)|]);
            long RequiredVotes4() => (long)[|Math.Ceiling(_nodes.Count / 2.0)|];
            int RequiredVotes5() => (int)[|MathF.Ceiling(_nodes.Count / 2.0f)|];
            int RequiredVotes6() => (int)[|Math.Ceiling(_nodes.Count * 0.5)|];
        }
        """, """
        using System;
        using System.Collections.Generic;

        class Election
        {
            private readonly List<Uri> _nodes = new();

            int RequiredVotes1() => _nodes.Count / 2 + 1;
            int RequiredVotes2() => _nodes.Count / 2 + 1;
            int RequiredVotes3() => _nodes.Count / 2 + 1;
            long RequiredVotes4() => (long)(_nodes.Count / 2 + 1);
            int RequiredVotes5() => _nodes.Count / 2 + 1;
            int RequiredVotes6() => _nodes.Count / 2 + 1;
        }
        """);

    [Fact]
    public Task Math_Ceiling_kept_as_a_double_stays_a_double() => VerifyCS.FixAsync("""
        using System;

        class Election
        {
            private readonly int _clusterSize = 4;

            bool Won(int votes)
            {
                var quorum = [|Math.Ceiling(_clusterSize / 2.0)|];
                double majority = [|Math.Ceiling(_clusterSize / 2.0)|];
                var requiredVotes = [|MathF.Round(_clusterSize / 2f)|];
                object minAcks = [|Math.Ceiling(_clusterSize / 2m)|];
                return votes >= quorum && votes >= majority && votes >= requiredVotes && minAcks is decimal;
            }
        }
        """, """
        using System;

        class Election
        {
            private readonly int _clusterSize = 4;

            bool Won(int votes)
            {
                var quorum = _clusterSize / 2 + 1.0;
                double majority = _clusterSize / 2 + 1;
                var requiredVotes = _clusterSize / 2 + 1f;
                object minAcks = _clusterSize / 2 + 1m;
                return votes >= quorum && votes >= majority && votes >= requiredVotes && minAcks is decimal;
            }
        }
        """);

    [Fact]
    public Task Math_Round_used_as_a_quorum_is_fixed() => VerifyCS.FixAsync("""
        using System;

        class Paxos
        {
            private readonly string[] _acceptors = { "a", "b", "c", "d" };

            public int Quorum => (int)[|Math.Round(_acceptors.Length / 2.0, MidpointRounding.AwayFromZero)|];
            public int QuorumBankers => (int)[|Math.Round(_acceptors.Length / 2.0)|];
        }
        """, """
        using System;

        class Paxos
        {
            private readonly string[] _acceptors = { "a", "b", "c", "d" };

            public int Quorum => _acceptors.Length / 2 + 1;
            public int QuorumBankers => _acceptors.Length / 2 + 1;
        }
        """);

    [Fact]
    public Task Math_Ceiling_through_using_static_on_netstandard_is_fixed() => VerifyCS.FixAsync("""
        using static System.Math;

        class Election
        {
            int MinimumVotes(int clusterSize) => (int)[|Ceiling(clusterSize / 2.0)|];
        }
        """, """
        using static System.Math;

        class Election
        {
            int MinimumVotes(int clusterSize) => clusterSize / 2 + 1;
        }
        """, NetStandard);

    [Fact]
    public Task Quorum_property_on_net472_is_fixed() => VerifyCS.FixAsync("""
        using System.Collections.Generic;

        public class Membership
        {
            public List<string> Members { get; } = new List<string>();

            public int Majority
            {
                get { return [|Members.Count / 2|]; }
            }
        }
        """, """
        using System.Collections.Generic;

        public class Membership
        {
            public List<string> Members { get; } = new List<string>();

            public int Majority
            {
                get { return Members.Count / 2 + 1; }
            }
        }
        """, Net472);

    [Fact]
    public Task Quorum_given_to_a_parameter_or_another_object_is_fixed() => VerifyCS.FixAsync("""
        using System.Collections.Generic;

        class WriteOptions { public int MinAcks { get; set; } }

        class Writer
        {
            void Write(IReadOnlyCollection<string> replicas, int requiredAcks) { }

            void Configure(IReadOnlyCollection<string> replicas)
            {
                Write(replicas, [|replicas.Count / 2|]);
                Write(replicas, requiredAcks: Max([|replicas.Count / 2|]));
                var options = new WriteOptions { MinAcks = [|replicas.Count / 2|] };
            }

            static int Max(int requiredAcks) => requiredAcks;
        }
        """, """
        using System.Collections.Generic;

        class WriteOptions { public int MinAcks { get; set; } }

        class Writer
        {
            void Write(IReadOnlyCollection<string> replicas, int requiredAcks) { }

            void Configure(IReadOnlyCollection<string> replicas)
            {
                Write(replicas, replicas.Count / 2 + 1);
                Write(replicas, requiredAcks: Max(replicas.Count / 2 + 1));
                var options = new WriteOptions { MinAcks = replicas.Count / 2 + 1 };
            }

            static int Max(int requiredAcks) => requiredAcks;
        }
        """);

    [Fact]
    public Task Constants_local_functions_and_Math_Max_are_followed() => VerifyCS.FixAsync("""
        using System;

        static class Topology
        {
            public const int ClusterSize = 5;
            public const int Quorum = [|ClusterSize / 2|];

            public static bool HasQuorum(int[] votes)
            {
                int majority() => [|votes.Length / 2|];
                var quorum = Math.Max(1, [|votes.Length / 2|]);
                return votes.Sum() >= majority() && votes.Sum() >= quorum;
            }

            static int Sum(this int[] values) => values.Length;
        }
        """, """
        using System;

        static class Topology
        {
            public const int ClusterSize = 5;
            public const int Quorum = ClusterSize / 2 + 1;

            public static bool HasQuorum(int[] votes)
            {
                int majority() => votes.Length / 2 + 1;
                var quorum = Math.Max(1, votes.Length / 2 + 1);
                return votes.Sum() >= majority() && votes.Sum() >= quorum;
            }

            static int Sum(this int[] values) => values.Length;
        }
        """);

    [Fact]
    public Task Peers_plus_this_node_kept_as_the_quorum_gets_one_more() => VerifyCS.FixAsync("""
        using System.Collections.Generic;

        class Follower
        {
            private readonly List<string> _otherNodes = new();

            // The cluster is the other nodes plus this one; (n + 1) / 2 is half of it.
            public int Quorum() => [|(_otherNodes.Count + 1) / 2|];
        }
        """, """
        using System.Collections.Generic;

        class Follower
        {
            private readonly List<string> _otherNodes = new();

            // The cluster is the other nodes plus this one; (n + 1) / 2 is half of it.
            public int Quorum() => (_otherNodes.Count + 1) / 2 + 1;
        }
        """);

    [Fact]
    public Task Quorum_compared_for_equality_is_fixed_in_the_computation() => VerifyCS.FixAsync("""
        using System.Threading;

        class Replication
        {
            private readonly int _replicaCount = 4;
            private int _acks;

            public bool OnAck()
            {
                var quorum = [|_replicaCount / 2|];
                return Interlocked.Increment(ref _acks) == quorum;
            }
        }
        """, """
        using System.Threading;

        class Replication
        {
            private readonly int _replicaCount = 4;
            private int _acks;

            public bool OnAck()
            {
                var quorum = _replicaCount / 2 + 1;
                return Interlocked.Increment(ref _acks) == quorum;
            }
        }
        """);

    [Fact]
    public Task Copies_of_a_half_are_followed() => VerifyCS.FixAsync("""
        using System.Collections.Generic;

        class Raft
        {
            private readonly List<string> _servers = new();
            private int _quorum;
            private int _strictHalf;

            public void Configure()
            {
                var half = [|_servers.Count / 2|];
                _quorum = half;
                var alsoHalf = _servers.Count / 2;
                _strictHalf = alsoHalf;
            }

            public bool Elected(int votes) => votes >= _quorum;

            public bool Committed(int acks) => acks > _strictHalf;

            public bool Reached(int grants)
            {
                var halfOfServers = _servers.Count / 2;
                var threshold = halfOfServers;
                return [|grants >= threshold|];
            }
        }
        """, """
        using System.Collections.Generic;

        class Raft
        {
            private readonly List<string> _servers = new();
            private int _quorum;
            private int _strictHalf;

            public void Configure()
            {
                var half = _servers.Count / 2 + 1;
                _quorum = half;
                var alsoHalf = _servers.Count / 2;
                _strictHalf = alsoHalf;
            }

            public bool Elected(int votes) => votes >= _quorum;

            public bool Committed(int acks) => acks > _strictHalf;

            public bool Reached(int grants)
            {
                var halfOfServers = _servers.Count / 2;
                var threshold = halfOfServers;
                return grants > threshold;
            }
        }
        """);

    [Fact]
    public Task Quorum_used_both_as_needed_and_as_more_than_is_reported_without_a_fix() => VerifyCS.NoFixAsync("""
        class Mixed
        {
            private readonly int _clusterSize = 4;

            bool Check(int votes, int acks)
            {
                var quorum = [|_clusterSize / 2|];
                return votes >= quorum && acks > quorum;
            }
        }
        """);

    // ---- Comparisons: the comparison is reported and made strict ----------------------------------------

    [Fact]
    public Task Vote_count_compared_with_half_the_cluster_becomes_strict() => VerifyCS.FixAsync("""
        using System.Collections.Generic;
        using System.Linq;

        class Candidate
        {
            private readonly int _clusterSize = 5;
            private readonly List<bool> _responses = new();
            private int _votesReceived;

            bool WonElection() => [|_votesReceived >= _clusterSize / 2|];
            bool WonByShift() => [|_votesReceived >= _clusterSize >> 1|];
            bool WonMirrored() => [|_clusterSize / 2 <= _votesReceived|];
            bool WonByGrants() => [|_responses.Count(r => r) >= _clusterSize / 2.0|];
            bool Lost() => [|_votesReceived < _clusterSize / 2|];
            bool LostMirrored() => [|_clusterSize / 2 > _votesReceived|];
            bool WonDoubled() => [|_votesReceived * 2 >= _clusterSize|];
        }
        """, """
        using System.Collections.Generic;
        using System.Linq;

        class Candidate
        {
            private readonly int _clusterSize = 5;
            private readonly List<bool> _responses = new();
            private int _votesReceived;

            bool WonElection() => _votesReceived > _clusterSize / 2;
            bool WonByShift() => _votesReceived > _clusterSize >> 1;
            bool WonMirrored() => _clusterSize / 2 < _votesReceived;
            bool WonByGrants() => _responses.Count(r => r) > _clusterSize / 2.0;
            bool Lost() => _votesReceived <= _clusterSize / 2;
            bool LostMirrored() => _clusterSize / 2 >= _votesReceived;
            bool WonDoubled() => _votesReceived * 2 > _clusterSize;
        }
        """);

    [Fact]
    public Task Counts_and_sizes_through_Count_Length_LongCount_and_locals() => VerifyCS.FixAsync("""
        using System.Collections.Generic;
        using System.Linq;

        record Ack(string Node);

        class Commit
        {
            bool ByList(List<Ack> acks, string[] replicas) => [|acks.Count >= replicas.Length / 2|];

            bool ByLinq(IEnumerable<Ack> acks, IEnumerable<string> replicas) => [|acks.LongCount() >= replicas.Count() / 2|];

            bool ByLocal(IEnumerable<Ack> replies, ICollection<string> members)
            {
                var n = members.Count;
                var confirmations = replies.Count();
                return [|confirmations >= n / 2|];
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Linq;

        record Ack(string Node);

        class Commit
        {
            bool ByList(List<Ack> acks, string[] replicas) => acks.Count > replicas.Length / 2;

            bool ByLinq(IEnumerable<Ack> acks, IEnumerable<string> replicas) => acks.LongCount() > replicas.Count() / 2;

            bool ByLocal(IEnumerable<Ack> replies, ICollection<string> members)
            {
                var n = members.Count;
                var confirmations = replies.Count();
                return confirmations > n / 2;
            }
        }
        """);

    [Fact]
    public Task Half_kept_in_a_local_or_property_first_makes_the_comparisons_strict() => VerifyCS.FixAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class LeaderElection
        {
            private readonly List<string> _peers = new();

            private int HalfOfPeers => _peers.Count / 2;

            public async Task<bool> RunAsync(Task<int> countVotes)
            {
                var half = _peers.Count / 2;
                var votes = await countVotes;
                if ([|votes >= half|])
                {
                    return [|votes >= HalfOfPeers|];
                }

                return false;
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class LeaderElection
        {
            private readonly List<string> _peers = new();

            private int HalfOfPeers => _peers.Count / 2;

            public async Task<bool> RunAsync(Task<int> countVotes)
            {
                var half = _peers.Count / 2;
                var votes = await countVotes;
                if (votes > half)
                {
                    return votes > HalfOfPeers;
                }

                return false;
            }
        }
        """);

    [Fact]
    public Task Half_kept_in_a_local_is_followed_into_lambdas_interpolations_and_escaped_spellings() => Verify<QuorumOffByOneOnly>.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;

        class Election
        {
            private readonly List<string> _peers = new();

            public string Tally(int votes, int acks)
            {
                var half = _peers.Count / 2;
                Func<bool> won = () => [|votes >= half|];
                var report = $"{votes}: {([|acks >= h\u0061lf|] ? "acknowledged" : "pending")}";
                return won() ? report : "";
            }
        }
        """);

    [Fact]
    public Task Rounded_up_half_in_a_comparison_is_rewritten_not_made_strict() => VerifyCS.FixAsync("""
        using System;

        class Election
        {
            bool Won(int votes, int members)
            {
                var threshold = (members + 1) / 2;
                return [|votes >= Math.Ceiling(members / 2.0)|] && [|votes >= (members + 1) / 2|] && [|votes >= threshold|];
            }
        }
        """, """
        using System;

        class Election
        {
            bool Won(int votes, int members)
            {
                var threshold = members / 2 + 1;
                return votes >= members / 2 + 1 && votes >= members / 2 + 1 && votes >= threshold;
            }
        }
        """);

    [Fact]
    public Task Comparisons_in_lambdas_and_a_HasQuorum_method_are_reported() => VerifyCS.FixAsync("""
        using System;
        using System.Collections.Generic;
        using System.Linq;

        class Tally
        {
            bool HasQuorum(int count, int n) => [|count >= n / 2|];

            Func<int, bool> Accepts(IReadOnlyList<string> voters) => grants => [|grants >= voters.Count / 2|];
        }
        """, """
        using System;
        using System.Collections.Generic;
        using System.Linq;

        class Tally
        {
            bool HasQuorum(int count, int n) => count > n / 2;

            Func<int, bool> Accepts(IReadOnlyList<string> voters) => grants => grants > voters.Count / 2;
        }
        """);

    [Fact]
    public Task Peers_plus_this_node_compared_with_votes_counting_this_node_is_reported() => VerifyCS.FixAsync("""
        class Candidate
        {
            private readonly string[] _peers = { "b", "c", "d" };
            private int _votes = 1; // our own

            bool Won() => [|_votes >= (_peers.Length + 1) / 2|];
        }
        """, """
        class Candidate
        {
            private readonly string[] _peers = { "b", "c", "d" };
            private int _votes = 1; // our own

            bool Won() => _votes > (_peers.Length + 1) / 2;
        }
        """);

    // ---- Fix All ---------------------------------------------------------------------------------------

    [Fact]
    public Task Fix_All_fixes_every_finding_in_the_document() => VerifyCS.FixAsync("""
        using System;
        using System.Collections.Generic;
        using System.Linq;

        class RaftCluster
        {
            private readonly List<string> _members = new();
            private readonly int _quorum;
            private int _votesGranted;

            public RaftCluster(IEnumerable<string> members)
            {
                _members.AddRange(members);
                _quorum = [|_members.Count / 2|];
            }

            public int RequiredAcks => (int)[|Math.Ceiling(_members.Count / 2.0)|];

            public bool IsLeader => _votesGranted >= _quorum;

            public bool Committed(IEnumerable<string> acks) => [|acks.Count() >= _members.Count / 2|];

            public bool Elected() => [|_votesGranted * 2 >= _members.Count|] && [|_members.Count >> 1 <= _votesGranted|];
        }
        """, """
        using System;
        using System.Collections.Generic;
        using System.Linq;

        class RaftCluster
        {
            private readonly List<string> _members = new();
            private readonly int _quorum;
            private int _votesGranted;

            public RaftCluster(IEnumerable<string> members)
            {
                _members.AddRange(members);
                _quorum = _members.Count / 2 + 1;
            }

            public int RequiredAcks => _members.Count / 2 + 1;

            public bool IsLeader => _votesGranted >= _quorum;

            public bool Committed(IEnumerable<string> acks) => acks.Count() > _members.Count / 2;

            public bool Elected() => _votesGranted * 2 > _members.Count && _members.Count >> 1 < _votesGranted;
        }
        """);

    // ---- Confidence ------------------------------------------------------------------------------------

    [Theory]
    [InlineData("private int Quorum(int[] members) => members.Length / 2;", 95)]
    [InlineData("public int Quorum(int[] members) => members.Length / 2;", 85)]
    [InlineData("private int Quorum(int n) => n / 2;", 80)]
    [InlineData("bool Won(int votes, int[] members) => votes >= members.Length / 2;", 80)]
    [InlineData("bool HasMajority(int votes, int[] members) => votes >= members.Length / 2;", 99)]
    [InlineData("bool Check(int votes, int n) { var quorum = n / 2; return votes >= quorum; }", 99)]
    public async Task Confidence_follows_the_evidence(string member, int confidence)
    {
        var diagnostic = Assert.Single(await DiagnosticsAsync($$"""class Evidence { {{member}} }""", TestOptions.Default));

        ConfidenceAssert.Has(diagnostic, confidence);
    }

    [Theory]
    [InlineData(null, 2)]
    [InlineData("distributed_review.min_confidence = 95", 1)]
    [InlineData("distributed_review.min_confidence = 96", 0)]
    public async Task Min_confidence_from_editorconfig_drops_weaker_findings(string? editorConfig, int expected)
    {
        const string source = """
            class Evidence
            {
                int Quorum(int[] members) => members.Length / 2;
                bool Won(int votes, int[] members) => votes >= members.Length / 2;
            }
            """;

        Assert.Equal(expected, (await DiagnosticsAsync(source, new TestOptions { EditorConfig = editorConfig })).Length);
    }

    [Fact]
    public async Task Diagnostic_message_and_docs_link()
    {
        var diagnostic = Assert.Single(await DiagnosticsAsync("class C { int Quorum(string[] nodes) => nodes.Length / 2; }", TestOptions.Default));

        Assert.Equal("https://github.com/DistributedReview/DistributedReview/blob/main/docs/rules/DR2001.md", diagnostic.Descriptor.HelpLinkUri);
        Assert.Equal("DistributedReview.Consensus", diagnostic.Descriptor.Category);
        Assert.Contains("Impact=Critical", diagnostic.Descriptor.CustomTags);
        Assert.Equal("'nodes.Length / 2' is not a strict majority: with an even cluster size two disjoint halves both reach it and can elect two leaders or commit conflicting writes; use n / 2 + 1, or compare with '>' (confidence 95%)", diagnostic.GetMessage());
    }

    // ---- Left alone ------------------------------------------------------------------------------------

    [Fact]
    public Task Correct_majorities_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;

        class Correct
        {
            private readonly List<string> _members = new();
            private int _votes;

            int Quorum1 => _members.Count / 2 + 1;
            int Quorum2 => (_members.Count / 2) + 1;
            int Quorum3 => 1 + _members.Count / 2;
            int Quorum4 => (_members.Count >> 1) + 1;
            int Majority5 => _members.Count / 2 + 1;
            bool Won1 => _votes > _members.Count / 2;
            bool Won2 => _votes * 2 > _members.Count;
            bool Won3 => 2 * _votes > _members.Count;
            bool Won4 => _members.Count / 2 < _votes;
            bool Won5 => _votes >= _members.Count / 2 + 1;
            bool NotYet => _votes <= _members.Count / 2;
            int MaxFailures => (_members.Count - 1) / 2;
            int QuorumFromFailures => 2 * MaxFailures + 1;
        }
        """);

    [Fact]
    public Task Peers_plus_this_node_compared_strictly_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;

        class Candidate
        {
            private readonly List<string> _peers = new();
            private int _votes = 1;
            private int _peerAcks;

            // peers + this node is the cluster, so this is a strict majority of it.
            bool Won() => _votes > (_peers.Count + 1) / 2;

            // Both leave this node out: ceil(peers / 2) other nodes plus this one are a majority.
            bool Committed() => _peerAcks >= (_peers.Count + 1) / 2;
        }
        """);

    [Fact]
    public Task Majority_threshold_used_only_as_more_than_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;

        class Tally
        {
            private readonly List<string> _nodes = new();
            private int _majority;
            private int _votes;
            private int _acks;

            public void Reconfigure() => _majority = _nodes.Count / 2;

            public bool Elected => _votes > _majority;
            public bool Committed => _majority < _acks;
            public bool Pending => _acks <= _majority;

            bool Check(int votes)
            {
                var quorum = _nodes.Count / 2;
                var needed = quorum + 1;
                return votes > quorum || votes >= needed;
            }
        }
        """);

    [Fact]
    public Task Threshold_read_through_a_unicode_escape_is_still_followed() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;

        class Tally
        {
            private readonly List<string> _nodes = new();
            private int _majority;

            public void Reconfigure() => _majority = _nodes.Count / 2;

            // The threshold's only read spells it with an escape: it is still read as "more than half".
            public bool Elected(int votes) => votes > _m\u0061jority;
        }
        """);

    [Fact]
    public Task Halves_that_are_not_quorums_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;
        using System.Linq;

        class NotQuorums
        {
            double Median(List<double> sorted) => sorted[sorted.Count / 2];

            IEnumerable<int> FirstPage(List<int> items)
            {
                int pageSize = items.Count / 2;
                return items.Take(pageSize);
            }

            int Midpoint(int lo, int hi) => (lo + hi) / 2;

            (byte[], byte[]) Split(byte[] buffer)
            {
                var half = buffer.Length / 2;
                return (buffer[..half], buffer[half..]);
            }

            int Pages(int total) => (int)Math.Ceiling(total / 2.0);

            bool SecondHalf(int index, List<int> items) => index >= items.Count / 2;

            bool TooFewWithoutSize(int votes, int n) => votes >= n / 2;

            bool Mixed(int votes, string[] nodes, bool strict)
            {
                var threshold = nodes.Length / 2;
                if (strict)
                {
                    threshold = nodes.Length;
                }

                return votes >= threshold;
            }
        }
        """);

    [Fact]
    public Task Generated_code_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        // <auto-generated/>
        class Generated
        {
            int Quorum(string[] nodes) => nodes.Length / 2;
        }
        """);

    [Fact]
    public Task Look_alike_Math_in_another_namespace_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        namespace Geometry
        {
            static class Math
            {
                public static double Ceiling(double value) => value;
            }

            class Shapes
            {
                int Quorum(string[] nodes) => (int)Math.Ceiling(nodes.Length / 2.0);
            }
        }
        """);

    [Fact]
    public async Task Incomplete_code_does_not_throw()
    {
        const string source = """
            class Typing
            {
                int Quorum(string[] nodes) => nodes.Length / ;
                bool Won(int votes) => votes >= Missing.Count / 2;
                int Majority => (int)Math.Ceiling( / 2.0);
            }
            """;

        await DiagnosticsAsync(source, TestOptions.Default);
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(string source, TestOptions options)
    {
        var document = TestWorkspace.CreateDocument(source, options);
        var diagnostics = await Analysis.RunAsync(document.Project, ImmutableArray.Create<DiagnosticAnalyzer>(new QuorumOffByOneOnly()));
        return diagnostics.Where(d => d.Id == RuleIds.QuorumOffByOne).ToImmutableArray();
    }
}
