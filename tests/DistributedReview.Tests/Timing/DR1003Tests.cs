using System.Collections.Immutable;
using System.Threading.Tasks;
using DistributedReview.Tests.Verification;
using DistributedReview.Timing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using VerifyAnalyzer = DistributedReview.Tests.Verification.Verify<DistributedReview.Timing.TickCountWrapAnalyzer>;
using VerifyCS = DistributedReview.Tests.Verification.Verify<DistributedReview.Timing.TickCountWrapAnalyzer, DistributedReview.Timing.TickCountWrapCodeFix>;

namespace DistributedReview.Tests.Timing;

/// <summary>DR1003: Environment.TickCount used where its wrap-around breaks it.</summary>
public class DR1003Tests
{
    private static readonly TestOptions NetStandard = new() { Target = TargetFramework.NetStandard20 };
    private static readonly TestOptions Net472 = new() { Target = TargetFramework.Net472 };

    // ---- Reported, and fixed -------------------------------------------------------------------------

    [Fact]
    public Task Local_deadline_in_a_loop_is_fixed_with_TickCount64() => VerifyCS.FixAsync("""
        using System;
        using System.Threading;

        class Poller
        {
            bool WaitFor(Func<bool> ready, int timeoutMs)
            {
                int deadline = Environment.TickCount + timeoutMs;
                while ([|Environment.TickCount < deadline|])
                {
                    if (ready()) return true;
                    Thread.Sleep(10);
                }

                return false;
            }
        }
        """, """
        using System;
        using System.Threading;

        class Poller
        {
            bool WaitFor(Func<bool> ready, int timeoutMs)
            {
                long deadline = Environment.TickCount64 + timeoutMs;
                while (Environment.TickCount64 < deadline)
                {
                    if (ready()) return true;
                    Thread.Sleep(10);
                }

                return false;
            }
        }
        """);

    [Fact]
    public Task Start_plus_timeout_with_a_var_local_is_fixed() => VerifyCS.FixAsync("""
        using System;

        class Election
        {
            bool TimedOut(int electionTimeoutMs)
            {
                var start = Environment.TickCount;
                RequestVotes();
                Console.WriteLine("votes requested in " + (Environment.TickCount - start) + " ms");
                return [|Environment.TickCount >= start + electionTimeoutMs|];
            }

            void RequestVotes() { }
        }
        """, """
        using System;

        class Election
        {
            bool TimedOut(int electionTimeoutMs)
            {
                var start = Environment.TickCount64;
                RequestVotes();
                Console.WriteLine("votes requested in " + (Environment.TickCount64 - start) + " ms");
                return Environment.TickCount64 >= start + electionTimeoutMs;
            }

            void RequestVotes() { }
        }
        """);

    [Fact]
    public Task Private_field_deadline_is_widened_to_long() => VerifyCS.FixAsync("""
        using System;

        class FlushThrottle
        {
            private const int IntervalMs = 500;
            private int _nextFlush;

            public bool ShouldFlush()
            {
                if ([|Environment.TickCount >= _nextFlush|])
                {
                    _nextFlush = Environment.TickCount + IntervalMs;
                    return true;
                }

                return false;
            }
        }
        """, """
        using System;

        class FlushThrottle
        {
            private const int IntervalMs = 500;
            private long _nextFlush;

            public bool ShouldFlush()
            {
                if (Environment.TickCount64 >= _nextFlush)
                {
                    _nextFlush = Environment.TickCount64 + IntervalMs;
                    return true;
                }

                return false;
            }
        }
        """);

    [Fact]
    public Task Expression_bodied_members_and_this_qualified_fields_are_fixed() => VerifyCS.FixAsync("""
        using System;

        class Lease
        {
            private int _expiresAt = Environment.TickCount;

            private int TtlMs { get; } = 10_000;

            public void Renew() => this._expiresAt = Environment.TickCount + TtlMs;

            public bool Expired => [|Environment.TickCount > this._expiresAt|];
        }
        """, """
        using System;

        class Lease
        {
            private long _expiresAt = Environment.TickCount64;

            private int TtlMs { get; } = 10_000;

            public void Renew() => this._expiresAt = Environment.TickCount64 + TtlMs;

            public bool Expired => Environment.TickCount64 > this._expiresAt;
        }
        """);

