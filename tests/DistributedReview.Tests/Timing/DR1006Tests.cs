using System.Collections.Immutable;
using System.Threading.Tasks;
using DistributedReview.Tests.Verification;
using DistributedReview.Timing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using VerifyAnalyzer = DistributedReview.Tests.Verification.Verify<DistributedReview.Tests.Timing.UnclampedWallClockDelayOnly>;
using VerifyCS = DistributedReview.Tests.Verification.Verify<DistributedReview.Tests.Timing.UnclampedWallClockDelayOnly, DistributedReview.Timing.UnclampedWallClockDelayCodeFix>;

namespace DistributedReview.Tests.Timing;

/// <summary>DR1006: a delay computed from a wall-clock difference without a clamp.</summary>
public class DR1006Tests
{

    // ---- Reported, and fixed ---------------------------------------------------------------------------

    [Fact]
    public Task Inline_difference_in_Task_Delay_is_clamped() => VerifyCS.FixAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Scheduler
        {
            private DateTime _nextRun;

            async Task WaitForNextRunAsync(CancellationToken cancellationToken)
            {
                await Task.Delay([|_nextRun - DateTime.UtcNow|], cancellationToken);
            }
        }
        """, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Scheduler
        {
            private DateTime _nextRun;

            async Task WaitForNextRunAsync(CancellationToken cancellationToken)
            {
                await Task.Delay(TimeSpan.FromTicks(Math.Max(0L, (_nextRun - DateTime.UtcNow).Ticks)), cancellationToken);
            }
        }
        """);

    [Fact]
    public Task Delay_held_in_a_local_is_clamped_where_it_is_used() => VerifyCS.FixAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Heartbeat
        {
            async Task RunAsync(DateTimeOffset nextBeat, CancellationToken cancellationToken)
            {
                var delay = nextBeat - DateTimeOffset.UtcNow;
                await Task.Delay( [|delay|] /* until the next beat */, cancellationToken);
            }
        }
        """, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Heartbeat
        {
            async Task RunAsync(DateTimeOffset nextBeat, CancellationToken cancellationToken)
            {
                var delay = nextBeat - DateTimeOffset.UtcNow;
                await Task.Delay( TimeSpan.FromTicks(Math.Max(0L, delay.Ticks)) /* until the next beat */, cancellationToken);
            }
        }
        """);

    [Fact]
    public Task Thread_Sleep_with_int_milliseconds_is_clamped_with_Math_Max() => VerifyCS.FixAsync("""
        using System;
        using System.Threading;

        class Poller
        {
            void SleepUntil(DateTime target)
            {
                Thread.Sleep([|(int)(target - DateTime.Now).TotalMilliseconds|]);
            }

            void SleepUntilDeadline(DateTimeOffset deadline)
            {
                var remaining = deadline - DateTimeOffset.UtcNow;
                int milliseconds = (int)remaining.TotalMilliseconds;
                Thread.Sleep([|milliseconds|]);
            }
        }
        """, """
        using System;
        using System.Threading;

        class Poller
        {
            void SleepUntil(DateTime target)
            {
                Thread.Sleep(Math.Max(0, (int)(target - DateTime.Now).TotalMilliseconds));
            }

            void SleepUntilDeadline(DateTimeOffset deadline)
            {
                var remaining = deadline - DateTimeOffset.UtcNow;
                int milliseconds = (int)remaining.TotalMilliseconds;
                Thread.Sleep(Math.Max(0, milliseconds));
            }
        }
        """);

    [Fact]
    public Task Subtract_call_and_interval_minus_elapsed_are_clamped() => VerifyCS.FixAsync("""
        using System;
        using System.Threading.Tasks;

        class Ticker
        {
            private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
            private DateTime _lastRun = DateTime.UtcNow;

            Task UntilDeadline(DateTimeOffset deadline) => Task.Delay([|deadline.Subtract(DateTimeOffset.UtcNow)|]);

            Task UntilNextTick() => Task.Delay([|Interval - (DateTime.UtcNow - _lastRun)|]);
        }
        """, """
        using System;
        using System.Threading.Tasks;

        class Ticker
        {
            private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
            private DateTime _lastRun = DateTime.UtcNow;

            Task UntilDeadline(DateTimeOffset deadline) => Task.Delay(TimeSpan.FromTicks(Math.Max(0L, deadline.Subtract(DateTimeOffset.UtcNow).Ticks)));

            Task UntilNextTick() => Task.Delay(TimeSpan.FromTicks(Math.Max(0L, (Interval - (DateTime.UtcNow - _lastRun)).Ticks)));
        }
        """);

    [Fact]
    public Task Timer_due_times_are_clamped_and_periods_left_alone() => VerifyCS.FixAsync("""
        using System;
        using System.Threading;

        class Compactor : IDisposable
        {
            private readonly Timer _timer;
            private readonly Timer _legacy;

            public Compactor(DateTime firstRun)
            {
                _timer = new Timer(_ => Compact(), null, [|firstRun - DateTime.UtcNow|], TimeSpan.FromHours(1));
                _legacy = new Timer(_ => Compact(), null, [|(long)(firstRun - DateTime.UtcNow).TotalMilliseconds|], -1L);
            }

            public void Reschedule(DateTime nextRun, DateTime lastRun) =>
                _timer.Change([|nextRun - DateTime.UtcNow|], DateTime.UtcNow - lastRun);

            void Compact() { }

            public void Dispose()
            {
                _timer.Dispose();
                _legacy.Dispose();
            }
        }
        """, """
        using System;
        using System.Threading;

        class Compactor : IDisposable
        {
            private readonly Timer _timer;
            private readonly Timer _legacy;

            public Compactor(DateTime firstRun)
            {
                _timer = new Timer(_ => Compact(), null, TimeSpan.FromTicks(Math.Max(0L, (firstRun - DateTime.UtcNow).Ticks)), TimeSpan.FromHours(1));
                _legacy = new Timer(_ => Compact(), null, Math.Max(0L, (long)(firstRun - DateTime.UtcNow).TotalMilliseconds), -1L);
            }

            public void Reschedule(DateTime nextRun, DateTime lastRun) =>
                _timer.Change(TimeSpan.FromTicks(Math.Max(0L, (nextRun - DateTime.UtcNow).Ticks)), DateTime.UtcNow - lastRun);

            void Compact() { }

            public void Dispose()
            {
                _timer.Dispose();
                _legacy.Dispose();
            }
        }
        """);

    [Fact]
    public Task TimeProvider_reads_delays_and_timers_are_clamped() => VerifyCS.FixAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class LeaseRenewer
        {
            private readonly TimeProvider _time;
            private DateTimeOffset _renewAt;

            public LeaseRenewer(TimeProvider time) => _time = time;

            public Task WaitAsync(CancellationToken cancellationToken) =>
                Task.Delay([|_renewAt - _time.GetUtcNow()|], _time, cancellationToken);

            public ITimer Schedule(TimerCallback renew) =>
                _time.CreateTimer(renew, null, [|_renewAt - _time.GetUtcNow()|], Timeout.InfiniteTimeSpan);

            public void Reschedule(ITimer timer) => timer.Change([|_renewAt - _time.GetUtcNow()|], Timeout.InfiniteTimeSpan);
        }
        """, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class LeaseRenewer
        {
            private readonly TimeProvider _time;
            private DateTimeOffset _renewAt;

            public LeaseRenewer(TimeProvider time) => _time = time;

            public Task WaitAsync(CancellationToken cancellationToken) =>
                Task.Delay(TimeSpan.FromTicks(Math.Max(0L, (_renewAt - _time.GetUtcNow()).Ticks)), _time, cancellationToken);

            public ITimer Schedule(TimerCallback renew) =>
                _time.CreateTimer(renew, null, TimeSpan.FromTicks(Math.Max(0L, (_renewAt - _time.GetUtcNow()).Ticks)), Timeout.InfiniteTimeSpan);

            public void Reschedule(ITimer timer) => timer.Change(TimeSpan.FromTicks(Math.Max(0L, (_renewAt - _time.GetUtcNow()).Ticks)), Timeout.InfiniteTimeSpan);
        }
        """);

    [Fact]
    public Task Lambdas_named_arguments_and_now_in_a_local() => VerifyCS.FixAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Reporter
        {
            public Task Start(DateTime due, CancellationToken token) => Task.Run(async () =>
            {
                var now = DateTime.UtcNow;
                await Task.Delay(cancellationToken: token, delay: [|due - now|]);
            });
        }
        """, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Reporter
        {
            public Task Start(DateTime due, CancellationToken token) => Task.Run(async () =>
            {
                var now = DateTime.UtcNow;
                await Task.Delay(cancellationToken: token, delay: TimeSpan.FromTicks(Math.Max(0L, (due - now).Ticks)));
            });
        }
        """);

    [Fact]
    public Task Using_static_without_using_System_gets_the_import() => VerifyCS.FixAsync("""
        using static System.DateTime;

        class Alarm
        {
            System.Threading.Tasks.Task Wait(System.DateTime at) => System.Threading.Tasks.Task.Delay([|at - UtcNow|]);
        }
        """, """
        using System;
        using static System.DateTime;

        class Alarm
        {
            System.Threading.Tasks.Task Wait(System.DateTime at) => System.Threading.Tasks.Task.Delay(TimeSpan.FromTicks(Math.Max(0L, (at - UtcNow).Ticks)));
        }
        """);

    [Fact]
    public Task Fix_all_clamps_several_findings_in_one_file() => VerifyCS.FixAsync("""
        class Maintenance
        {
            private System.DateTime _nextCompaction;
            private System.DateTime _nextSnapshot;

            async System.Threading.Tasks.Task LoopAsync()
            {
                while (true)
                {
                    await System.Threading.Tasks.Task.Delay([|_nextCompaction - System.DateTime.UtcNow|]);
                    await System.Threading.Tasks.Task.Delay([|_nextSnapshot - System.DateTime.UtcNow|]);
                    System.Threading.Thread.Sleep([|(int)(_nextSnapshot - System.DateTime.UtcNow).TotalMilliseconds|]);
                }
            }
        }
        """, """
        using System;

        class Maintenance
        {
            private System.DateTime _nextCompaction;
            private System.DateTime _nextSnapshot;

            async System.Threading.Tasks.Task LoopAsync()
            {
                while (true)
                {
                    await System.Threading.Tasks.Task.Delay(TimeSpan.FromTicks(Math.Max(0L, (_nextCompaction - System.DateTime.UtcNow).Ticks)));
                    await System.Threading.Tasks.Task.Delay(TimeSpan.FromTicks(Math.Max(0L, (_nextSnapshot - System.DateTime.UtcNow).Ticks)));
                    System.Threading.Thread.Sleep(Math.Max(0, (int)(_nextSnapshot - System.DateTime.UtcNow).TotalMilliseconds));
                }
            }
        }
        """);

    [Theory]
    [InlineData(TargetFramework.NetStandard20)]
    [InlineData(TargetFramework.Net472)]
    public Task Fix_compiles_on_older_frameworks(TargetFramework target) => VerifyCS.FixAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Retry
        {
            async Task WaitAsync(DateTime retryAt)
            {
                var delay = retryAt - DateTime.UtcNow;
                await Task.Delay([|delay|]);
                Thread.Sleep([|retryAt - DateTime.UtcNow|]);
                using (new Timer(_ => { }, null, [|(int)(retryAt - DateTime.UtcNow).TotalMilliseconds|], Timeout.Infinite)) { }
            }
        }
        """, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Retry
        {
            async Task WaitAsync(DateTime retryAt)
            {
                var delay = retryAt - DateTime.UtcNow;
                await Task.Delay(TimeSpan.FromTicks(Math.Max(0L, delay.Ticks)));
                Thread.Sleep(TimeSpan.FromTicks(Math.Max(0L, (retryAt - DateTime.UtcNow).Ticks)));
                using (new Timer(_ => { }, null, Math.Max(0, (int)(retryAt - DateTime.UtcNow).TotalMilliseconds), Timeout.Infinite)) { }
            }
        }
        """, new TestOptions { Target = target });

    // ---- Confidence ------------------------------------------------------------------------------------

    [Theory]
    [InlineData("await Task.Delay(next - DateTime.UtcNow);", 90)]
    [InlineData("var now = DateTime.UtcNow; await Task.Delay(next - now);", 85)]
    [InlineData("var delay = next - DateTime.UtcNow; await Task.Delay(delay);", 85)]
    [InlineData("var now = DateTime.UtcNow; var delay = next - now; await Task.Delay(delay);", 80)]
    [InlineData("Thread.Sleep((int)(next - DateTime.UtcNow).TotalMilliseconds);", 90)]
    public async Task Confidence_follows_the_evidence(string body, int confidence)
    {
        var source = $$"""
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Evidence
            {
                async Task WaitAsync(DateTime next) { {{body}} }
            }
            """;
        var diagnostic = Assert.Single(await DiagnosticsAsync(source, TestOptions.Default));

        ConfidenceAssert.Has(diagnostic, confidence);
        Assert.StartsWith("'", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData(null, 2)]
    [InlineData("distributed_review.min_confidence = 90", 1)]
    [InlineData("distributed_review.min_confidence = 91", 0)]
    public async Task Min_confidence_from_editorconfig_drops_weaker_findings(string? editorConfig, int expected)
    {
        const string source = """
            using System;
            using System.Threading.Tasks;

            class Evidence
            {
                Task Inline(DateTime next) => Task.Delay(next - DateTime.UtcNow);
                Task Local(DateTime next) { var delay = next - DateTime.UtcNow; return Task.Delay(delay); }
            }
            """;

        Assert.Equal(expected, (await DiagnosticsAsync(source, new TestOptions { EditorConfig = editorConfig })).Length);
    }

    [Fact]
    public async Task Diagnostic_message_and_docs_link()
    {
        var diagnostic = Assert.Single(await DiagnosticsAsync(
            "class C { System.Threading.Tasks.Task M(System.DateTime next) => System.Threading.Tasks.Task.Delay(next - System.DateTime.UtcNow); }", TestOptions.Default));

        Assert.Equal("https://github.com/DistributedReview/DistributedReview/blob/main/docs/rules/DR1006.md", diagnostic.Descriptor.HelpLinkUri);
        Assert.Equal("DistributedReview.Timing", diagnostic.Descriptor.Category);
        Assert.Contains("Impact=Important", diagnostic.Descriptor.CustomTags);
        Assert.Equal("'next - System.DateTime.UtcNow' passes a wall-clock difference to a delay, which a clock step makes negative (ArgumentOutOfRangeException) or hours long; clamp it to TimeSpan.Zero (confidence 90%)", diagnostic.GetMessage());
    }

    // ---- Left alone ------------------------------------------------------------------------------------

    [Fact]
    public Task Differences_checked_before_the_delay_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class Checked
        {
            private DateTime _next;

            async Task Positive()
            {
                var delay = _next - DateTime.UtcNow;
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay);
                }
            }

            async Task Loop(IEnumerable<DateTime> due)
            {
                foreach (var at in due)
                {
                    var delay = at - DateTime.UtcNow;
                    if (delay <= TimeSpan.Zero)
                    {
                        continue;
                    }

                    await Task.Delay(delay);
                }
            }

            void Ticks()
            {
                var delay = _next - DateTime.UtcNow;
                if (delay.Ticks > 0) Thread.Sleep(delay);
            }

            void Milliseconds()
            {
                var remaining = _next - DateTime.UtcNow;
                if (remaining.TotalMilliseconds > 0) Thread.Sleep((int)remaining.TotalMilliseconds);
            }

            void IntMilliseconds()
            {
                var ms = (int)(_next - DateTime.UtcNow).TotalMilliseconds;
                if (ms <= 0) return;
                Thread.Sleep(ms);
            }

            async Task Inline()
            {
                if ((_next - DateTime.UtcNow) > TimeSpan.Zero)
                {
                    await Task.Delay(_next - DateTime.UtcNow);
                }
            }

            async Task InstantsCompared()
            {
                var now = DateTime.UtcNow;
                if (_next <= now) return;
                await Task.Delay(_next - now);
            }

            async Task InstantsComparedWithTheClock()
            {
                if (DateTime.UtcNow < _next)
                {
                    await Task.Delay(_next - DateTime.UtcNow);
                }
            }
        }
        """);

    [Fact]
    public Task Clamped_delays_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Clamped
        {
            private DateTime _next;

            static TimeSpan ClampToZero(TimeSpan value) => value < TimeSpan.Zero ? TimeSpan.Zero : value;

            async Task Run()
            {
                Thread.Sleep(Math.Max(0, (int)(_next - DateTime.UtcNow).TotalMilliseconds));
                await Task.Delay(TimeSpan.FromTicks(Math.Max(0L, (_next - DateTime.UtcNow).Ticks)));
                await Task.Delay(ClampToZero(_next - DateTime.UtcNow));

                var delay = _next - DateTime.UtcNow;
                await Task.Delay(delay < TimeSpan.Zero ? TimeSpan.Zero : delay);

                var reassigned = _next - DateTime.UtcNow;
                reassigned = reassigned < TimeSpan.Zero ? TimeSpan.Zero : reassigned;
                await Task.Delay(reassigned);

                var clamped = ClampToZero(_next - DateTime.UtcNow);
                await Task.Delay(clamped);

                await Task.Delay((_next - DateTime.UtcNow).Duration());
            }
        }
        """);

    [Fact]
    public Task Delays_not_computed_from_a_wall_clock_difference_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Diagnostics;
        using System.Threading;
        using System.Threading.Tasks;

        class Fixed
        {
            private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
            private TimeSpan _backoff = TimeSpan.FromMilliseconds(100);

            async Task Run(TimeSpan delay, DateTime a, DateTime b, Stopwatch watch)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                await Task.Delay(delay);
                await Task.Delay(_backoff);
                await Task.Delay(Interval - watch.Elapsed);
                await Task.Delay(a - b);
                Thread.Sleep(1000);
                var persisted = b - a;
                await Task.Delay(persisted);
                await Task.Delay(DateTime.UtcNow.AddMinutes(1).TimeOfDay);
                using var timer = new Timer(_ => { }, null, TimeSpan.Zero, b - DateTime.UtcNow);
            }
        }
        """);

    [Fact]
    public Task Locals_with_a_write_that_is_not_a_difference_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class Mixed
        {
            async Task Run(DateTime next, bool urgent, TimeSpan configured)
            {
                var delay = next - DateTime.UtcNow;
                if (urgent) delay = configured;
                await Task.Delay(delay);
            }
        }
        """);

    [Fact]
    public Task Clock_implementations_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        interface IClock { DateTime UtcNow { get; } Task DelayUntil(DateTime at); }

        class SystemClock : IClock
        {
            public DateTime UtcNow => DateTime.UtcNow;
            public Task DelayUntil(DateTime at) => Task.Delay(at - DateTime.UtcNow);
        }
        """);

    [Fact]
    public Task Generated_code_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        // <auto-generated/>
        using System;
        using System.Threading.Tasks;

        class Generated
        {
            Task Wait(DateTime at) => Task.Delay(at - DateTime.UtcNow);
        }
        """);

    [Fact]
    public Task Look_alike_delay_APIs_in_other_namespaces_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        namespace Game
        {
            static class Task
            {
                public static void Delay(TimeSpan delay) { }
            }

            class Loop
            {
                void Wait(DateTime at) => Task.Delay(at - DateTime.UtcNow);
            }
        }
        """);

    [Fact]
    public Task Nested_types_report_each_delay_once() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class Outer
        {
            Task Wait(DateTime at) => Task.Delay([|at - DateTime.UtcNow|]);

            class Inner
            {
                Task Wait(DateTime at) => Task.Delay([|at - DateTime.UtcNow|]);
            }
        }
        """);

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(string source, TestOptions options)
    {
        var document = TestWorkspace.CreateDocument(source, options);
        return await Analysis.RunAsync(document.Project, ImmutableArray.Create<DiagnosticAnalyzer>(new UnclampedWallClockDelayOnly()));
    }
}
