using System.Threading.Tasks;
using DistributedReview.Tests.Verification;
using DistributedReview.Timing;
using Xunit;
using VerifyCS = DistributedReview.Tests.Verification.Verify<DistributedReview.Timing.WallClockIntervalAnalyzer, DistributedReview.Timing.WallClockIntervalCodeFix>;
using VerifyAnalyzer = DistributedReview.Tests.Verification.Verify<DistributedReview.Timing.WallClockIntervalAnalyzer>;

namespace DistributedReview.Tests.Timing;

public class DR1001Tests
{
    private static readonly TestOptions NetStandard = new() { Target = TargetFramework.NetStandard20 };
    private static readonly TestOptions Net472 = new() { Target = TargetFramework.Net472 };

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
    public Task Private_field_heartbeat_is_reported_at_80_and_fixed_to_a_long_timestamp() => VerifyCS.FixAsync("""
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
    public Task Persisted_instants_and_cutoffs_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        class Order { public DateTime CreatedAt { get; set; } }

        class Orders
        {
            TimeSpan Age(Order order) => DateTime.UtcNow - order.CreatedAt;
            DateTime Cutoff() => DateTime.UtcNow - TimeSpan.FromDays(7);
            TimeSpan Since(DateTime start) => DateTime.UtcNow - start;
        }
        """);
}