    [Fact]
    public Task Long_local_holding_TickCount_is_fixed() => VerifyCS.FixAsync("""
        using System;

        class Timer
        {
            long Measure(Action work)
            {
                long start = Environment.TickCount;
                work();
                return [|Environment.TickCount - start|];
            }

            long MeasureWithCast(Action work)
            {
                var start = (long)Environment.TickCount;
                work();
                return [|(long)Environment.TickCount - start|];
            }
        }
        """, """
        using System;

        class Timer
        {
            long Measure(Action work)
            {
                long start = Environment.TickCount64;
                work();
                return Environment.TickCount64 - start;
            }

            long MeasureWithCast(Action work)
            {
                var start = Environment.TickCount64;
                work();
                return Environment.TickCount64 - start;
            }
        }
        """);

    [Fact]
    public Task Double_field_holding_TickCount_is_fixed() => VerifyCS.FixAsync("""
        using System;

        class Uptime
        {
            private readonly double _startedMs = Environment.TickCount;

            public double Seconds => ([|Environment.TickCount - _startedMs|]) / 1000.0;
        }
        """, """
        using System;

        class Uptime
        {
            private readonly double _startedMs = Environment.TickCount64;

            public double Seconds => (Environment.TickCount64 - _startedMs) / 1000.0;
        }
        """);

    [Fact]
    public Task Masked_reading_is_fixed_and_the_field_it_is_stored_in_widened() => VerifyCS.FixAsync("""
        using System;

        class Gossip
        {
            private const int IntervalMs = 1000;
            private int _lastRound;

            public bool ShouldGossip()
            {
                int now = [|Environment.TickCount & int.MaxValue|];
                if (now - _lastRound < IntervalMs) return false;
                _lastRound = now;
                return true;
            }
        }
        """, """
        using System;

        class Gossip
        {
            private const int IntervalMs = 1000;
            private long _lastRound;

            public bool ShouldGossip()
            {
                long now = Environment.TickCount64;
                if (now - _lastRound < IntervalMs) return false;
                _lastRound = now;
                return true;
            }
        }
        """);

    [Fact]
    public Task Mask_inside_a_reported_comparison_is_reported_once_and_fixed() => VerifyCS.FixAsync("""
        using System;

        class Retry
        {
            private int _retryAt;

            public void Schedule(int delayMs) => _retryAt = ([|Int32.MaxValue & Environment.TickCount|]) + delayMs;

            public bool Due() => [|(Environment.TickCount & 0x7FFFFFFF) >= _retryAt|];
        }
        """, """
        using System;

        class Retry
        {
            private long _retryAt;

            public void Schedule(int delayMs) => _retryAt = Environment.TickCount64 + delayMs;

            public bool Due() => Environment.TickCount64 >= _retryAt;
        }
        """);

    [Fact]
    public Task Checked_subtraction_is_fixed() => VerifyCS.FixAsync("""
        using System;

        class Probe
        {
            bool Slow(Action call, int limitMs)
            {
                int start = Environment.TickCount;
                call();
                return checked([|Environment.TickCount - start|]) > limitMs;
            }

            bool SlowInBlock(Action call, int limitMs)
            {
                checked
                {
                    int started = Environment.TickCount;
                    call();
                    var elapsed = [|Environment.TickCount - started|];
                    return elapsed > limitMs;
                }
            }
        }
        """, """
        using System;

        class Probe
        {
            bool Slow(Action call, int limitMs)
            {
                long start = Environment.TickCount64;
                call();
                return checked(Environment.TickCount64 - start) > limitMs;
            }

            bool SlowInBlock(Action call, int limitMs)
            {
                checked
                {
                    long started = Environment.TickCount64;
                    call();
                    var elapsed = Environment.TickCount64 - started;
                    return elapsed > limitMs;
                }
            }
        }
        """);

