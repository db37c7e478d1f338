using System;

namespace HeartbeatService;

/// <summary>
/// Leadership granted by the coordinator for a fixed duration. The leader must stop acting as leader when
/// the lease runs out, whether or not its renewal got through, or two nodes will both believe they lead.
/// </summary>
public sealed class LeaderLease
{
    private readonly TimeSpan _duration;
    private DateTimeOffset _grantedAt;
    private bool _granted;

    public LeaderLease(TimeSpan duration) => _duration = duration;

    /// <summary>The coordinator granted (or renewed) the lease.</summary>
    public void OnGranted()
    {
        _grantedAt = DateTimeOffset.UtcNow;
        _granted = true;
    }

    /// <summary>The coordinator handed leadership to another node.</summary>
    public void OnRevoked() => _granted = false;

    /// <summary>Checked before every write this node accepts as leader.</summary>
    public bool IsLeader => _granted && DateTimeOffset.UtcNow - _grantedAt < _duration;
}
