using System.Collections.Generic;
using System.Linq;

namespace HeartbeatService;

/// <summary>
/// Replication bookkeeping on the leader: which replicas acknowledged each log entry, and which replicas
/// currently answer heartbeats. The replica list is the configured membership, this node included.
/// </summary>
public sealed class QuorumTracker
{
    private readonly object _gate = new();
    private readonly IReadOnlyList<string> _replicas;
    private readonly HashSet<string> _reachable = new();
    private readonly Dictionary<long, HashSet<string>> _acks = new();

    public QuorumTracker(IEnumerable<string> replicas, string self)
    {
        _replicas = replicas.ToList();
        _reachable.Add(self);
    }

    /// <summary>Acknowledgements a log entry needs before it is committed.</summary>
    public int WriteQuorum => _replicas.Count / 2;

    public void OnHeartbeat(string replica)
    {
        lock (_gate)
        {
            _reachable.Add(replica);
        }
    }

    public void OnSuspected(string replica)
    {
        lock (_gate)
        {
            _reachable.Remove(replica);
        }
    }

    /// <summary>Records an acknowledgement; true exactly once, when the entry becomes committed.</summary>
    public bool OnAck(long index, string replica)
    {
        lock (_gate)
        {
            if (!_acks.TryGetValue(index, out var acks))
            {
                _acks[index] = acks = new HashSet<string>();
            }

            return acks.Add(replica) && acks.Count == WriteQuorum;
        }
    }

    /// <summary>Replies a read-repair round waits for: a majority of the replicas that answer heartbeats.</summary>
    public int ReadQuorum()
    {
        lock (_gate)
        {
            return _reachable.Count / 2 + 1;
        }
    }
}
