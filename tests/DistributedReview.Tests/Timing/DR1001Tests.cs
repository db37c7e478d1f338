using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using DistributedReview.Tests.Verification;
using DistributedReview.Timing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using VerifyAnalyzer = DistributedReview.Tests.Verification.Verify<DistributedReview.Tests.Timing.WallClockIntervalOnly>;
using VerifyCS = DistributedReview.Tests.Verification.Verify<DistributedReview.Tests.Timing.WallClockIntervalOnly, DistributedReview.Timing.WallClockIntervalCodeFix>;

namespace DistributedReview.Tests.Timing;

/// <summary>DR1001: elapsed time measured with a wall clock.</summary>
public class DR1001Tests
{
    private static readonly TestOptions NetStandard = new() { Target = TargetFramework.NetStandard20 };
    private static readonly TestOptions Net472 = new() { Target = TargetFramework.Net472 };

    // ---- Reported, and fixed -------------------------------------------------------------------------

    [Fact]
    public Task Local_start_in_same_method_is_fixed_with_GetElapsedTime() => VerifyCS.FixAsync("""
        using System;

        class Worker
        {
            TimeSpan Run()
            {
                var start = DateTime.UtcNow;
                Work();
                return [|DateTime.UtcNow - start|];
            }

            void Work() { }
        }
        """, """
        using System;
        using System.Diagnostics;

        class Worker
        {
            TimeSpan Run()
            {
                var start = Stopwatch.GetTimestamp();
                Work();
                return Stopwatch.GetElapsedTime(start);
            }

            void Work() { }
        }
        """);

    [Fact]
    public Task Local_start_on_netstandard_is_fixed_with_StartNew_and_Elapsed() => VerifyCS.FixAsync("""
        using System;

        class Worker
        {
            double Run()
            {
                DateTime start = DateTime.Now;
                Work();
                return ([|DateTime.Now - start|]).TotalMilliseconds;
            }

            void Work() { }
        }
        """, """
        using System;
        using System.Diagnostics;

        class Worker
        {
            double Run()
            {
                Stopwatch start = Stopwatch.StartNew();
                Work();
                return (start.Elapsed).TotalMilliseconds;
            }

            void Work() { }
        }
        """, NetStandard);

    [Fact]
    public Task DateTimeOffset_Subtract_on_net472_is_fixed_with_StartNew_and_Elapsed() => VerifyCS.FixAsync("""
        using System;

        class Election
        {
            bool TimedOut(TimeSpan electionTimeout)
            {
                DateTimeOffset started = DateTimeOffset.UtcNow;
                RequestVotes();
                return [|DateTimeOffset.UtcNow.Subtract(started)|] > electionTimeout;
            }

            void RequestVotes() { }
        }
        """, """
        using System;
        using System.Diagnostics;

        class Election
        {
            bool TimedOut(TimeSpan electionTimeout)
            {
                Stopwatch started = Stopwatch.StartNew();
                RequestVotes();
                return started.Elapsed > electionTimeout;
            }

            void RequestVotes() { }
        }
        """, Net472);

    [Fact]
    public Task Private_field_heartbeat_is_fixed_to_a_long_timestamp() => VerifyCS.FixAsync("""
        using System;

        class HeartbeatMonitor
        {
            private DateTime _lastHeartbeat;

            public void OnHeartbeat() => _lastHeartbeat = DateTime.UtcNow;

            public bool IsSuspected(TimeSpan timeout) => [|DateTime.UtcNow - _lastHeartbeat|] > timeout;
        }
        """, """
        using System;
        using System.Diagnostics;

        class HeartbeatMonitor
        {
            private long _lastHeartbeat;

            public void OnHeartbeat() => _lastHeartbeat = Stopwatch.GetTimestamp();

            public bool IsSuspected(TimeSpan timeout) => Stopwatch.GetElapsedTime(_lastHeartbeat) > timeout;
        }
        """);

    [Fact]
    public Task Initialized_private_field_on_netstandard_becomes_a_Stopwatch() => VerifyCS.FixAsync("""
        using System;

        class Peer
        {
            private DateTime lastContact = DateTime.UtcNow;

            public void Touch()
            {
                this.lastContact = DateTime.UtcNow;
            }

            public TimeSpan Silence => [|DateTime.UtcNow - this.lastContact|];
        }
        """, """
        using System;
        using System.Diagnostics;

        class Peer
        {
            private Stopwatch lastContact = Stopwatch.StartNew();

            public void Touch()
            {
                this.lastContact = Stopwatch.StartNew();
            }

            public TimeSpan Silence => this.lastContact.Elapsed;
        }
        """, NetStandard);

