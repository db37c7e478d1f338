using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace HeartbeatService;

/// <summary>Pulls a peer's membership view over HTTP, retrying while the peer is unreachable.</summary>
public sealed class PeerClient : IDisposable
{
    private const int MaxAttempts = 10;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly HttpClient _http;

    public PeerClient(Uri peer)
    {
        _http = new HttpClient { BaseAddress = peer };

        // Large clusters have large membership views: don't let a slow transfer time out.
        _http.Timeout = Timeout.InfiniteTimeSpan;
    }

    /// <summary>Failed pulls, shown next to the failure detector's suspicions.</summary>
    public int FailedPulls { get; private set; }

    public async Task<string> PullMembershipAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _http.GetStringAsync("membership", cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (attempt < MaxAttempts)
            {
                FailedPulls++;
                Console.Error.WriteLine($"Membership pull from {_http.BaseAddress} failed (attempt {attempt}): {ex.Message}");
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _http.Dispose();
}
