using System;

namespace HeartbeatService;

/// <summary>
/// Raft-style election timer of a follower: every heartbeat from the leader pushes the deadline out; when it
/// passes without one, the follower becomes a candidate.
/// </summary>
public sealed class ElectionTimer
{
    private readonly int _baseTimeoutMs;
    private DateTime _electionDeadline;

    public ElectionTimer(int baseTimeoutMs)
    {
        _baseTimeoutMs = baseTimeoutMs;
        Reset();
    }

    /// <summary>Called on every AppendEntries from the current leader.</summary>
    public void Reset() => _electionDeadline = DateTime.UtcNow.AddMilliseconds(_baseTimeoutMs + Random.Shared.Next(_baseTimeoutMs));

    /// <summary>Polled by the node's main loop.</summary>
    public bool ShouldStartElection => DateTime.UtcNow >= _electionDeadline;
}
