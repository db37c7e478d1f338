using System;
using System.Diagnostics;

namespace HeartbeatService;

/// <summary>
/// Every node runs one. Followers watch the leader's heartbeats; when they stop, the node takes over as leader
/// so writes keep flowing. It never asks the other nodes, so when a partition cuts a follower off from a healthy
/// leader, the follower promotes itself too: the cluster now has two leaders accepting writes.
/// </summary>
public sealed class FailoverCoordinator
{
    private readonly string _nodeId;
    private readonly TimeSpan _leaderTimeout;
    private long _lastLeaderHeartbeat = Stopwatch.GetTimestamp();

    public FailoverCoordinator(string nodeId, TimeSpan leaderTimeout)
    {
        _nodeId = nodeId;
        _leaderTimeout = leaderTimeout;
    }

    public string? LeaderId { get; private set; }

    public bool IsLeader { get; private set; }

    /// <summary>The leader announced itself (its periodic heartbeat reached this node).</summary>
    public void OnLeaderHeartbeat(string leaderId)
    {
        LeaderId = leaderId;
        IsLeader = leaderId == _nodeId;
        _lastLeaderHeartbeat = Stopwatch.GetTimestamp();
    }

    /// <summary>Called every second by the service's timer.</summary>
    public void CheckLeader()
    {
        if (IsLeader)
        {
            return;
        }

        if (Stopwatch.GetElapsedTime(_lastLeaderHeartbeat) > _leaderTimeout)
        {
            // The leader missed its heartbeats: take over.
            LeaderId = _nodeId;
            IsLeader = true;
        }
    }
}
