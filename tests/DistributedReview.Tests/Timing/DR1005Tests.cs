using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using DistributedReview.Tests.Catalog;
using DistributedReview.Tests.Verification;
using DistributedReview.Timing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using VerifyAnalyzer = DistributedReview.Tests.Verification.Verify<DistributedReview.Timing.WallClockLastWriteWinsAnalyzer>;

namespace DistributedReview.Tests.Timing;

/// <summary>DR1005: last-write-wins by wall-clock timestamps across nodes.</summary>
public class DR1005Tests
{
    private static readonly TestOptions NetStandard = new() { Target = TargetFramework.NetStandard20 };

    // ---- Reported --------------------------------------------------------------------------------------

    [Fact]
    public Task Merge_choosing_by_timestamp_in_a_conditional_expression() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        public sealed record Entry(string Key, string Value, DateTime UpdatedAt);

        public static class Replication
        {
            public static Entry Merge(Entry incoming, Entry current) =>
                [|incoming.UpdatedAt > current.UpdatedAt|] ? incoming : current;
        }
        """);

    [Fact]
    public Task Guard_that_returns_then_stores_the_incoming_instance() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;

        public sealed class Entry
        {
            public string Key { get; set; } = "";
            public string Value { get; set; } = "";
            public DateTimeOffset LastModified { get; set; }
        }

        public sealed class ReplicaStore
        {
            private readonly object _gate = new();
            private readonly Dictionary<string, Entry> _entries = new();

            public void Put(Entry entry)
            {
                lock (_gate)
                {
                    if (_entries.TryGetValue(entry.Key, out var current) && [|entry.LastModified <= current.LastModified|])
                    {
                        return;
                    }

                    _entries[entry.Key] = entry;
                }
            }
        }
        """);

    [Fact]
    public Task Locals_fields_and_an_indexer_as_the_current_instance() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;

        public sealed class Document
        {
            public string Id { get; set; } = "";
            public DateTime Timestamp;
        }

        public sealed class DocumentSync
        {
            private readonly Dictionary<string, Document> _documents = new();
            private Document _latest = new();

            public void Receive(Document remote)
            {
                var local = _documents[remote.Id];
                if ([|remote.Timestamp >= local.Timestamp|])
                {
                    _documents[remote.Id] = remote;
                }

                if ([|remote.Timestamp > _documents[remote.Id].Timestamp|])
                {
                    _documents[remote.Id] = remote;
                }

                if ([|_latest.Timestamp < remote.Timestamp|])
                {
                    _latest = remote;
                }
            }
        }
        """);

    [Fact]
    public Task This_compared_with_another_instance_of_its_type() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        public sealed record ReplicatedRegister(string Value, DateTime WrittenAt)
        {
            public ReplicatedRegister MergeWith(ReplicatedRegister other) => [|other.WrittenAt > WrittenAt|] ? other : this;

            public ReplicatedRegister Join(ReplicatedRegister other)
            {
                if ([|this.WrittenAt >= other.WrittenAt|])
                {
                    return this;
                }

                return other;
            }
        }

        public sealed class LwwRegister
        {
            public string Value { get; private set; } = "";
            public DateTime Timestamp { get; private set; }

            public void Absorb(LwwRegister other)
            {
                if ([|other.Timestamp > Timestamp|])
                {
                    Value = other.Value;
                    Timestamp = other.Timestamp;
                }
            }
        }
        """);

    [Fact]
    public Task CompareTo_and_Compare_including_using_static() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using static System.DateTime;

        public sealed class Item
        {
            public string Value = "";
            public DateTime UpdatedAt;
            public DateTimeOffset SeenAt;
        }

        public static class Reconciler
        {
            public static void ReconcileInPlace(Item current, Item incoming)
            {
                if ([|incoming.UpdatedAt.CompareTo(current.UpdatedAt) > 0|])
                {
                    current.Value = incoming.Value;
                    current.UpdatedAt = incoming.UpdatedAt;
                }
            }

            public static Item Reconcile(Item a, Item b) => [|Compare(a.UpdatedAt, b.UpdatedAt) >= 0|] ? a : b;

            public static Item ReconcileSeen(Item a, Item b) => [|DateTimeOffset.Compare(a.SeenAt, b.SeenAt)|] switch
            {
                > 0 => a,
                _ => b,
            };
        }
        """);

    [Fact]
    public Task Nullable_timestamps_and_DateTimeOffset() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        public sealed class Profile
        {
            public string Name { get; set; } = "";
            public DateTimeOffset? ModifiedAt { get; set; }
        }

        public static class ProfileConflicts
        {
            public static Profile Resolve(Profile mine, Profile theirs) =>
                [|theirs.ModifiedAt > mine.ModifiedAt|] ? theirs : mine;
        }
        """);

    [Fact]
    public Task Lambda_passed_to_AddOrUpdate_in_an_async_method() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Threading.Tasks;

        public sealed record State(string Key, long Value, DateTime UpdatedAt);

        public sealed class Node
        {
            private readonly ConcurrentDictionary<string, State> _states = new();

            public async Task OnGossipAsync(Func<Task<IReadOnlyList<State>>> receive)
            {
                foreach (var incoming in await receive())
                {
                    _states.AddOrUpdate(incoming.Key, incoming, (_, existing) => [|incoming.UpdatedAt > existing.UpdatedAt|] ? incoming : existing);
                }
            }

            public async Task SyncAsync(Func<Task<IReadOnlyList<State>>> pull)
            {
                foreach (var theirs in await pull())
                {
                    if (_states.TryGetValue(theirs.Key, out var ours) && [|ours.UpdatedAt >= theirs.UpdatedAt|])
                    {
                        continue;
                    }

                    _states[theirs.Key] = theirs;
                }
            }
        }
        """);

    [Fact]
    public Task A_bool_result_and_a_bool_local_decide_too() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;

        public sealed record Entry(string Key, DateTime UpdatedAt);

        public sealed class Replica
        {
            private readonly Dictionary<string, Entry> _entries = new();

            public bool ShouldApply(Entry incoming, Entry current) => [|incoming.UpdatedAt > current.UpdatedAt|];

            public bool IsNewer(Entry incoming, Entry current)
            {
                if ([|incoming.UpdatedAt > current.UpdatedAt|])
                {
                    return true;
                }

                return false;
            }

            public void Apply(Entry incoming)
            {
                var current = _entries[incoming.Key];
                var newer = [|incoming.UpdatedAt > current.UpdatedAt|];
                if (newer)
                {
                    _entries[incoming.Key] = incoming;
                }
            }
        }
        """);

    [Fact]
    public Task Rejecting_a_stale_write_with_a_throw_is_reported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;

        public sealed record Entry(string Key, DateTime UpdatedAt);

        public sealed class ReplicatedLog
        {
            private readonly List<Entry> _accepted = new();
            private Entry _last = new("", DateTime.MinValue);

            public void Append(Entry entry)
            {
                if ([|entry.UpdatedAt < _last.UpdatedAt|])
                {
                    throw new InvalidOperationException("stale write");
                }

                _accepted.Add(entry);
                _last = entry;
            }
        }
        """);

    [Fact]
    public Task Works_on_netstandard() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        public class Entry { public DateTime UpdatedAt; }

        public static class Crdt
        {
            public static Entry Merge(Entry a, Entry b) => [|a.UpdatedAt >= b.UpdatedAt|] ? a : b;
        }
        """, NetStandard);

    // ---- Confidence ------------------------------------------------------------------------------------

    [Theory]
    [InlineData("class Store", "Entry Merge(Entry a, Entry b) => a.UpdatedAt > b.UpdatedAt ? a : b;", 90)]
    [InlineData("class ReplicaStore", "Entry Pick(Entry a, Entry b) => a.UpdatedAt > b.UpdatedAt ? a : b;", 85)]
    [InlineData("class Store", "Entry Pick(Entry incoming, Entry current) => incoming.UpdatedAt > current.UpdatedAt ? incoming : current;", 70)]
    [InlineData("class Store", "Entry Pick(Entry a, ReplicaEntry b) => a.UpdatedAt > b.UpdatedAt ? a : b;", 70)]
    [InlineData("class Store", "bool ShouldMerge(Entry a, Entry b) => a.UpdatedAt > b.UpdatedAt;", 80)]
    [InlineData("class Store", "bool IsNewer(Entry remote, Entry local) => remote.UpdatedAt > local.UpdatedAt;", 60)]
    public async Task Confidence_follows_the_evidence(string type, string member, int confidence)
    {
        var source = $$"""
            using System;

            class Entry { public DateTime UpdatedAt; }
            class ReplicaEntry : Entry { }

            {{type}}
            {
                {{member}}
            }
            """;
        var diagnostic = Assert.Single(await DiagnosticsAsync(source, TestOptions.Default));

        ConfidenceAssert.Has(diagnostic, confidence);
        Assert.StartsWith("'", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData(null, 2)]
    [InlineData("distributed_review.min_confidence = 80", 1)]
    [InlineData("distributed_review.min_confidence = 95", 0)]
    public async Task Min_confidence_from_editorconfig_drops_weaker_findings(string? editorConfig, int expected)
    {
        const string source = """
            using System;

            class Entry { public DateTime UpdatedAt; }

            class Store
            {
                Entry Merge(Entry a, Entry b) => a.UpdatedAt > b.UpdatedAt ? a : b;
                Entry Pick(Entry incoming, Entry current) => incoming.UpdatedAt > current.UpdatedAt ? incoming : current;
            }
            """;

        Assert.Equal(expected, (await DiagnosticsAsync(source, new TestOptions { EditorConfig = editorConfig })).Length);
    }

    [Fact]
    public async Task Diagnostic_is_critical_links_to_its_docs_page_and_has_no_code_fix()
    {
        var diagnostic = Assert.Single(await DiagnosticsAsync(
            "class E { public System.DateTime T; } static class Sync { static E Merge(E a, E b) => a.T > b.T ? a : b; }", TestOptions.Default));

        Assert.Equal("https://github.com/DistributedReview/DistributedReview/blob/main/docs/rules/DR1005.md", diagnostic.Descriptor.HelpLinkUri);
        Assert.Equal("DistributedReview.Timing", diagnostic.Descriptor.Category);
        Assert.Contains("Impact=Critical", diagnostic.Descriptor.CustomTags);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal("'a.T > b.T' decides which replica's value wins by comparing wall-clock timestamps, so clock skew between nodes silently drops the newer write; order writes with a logical version (Lamport or hybrid logical clock, version vector) (confidence 90%)", diagnostic.GetMessage());
        Assert.DoesNotContain(RuleIds.WallClockLastWriteWins, Discovered.CreateCodeFixes().SelectMany(f => f.FixableDiagnosticIds));
    }

    // ---- Left alone ------------------------------------------------------------------------------------

    [Fact]
    public Task Sorting_and_picking_the_latest_for_display_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;
        using System.Linq;

        public sealed record Entry(string Key, DateTime UpdatedAt);

        public sealed class ReplicaDashboard
        {
            public IEnumerable<Entry> Ordered(IEnumerable<Entry> replicas) => replicas.OrderBy(e => e.UpdatedAt);

            public DateTime LastWrite(IEnumerable<Entry> replicas) => replicas.Max(e => e.UpdatedAt);

            public Entry DisplayNewest(Entry incoming, Entry current) => incoming.UpdatedAt > current.UpdatedAt ? incoming : current;

            public string RenderLatest(Entry remote, Entry local) => (remote.UpdatedAt > local.UpdatedAt ? remote : local).Key;

            public Entry LatestForUi(Entry incoming, Entry current) => incoming.UpdatedAt >= current.UpdatedAt ? incoming : current;

            public void SortForMerge(List<Entry> replicas) => replicas.Sort((a, b) => a.UpdatedAt.CompareTo(b.UpdatedAt));

            public int Compare(Entry remote, Entry local) => DateTime.Compare(remote.UpdatedAt, local.UpdatedAt);
        }
        """);

    [Fact]
    public Task Comparisons_with_a_logical_version_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;

        public sealed record Entry(string Key, long Version, DateTime UpdatedAt);

        public sealed record Counted(string Key, long LamportCounter, DateTime UpdatedAt);

        public sealed class VectorClock
        {
            public static int Compare(VectorClock a, VectorClock b) => 0;
        }

        public sealed record Clocked(string Key, VectorClock Clock, DateTime UpdatedAt);

        public static class Merges
        {
            // The timestamp only breaks ties between equal versions.
            public static Entry Merge(Entry incoming, Entry current) =>
                incoming.Version > current.Version || (incoming.Version == current.Version && incoming.UpdatedAt > current.UpdatedAt)
                    ? incoming
                    : current;

            public static Counted MergeCounted(Counted incoming, Counted current)
            {
                if (incoming.LamportCounter != current.LamportCounter)
                {
                    return incoming.LamportCounter > current.LamportCounter ? incoming : current;
                }

                return incoming.UpdatedAt > current.UpdatedAt ? incoming : current;
            }

            public static Clocked MergeClocked(Clocked incoming, Clocked current)
            {
                var order = VectorClock.Compare(incoming.Clock, current.Clock);
                if (order != 0)
                {
                    return order > 0 ? incoming : current;
                }

                return incoming.UpdatedAt >= current.UpdatedAt ? incoming : current;
            }
        }
        """);

    [Fact]
    public Task Comparisons_with_the_clock_different_members_and_one_instance_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        public sealed record Entry(string Key, DateTime CreatedAt, DateTime UpdatedAt);

        public static class Replication
        {
            public static Entry? MergeFresh(Entry incoming) => incoming.UpdatedAt > DateTime.UtcNow ? null : incoming;

            public static Entry MergeAcross(Entry incoming, Entry current) => incoming.CreatedAt < current.UpdatedAt ? incoming : current;

            public static Entry MergeSelf(Entry incoming) => incoming.UpdatedAt > incoming.CreatedAt ? incoming : incoming;

            public static Entry MergeSame(Entry incoming) => incoming.UpdatedAt >= incoming.UpdatedAt ? incoming : incoming;
        }
        """);

    [Fact]
    public Task Code_without_replication_vocabulary_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        public sealed record Invoice(string Number, DateTime IssuedAt);

        public static class Invoices
        {
            public static Invoice Newer(Invoice a, Invoice b) => a.IssuedAt > b.IssuedAt ? a : b;
        }
        """);

    [Fact]
    public Task Comparisons_that_decide_nothing_about_the_instances_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        public sealed record Entry(string Key, DateTime UpdatedAt);

        public interface ILogger { void LogWarning(string message, params object[] args); void Log(object value); }

        public sealed class Replica
        {
            private readonly ILogger _logger;
            public int LateWrites { get; private set; }

            public Replica(ILogger logger) => _logger = logger;

            public void MergeStats(Entry incoming, Entry current)
            {
                if (incoming.UpdatedAt < current.UpdatedAt)
                {
                    LateWrites++;
                    _logger.LogWarning("Late write {Entry}", incoming);
                    _logger.Log(incoming);
                }

                var skewed = incoming.UpdatedAt > current.UpdatedAt;
                _logger.Log(skewed);
            }

            public TimeSpan MergeSkew(Entry incoming, Entry current) =>
                incoming.UpdatedAt > current.UpdatedAt ? incoming.UpdatedAt - current.UpdatedAt : TimeSpan.Zero;
        }
        """);

    [Fact]
    public Task Generated_code_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        // <auto-generated/>
        using System;

        public sealed record Entry(string Key, DateTime UpdatedAt);

        public static class GeneratedSync
        {
            public static Entry Merge(Entry a, Entry b) => a.UpdatedAt > b.UpdatedAt ? a : b;
        }
        """);

    [Fact]
    public Task Clock_implementations_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        public sealed record Sample(DateTime ReadAt);

        public sealed class SyncedClock : TimeProvider
        {
            private Sample _last = new(DateTime.UtcNow);

            public void MergeRemote(Sample remote) => _last = remote.ReadAt > _last.ReadAt ? remote : _last;

            public override DateTimeOffset GetUtcNow() => _last.ReadAt;
        }
        """);

    [Fact]
    public Task Look_alike_DateTime_types_in_other_namespaces_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        namespace Game
        {
            public struct DateTime
            {
                public static bool operator >(DateTime a, DateTime b) => false;
                public static bool operator <(DateTime a, DateTime b) => false;
            }

            public sealed class Entry { public DateTime UpdatedAt; }

            public static class Sync
            {
                public static Entry Merge(Entry a, Entry b) => a.UpdatedAt > b.UpdatedAt ? a : b;
            }
        }
        """);

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(string source, TestOptions options)
    {
        var document = TestWorkspace.CreateDocument(source, options);
        return await Analysis.RunAsync(document.Project, ImmutableArray.Create<DiagnosticAnalyzer>(new WallClockLastWriteWinsAnalyzer()));
    }
}
