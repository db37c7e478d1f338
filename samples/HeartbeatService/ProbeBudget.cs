using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Caching.Distributed;

namespace HeartbeatService;

/// <summary>
/// Limits how often the cluster as a whole probes a suspected peer: every node shares one counter per peer
/// in the distributed cache.
/// </summary>
public sealed class ProbeBudget
{
    private const int MaxProbesPerMinute = 20;

    private static readonly DistributedCacheEntryOptions OneMinute = new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1) };

    private readonly IDistributedCache _cache;

    public ProbeBudget(IDistributedCache cache) => _cache = cache;

    /// <summary>Takes one probe from the peer's budget, or returns false when the cluster has used it up.</summary>
    public async Task<bool> TryTakeAsync(string peer, CancellationToken cancellationToken)
    {
        var key = "probes:" + peer;
        var used = int.Parse(await _cache.GetStringAsync(key, cancellationToken).ConfigureAwait(false) ?? "0", CultureInfo.InvariantCulture);
        if (used >= MaxProbesPerMinute)
        {
            return false;
        }

        await _cache.SetStringAsync(key, (used + 1).ToString(CultureInfo.InvariantCulture), OneMinute, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
