using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DistributedReview.Tests.Verification;
using Xunit;
using Xunit.Abstractions;

namespace DistributedReview.Tests.Catalog;

/// <summary>Cancelling analysis (the IDE does on every keystroke) stops every analyzer promptly and cleanly.</summary>
public class CancellationTests
{
    private const int Copies = 300;

    private readonly ITestOutputHelper _output;

    public CancellationTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Cancelled_analysis_of_a_large_input_throws_OperationCanceledException_promptly()
    {
        // The pattern really is reported: one copy gives its three DR1001 findings.
        var one = await Analysis.RunAsync(TestWorkspace.CreateDocument(Source(1), TestOptions.Default).Project, Discovered.CreateAnalyzers());
        Assert.Equal(3, one.Count(d => d.Id == RuleIds.WallClockInterval));

        var document = TestWorkspace.CreateDocument(Source(Copies), TestOptions.Default);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var stopwatch = Stopwatch.StartNew();
        var exception = await Record.ExceptionAsync(() => Analysis.RunAsync(document.Project, Discovered.CreateAnalyzers(), cancellation.Token));
        stopwatch.Stop();

        _output.WriteLine($"{Copies} copies: {exception?.GetType().Name ?? "no exception"} after {stopwatch.ElapsedMilliseconds} ms.");
        Assert.True(exception is OperationCanceledException, $"Expected OperationCanceledException, got: {exception?.ToString() ?? "none (analysis finished within 50 ms; make the input larger)"}");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"Cancellation took {stopwatch.Elapsed}.");
    }

    private static string Source(int copies) =>
        "using System;\n\n" + string.Concat(Enumerable.Range(0, copies).Select(i => $$"""
            class HeartbeatMonitor{{i}}
            {
                private DateTime _lastHeartbeat = DateTime.UtcNow;
                private DateTimeOffset _leaseGrantedAt;

                public void OnHeartbeat() => _lastHeartbeat = DateTime.UtcNow;

                public void OnGranted() => _leaseGrantedAt = DateTimeOffset.UtcNow;

                public bool IsSuspected(TimeSpan timeout) => DateTime.UtcNow - _lastHeartbeat > timeout;

                public bool HoldsLease(TimeSpan duration) => DateTimeOffset.UtcNow.Subtract(_leaseGrantedAt) < duration;

                public TimeSpan Run(Action work)
                {
                    var start = DateTime.UtcNow;
                    work();
                    return DateTime.UtcNow - start;
                }
            }

            """));
}
