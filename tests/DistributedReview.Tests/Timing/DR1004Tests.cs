using System.Collections.Immutable;
using System.Threading.Tasks;
using DistributedReview.Tests.Verification;
using DistributedReview.Timing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using VerifyAnalyzer = DistributedReview.Tests.Verification.Verify<DistributedReview.Timing.StopwatchTicksAnalyzer>;
using VerifyCS = DistributedReview.Tests.Verification.Verify<DistributedReview.Timing.StopwatchTicksAnalyzer, DistributedReview.Timing.StopwatchTicksCodeFix>;

namespace DistributedReview.Tests.Timing;

/// <summary>DR1004: Stopwatch ticks treated as TimeSpan ticks.</summary>
public class DR1004Tests
{
    private static readonly TestOptions NetStandard = new() { Target = TargetFramework.NetStandard20 };
    private static readonly TestOptions Net472 = new() { Target = TargetFramework.Net472 };

    // ---- Reported, and fixed -------------------------------------------------------------------------

    [Theory]
    [InlineData(TargetFramework.Net80)]
    [InlineData(TargetFramework.NetStandard20)]
    public Task FromTicks_of_ElapsedTicks_becomes_Elapsed(TargetFramework target) => VerifyCS.FixAsync("""
        using System;
        using System.Diagnostics;

        class Worker
        {
            TimeSpan Run()
            {
                var sw = Stopwatch.StartNew();
                Work();
                return [|TimeSpan.FromTicks(sw.ElapsedTicks)|];
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
                var sw = Stopwatch.StartNew();
                Work();
                return sw.Elapsed;
            }

            void Work() { }
        }
        """, new TestOptions { Target = target });

    [Fact]
    public Task TimeSpan_constructor_on_a_Stopwatch_field_becomes_Elapsed() => VerifyCS.FixAsync("""
        using System;
        using System.Diagnostics;

        class Uptime
        {
            private readonly Stopwatch _watch = Stopwatch.StartNew();

            public TimeSpan Current => [|new TimeSpan(_watch.ElapsedTicks)|];

            public TimeSpan Implicit() { TimeSpan t = [|new(this._watch.ElapsedTicks)|]; return t; }
        }
        """, """
        using System;
        using System.Diagnostics;

        class Uptime
        {
            private readonly Stopwatch _watch = Stopwatch.StartNew();

            public TimeSpan Current => _watch.Elapsed;

            public TimeSpan Implicit() { TimeSpan t = this._watch.Elapsed; return t; }
        }
        """);

    [Fact]
    public Task Timestamp_difference_is_fixed_with_GetElapsedTime_on_net8() => VerifyCS.FixAsync("""
        using System;
        using System.Diagnostics;

        class Worker
        {
            TimeSpan Run()
            {
                long start = Stopwatch.GetTimestamp();
                Work();
                return [|TimeSpan.FromTicks(Stopwatch.GetTimestamp() - start)|];
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
                long start = Stopwatch.GetTimestamp();
                Work();
                return Stopwatch.GetElapsedTime(start);
            }

            void Work() { }
        }
        """);

    [Fact]
    public Task Timestamp_difference_on_netstandard_is_converted_through_Frequency() => VerifyCS.FixAsync("""
        using System;
        using System.Diagnostics;

        class Worker
        {
            TimeSpan Run()
            {
                long start = Stopwatch.GetTimestamp();
                Work();
                return [|TimeSpan.FromTicks(Stopwatch.GetTimestamp() - start)|];
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
                long start = Stopwatch.GetTimestamp();
                Work();
                return TimeSpan.FromTicks((long)((Stopwatch.GetTimestamp() - start) * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
            }

            void Work() { }
        }
        """, NetStandard);

    [Fact]
    public Task Difference_of_two_timestamp_variables_uses_GetElapsedTime_with_start_and_end() => VerifyCS.FixAsync("""
        using System;
        using System.Diagnostics;

        class Worker
        {
            TimeSpan Run()
            {
                var start = Stopwatch.GetTimestamp();
                Work();
                var end = Stopwatch.GetTimestamp();
                return [|new TimeSpan(end - start)|];
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
                var end = Stopwatch.GetTimestamp();
                return Stopwatch.GetElapsedTime(start, end);
            }

            void Work() { }
        }
        """);