    [Fact]
    public Task Tick_differences_are_fixed() => VerifyCS.FixAsync("""
        using System;

        class Timings
        {
            long TicksOfInstant()
            {
                var start = DateTime.UtcNow;
                return [|DateTime.UtcNow.Ticks - start.Ticks|];
            }

            long TicksVariable()
            {
                long startTicks = DateTime.UtcNow.Ticks;
                return [|DateTime.UtcNow.Ticks - startTicks|];
            }
        }
        """, """
        using System;
        using System.Diagnostics;

        class Timings
        {
            long TicksOfInstant()
            {
                var start = Stopwatch.GetTimestamp();
                return Stopwatch.GetElapsedTime(start).Ticks;
            }

            long TicksVariable()
            {
                long startTicks = Stopwatch.GetTimestamp();
                return Stopwatch.GetElapsedTime(startTicks).Ticks;
            }
        }
        """);

    [Fact]
    public Task Fix_keeps_the_surrounding_formatting() => VerifyCS.FixAsync("""
        using System;

        class Worker
        {
            double Run()
            {
                var   start  =  DateTime.UtcNow ;   // when the attempt began
                return Math.Max( ( [|DateTime.UtcNow - start|] ).TotalSeconds ,  0 );
            }
        }
        """, """
        using System;
        using System.Diagnostics;

        class Worker
        {
            double Run()
            {
                var   start  =  Stopwatch.GetTimestamp() ;   // when the attempt began
                return Math.Max( ( Stopwatch.GetElapsedTime(start) ).TotalSeconds ,  0 );
            }
        }
        """);

    [Fact]
    public Task Using_static_DateTime_is_recognised() => VerifyCS.FixAsync("""
        using System;
        using static System.DateTime;

        class Worker
        {
            TimeSpan Run()
            {
                var start = UtcNow;
                return [|UtcNow - start|];
            }
        }
        """, """
        using System;
        using System.Diagnostics;
        using static System.DateTime;

        class Worker
        {
            TimeSpan Run()
            {
                var start = Stopwatch.GetTimestamp();
                return Stopwatch.GetElapsedTime(start);
            }
        }
        """);

    [Fact]
    public Task Start_captured_by_a_lambda_in_an_async_method_is_fixed_everywhere_at_once() => VerifyCS.FixAsync("""
        using System;
        using System.Threading.Tasks;

        class Lease
        {
            async Task<bool> HoldAsync(TimeSpan leaseDuration)
            {
                var acquiredAt = DateTime.UtcNow;
                await Task.Delay(10);
                Func<bool> valid = () => [|DateTime.UtcNow - acquiredAt|] < leaseDuration;
                return valid() && [|DateTime.UtcNow - acquiredAt|] < leaseDuration;
            }
        }
        """, """
        using System;
        using System.Diagnostics;
        using System.Threading.Tasks;

        class Lease
        {
            async Task<bool> HoldAsync(TimeSpan leaseDuration)
            {
                var acquiredAt = Stopwatch.GetTimestamp();
                await Task.Delay(10);
                Func<bool> valid = () => Stopwatch.GetElapsedTime(acquiredAt) < leaseDuration;
                return valid() && Stopwatch.GetElapsedTime(acquiredAt) < leaseDuration;
            }
        }
        """);