    [Fact]
    public Task Using_static_Environment_is_recognised_and_kept() => VerifyCS.FixAsync("""
        using static System.Environment;

        class Heartbeat
        {
            private int _nextHeartbeat;

            public void Sent(int periodMs) { _nextHeartbeat = TickCount + periodMs; }

            public bool Due => [|TickCount >= _nextHeartbeat|];
        }
        """, """
        using static System.Environment;

        class Heartbeat
        {
            private long _nextHeartbeat;

            public void Sent(int periodMs) { _nextHeartbeat = TickCount64 + periodMs; }

            public bool Due => TickCount64 >= _nextHeartbeat;
        }
        """);

    [Fact]
    public Task Deadline_captured_by_a_lambda_in_an_async_method_is_fixed_everywhere_at_once() => VerifyCS.FixAsync("""
        using System;
        using System.Threading.Tasks;

        class Replication
        {
            async Task<bool> WaitForAcksAsync(Func<int> acks, int required, int timeoutMs)
            {
                var deadline = Environment.TickCount + timeoutMs;
                Func<bool> expired = () => [|Environment.TickCount >= deadline|];
                while (acks() < required)
                {
                    if (expired() || [|Environment.TickCount > deadline|]) return false;
                    await Task.Delay(50);
                }

                return true;
            }
        }
        """, """
        using System;
        using System.Threading.Tasks;

        class Replication
        {
            async Task<bool> WaitForAcksAsync(Func<int> acks, int required, int timeoutMs)
            {
                var deadline = Environment.TickCount64 + timeoutMs;
                Func<bool> expired = () => Environment.TickCount64 >= deadline;
                while (acks() < required)
                {
                    if (expired() || Environment.TickCount64 > deadline) return false;
                    await Task.Delay(50);
                }

                return true;
            }
        }
        """);

    [Fact]
    public Task Deadline_advanced_from_itself_and_copied_to_another_local_is_fixed() => VerifyCS.FixAsync("""
        using System;

        class Scheduler
        {
            private const int PeriodMs = 100;
            private int _next = Environment.TickCount;

            public int Tick(Action run)
            {
                var runs = 0;
                while ([|Environment.TickCount >= _next|])
                {
                    run();
                    runs++;
                    _next = _next + PeriodMs;
                }

                int last = _next;
                return runs + (int)(Environment.TickCount - last);
            }
        }
        """, """
        using System;

        class Scheduler
        {
            private const int PeriodMs = 100;
            private long _next = Environment.TickCount64;

            public int Tick(Action run)
            {
                var runs = 0;
                while (Environment.TickCount64 >= _next)
                {
                    run();
                    runs++;
                    _next = _next + PeriodMs;
                }

                long last = _next;
                return runs + (int)(Environment.TickCount64 - last);
            }
        }
        """);

    [Fact]
    public Task Writes_in_lambdas_and_intervals_passed_on_are_fixed() => VerifyCS.FixAsync("""
        using System;

        class RetryTimer
        {
            private int _retryAt;

            public Action Arm(int delayMs) => () => _retryAt = Environment.TickCount + delayMs;

            public Action ArmInBlock(int delayMs) => () => { _retryAt = Environment.TickCount + delayMs; };

            public bool Due => [|Environment.TickCount >= _retryAt|];

            public int RemainingMs => (int)(_retryAt - Environment.TickCount);

            public TimeSpan Remaining => TimeSpan.FromMilliseconds(_retryAt - Environment.TickCount);
        }
        """, """
        using System;

        class RetryTimer
        {
            private long _retryAt;

            public Action Arm(int delayMs) => () => _retryAt = Environment.TickCount64 + delayMs;

            public Action ArmInBlock(int delayMs) => () => { _retryAt = Environment.TickCount64 + delayMs; };

            public bool Due => Environment.TickCount64 >= _retryAt;

            public int RemainingMs => (int)(_retryAt - Environment.TickCount64);

            public TimeSpan Remaining => TimeSpan.FromMilliseconds(_retryAt - Environment.TickCount64);
        }
        """);