    [Fact]
    public Task Delta_held_in_a_variable_is_converted_with_FromSeconds_on_net8() => VerifyCS.FixAsync("""
        using System;
        using System.Diagnostics;

        class Worker
        {
            bool TookTooLong(TimeSpan budget)
            {
                var start = Stopwatch.GetTimestamp();
                Work();
                long ticks = Stopwatch.GetTimestamp() - start;
                return [|TimeSpan.FromTicks(ticks)|] > budget;
            }

            void Work() { }
        }
        """, """
        using System;
        using System.Diagnostics;

        class Worker
        {
            bool TookTooLong(TimeSpan budget)
            {
                var start = Stopwatch.GetTimestamp();
                Work();
                long ticks = Stopwatch.GetTimestamp() - start;
                return TimeSpan.FromSeconds(ticks / (double)Stopwatch.Frequency) > budget;
            }

            void Work() { }
        }
        """);

    [Fact]
    public Task Delta_held_in_a_variable_on_net472_is_converted_to_TimeSpan_ticks_through_Frequency() => VerifyCS.FixAsync("""
        using System;
        using System.Diagnostics;

        class Worker
        {
            bool TookTooLong(TimeSpan budget)
            {
                var sw = Stopwatch.StartNew();
                Work();
                var ticks = sw.ElapsedTicks;
                return [|TimeSpan.FromTicks(ticks)|] > budget;
            }

            void Work() { }
        }
        """, """
        using System;
        using System.Diagnostics;

        class Worker
        {
            bool TookTooLong(TimeSpan budget)
            {
                var sw = Stopwatch.StartNew();
                Work();
                var ticks = sw.ElapsedTicks;
                return TimeSpan.FromTicks((long)(ticks * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency))) > budget;
            }

            void Work() { }
        }
        """, Net472);

    [Theory]
    [InlineData(TargetFramework.Net80)]
    [InlineData(TargetFramework.NetStandard20)]
    public Task Divisions_by_TicksPer_constants_are_converted_through_Frequency_keeping_their_type(TargetFramework target) => VerifyCS.FixAsync("""
        using System;
        using System.Diagnostics;

        class Latency
        {
            long Milliseconds(Stopwatch sw) => [|sw.ElapsedTicks / TimeSpan.TicksPerMillisecond|];

            double PreciseMilliseconds(Stopwatch sw) => [|(double)sw.ElapsedTicks / TimeSpan.TicksPerMillisecond|];

            double Seconds(Stopwatch sw) => [|sw.ElapsedTicks / (double)TimeSpan.TicksPerSecond|];

            long WholeSeconds() => [|(Stopwatch.GetTimestamp() - Start) / TimeSpan.TicksPerSecond|];

            long Minutes(Stopwatch sw) => [|sw.ElapsedTicks / TimeSpan.TicksPerMinute|];

            double Hours(Stopwatch sw) => [|sw.ElapsedTicks / (double)TimeSpan.TicksPerHour|];

            long Start { get; } = Stopwatch.GetTimestamp();
        }
        """, """
        using System;
        using System.Diagnostics;

        class Latency
        {
            long Milliseconds(Stopwatch sw) => (long)(sw.ElapsedTicks * 1000.0 / Stopwatch.Frequency);

            double PreciseMilliseconds(Stopwatch sw) => (double)sw.ElapsedTicks * 1000 / Stopwatch.Frequency;

            double Seconds(Stopwatch sw) => sw.ElapsedTicks / (double)Stopwatch.Frequency;

            long WholeSeconds() => (Stopwatch.GetTimestamp() - Start) / Stopwatch.Frequency;

            long Minutes(Stopwatch sw) => sw.ElapsedTicks / (Stopwatch.Frequency * 60);

            double Hours(Stopwatch sw) => sw.ElapsedTicks / (Stopwatch.Frequency * 3600.0);

            long Start { get; } = Stopwatch.GetTimestamp();
        }
        """, new TestOptions { Target = target });