    [Fact]
    public Task Fix_all_rewrites_several_findings_in_one_file() => VerifyCS.FixAsync("""
        using System;

        class Node
        {
            private DateTime _lastAppendEntries = DateTime.UtcNow;
            private DateTime _electionStarted;

            public void OnAppendEntries() { _lastAppendEntries = DateTime.UtcNow; }

            public void StartElection() { _electionStarted = DateTime.UtcNow; }

            public bool LeaderSilent(TimeSpan timeout) => [|DateTime.UtcNow - _lastAppendEntries|] > timeout;

            public bool ElectionExpired(TimeSpan timeout) => [|DateTime.UtcNow - _electionStarted|] > timeout;

            public double Measure()
            {
                var t0 = DateTime.UtcNow;
                Step();
                var first = [|DateTime.UtcNow - t0|];
                var t1 = DateTimeOffset.UtcNow;
                Step();
                return first.TotalSeconds + ([|DateTimeOffset.UtcNow - t1|]).TotalSeconds;
            }

            void Step() { }
        }
        """, """
        using System;
        using System.Diagnostics;

        class Node
        {
            private long _lastAppendEntries = Stopwatch.GetTimestamp();
            private long _electionStarted;

            public void OnAppendEntries() { _lastAppendEntries = Stopwatch.GetTimestamp(); }

            public void StartElection() { _electionStarted = Stopwatch.GetTimestamp(); }

            public bool LeaderSilent(TimeSpan timeout) => Stopwatch.GetElapsedTime(_lastAppendEntries) > timeout;

            public bool ElectionExpired(TimeSpan timeout) => Stopwatch.GetElapsedTime(_electionStarted) > timeout;

            public double Measure()
            {
                var t0 = Stopwatch.GetTimestamp();
                Step();
                var first = Stopwatch.GetElapsedTime(t0);
                var t1 = Stopwatch.GetTimestamp();
                Step();
                return first.TotalSeconds + (Stopwatch.GetElapsedTime(t1)).TotalSeconds;
            }

            void Step() { }
        }
        """);

    [Fact]
    public Task Clock_read_in_another_part_of_a_partial_type_is_followed() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        partial class Session
        {
            public TimeSpan Idle => [|_lastSeen - _openedAt|];
        }

        partial class Session
        {
            private DateTime _openedAt;
            private DateTime _lastSeen;

            public void Open() { _openedAt = DateTime.UtcNow; }

            public void Touch() { _lastSeen = DateTime.UtcNow; }
        }
        """);

    // ---- Reported, but no fix that could break the build ---------------------------------------------

    [Fact]
    public Task Now_held_in_a_variable_is_reported_without_a_fix() => VerifyCS.NoFixAsync("""
        using System;