    [Fact]
    public Task Static_field_fully_qualified_reads_and_trivia_are_kept() => VerifyCS.FixAsync("""
        static class Probe
        {
            private static /* next probe */ int s_nextProbe; // set by Arm
            public static void Arm() => s_nextProbe = System.Environment.TickCount /* now */ + 5;
            public static bool Due => [|System.Environment.TickCount   >=   s_nextProbe|];
        }
        """, """
        static class Probe
        {
            private static /* next probe */ long s_nextProbe; // set by Arm
            public static void Arm() => s_nextProbe = System.Environment.TickCount64 /* now */ + 5;
            public static bool Due => System.Environment.TickCount64   >=   s_nextProbe;
        }
        """);

    [Fact]
    public Task Fix_all_rewrites_several_findings_in_one_file() => VerifyCS.FixAsync("""
        using System;

        class Node
        {
            private const int ElectionTimeoutMs = 300;
            private int _electionDeadline;
            private long _lastAppendEntries = Environment.TickCount;

            public void ResetElectionTimer() { _electionDeadline = Environment.TickCount + ElectionTimeoutMs; }

            public void OnAppendEntries() { _lastAppendEntries = Environment.TickCount; }

            public bool ElectionDue => [|Environment.TickCount >= _electionDeadline|];

            public long SinceLeader => [|Environment.TickCount - _lastAppendEntries|];

            public bool WaitBriefly(Func<bool> done)
            {
                int until = Environment.TickCount + 50;
                while (!done() && [|Environment.TickCount < until|]) { }
                return done();
            }

            public int Seed() => new Random(Environment.TickCount & int.MaxValue).Next();
        }
        """, """
        using System;

        class Node
        {
            private const int ElectionTimeoutMs = 300;
            private long _electionDeadline;
            private long _lastAppendEntries = Environment.TickCount64;

            public void ResetElectionTimer() { _electionDeadline = Environment.TickCount64 + ElectionTimeoutMs; }

            public void OnAppendEntries() { _lastAppendEntries = Environment.TickCount64; }

            public bool ElectionDue => Environment.TickCount64 >= _electionDeadline;

            public long SinceLeader => Environment.TickCount64 - _lastAppendEntries;

            public bool WaitBriefly(Func<bool> done)
            {
                long until = Environment.TickCount64 + 50;
                while (!done() && Environment.TickCount64 < until) { }
                return done();
            }

            public int Seed() => new Random(Environment.TickCount & int.MaxValue).Next();
        }
        """);

    [Fact]
    public Task Fix_all_keeps_the_fixable_findings_when_others_cannot_be_fixed() => VerifyCS.FixAsync("""
        using System;

        class Mixed
        {
            private int _next;
            private int _other;

            public void Arm(int delayMs) { _next = Environment.TickCount + delayMs; _other = Environment.TickCount + delayMs; }

            public bool Due => [|Environment.TickCount >= _next|];

            public bool OtherDue => [|Environment.TickCount >= _other|];

            public void Report(Action<int> sink) => sink(_other);
        }
        """, """
        using System;

        class Mixed
        {
            private long _next;
            private int _other;

            public void Arm(int delayMs) { _next = Environment.TickCount64 + delayMs; _other = Environment.TickCount + delayMs; }

            public bool Due => Environment.TickCount64 >= _next;

            public bool OtherDue => [|Environment.TickCount >= _other|];

            public void Report(Action<int> sink) => sink(_other);
        }
        """);

    [Fact]
    public Task TickCount_read_in_another_part_of_a_partial_type_is_followed() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        partial class Lease
        {
            public bool ExpiredAtLastBeat => [|_lastBeat >= _expiresAt|];
        }

        partial class Lease
        {
            private int _expiresAt;
            private int _lastBeat;

            public void Renew(int ttlMs)
            {
                _lastBeat = Environment.TickCount;
                _expiresAt = _lastBeat + ttlMs;
            }
        }
        """);

    // ---- Reported, but no fix -----------------------------------------------------------------------

    [Fact]
    public Task Netstandard_has_no_TickCount64_so_there_is_no_fix() => VerifyCS.NoFixAsync("""
        using System;

