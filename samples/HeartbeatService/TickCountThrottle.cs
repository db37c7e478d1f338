using System;

namespace HeartbeatService;

/// <summary>
/// Limits how often this node pushes its membership view to its peers: at most one push per interval, however
/// many changes arrive in between. Peers that hear nothing for long enough consider the node's view stale.
/// </summary>
public sealed class TickCountThrottle
{
    private readonly int _intervalMs;
    private int _nextPushAt;

    public TickCountThrottle(TimeSpan interval)
    {
        _intervalMs = (int)interval.TotalMilliseconds;
        _nextPushAt = Environment.TickCount;
    }

    /// <summary>True when a push may go out now; the following one is then held back for the interval.</summary>
    public bool TryAcquire()
    {
        if (Environment.TickCount < _nextPushAt)
        {
            return false;
        }

        _nextPushAt = Environment.TickCount + _intervalMs;
        return true;
    }
}