        class Loop
        {
            void Run(TimeSpan period)
            {
                var last = DateTime.UtcNow;
                for (var i = 0; i < 10; i++)
                {
                    var now = DateTime.UtcNow;
                    if ([|now - last|] > period)
                    {
                        last = now;
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Start_also_used_for_something_else_gets_no_fix() => VerifyCS.NoFixAsync("""
        using System;

        class Worker
        {
            TimeSpan Run()
            {
                var start = DateTime.UtcNow;
                Console.WriteLine(start);
                return [|DateTime.UtcNow - start|];
            }
        }
        """);

    [Fact]
    public Task Non_private_field_auto_property_and_uninitialized_field_on_netstandard_get_no_fix() => VerifyCS.NoFixAsync("""
        using System;

        class Member
        {
            internal DateTime LastGossip;
            private DateTime LastSeen { get; set; }
            private DateTime _lastPing;

            public void OnGossip() { LastGossip = DateTime.UtcNow; LastSeen = DateTime.UtcNow; _lastPing = DateTime.UtcNow; }

            public TimeSpan SinceGossip() => [|DateTime.UtcNow - LastGossip|];
            public TimeSpan SinceSeen() => [|DateTime.UtcNow - LastSeen|];
            public TimeSpan SincePing() => [|DateTime.UtcNow - _lastPing|];
        }
        """, NetStandard);

    [Fact]
    public Task Field_of_a_partial_type_declared_in_two_files_gets_no_fix() => VerifyCS.NoFixAsync("""
        using System;

        partial class Session
        {
            private DateTime _touched;

            public TimeSpan Idle => [|DateTime.UtcNow - _touched|];
        }
        """, new TestOptions
    {
        AdditionalSources = ImmutableArray.Create("""
            partial class Session
            {
                public void Touch() => _touched = System.DateTime.UtcNow;
            }
            """),
    });

    [Fact]
    public Task Several_variables_in_one_declaration_get_no_fix() => VerifyCS.NoFixAsync("""
        using System;

        class Worker
        {
            TimeSpan Run()
            {
                DateTime start = DateTime.UtcNow, other = DateTime.UtcNow;
                return ([|DateTime.UtcNow - start|]) + ([|DateTime.UtcNow - other|]);
            }
        }
        """);

    [Fact]
    public Task Last_seen_per_node_kept_in_a_dictionary_is_reported_without_a_fix() => VerifyCS.NoFixAsync("""
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;

        class FailureDetector
        {
            private readonly Dictionary<string, DateTime> _lastSeen = new();
            private readonly ConcurrentDictionary<string, DateTimeOffset> _lastAck = new(StringComparer.Ordinal);

            public void OnHeartbeat(string node)
            {
                _lastSeen[node] = DateTime.UtcNow;
                _lastAck.AddOrUpdate(node, DateTimeOffset.UtcNow, (_, _) => DateTimeOffset.UtcNow);
            }

            public bool IsSuspected(string node, TimeSpan timeout) => [|DateTime.UtcNow - _lastSeen[node]|] > timeout;

            public TimeSpan SinceAck(string node) =>
                _lastAck.TryGetValue(node, out var acked) ? [|DateTimeOffset.UtcNow - acked|] : TimeSpan.MaxValue;
        }
        """);

    [Fact]
    public Task Dictionaries_filled_from_elsewhere_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;

        class Registry
        {
            private readonly Dictionary<string, DateTime> _registeredAt = new();
            private Dictionary<string, DateTime> _loaded = new();

            public void Register(string node, DateTime when) => _registeredAt[node] = when;

            public void Load(IDictionary<string, DateTime> persisted) => _loaded = new Dictionary<string, DateTime>(persisted);

            public TimeSpan Age(string node) => DateTime.UtcNow - _registeredAt[node];

            public TimeSpan LoadedAge(string node) => DateTime.UtcNow - _loaded[node];
        }
        """);

    // ---- Confidence ----------------------------------------------------------------------------------

    [Theory]
    [InlineData("var start = DateTime.UtcNow; return DateTime.UtcNow - start;", 95)]
    [InlineData("var start = DateTime.UtcNow; var now = DateTime.UtcNow; return now - start;", 90)]
    [InlineData("var leaseStart = DateTime.UtcNow; return DateTime.UtcNow - leaseStart;", 99)]
    [InlineData("return DateTime.UtcNow - _private;", 80)]
    [InlineData("return DateTime.UtcNow - _lastHeartbeat;", 85)]
    [InlineData("return DateTime.UtcNow - Shared;", 70)]
    public async Task Confidence_follows_the_evidence(string body, int confidence)
    {
        var source = $$"""
            using System;

            class Evidence
            {
                private DateTime _private = DateTime.UtcNow;
                private DateTime _lastHeartbeat = DateTime.UtcNow;
                public DateTime Shared = DateTime.UtcNow;

                TimeSpan Measure() { {{body}} }
            }
            """;
        var diagnostic = Assert.Single(await DiagnosticsAsync(source, TestOptions.Default));

        ConfidenceAssert.Has(diagnostic, confidence);
        Assert.StartsWith("'", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData(null, 2)]
    [InlineData("distributed_review.min_confidence = 90", 1)]
    [InlineData("distributed_review.min_confidence = 100", 0)]
    [InlineData("distributed_review.min_confidence = nonsense", 2)]
    public async Task Min_confidence_from_editorconfig_drops_weaker_findings(string? editorConfig, int expected)
    {
        const string source = """
            using System;

            class Evidence
            {
                private DateTime _private = DateTime.UtcNow;

                TimeSpan Field() => DateTime.UtcNow - _private;

                TimeSpan Local() { var start = DateTime.UtcNow; return DateTime.UtcNow - start; }
            }
            """;

        Assert.Equal(expected, (await DiagnosticsAsync(source, new TestOptions { EditorConfig = editorConfig })).Length);
    }

    [Fact]
    public async Task Diagnostic_links_to_its_docs_page()
    {
        var diagnostic = Assert.Single(await DiagnosticsAsync(
            "class C { System.TimeSpan M() { var s = System.DateTime.UtcNow; return System.DateTime.UtcNow - s; } }", TestOptions.Default));

        Assert.Equal("https://github.com/DistributedReview/DistributedReview/blob/main/docs/rules/DR1001.md", diagnostic.Descriptor.HelpLinkUri);
        Assert.Equal("DistributedReview.Timing", diagnostic.Descriptor.Category);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
    }

    // ---- Left alone ----------------------------------------------------------------------------------

    [Fact]
    public Task Persisted_and_external_instants_and_cutoffs_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        class Order { public DateTime CreatedAt { get; set; } }

        class Orders
        {
            private DateTime _loadedFromDatabase;

            public Orders(DateTime persisted) { _loadedFromDatabase = persisted; }

            TimeSpan Age(Order order) => DateTime.UtcNow - order.CreatedAt;
            DateTime Cutoff() => DateTime.UtcNow - TimeSpan.FromDays(7);
            DateTime CutoffBySubtract() => DateTime.UtcNow.Subtract(TimeSpan.FromHours(1));
            TimeSpan Since(DateTime start) => DateTime.UtcNow - start;
            TimeSpan SinceLoad() => DateTime.UtcNow - _loadedFromDatabase;
            TimeSpan Shifted() { var start = DateTime.UtcNow.AddMinutes(-5); return DateTime.UtcNow - start; }
            void Stamp(Order order) => order.CreatedAt = DateTime.UtcNow;
        }
        """);

    [Fact]
    public Task Variables_with_any_write_that_is_not_a_wall_clock_read_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        class Mixed
        {
            private DateTime _touched = DateTime.UtcNow;

            public void Restore(DateTime saved) => _touched = saved;

            TimeSpan Idle() => DateTime.UtcNow - _touched;

            TimeSpan Local(bool resume, DateTime saved)
            {
                var start = DateTime.UtcNow;
                if (resume) start = saved;
                return DateTime.UtcNow - start;
            }

            TimeSpan ByRef()
            {
                var start = DateTime.UtcNow;
                Load(ref start);
                return DateTime.UtcNow - start;
            }

            void Load(ref DateTime value) { }
        }
        """);

    [Fact]
    public Task Writes_through_another_instance_or_an_initializer_count() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        class Member
        {
            private DateTime _lastSeen = DateTime.UtcNow;
            public DateTime Joined { get; set; } = DateTime.UtcNow;

            public static Member Restore(DateTime lastSeen, DateTime joined)
            {
                var member = new Member { Joined = joined };
                member._lastSeen = lastSeen;
                return member;
            }

            public TimeSpan Silence => DateTime.UtcNow - _lastSeen;
            public TimeSpan Membership => DateTime.UtcNow - Joined;
        }
        """);

    [Fact]
    public Task Durations_that_only_go_into_a_log_line_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Diagnostics;

        interface ILogger { void LogInformation(string message, params object[] args); }

        class Handler
        {
            private readonly ILogger _logger;
            public Handler(ILogger logger) => _logger = logger;

            void Handle()
            {
                var start = DateTime.UtcNow;
                _logger.LogInformation("Handled in {Elapsed}", DateTime.UtcNow - start);
                Console.WriteLine($"Handled in {(DateTime.UtcNow - start).TotalMilliseconds} ms");
                Debug.WriteLine("took " + (DateTime.UtcNow - start));
            }
        }
        """);

    [Fact]
    public Task Clock_implementations_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        interface IClock { DateTime UtcNow { get; } }

        class SystemClock : IClock
        {
            private readonly DateTime _started = DateTime.UtcNow;
            public DateTime UtcNow => DateTime.UtcNow;
            public TimeSpan Uptime => DateTime.UtcNow - _started;
        }

        class SkewedTimeProvider : TimeProvider
        {
            private readonly DateTimeOffset _origin = DateTimeOffset.UtcNow;
            public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + (DateTimeOffset.UtcNow - _origin);
        }
        """);

