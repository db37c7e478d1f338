using System.Threading.Tasks;
using StackExchange.Redis;

namespace HeartbeatService;

/// <summary>
/// The cluster's shared view of suspected peers, kept in Redis: each node adds its vote when it misses a
/// peer's heartbeats, and a peer with enough votes is declared down.
/// </summary>
public sealed class SuspicionBoard
{
    private readonly IDatabase _redis;

    public SuspicionBoard(IDatabase redis) => _redis = redis;

    /// <summary>Adds this node's vote against the peer and returns the votes so far.</summary>
    public async Task<long> SuspectAsync(string peer)
    {
        var key = "suspicion:" + peer;
        // Replicas take the read load off the primary.
        var votes = (long)await _redis.StringGetAsync(key, CommandFlags.PreferReplica).ConfigureAwait(false);
        await _redis.StringSetAsync(key, votes + 1).ConfigureAwait(false);
        return votes + 1;
    }
}
