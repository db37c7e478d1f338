using System;

namespace HeartbeatService;

/// <summary>Failure detector for one peer: the peer is suspected once it has been silent for too long.</summary>
public sealed class HeartbeatMonitor
{
    private readonly TimeSpan _timeout;
    private DateTime _lastHeartbeat;

    public HeartbeatMonitor(string peer, TimeSpan timeout)
    {
        Peer = peer;
        _timeout = timeout;
        _lastHeartbeat = DateTime.UtcNow; // give a new peer a full timeout before suspecting it
    }

    public string Peer { get; }

    /// <summary>Called by the transport whenever a heartbeat message from the peer arrives.</summary>
    public void OnHeartbeat() => _lastHeartbeat = DateTime.UtcNow;

    /// <summary>Polled by the membership loop; a suspected peer is removed from the routing table.</summary>
    public bool IsSuspected => DateTime.UtcNow - _lastHeartbeat > _timeout;
}