    [Fact]
    public Task Division_of_a_timestamp_difference_kept_in_a_field_is_fixed() => VerifyCS.FixAsync("""
        using System;
        using System.Diagnostics;

        class RequestLog
        {
            private long _requestStarted;

            public void Begin() => _requestStarted = Stopwatch.GetTimestamp();

            public long DurationMs() => [|(Stopwatch.GetTimestamp() - _requestStarted) / TimeSpan.TicksPerMillisecond|];

            public double DurationUs() => [|(Stopwatch.GetTimestamp() - _requestStarted) / (double)TimeSpan.TicksPerMicrosecond|];
        }
        """, """
        using System;
        using System.Diagnostics;

        class RequestLog
        {
            private long _requestStarted;

            public void Begin() => _requestStarted = Stopwatch.GetTimestamp();

            public long DurationMs() => (long)((Stopwatch.GetTimestamp() - _requestStarted) * 1000.0 / Stopwatch.Frequency);

            public double DurationUs() => (Stopwatch.GetTimestamp() - _requestStarted) * 1000000.0 / Stopwatch.Frequency;
        }
        """);

    [Theory]
    [InlineData(TargetFramework.Net80, "startedAt.Add(sw.Elapsed)", "Stopwatch.GetElapsedTime(start)")]
    [InlineData(TargetFramework.NetStandard20, "startedAt.Add(sw.Elapsed)", "TimeSpan.FromTicks((long)((Stopwatch.GetTimestamp() - start) * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)))")]
    public Task AddTicks_becomes_Add_of_a_TimeSpan(TargetFramework target, string dateTimeFix, string timestampFix) => VerifyCS.FixAsync("""
        using System;
        using System.Diagnostics;

        class Job
        {
            DateTime FinishedAt(DateTime startedAt, Stopwatch sw) => [|startedAt.AddTicks(sw.ElapsedTicks)|];

            DateTimeOffset Eta(DateTimeOffset now, long start) => now.AddTicks(1);

            DateTimeOffset Measured(DateTimeOffset startedAt)
            {
                var start = Stopwatch.GetTimestamp();
                return [|startedAt.AddTicks(Stopwatch.GetTimestamp() - start)|];
            }
        }
        """, $$"""
        using System;
        using System.Diagnostics;

        class Job
        {
            DateTime FinishedAt(DateTime startedAt, Stopwatch sw) => {{dateTimeFix}};

            DateTimeOffset Eta(DateTimeOffset now, long start) => now.AddTicks(1);

            DateTimeOffset Measured(DateTimeOffset startedAt)
            {
                var start = Stopwatch.GetTimestamp();
                return startedAt.Add({{timestampFix}});
            }
        }
        """, new TestOptions { Target = target });

    [Fact]
    public Task Private_field_heartbeat_timestamp_is_fixed_in_an_expression_bodied_member() => VerifyCS.FixAsync("""
        using System;
        using System.Diagnostics;

        class HeartbeatMonitor
        {
            private long _lastHeartbeat = Stopwatch.GetTimestamp();

            public void OnHeartbeat() => _lastHeartbeat = Stopwatch.GetTimestamp();

            public bool IsSuspected(TimeSpan timeout) => [|TimeSpan.FromTicks(Stopwatch.GetTimestamp() - _lastHeartbeat)|] > timeout;
        }
        """, """
        using System;
        using System.Diagnostics;

        class HeartbeatMonitor
        {
            private long _lastHeartbeat = Stopwatch.GetTimestamp();

            public void OnHeartbeat() => _lastHeartbeat = Stopwatch.GetTimestamp();

            public bool IsSuspected(TimeSpan timeout) => Stopwatch.GetElapsedTime(_lastHeartbeat) > timeout;
        }
        """);

    [Fact]
    public Task Start_captured_by_a_lambda_in_an_async_method_is_fixed() => VerifyCS.FixAsync("""
        using System;
        using System.Diagnostics;
        using System.Threading.Tasks;

        class Lease
        {
            async Task<bool> HoldAsync(TimeSpan leaseDuration)
            {
                var acquiredAt = Stopwatch.GetTimestamp();
                await Task.Delay(10);
                Func<bool> valid = () => [|TimeSpan.FromTicks(Stopwatch.GetTimestamp() - acquiredAt)|] < leaseDuration;
                var waited = Stopwatch.GetTimestamp() - acquiredAt;
                return valid() && [|new TimeSpan(waited)|] < leaseDuration;
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
                var waited = Stopwatch.GetTimestamp() - acquiredAt;
                return valid() && TimeSpan.FromSeconds(waited / (double)Stopwatch.Frequency) < leaseDuration;
            }
        }
        """);