    [Fact]
    public Task Generated_code_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        // <auto-generated/>
        using System;

        class Generated
        {
            TimeSpan Run() { var start = DateTime.UtcNow; return DateTime.UtcNow - start; }
        }
        """);

    [Fact]
    public Task Look_alike_clock_types_in_other_namespaces_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        namespace Game
        {
            struct DateTime
            {
                public static DateTime UtcNow => default;
                public static int operator -(DateTime a, DateTime b) => 0;
            }

            class Tick
            {
                int Run() { var start = DateTime.UtcNow; return DateTime.UtcNow - start; }
            }
        }
        """);

    [Fact]
    public Task TimeProvider_reads_are_fixed_with_the_providers_own_timestamps() => VerifyCS.FixAsync("""
        using System;

        class Lease
        {
            private readonly TimeProvider _time;
            private DateTimeOffset _renewedAt;

            public Lease(TimeProvider time) { _time = time; _renewedAt = _time.GetUtcNow(); }

            public void Renew() => _renewedAt = _time.GetUtcNow();

            public bool Expired(TimeSpan ttl) => [|_time.GetUtcNow() - _renewedAt|] > ttl;
        }
        """, """
        using System;

        class Lease
        {
            private readonly TimeProvider _time;
            private long _renewedAt;

            public Lease(TimeProvider time) { _time = time; _renewedAt = _time.GetTimestamp(); }

            public void Renew() => _renewedAt = _time.GetTimestamp();

            public bool Expired(TimeSpan ttl) => _time.GetElapsedTime(_renewedAt) > ttl;
        }
        """);