        class Throttle
        {
            private int _next;

            public bool TryAcquire(int periodMs)
            {
                if ([|Environment.TickCount < _next|]) return false;
                _next = Environment.TickCount + periodMs;
                return true;
            }

            public long Since(long start) => Environment.TickCount - start;

            public long Widened()
            {
                long start = Environment.TickCount;
                return [|Environment.TickCount - start|];
            }
        }
        """, NetStandard);

    [Fact]
    public Task Net472_has_no_TickCount64_so_there_is_no_fix() => VerifyCS.NoFixAsync("""
        using System;

        class Throttle
        {
            public bool Wait(Func<bool> done)
            {
                var deadline = Environment.TickCount + 1000;
                while ([|Environment.TickCount < deadline|]) { if (done()) return true; }
                int now = [|Environment.TickCount & int.MaxValue|];
                return now > 0;
            }
        }
        """, Net472);

    [Fact]
    public Task Value_that_must_stay_an_int_gets_no_fix() => VerifyCS.NoFixAsync("""
        using System;

        class Timers
        {
            private int _next;

            public void Arm(int delayMs) => _next = Environment.TickCount + delayMs;

            public bool Due => [|Environment.TickCount >= _next|];

            public int RemainingMs() { int remaining = _next - Environment.TickCount; return remaining; }
        }
        """);

    [Fact]
    public Task Deadline_passed_out_of_the_type_gets_no_fix() => VerifyCS.NoFixAsync("""
        using System;

        class Timers
        {
            bool Run(Func<int, bool> schedule, int delayMs)
            {
                var deadline = Environment.TickCount + delayMs;
                schedule(deadline);
                return [|Environment.TickCount < deadline|];
            }

            bool Logged(int delayMs)
            {
                var due = Environment.TickCount + delayMs;
                Console.WriteLine($"due at {due}");
                return [|Environment.TickCount < due|];
            }
        }
        """);

    [Fact]
    public Task Non_private_volatile_multi_declared_fields_and_auto_properties_get_no_fix() => VerifyCS.NoFixAsync("""
        using System;

        class Member
        {
            internal int NextGossip;
            private volatile int _nextPing;
            private int _a, _b;
            private int NextProbe { get; set; }

            public void Arm()
            {
                NextGossip = Environment.TickCount + 100;
                _nextPing = Environment.TickCount + 100;
                _a = Environment.TickCount;
                _b = Environment.TickCount;
                NextProbe = Environment.TickCount + 100;
            }

            public bool GossipDue => [|Environment.TickCount >= NextGossip|];
            public bool PingDue => [|Environment.TickCount >= _nextPing|];
            public bool ADue => [|Environment.TickCount >= _a|];
            public bool ProbeDue => [|Environment.TickCount >= NextProbe|];
        }
        """);

    [Fact]
    public Task Field_of_another_instance_or_a_partial_type_in_two_files_gets_no_fix() => VerifyCS.NoFixAsync("""
        using System;

        partial class Session
        {
            private int _idleUntil;

            public bool Idle => [|Environment.TickCount > _idleUntil|];
        }

        class Peer
        {
            private int _due;

            public void Arm() => _due = Environment.TickCount + 10;

            public bool Due => [|Environment.TickCount >= _due|];

            public bool SameDue(Peer other) => other._due == _due;
        }
        """, new TestOptions
    {
        AdditionalSources = ImmutableArray.Create("""
            partial class Session
            {
                public void Touch() => _idleUntil = System.Environment.TickCount + 1000;
            }
            """),
    });

    [Fact]
    public Task Tick_variable_also_written_through_Interlocked_next_to_the_deadline_gets_no_fix() => VerifyCS.NoFixAsync("""
        using System;
        using System.Threading;

        class Detector
        {
            private int _deadline;
            private int _lastSeen;

            public void OnHeartbeat(int timeoutMs)
            {
                Interlocked.Exchange(ref _lastSeen, Environment.TickCount);
                _deadline = Environment.TickCount + timeoutMs;
            }

