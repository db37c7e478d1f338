using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using DistributedReview.Consensus;
using DistributedReview.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using VerifyAnalyzer = DistributedReview.Tests.Verification.Verify<DistributedReview.Tests.Consensus.QuorumOfVisibleNodesOnly>;
using VerifyNoFix = DistributedReview.Tests.Verification.Verify<DistributedReview.Tests.Consensus.QuorumOfVisibleNodesOnly, DistributedReview.Consensus.QuorumOffByOneCodeFix>;

namespace DistributedReview.Tests.Consensus;

/// <summary>DR2002: quorum computed from the nodes you can currently see.</summary>
public class DR2002Tests
{
    private const string Nodes = """
        namespace Cluster
        {
            public enum NodeStatus { Joining, Up, Down, Leaving }

            public sealed class Node
            {
                public string Id { get; set; } = "";
                public bool IsAlive { get; set; }
                public bool IsHealthy { get; set; }
                public bool IsDown { get; set; }
                public bool IsActive { get; set; }
                public bool IsVoter { get; set; }
                public NodeStatus Status { get; set; }
                public System.DateTime LastHeartbeat { get; set; }
            }
        }
        """;

    private static readonly TestOptions WithNodes = new() { AdditionalSources = ImmutableArray.Create(Nodes) };

    // ---- Reported --------------------------------------------------------------------------------------

    [Fact]
    public Task Majority_of_a_reachable_set_is_reported_at_the_size() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;

        class FailureDetector
        {
            private readonly HashSet<string> _reachableNodes = new();
            private int _votes;

            public void OnReachable(string node) => _reachableNodes.Add(node);

            public void OnUnreachable(string node) => _reachableNodes.Remove(node);

            public int Quorum => [|_reachableNodes.Count|] / 2 + 1;