    [Fact]
    public Task A_TimeProvider_in_scope_is_used_instead_of_Stopwatch() => VerifyCS.FixAsync("""
        using System;

        class Replicator
        {
            private readonly TimeProvider _time;
            private DateTime _lastSync;

            public Replicator(TimeProvider time) => _time = time;

            public void Synced() => _lastSync = DateTime.UtcNow;

            public bool Stale(TimeSpan maxLag) => [|DateTime.UtcNow - _lastSync|] > maxLag;

            public TimeSpan Measure(Action sync)
            {
                var start = DateTime.UtcNow;
                sync();
                return [|DateTime.UtcNow - start|];
            }

            public static TimeSpan MeasureStatic(TimeProvider clock, Action sync)
            {
                var start = DateTimeOffset.UtcNow;
                sync();
                return [|DateTimeOffset.UtcNow - start|];
            }
        }
        """, """
        using System;

        class Replicator
        {
            private readonly TimeProvider _time;
            private long _lastSync;

            public Replicator(TimeProvider time) => _time = time;

            public void Synced() => _lastSync = _time.GetTimestamp();

            public bool Stale(TimeSpan maxLag) => _time.GetElapsedTime(_lastSync) > maxLag;

            public TimeSpan Measure(Action sync)
            {
                var start = _time.GetTimestamp();
                sync();
                return _time.GetElapsedTime(start);
            }

            public static TimeSpan MeasureStatic(TimeProvider clock, Action sync)
            {
                var start = clock.GetTimestamp();
                sync();
                return clock.GetElapsedTime(start);
            }
        }
        """);

    [Fact]
    public Task An_instance_TimeProvider_is_not_used_where_it_is_out_of_reach() => VerifyCS.FixAsync("""
        using System;

        class Replicator
        {
            private readonly TimeProvider _time = TimeProvider.System;
            private DateTime _created = DateTime.UtcNow;

            public TimeSpan Age => [|DateTime.UtcNow - _created|];

            public static TimeSpan Measure(Action sync)
            {
                var start = DateTime.UtcNow;
                sync();
                return [|DateTime.UtcNow - start|];
            }
        }
        """, """
        using System;
        using System.Diagnostics;

        class Replicator
        {
            private readonly TimeProvider _time = TimeProvider.System;
            private long _created = Stopwatch.GetTimestamp();

            public TimeSpan Age => Stopwatch.GetElapsedTime(_created);

            public static TimeSpan Measure(Action sync)
            {
                var start = Stopwatch.GetTimestamp();
                sync();
                return Stopwatch.GetElapsedTime(start);
            }
        }
        """);

    [Fact]
    public Task Reads_from_different_clocks_get_no_fix() => VerifyCS.NoFixAsync("""
        using System;

        class Lease
        {
            private readonly TimeProvider _time;
            private DateTimeOffset _renewedAt;

            public Lease(TimeProvider time) { _time = time; _renewedAt = time.GetUtcNow(); }

            public void Renew() => _renewedAt = DateTimeOffset.UtcNow;

            public bool Expired(TimeSpan ttl) => [|_time.GetUtcNow() - _renewedAt|] > ttl;
        }
        """);

    [Fact]
    public Task Nested_types_report_each_interval_once() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        class Outer
        {
            private DateTime _started = DateTime.UtcNow;
            TimeSpan Uptime() => [|DateTime.UtcNow - _started|];

            class Inner
            {
                private DateTime _innerStarted = DateTime.UtcNow;
                TimeSpan Uptime() => [|DateTime.UtcNow - _innerStarted|];
                TimeSpan Local() { var s = DateTime.UtcNow; return [|DateTime.UtcNow - s|]; }
            }
        }
        """);

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(string source, TestOptions options)
    {
        var document = TestWorkspace.CreateDocument(source, options);
        return await Analysis.RunAsync(document.Project, ImmutableArray.Create<DiagnosticAnalyzer>(new WallClockIntervalOnly()));
    }
}