            public bool Suspect() => [|Environment.TickCount >= _deadline|] && Environment.TickCount - _deadline > _lastSeen - _lastSeen;
        }
        """);

    // ---- Confidence ----------------------------------------------------------------------------------

    [Theory]
    [InlineData("var next = Environment.TickCount + 10; return Environment.TickCount >= next ? 1 : 0;", 90)]
    [InlineData("var deadline = Environment.TickCount + 10; return Environment.TickCount >= deadline ? 1 : 0;", 95)]
    [InlineData("var next = Environment.TickCount + 10; var now = Environment.TickCount; return now >= next ? 1 : 0;", 85)]
    [InlineData("return Environment.TickCount >= _private ? 1 : 0;", 80)]
    [InlineData("return Environment.TickCount >= _leaseUntil ? 1 : 0;", 85)]
    [InlineData("return Environment.TickCount >= Shared ? 1 : 0;", 70)]
    [InlineData("long start = Environment.TickCount; return (int)(Environment.TickCount - start);", 90)]
    [InlineData("var start = Environment.TickCount; return checked(Environment.TickCount - start);", 90)]
    [InlineData("return Environment.TickCount & int.MaxValue;", 80)]
    public async Task Confidence_follows_the_evidence(string body, int confidence)
    {
        var source = $$"""
            using System;

            class Evidence
            {
                private int _private = Environment.TickCount;
                private int _leaseUntil = Environment.TickCount + 100;
                public int Shared = Environment.TickCount;

                int Measure() { {{body}} }
            }
            """;
        var diagnostic = Assert.Single(await DiagnosticsAsync(source, TestOptions.Default));

        ConfidenceAssert.Has(diagnostic, confidence);
        Assert.StartsWith("'", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData(null, 2)]
    [InlineData("distributed_review.min_confidence = 85", 1)]
    [InlineData("distributed_review.min_confidence = 100", 0)]
    [InlineData("distributed_review.min_confidence = nonsense", 2)]
    public async Task Min_confidence_from_editorconfig_drops_weaker_findings(string? editorConfig, int expected)
    {
        const string source = """
            using System;

            class Evidence
            {
                private int _next = Environment.TickCount;

                bool Field() => Environment.TickCount >= _next;

