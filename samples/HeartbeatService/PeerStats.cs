using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;

namespace HeartbeatService;

/// <summary>
/// Per-peer counters fed by the transport threads: heartbeats received and heartbeats missed. The membership
/// loop reads them to rank peers; many threads update them at once.
/// </summary>
public sealed class PeerStats
{
    private readonly ConcurrentDictionary<string, long> _heartbeats = new();
    private readonly ConcurrentDictionary<string, int> _missed = new();

    /// <summary>Called on a transport thread for every heartbeat message.</summary>
    public void OnHeartbeat(string peer)
    {
        _heartbeats.AddOrUpdate(peer, 1, (_, old) => old + 1);
        _missed[peer] = 0; // a plain overwrite: whatever was counted, the peer is alive now
    }

    /// <summary>Called by the failure detector's timer on each silent interval. Two timers can fire at once.</summary>
    public void OnMissedHeartbeat(string peer)
    {
        _missed[peer] += 1;
    }

    public int MissedBy(string peer) => _missed.TryGetValue(peer, out var missed) ? missed : 0;

    /// <summary>Peers ordered from most to least reliable, for the routing table.</summary>
    public IReadOnlyList<string> MostReliable() =>
        _heartbeats.OrderByDescending(p => p.Value).ThenBy(p => MissedBy(p.Key)).Select(p => p.Key).ToList();
}