    [Fact]
    public Task Using_static_and_fully_qualified_names_are_recognised_and_imports_added() => VerifyCS.FixAsync("""
        using static System.TimeSpan;

        class Probe
        {
            System.TimeSpan Measure(System.Diagnostics.Stopwatch sw) => [|FromTicks(sw.ElapsedTicks)|];

            System.TimeSpan Since(long unused)
            {
                var start = System.Diagnostics.Stopwatch.GetTimestamp();
                var ticks = System.Diagnostics.Stopwatch.GetTimestamp() - start;
                return [|FromTicks(ticks)|];
            }
        }
        """, """
        using System;
        using System.Diagnostics;
        using static System.TimeSpan;

        class Probe
        {
            System.TimeSpan Measure(System.Diagnostics.Stopwatch sw) => sw.Elapsed;

            System.TimeSpan Since(long unused)
            {
                var start = System.Diagnostics.Stopwatch.GetTimestamp();
                var ticks = System.Diagnostics.Stopwatch.GetTimestamp() - start;
                return TimeSpan.FromSeconds(ticks / (double)Stopwatch.Frequency);
            }
        }
        """);

    [Fact]
    public Task ElapsedTicks_difference_and_auto_property_timestamps_are_followed() => VerifyCS.FixAsync("""
        using System;
        using System.Diagnostics;

        class Phases
        {
            private long StartedAt { get; set; }

            public void Start() => StartedAt = Stopwatch.GetTimestamp();

            public TimeSpan SinceStart() => [|TimeSpan.FromTicks(Stopwatch.GetTimestamp() - StartedAt)|];

            public TimeSpan SecondPhase(Stopwatch sw)
            {
                var firstPhaseEnd = sw.ElapsedTicks;
                Work();
                return [|TimeSpan.FromTicks(sw.ElapsedTicks - firstPhaseEnd)|];
            }

            void Work() { }
        }
        """, """
        using System;
        using System.Diagnostics;

        class Phases
        {
            private long StartedAt { get; set; }

            public void Start() => StartedAt = Stopwatch.GetTimestamp();

            public TimeSpan SinceStart() => Stopwatch.GetElapsedTime(StartedAt);

            public TimeSpan SecondPhase(Stopwatch sw)
            {
                var firstPhaseEnd = sw.ElapsedTicks;
                Work();
                return TimeSpan.FromSeconds((sw.ElapsedTicks - firstPhaseEnd) / (double)Stopwatch.Frequency);
            }

            void Work() { }
        }
        """);

    [Fact]
    public Task Conversions_inside_larger_expressions_and_log_lines_are_fixed_in_place() => VerifyCS.FixAsync("""
        using System;
        using System.Diagnostics;

        class Report
        {
            long Score(Stopwatch sw) => 1 + [|sw.ElapsedTicks / TimeSpan.TicksPerSecond|] * 2;

            double Total(Stopwatch sw) => [|TimeSpan.FromTicks(sw.ElapsedTicks)|].TotalMilliseconds * 2;

            void Log(Stopwatch sw) => Console.WriteLine($"took {[|sw.ElapsedTicks / TimeSpan.TicksPerMillisecond|]} ms");
        }

        class TimedStopwatch : Stopwatch
        {
            public TimeSpan Span => [|TimeSpan.FromTicks(ElapsedTicks)|];
        }
        """, """
        using System;
        using System.Diagnostics;

        class Report
        {
            long Score(Stopwatch sw) => 1 + sw.ElapsedTicks / Stopwatch.Frequency * 2;

            double Total(Stopwatch sw) => sw.Elapsed.TotalMilliseconds * 2;

            void Log(Stopwatch sw) => Console.WriteLine($"took {(long)(sw.ElapsedTicks * 1000.0 / Stopwatch.Frequency)} ms");
        }

        class TimedStopwatch : Stopwatch
        {
            public TimeSpan Span => Elapsed;
        }
        """);