                bool Local() { var until = Environment.TickCount + 5; return Environment.TickCount >= until; }
            }
            """;

        Assert.Equal(expected, (await DiagnosticsAsync(source, new TestOptions { EditorConfig = editorConfig })).Length);
    }

    [Fact]
    public async Task Diagnostic_links_to_its_docs_page_and_quotes_the_expression()
    {
        var diagnostic = Assert.Single(await DiagnosticsAsync(
            "class C { bool M() { var s = System.Environment.TickCount + 5; return System.Environment.TickCount > s; } }", TestOptions.Default));

        Assert.Equal("https://github.com/DistributedReview/DistributedReview/blob/main/docs/rules/DR1003.md", diagnostic.Descriptor.HelpLinkUri);
        Assert.Equal("DistributedReview.Timing", diagnostic.Descriptor.Category);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.StartsWith("'System.Environment.TickCount > s' breaks when Environment.TickCount wraps", diagnostic.GetMessage());
    }

    // ---- Left alone ----------------------------------------------------------------------------------

    [Fact]
    public Task Plain_int_subtraction_and_unchecked_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        class Wrapsafe
        {
            private int _lastHeartbeat = Environment.TickCount;
            private int _deadline;

            public void OnHeartbeat() => _lastHeartbeat = Environment.TickCount;

            public void Arm(int ttlMs) => _deadline = Environment.TickCount + ttlMs;

            public bool Suspect(int timeoutMs) => Environment.TickCount - _lastHeartbeat > timeoutMs;

            public int Elapsed() { var start = Environment.TickCount; return Environment.TickCount - start; }

            public int ElapsedUnchecked() { var start = Environment.TickCount; return unchecked(Environment.TickCount - start); }

            public bool Expired() => unchecked(Environment.TickCount - _deadline) >= 0;

            public long WidenedButUnchecked() { long start = Environment.TickCount; return unchecked(Environment.TickCount - start); }
        }
        """);

    [Fact]
    public Task Seeds_and_hash_inputs_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        class Seeds
        {
            Random A() => new Random(Environment.TickCount);
            Random B() => new Random(Environment.TickCount & int.MaxValue);
            int C(string id) => HashCode.Combine(id, Environment.TickCount);
            int D(string id) => HashCode.Combine(id, Environment.TickCount & int.MaxValue);
            int E(int buckets) => (Environment.TickCount & int.MaxValue) % buckets;
            int F(int salt) => (Environment.TickCount & int.MaxValue) ^ salt;
        }
        """);

    [Fact]
    public Task TickCount64_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        class Modern
        {
            private long _next = Environment.TickCount64;

            public bool Due(int periodMs)
            {
                if (Environment.TickCount64 < _next) return false;
                _next = Environment.TickCount64 + periodMs;
                return true;
            }

            public long Elapsed() { long start = Environment.TickCount64; return Environment.TickCount64 - start; }

            public long Checked() { long start = Environment.TickCount64; return checked(Environment.TickCount64 - start); }
        }
        """);

    [Fact]
    public Task Values_of_unknown_origin_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;

        class Unknown
        {
            private int _next;
            private int _reset = Environment.TickCount;
            private int _interlocked;
            private int _advanced = Environment.TickCount;

            public void Reset() => _reset = 0;

            public void Touch() => Interlocked.Exchange(ref _interlocked, Environment.TickCount);

            public void Advance(int periodMs) => _advanced += periodMs;

            public bool FromParameter(int deadline) => Environment.TickCount >= deadline;
            public bool NeverWritten() => Environment.TickCount >= _next;
            public bool ResetToZero() => Environment.TickCount >= _reset;
            public bool ThroughInterlocked() => Environment.TickCount >= _interlocked;
            public bool CompoundAssigned() => Environment.TickCount >= _advanced;
            public bool AgainstAConstant() => Environment.TickCount > 0;
            public bool AgainstAnInterval(int start, int timeoutMs) => Environment.TickCount - start > timeoutMs;
            public int CheckedWithParameter(int start) => checked(Environment.TickCount - start);
            public int CheckedAddition() => checked(Environment.TickCount + 1000);
            public long WidenedParameter(long start) => Environment.TickCount - start;
        }
        """);

    [Fact]
    public Task Clock_implementations_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        interface IClock { DateTime UtcNow { get; } }

        class TickClock : IClock
        {
            private readonly int _origin = Environment.TickCount;
            public DateTime UtcNow => DateTime.UtcNow;
            public bool Past(int deadline) => Environment.TickCount >= _origin + deadline;
        }
        """);

    [Fact]
    public Task Generated_code_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        // <auto-generated/>
        using System;

        class Generated
        {
            bool Run() { var deadline = Environment.TickCount + 10; return Environment.TickCount >= deadline; }
        }
        """);

    [Fact]
    public Task Look_alike_Environment_types_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        namespace Game
        {
            static class Environment
            {
                public static int TickCount => 0;
            }

            class Loop
            {
                bool Run() { var next = Environment.TickCount + 16; return Environment.TickCount >= next; }
            }
        }
        """);

    [Fact]
    public Task Nested_types_report_each_expression_once() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        class Outer
        {
            private int _due = Environment.TickCount + 100;
            bool Due() => [|Environment.TickCount >= _due|];

            class Inner
            {
                private int _innerDue = Environment.TickCount + 100;
                bool Due() => [|Environment.TickCount >= _innerDue|];
                bool Local() { var d = Environment.TickCount + 1; return [|Environment.TickCount >= d|]; }
            }
        }
        """);

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(string source, TestOptions options)
    {
        var document = TestWorkspace.CreateDocument(source, options);
        return await Analysis.RunAsync(document.Project, ImmutableArray.Create<DiagnosticAnalyzer>(new TickCountWrapAnalyzer()));
    }
}
