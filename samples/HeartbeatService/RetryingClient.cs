using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace HeartbeatService;

/// <summary>Sends a request to a replica, retrying transient failures with exponential backoff and jitter.</summary>
public sealed class RetryingClient
{
    private const int MaxAttempts = 5;
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan SlowAttempt = TimeSpan.FromSeconds(2);

    private readonly Func<CancellationToken, Task<string>> _send;

    public RetryingClient(Func<CancellationToken, Task<string>> send) => _send = send;

    /// <summary>Attempts slower than <see cref="SlowAttempt"/>; feeds the load balancer's health score.</summary>
    public int SlowAttempts { get; private set; }

    public async Task<string> SendAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var started = DateTime.UtcNow;
            try
            {
                return await _send(cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (attempt < MaxAttempts)
            {
                // A log line's timestamp is what the wall clock is for.
                Console.Error.WriteLine($"{DateTime.UtcNow:O} attempt {attempt} failed, retrying: {ex.Message}");
            }
            finally
            {
                if (DateTime.UtcNow - started > SlowAttempt)
                {
                    SlowAttempts++;
                }
            }

            // Full jitter, so clients don't all retry in lockstep when a partition heals.
            var ceiling = BaseDelay * Math.Pow(2, attempt - 1);
            await Task.Delay(ceiling * Random.Shared.NextDouble(), cancellationToken).ConfigureAwait(false);
        }
    }
}