            public bool Elected => _votes > [|_reachableNodes.Count|] / 2;
        }
        """);

    [Fact]
    public Task Counts_named_alive_or_connected_are_reported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Linq;

        class Membership
        {
            private IEnumerable<string> GetConnectedPeers() => new List<string>();

            bool CanCommit(int acks, int aliveCount) => acks > [|aliveCount|] / 2;

            int RequiredVotes() => [|GetConnectedPeers().Count()|] / 2 + 1;

            bool Won(int votes, IReadOnlyList<string> onlineMembers) => votes * 2 > [|onlineMembers.Count|];
        }
        """);

    [Fact]
    public Task Filters_behind_the_count_are_reported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using Cluster;

        class Election
        {
            private readonly List<Node> _nodes = new();

            int Quorum1() => [|_nodes.Where(n => n.IsAlive).Count()|] / 2 + 1;
            int Quorum2() => [|_nodes.Count(n => n.IsHealthy)|] / 2 + 1;
            int Quorum3() => [|_nodes.Where(n => n.Status == NodeStatus.Up).ToList().Count|] / 2 + 1;
            int Quorum4() => [|_nodes.Count(n => !n.IsDown)|] / 2 + 1;
            int Quorum5() => [|_nodes.Count(n => n.Status != NodeStatus.Down)|] / 2 + 1;
            int Quorum6() => [|_nodes.Count(n => DateTime.UtcNow - n.LastHeartbeat < TimeSpan.FromSeconds(5))|] / 2 + 1;
            int Quorum7(IEnumerable<Node> failed) => [|_nodes.Except(failed).Count()|] / 2 + 1;
            int Quorum8() => [|_nodes.Where(IsReachable).Count()|] / 2 + 1;
            int Quorum9() => [|_nodes.Count(n => n.Status is not NodeStatus.Down)|] / 2 + 1;

            static bool IsReachable(Node node) => node.IsAlive;
        }
        """, WithNodes);

    [Fact]
    public Task Sizes_followed_through_locals_and_fields_are_reported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        using Cluster;

        class LeaderElection
        {
            private readonly List<Node> _members = new();
            private List<Node> _candidates = new();

            public void Refresh() => _candidates = _members.Where(m => m.IsAlive).ToList();

            public async Task<bool> RunAsync(Task<int> votesTask)
            {
                var up = _members.Count(m => m.Status == NodeStatus.Up);
                var votes = await votesTask;
                var quorum = [|up|] / 2 + 1;
                return votes >= quorum && votes > [|_candidates.Count|] / 2;
            }
        }
        """, WithNodes);

    [Fact]
    public Task Off_by_one_majorities_of_visible_nodes_are_reported_too() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;

        class Replication
        {
            private readonly List<string> _healthyReplicas = new();

            public int Quorum => [|_healthyReplicas.Count|] / 2;
            public int RequiredAcks => (int)Math.Ceiling([|_healthyReplicas.Count|] / 2.0);
            public bool Committed(int acks) => acks >= ([|_healthyReplicas.Count|] + 1) / 2;
        }
        """);

    [Fact]
    public Task DotNext_style_member_status_filter_is_reported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Linq;

        namespace DotNext.Net.Cluster
        {
            public enum ClusterMemberStatus { Unknown, Available, Unavailable }

            public interface IClusterMember
            {
                ClusterMemberStatus Status { get; }
            }
        }

        namespace App
        {
            using DotNext.Net.Cluster;

            class ReadBarrier
            {
                private readonly IReadOnlyCollection<IClusterMember> _members = new List<IClusterMember>();

                int ReadQuorum() => [|_members.Count(m => m.Status == ClusterMemberStatus.Available)|] / 2 + 1;

                int Unavailable() => _members.Count(m => m.Status == ClusterMemberStatus.Unavailable) / 2 + 1;
            }
        }
        """);

    [Fact]
    public Task Active_and_available_are_weaker_evidence_but_reported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;

        class Pool
        {
            int Quorum(List<string> activeMembers) => [|activeMembers.Count|] / 2 + 1;
            bool Committed(int acks, string[] availableReplicas) => acks > [|availableReplicas.Length|] / 2;
        }
        """);

    [Fact]
    public async Task Off_by_one_and_of_visible_nodes_reports_both_rules()
    {
        const string source = """
            using System.Collections.Generic;

            class Candidate
            {
                private readonly List<string> _aliveNodes = new();
                private int _votes;

                public bool Won() => _votes >= _aliveNodes.Count / 2;
            }
            """;
        var document = TestWorkspace.CreateDocument(source, TestOptions.Default);
        var diagnostics = await Analysis.RunAsync(
            document.Project,
            ImmutableArray.Create<DiagnosticAnalyzer>(new QuorumAnalyzer()));

        Assert.Collection(
            diagnostics.OrderBy(d => d.Id),
            offByOne =>
            {
                Assert.Equal(RuleIds.QuorumOffByOne, offByOne.Id);
                Assert.Equal("_votes >= _aliveNodes.Count / 2", offByOne.Location.SourceTree!.GetText().ToString(offByOne.Location.SourceSpan));
            },
            visible =>
            {
                Assert.Equal(RuleIds.QuorumOfVisibleNodes, visible.Id);
                Assert.Equal("_aliveNodes.Count", visible.Location.SourceTree!.GetText().ToString(visible.Location.SourceSpan));
            });
    }

    [Fact]
    public Task No_fix_is_offered() => VerifyNoFix.NoFixAsync("""
        using System.Collections.Generic;

        class Quorums
        {
            int Quorum(List<string> reachable) => [|reachable.Count|] / 2 + 1;
        }
        """);

    // ---- Confidence ------------------------------------------------------------------------------------

    [Theory]
    [InlineData("int Quorum(List<string> reachableNodes) => reachableNodes.Count / 2 + 1;", 90)]
    [InlineData("bool Won(int votes, List<string> reachableNodes) => votes > reachableNodes.Count / 2;", 85)]
    [InlineData("int Size(List<string> reachableNodes) => reachableNodes.Count / 2 + 1;", 65)]
    [InlineData("int Quorum(List<string> activeNodes) => activeNodes.Count / 2 + 1;", 70)]
    [InlineData("int Quorum(List<string> nodes) { var count = nodes.Count(n => n.Length > 0 && IsAlive(n)); return count / 2 + 1; }", 85)]
    public async Task Confidence_follows_the_evidence(string member, int confidence)
    {
        var source = $$"""
            using System.Collections.Generic;
            using System.Linq;

            class Evidence
            {
                {{member}}
                static bool IsAlive(string node) => true;
            }
            """;
        var diagnostic = Assert.Single(await DiagnosticsAsync(source, TestOptions.Default));

        ConfidenceAssert.Has(diagnostic, confidence);
    }

    [Fact]
    public async Task Diagnostic_message_and_docs_link()
    {
        var diagnostic = Assert.Single(await DiagnosticsAsync(
            "class C { int Quorum(System.Collections.Generic.List<string> reachableNodes) => reachableNodes.Count / 2 + 1; }", TestOptions.Default));

        Assert.Equal("https://github.com/DistributedReview/DistributedReview/blob/main/docs/rules/DR2002.md", diagnostic.Descriptor.HelpLinkUri);
        Assert.Equal("DistributedReview.Consensus", diagnostic.Descriptor.Category);
        Assert.Contains("Impact=Critical", diagnostic.Descriptor.CustomTags);
        Assert.Equal("'reachableNodes.Count' sizes a majority by the nodes this node can currently reach, so each side of a partition computes its own majority; size it by the configured cluster membership (confidence 90%)", diagnostic.GetMessage());
    }

    // ---- Left alone ------------------------------------------------------------------------------------

    [Fact]
    public Task Majorities_of_the_configured_membership_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;

        class ClusterConfig
        {
            public List<string> Members { get; } = new();
        }

        class Election
        {
            private const int ClusterSize = 5;
            private readonly ClusterConfig _config = new();
            private readonly string[] _allNodes = { "a", "b", "c" };
            private readonly List<string> _upstreamServers = new();

            int Quorum1 => _config.Members.Count / 2 + 1;
            int Quorum2 => ClusterSize / 2 + 1;
            int Quorum3 => _allNodes.Length / 2 + 1;
            int Quorum4 => _upstreamServers.Count / 2 + 1;
            int Quorum5(IReadOnlySet<string> activeConfiguration) => activeConfiguration.Count / 2 + 1;
            int Quorum6(string[] allAvailableNodes) => allAvailableNodes.Length / 2 + 1;
        }
        """);

    [Fact]
    public Task Alive_count_compared_with_a_quorum_of_the_configured_size_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Linq;
        using Cluster;

        class Election
        {
            private readonly int _clusterSize = 5;
            private readonly List<Node> _nodes = new();

            bool HasQuorum()
            {
                var quorum = _clusterSize / 2 + 1;
                var alive = _nodes.Where(n => n.IsAlive).ToList();
                return alive.Count >= quorum;
            }

            bool HasMajority(int reachable) => reachable > _clusterSize / 2;

            bool Doubled(List<string> reachableNodes) => reachableNodes.Count * 2 > _clusterSize;
        }
        """, WithNodes);

    [Fact]
    public Task Visible_sets_halved_for_other_reasons_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Linq;
        using Cluster;

        class Balancer
        {
            private readonly List<Node> _healthy = new();

            Node Middle() => _healthy[_healthy.Count / 2];

            IEnumerable<Node> FirstHalf() => _healthy.Take(_healthy.Count / 2);

            int Voters(List<Node> nodes) => nodes.Count(n => n.IsVoter) / 2 + 1;

            int Inactive(List<Node> nodes) => nodes.Count(n => !n.IsActive) / 2 + 1;

            bool SecondHalf(int index) => index > _healthy.Count / 2;
        }
        """, WithNodes);

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(string source, TestOptions options)
    {
        var document = TestWorkspace.CreateDocument(source, options);
        var diagnostics = await Analysis.RunAsync(document.Project, ImmutableArray.Create<DiagnosticAnalyzer>(new QuorumOfVisibleNodesOnly()));
        return diagnostics.Where(d => d.Id == RuleIds.QuorumOfVisibleNodes).ToImmutableArray();
    }
}