    [Theory]
    [InlineData(TargetFramework.Net80)]
    [InlineData(TargetFramework.NetStandard20)]
    public Task Fix_all_rewrites_several_findings_in_one_file(TargetFramework target) => VerifyCS.FixAsync("""
        using System;
        using System.Diagnostics;

        class Node
        {
            private readonly Stopwatch _uptime = Stopwatch.StartNew();
            private long _lastAppendEntries = Stopwatch.GetTimestamp();

            public void OnAppendEntries() { _lastAppendEntries = Stopwatch.GetTimestamp(); }

            public TimeSpan Uptime => [|TimeSpan.FromTicks(_uptime.ElapsedTicks)|];

            public long UptimeMs => [|_uptime.ElapsedTicks / TimeSpan.TicksPerMillisecond|];

            public DateTime BootedAt(DateTime now) => [|now.AddTicks(-_uptime.ElapsedTicks)|];

            public double Measure()
            {
                var sw = Stopwatch.StartNew();
                Step();
                var first = [|new TimeSpan(sw.ElapsedTicks)|];
                var t1 = Stopwatch.GetTimestamp();
                Step();
                var delta = Stopwatch.GetTimestamp() - t1;
                return first.TotalSeconds + [|TimeSpan.FromTicks(delta)|].TotalSeconds;
            }

            void Step() { }
        }
        """, $$"""
        using System;
        using System.Diagnostics;

        class Node
        {
            private readonly Stopwatch _uptime = Stopwatch.StartNew();
            private long _lastAppendEntries = Stopwatch.GetTimestamp();

            public void OnAppendEntries() { _lastAppendEntries = Stopwatch.GetTimestamp(); }

            public TimeSpan Uptime => _uptime.Elapsed;

            public long UptimeMs => (long)(_uptime.ElapsedTicks * 1000.0 / Stopwatch.Frequency);

            public DateTime BootedAt(DateTime now) => now.Add({{(target == TargetFramework.Net80
                ? "TimeSpan.FromSeconds(-_uptime.ElapsedTicks / (double)Stopwatch.Frequency)"
                : "TimeSpan.FromTicks((long)(-_uptime.ElapsedTicks * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)))")}});

            public double Measure()
            {
                var sw = Stopwatch.StartNew();
                Step();
                var first = sw.Elapsed;
                var t1 = Stopwatch.GetTimestamp();
                Step();
                var delta = Stopwatch.GetTimestamp() - t1;
                return first.TotalSeconds + {{(target == TargetFramework.Net80
                    ? "TimeSpan.FromSeconds(delta / (double)Stopwatch.Frequency)"
                    : "TimeSpan.FromTicks((long)(delta * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)))")}}.TotalSeconds;
            }

            void Step() { }
        }
        """, new TestOptions { Target = target });

    [Fact]
    public Task Timestamp_read_through_using_static_in_another_part_of_a_partial_type_is_followed() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using static System.Diagnostics.Stopwatch;

        partial class Probe
        {
            public TimeSpan RoundTrip => [|TimeSpan.FromTicks(_ackedAt - _sentAt)|];
        }

        partial class Probe
        {
            private long _sentAt;
            private long _ackedAt;

            public void Send() { _sentAt = GetTimestamp(); }

            public void Acked() { _ackedAt = GetTimestamp(); }
        }
        """);

    // ---- Reported, but no fix that would change the type ---------------------------------------------

    [Fact]
    public Task Division_whose_result_type_the_fix_cannot_keep_gets_no_fix() => VerifyCS.NoFixAsync("""
        using System;
        using System.Diagnostics;

        class Odd
        {
            float Milliseconds(Stopwatch sw) => [|sw.ElapsedTicks / (float)TimeSpan.TicksPerMillisecond|];

            decimal Seconds(Stopwatch sw) => [|sw.ElapsedTicks / (decimal)TimeSpan.TicksPerSecond|];
        }
        """);

    // ---- Confidence ----------------------------------------------------------------------------------

    [Theory]
    [InlineData("return TimeSpan.FromTicks(_watch.ElapsedTicks);", 95)]
    [InlineData("var start = Stopwatch.GetTimestamp(); return TimeSpan.FromTicks(Stopwatch.GetTimestamp() - start);", 95)]
    [InlineData("var start = Stopwatch.GetTimestamp(); var ticks = Stopwatch.GetTimestamp() - start; return TimeSpan.FromTicks(ticks);", 90)]
    [InlineData("var start = Stopwatch.GetTimestamp(); var elapsed = Stopwatch.GetTimestamp() - start; return TimeSpan.FromTicks(elapsed);", 95)]
    [InlineData("return TimeSpan.FromTicks(Stopwatch.GetTimestamp() - _private);", 85)]
    [InlineData("return TimeSpan.FromTicks(Stopwatch.GetTimestamp() - _lastHeartbeat);", 90)]
    [InlineData("return TimeSpan.FromTicks(Stopwatch.GetTimestamp() - Shared);", 75)]
    [InlineData("var ticks = Stopwatch.GetTimestamp() - Shared; return TimeSpan.FromTicks(ticks);", 70)]
    public async Task Confidence_follows_the_evidence(string body, int confidence)
    {
        var source = $$"""
            using System;
            using System.Diagnostics;

