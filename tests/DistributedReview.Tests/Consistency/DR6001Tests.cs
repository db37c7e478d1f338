using System.Collections.Immutable;
using System.Threading.Tasks;
using DistributedReview.Consistency;
using DistributedReview.Tests.Concurrency;
using DistributedReview.Tests.StandIns;
using DistributedReview.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using VerifyAnalyzer = DistributedReview.Tests.Verification.Verify<DistributedReview.Tests.Concurrency.ReplicaReadFeedsWriteOnly>;
using VerifyCS = DistributedReview.Tests.Verification.Verify<DistributedReview.Tests.Concurrency.ReplicaReadFeedsWriteOnly, DistributedReview.Consistency.ReplicaReadFeedsWriteCodeFix>;

namespace DistributedReview.Tests.Consistency;

/// <summary>DR6001: a replica read feeding a write.</summary>
public class DR6001Tests
{
    private static readonly TestOptions Libraries = new() { AdditionalSources = ImmutableArray.Create(StackExchangeRedis.Source, DistributedCache.Source) };

    // ---- Reported, and fixed ---------------------------------------------------------------------------

    [Fact]
    public Task Replica_read_written_back_reads_from_the_primary() => VerifyCS.FixAsync("""
        using StackExchange.Redis;

        class Wallet
        {
            private readonly IDatabase _db;

            public Wallet(IDatabase db) => _db = db;

            public void Credit(string user, long amount)
            {
                var balance = (long)[|_db.StringGet("balance:" + user, CommandFlags.PreferReplica)|];
                _db.StringSet("balance:" + user, balance + amount);
            }
        }
        """, """
        using StackExchange.Redis;

        class Wallet
        {
            private readonly IDatabase _db;

            public Wallet(IDatabase db) => _db = db;

            public void Credit(string user, long amount)
            {
                var balance = (long)_db.StringGet("balance:" + user);
                _db.StringSet("balance:" + user, balance + amount);
            }
        }
        """, Libraries);

    [Fact]
    public Task Combined_flags_keep_the_rest_and_named_flags_go() => VerifyCS.FixAsync("""
        using System.Threading.Tasks;
        using StackExchange.Redis;

        class Profiles
        {
            public async Task CopyAsync(IDatabase db, string from, string to)
            {
                var name = await [|db.HashGetAsync(from, "name", CommandFlags.DemandReplica | CommandFlags.NoRedirect)|];
                var email = await [|db.HashGetAsync(from, "email", flags: CommandFlags.PreferReplica)|];
                await db.HashSetAsync(to, "name", name);
                await db.ListRightPushAsync("audit", (string?)email + " copied");
            }
        }
        """, """
        using System.Threading.Tasks;
        using StackExchange.Redis;

        class Profiles
        {
            public async Task CopyAsync(IDatabase db, string from, string to)
            {
                var name = await db.HashGetAsync(from, "name", CommandFlags.NoRedirect);
                var email = await db.HashGetAsync(from, "email");
                await db.HashSetAsync(to, "name", name);
                await db.ListRightPushAsync("audit", (string?)email + " copied");
            }
        }
        """, Libraries);

    [Fact]
    public Task Obsolete_slave_flag_is_dropped_too() => VerifyCS.FixAsync("""
        using StackExchange.Redis;

        class Legacy
        {
        #pragma warning disable CS0612
            public void Touch(IDatabase db) => db.StringSet("seen", (string?)[|db.StringGet("seen", CommandFlags.DemandSlave)|] + "x");
        #pragma warning restore CS0612
        }
        """, """
        using StackExchange.Redis;

        class Legacy
        {
        #pragma warning disable CS0612
            public void Touch(IDatabase db) => db.StringSet("seen", (string?)db.StringGet("seen") + "x");
        #pragma warning restore CS0612
        }
        """, Libraries);

    [Fact]
    public Task Replica_value_in_a_cache_write_is_reported() => VerifyAnalyzer.AnalyzerAsync("""
        using Microsoft.Extensions.Caching.Distributed;
        using StackExchange.Redis;

        class Mirror
        {
            public void Copy(IDatabase db, IDistributedCache cache)
            {
                string? value = [|db.StringGet("config", CommandFlags.DemandReplica)|];
                cache.SetString("config", value ?? "");
            }
        }
        """, Libraries);

