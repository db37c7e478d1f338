using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace HeartbeatService;

/// <summary>A key's value as replicated between nodes; <c>UpdatedAt</c> was stamped by the node that wrote it.</summary>
public sealed record ReplicatedEntry(string Key, string Value, DateTime UpdatedAt);

/// <summary>
/// Anti-entropy between two replicas: every round pulls the peer's entries and merges them into the local copy.
/// Rounds are aligned to a fixed schedule so that all nodes sync at about the same moments.
/// </summary>
public sealed class ReplicaSync
{
    private static readonly TimeSpan RoundInterval = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private readonly Dictionary<string, ReplicatedEntry> _entries = new();
    private readonly Func<CancellationToken, Task<IReadOnlyList<ReplicatedEntry>>> _pullFromPeer;

    public ReplicaSync(Func<CancellationToken, Task<IReadOnlyList<ReplicatedEntry>>> pullFromPeer) => _pullFromPeer = pullFromPeer;

    /// <summary>Merges an entry received from the peer: the newer write wins.</summary>
    public void Merge(ReplicatedEntry incoming)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(incoming.Key, out var current) && incoming.UpdatedAt <= current.UpdatedAt)
            {
                return; // we already have this write or a newer one
            }

            _entries[incoming.Key] = incoming;
        }
    }

    /// <summary>Runs sync rounds until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var nextRound = DateTime.UtcNow;
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var entry in await _pullFromPeer(cancellationToken).ConfigureAwait(false))
            {
                Merge(entry);
            }

            nextRound += RoundInterval;
            await Task.Delay(nextRound - DateTime.UtcNow, cancellationToken).ConfigureAwait(false);
        }
    }
}
