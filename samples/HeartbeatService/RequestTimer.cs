using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace HeartbeatService;

/// <summary>
/// Times calls to a replica. Slow calls count against the replica's health; the latency of the last call is shown
/// on the status page.
/// </summary>
public sealed class RequestTimer
{
    private readonly TimeSpan _slowCall;
    private int _slowCalls;
    private long _lastCallMilliseconds;

    public RequestTimer(TimeSpan slowCall) => _slowCall = slowCall;

    /// <summary>Calls slower than the threshold; the membership loop demotes a replica with too many.</summary>
    public int SlowCalls => Volatile.Read(ref _slowCalls);

    public long LastCallMilliseconds => Interlocked.Read(ref _lastCallMilliseconds);

    public async Task<T> TimeAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (TimeSpan.FromTicks(Stopwatch.GetTimestamp() - started) > _slowCall)
            {
                Interlocked.Increment(ref _slowCalls);
            }
        }
    }

    public T Time<T>(Func<T> call)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            return call();
        }
        finally
        {
            Interlocked.Exchange(ref _lastCallMilliseconds, watch.ElapsedTicks / TimeSpan.TicksPerMillisecond);
        }
    }
}