            class Evidence
            {
                private readonly Stopwatch _watch = Stopwatch.StartNew();
                private long _private = Stopwatch.GetTimestamp();
                private long _lastHeartbeat = Stopwatch.GetTimestamp();
                public long Shared = Stopwatch.GetTimestamp();

                TimeSpan Measure() { {{body}} }
            }
            """;
        var diagnostic = Assert.Single(await DiagnosticsAsync(source, TestOptions.Default));

        ConfidenceAssert.Has(diagnostic, confidence);
        Assert.StartsWith("'TimeSpan.FromTicks(", diagnostic.GetMessage());
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
            using System.Diagnostics;

            class Evidence
            {
                private long _private = Stopwatch.GetTimestamp();

                TimeSpan Field() => TimeSpan.FromTicks(Stopwatch.GetTimestamp() - _private);

                TimeSpan Local(Stopwatch sw) => TimeSpan.FromTicks(sw.ElapsedTicks);
            }
            """;

        Assert.Equal(expected, (await DiagnosticsAsync(source, new TestOptions { EditorConfig = editorConfig })).Length);
    }

    [Fact]
    public async Task Diagnostic_links_to_its_docs_page_and_names_the_conversion()
    {
        var diagnostic = Assert.Single(await DiagnosticsAsync(
            "class C { System.TimeSpan M(System.Diagnostics.Stopwatch sw) => new System.TimeSpan(sw.ElapsedTicks); }", TestOptions.Default));

        Assert.Equal("https://github.com/DistributedReview/DistributedReview/blob/main/docs/rules/DR1004.md", diagnostic.Descriptor.HelpLinkUri);
        Assert.Equal("DistributedReview.Timing", diagnostic.Descriptor.Category);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.StartsWith("'new System.TimeSpan(sw.ElapsedTicks)' treats Stopwatch ticks as 100 ns TimeSpan ticks", diagnostic.GetMessage());
        Assert.Equal("Elapsed", diagnostic.Properties[StopwatchTicksAnalyzer.ShapeProperty]);
    }

    // ---- Left alone ----------------------------------------------------------------------------------

    [Fact]
    public Task Correct_Frequency_based_conversions_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Diagnostics;

        class Correct
        {
            double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
            double Seconds(Stopwatch sw) => sw.ElapsedTicks / (double)Stopwatch.Frequency;
            TimeSpan Span(Stopwatch sw) => TimeSpan.FromSeconds(sw.ElapsedTicks / (double)Stopwatch.Frequency);
            TimeSpan Ticks(long start) => TimeSpan.FromTicks((long)((Stopwatch.GetTimestamp() - start) * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
            TimeSpan Integer(Stopwatch sw) => TimeSpan.FromTicks(sw.ElapsedTicks * TimeSpan.TicksPerSecond / Stopwatch.Frequency);
            TimeSpan Measured()
            {
                var start = Stopwatch.GetTimestamp();
                var ticks = Stopwatch.GetTimestamp() - start;
                return TimeSpan.FromSeconds(ticks / (double)Stopwatch.Frequency) + Stopwatch.GetElapsedTime(start);
            }
            long FrequencyPerTick() => Stopwatch.Frequency / TimeSpan.TicksPerSecond;
        }
        """);

    [Fact]
    public Task TimeSpan_and_DateTime_ticks_and_Elapsed_Ticks_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Diagnostics;

        class TimeSpanTicks
        {
            TimeSpan Copy(TimeSpan timeout) => TimeSpan.FromTicks(timeout.Ticks);
            TimeSpan Wall() { var start = DateTime.UtcNow; return new TimeSpan(DateTime.UtcNow.Ticks - start.Ticks); }
            long Ms(TimeSpan span) => span.Ticks / TimeSpan.TicksPerMillisecond;
            TimeSpan FromElapsed(Stopwatch sw) => TimeSpan.FromTicks(sw.Elapsed.Ticks);
            long ElapsedMs(Stopwatch sw) => sw.Elapsed.Ticks / TimeSpan.TicksPerMillisecond;
            DateTime Later(DateTime at, TimeSpan by) => at.AddTicks(by.Ticks);
            long Literal(Stopwatch sw) => sw.ElapsedMilliseconds / 1000;
        }
        """);

    [Fact]
    public Task Values_whose_origin_is_unknown_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Diagnostics;

        class Unknown
        {
            private long _total;
            private long _lastSeen = Stopwatch.GetTimestamp();

            public void Restore(long saved) => _lastSeen = saved;

            public void Add(Stopwatch sw) => _total += sw.ElapsedTicks;

            TimeSpan Parameter(long startTimestamp) => TimeSpan.FromTicks(Stopwatch.GetTimestamp() - startTimestamp);
            TimeSpan Raw() => TimeSpan.FromTicks(Stopwatch.GetTimestamp());
            TimeSpan Total() => TimeSpan.FromTicks(_total);
            TimeSpan Restored() => TimeSpan.FromTicks(Stopwatch.GetTimestamp() - _lastSeen);
            TimeSpan Average(Stopwatch sw, int count) => TimeSpan.FromTicks(sw.ElapsedTicks / count);

            TimeSpan Mixed(bool resume, long saved)
            {
                var start = Stopwatch.GetTimestamp();
                if (resume) start = saved;
                return TimeSpan.FromTicks(Stopwatch.GetTimestamp() - start);
            }

            TimeSpan ByRef()
            {
                var start = Stopwatch.GetTimestamp();
                Load(ref start);
                return TimeSpan.FromTicks(Stopwatch.GetTimestamp() - start);
            }

            void Load(ref long value) { }

            void Discarded(Stopwatch sw) { TimeSpan.FromTicks(sw.ElapsedTicks); }
        }
        """);

    [Fact]
    public Task Generated_code_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        // <auto-generated/>
        using System;
        using System.Diagnostics;

        class Generated
        {
            TimeSpan Run(Stopwatch sw) => TimeSpan.FromTicks(sw.ElapsedTicks);
        }
        """);

    [Fact]
    public Task Look_alike_Stopwatch_types_in_other_namespaces_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        namespace Game
        {
            class Stopwatch
            {
                public long ElapsedTicks => 0;
                public static long GetTimestamp() => 0;
            }

            class Tick
            {
                System.TimeSpan Run(Stopwatch sw) => System.TimeSpan.FromTicks(sw.ElapsedTicks);
                System.TimeSpan Since(long start) { var s = Stopwatch.GetTimestamp(); return new System.TimeSpan(Stopwatch.GetTimestamp() - s); }
            }
        }
        """);

    [Fact]
    public Task Clock_implementations_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Diagnostics;

        interface IClock { DateTimeOffset UtcNow { get; } }

        sealed class MonotonicClock : IClock
        {
            private readonly DateTimeOffset _origin = DateTimeOffset.UtcNow;
            private readonly Stopwatch _watch = Stopwatch.StartNew();

            // Knowingly in the clock's own units (say, a Windows-only build where Frequency is 10 MHz).
            public DateTimeOffset UtcNow => _origin.AddTicks(_watch.ElapsedTicks);
        }
        """);

    [Fact]
    public Task Nested_types_report_each_conversion_once() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Diagnostics;

        class Outer
        {
            private long _started = Stopwatch.GetTimestamp();
            TimeSpan Uptime() => [|TimeSpan.FromTicks(Stopwatch.GetTimestamp() - _started)|];

            class Inner
            {
                private long _innerStarted = Stopwatch.GetTimestamp();
                TimeSpan Uptime() => [|TimeSpan.FromTicks(Stopwatch.GetTimestamp() - _innerStarted)|];
                TimeSpan Local(Stopwatch sw) => [|new TimeSpan(sw.ElapsedTicks)|];
            }
        }
        """);

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(string source, TestOptions options)
    {
        var document = TestWorkspace.CreateDocument(source, options);
        return await Analysis.RunAsync(document.Project, ImmutableArray.Create<DiagnosticAnalyzer>(new StopwatchTicksAnalyzer()));
    }
}