    [Fact]
    public Task Flags_in_a_variable_are_reported_without_a_fix() => VerifyCS.NoFixAsync("""
        using StackExchange.Redis;

        class Limits
        {
            private const CommandFlags Reads = CommandFlags.PreferReplica;

            public void Bump(IDatabase db) => db.StringIncrement("limit", (long)[|db.StringGet("limit", Reads)|]);
        }
        """, Libraries);

    [Fact]
    public async Task Message_confidence_and_docs_link()
    {
        var diagnostics = (await DiagnosticsAsync("""
            using StackExchange.Redis;
            class C
            {
                void Same(IDatabase db) { var v = (long)db.StringGet("k", CommandFlags.PreferReplica); db.StringSet("k", v + 1); }
                void Other(IDatabase db) { var v = (long)db.StringGet("a", CommandFlags.PreferReplica); db.StringSet("b", v); }
            }
            """, Libraries)).Sort((a, b) => a.Location.SourceSpan.Start.CompareTo(b.Location.SourceSpan.Start));

        Assert.Equal(2, diagnostics.Length);
        Assert.Equal("'db.StringGet(\"k\", CommandFlags.PreferReplica)' reads from a replica and the value is written back, so a stale replica value overwrites newer data on the primary; read from the primary for read-modify-write (confidence 90%)", diagnostics[0].GetMessage());
        Assert.Equal("90", diagnostics[0].Properties["Confidence"]);
        Assert.EndsWith("(confidence 80%)", diagnostics[1].GetMessage());
        Assert.Equal("80", diagnostics[1].Properties["Confidence"]);
        Assert.Equal("https://github.com/DistributedReview/DistributedReview/blob/main/docs/rules/DR6001.md", diagnostics[0].Descriptor.HelpLinkUri);
        Assert.Equal("DistributedReview.Consistency", diagnostics[0].Descriptor.Category);
    }

    [Theory]
    [InlineData(null, 2)]
    [InlineData("distributed_review.min_confidence = 85", 1)]
    [InlineData("distributed_review.min_confidence = 95", 0)]
    public async Task Min_confidence_from_editorconfig_drops_weaker_findings(string? editorConfig, int expected)
    {
        const string source = """
            using StackExchange.Redis;
            class C
            {
                void Same(IDatabase db) { var v = (long)db.StringGet("k", CommandFlags.PreferReplica); db.StringSet("k", v + 1); }
                void Other(IDatabase db) { var v = (long)db.StringGet("a", CommandFlags.PreferReplica); db.StringSet("b", v); }
            }
            """;

        Assert.Equal(expected, (await DiagnosticsAsync(source, Libraries with { EditorConfig = editorConfig })).Length);
    }

    // ---- Left alone ------------------------------------------------------------------------------------

    [Fact]
    public Task Replica_reads_for_display_and_primary_reads_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;
        using StackExchange.Redis;

        class Dashboard
        {
            public async Task<string?> ShowAsync(IDatabase db, string id)
            {
                var views = (long)await db.StringGetAsync("views:" + id, CommandFlags.PreferReplica);
                Console.WriteLine($"{id}: {views} views");
                return await db.HashGetAsync("page:" + id, "title", CommandFlags.DemandReplica);
            }

            public void Primary(IDatabase db)
            {
                var a = (long)db.StringGet("a", CommandFlags.DemandMaster);
                db.StringSet("a", a + 1);
                var b = (long)db.StringGet("b");
                db.StringSet("b", b + 1);
            }

            public void WriteUnrelated(IDatabase db)
            {
                var stale = (long)db.StringGet("c", CommandFlags.PreferReplica);
                db.StringSet("seen", DateTime.UtcNow.Ticks);
                Console.WriteLine(stale);
            }
        }
        """, Libraries);

    [Fact]
    public async Task Half_typed_code_does_not_throw()
    {
        const string source = """
            using StackExchange.Redis;
            class C
            {
                void A(IDatabase db) { var v = db.StringGet("k", CommandFlags.); db.StringSet("k", v); }
                void B(IDatabase db) { var v = db.StringGet("k", CommandFlags.PreferReplica; db.StringSet(, v); }
            }
            """;

        await DiagnosticsAsync(source, Libraries);
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(string source, TestOptions options)
    {
        var document = TestWorkspace.CreateDocument(source, options);
        return await Analysis.RunAsync(document.Project, ImmutableArray.Create<DiagnosticAnalyzer>(new ReplicaReadFeedsWriteOnly()));
    }
}
