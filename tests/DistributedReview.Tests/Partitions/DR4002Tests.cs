using System.Collections.Immutable;
using System.Threading.Tasks;
using DistributedReview.Tests.StandIns;
using DistributedReview.Tests.Verification;
using Microsoft.CodeAnalysis;
using Xunit;
using VerifyAnalyzer = DistributedReview.Tests.Verification.Verify<DistributedReview.Partitions.RetryWithoutBackoffAnalyzer>;
using VerifyCS = DistributedReview.Tests.Verification.Verify<DistributedReview.Partitions.RetryWithoutBackoffAnalyzer, DistributedReview.Partitions.RetryWithoutBackoffCodeFix>;

namespace DistributedReview.Tests.Partitions;

/// <summary>DR4002: retry without backoff or jitter.</summary>
public class DR4002Tests
{
    private static readonly TestOptions WithGrpc = new() { AdditionalSources = ImmutableArray.Create(Grpc.Source) };

    /// <summary>Polly v7 and v8 (Polly, Polly.Core) and Microsoft.Extensions.Resilience, as far as these tests use them.</summary>
    private const string Resilience = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Polly
        {
            public sealed class ResiliencePipeline
            {
                public static readonly ResiliencePipeline Empty = new ResiliencePipeline();

                public ValueTask<TResult> ExecuteAsync<TResult>(Func<CancellationToken, ValueTask<TResult>> callback, CancellationToken cancellationToken = default) =>
                    callback(cancellationToken);
            }

            public abstract class AsyncPolicy
            {
                public Task<TResult> ExecuteAsync<TResult>(Func<Task<TResult>> action) => action();
            }
        }

        namespace Polly.CircuitBreaker
        {
            public class BrokenCircuitException : Exception { }
        }

        namespace Microsoft.Extensions.Resilience
        {
            public sealed class RetryBudget
            {
                public TimeSpan NextDelay(int attempt) => TimeSpan.FromMilliseconds(100 * attempt);
            }
        }
        """;

    private static readonly TestOptions WithResilience = new() { AdditionalSources = ImmutableArray.Create(Resilience) };

    // ---- Reported, and fixed ---------------------------------------------------------------------------

    [Fact]
    public Task Constant_delay_in_a_counted_for_loop_backs_off_on_the_counter() => VerifyCS.FixAsync("""
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        class MembershipClient
        {
            private readonly HttpClient _http = new HttpClient();

            public async Task<string> FetchAsync(string url, CancellationToken cancellationToken)
            {
                [|for|] (var attempt = 0; attempt < 5; attempt++)
                {
                    try
                    {
                        return await _http.GetStringAsync(url, cancellationToken);
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    }
                }

                throw new TimeoutException("The peer did not answer.");
            }
        }
        """, """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        class MembershipClient
        {
            private readonly HttpClient _http = new HttpClient();

            public async Task<string> FetchAsync(string url, CancellationToken cancellationToken)
            {
                for (var attempt = 0; attempt < 5; attempt++)
                {
                    try
                    {
                        return await _http.GetStringAsync(url, cancellationToken);
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(1000 * Math.Min(32, Math.Pow(2, attempt)) * (0.5 + Random.Shared.NextDouble() / 2)), cancellationToken);
                    }
                }

                throw new TimeoutException("The peer did not answer.");
            }
        }
        """);

    [Fact]
    public Task Sleep_in_an_endless_sync_loop_gets_a_new_counter() => VerifyCS.FixAsync("""
        using System.Data.Common;
        using System.Threading;

        class Outbox
        {
            public int Flush(DbCommand command)
            {
                // Retry until the database is back.
                [|while|] (true)
                {
                    try
                    {
                        return command.ExecuteNonQuery();
                    }
                    catch (DbException)
                    {
                        Thread.Sleep(500);
                    }
                }
            }
        }
        """, """
        using System;
        using System.Data.Common;
        using System.Threading;

        class Outbox
        {
            public int Flush(DbCommand command)
            {
                // Retry until the database is back.
                var attempt = 0;
                while (true)
                {
                    try
                    {
                        return command.ExecuteNonQuery();
                    }
                    catch (DbException)
                    {
                        if (attempt >= 10) throw;
                        Thread.Sleep(TimeSpan.FromMilliseconds(500 * Math.Min(32, Math.Pow(2, attempt++)) * (0.5 + Random.Shared.NextDouble() / 2)));
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Loop_without_any_delay_gets_one_in_its_own_style() => VerifyCS.FixAsync("""
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        class Gossip
        {
            private readonly HttpClient _http = new HttpClient();

            public async Task<string> PullAsync(Uri peer, CancellationToken cancellationToken)
            {
                [|while|] (true)
                {
                    try
                    {
                        return await _http.GetStringAsync(peer, cancellationToken);
                    }
                    catch (HttpRequestException ex)
                    {
                        Console.Error.WriteLine($"pull from {peer} failed: {ex.Message}");
                    }
                }
            }

            public string PullNow(Uri peer)
            {
                [|while|] (true)
                {
                    try { return _http.GetStringAsync(peer).GetAwaiter().GetResult(); }
                    catch (HttpRequestException) { }
                }
            }
        }
        """, """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        class Gossip
        {
            private readonly HttpClient _http = new HttpClient();

            public async Task<string> PullAsync(Uri peer, CancellationToken cancellationToken)
            {
                var attempt = 0;
                while (true)
                {
                    try
                    {
                        return await _http.GetStringAsync(peer, cancellationToken);
                    }
                    catch (HttpRequestException ex)
                    {
                        Console.Error.WriteLine($"pull from {peer} failed: {ex.Message}");
                        if (attempt >= 10) throw;
                        await Task.Delay(TimeSpan.FromMilliseconds(100 * Math.Min(32, Math.Pow(2, attempt++)) * (0.5 + Random.Shared.NextDouble() / 2)), cancellationToken);
                    }
                }
            }

            public string PullNow(Uri peer)
            {
                var attempt = 0;
                while (true)
                {
                    try { return _http.GetStringAsync(peer).GetAwaiter().GetResult(); }
                    catch (HttpRequestException) { if (attempt >= 10) throw; Thread.Sleep(TimeSpan.FromMilliseconds(100 * Math.Min(32, Math.Pow(2, attempt++)) * (0.5 + Random.Shared.NextDouble() / 2))); }
                }
            }
        }
        """);

    [Fact]
    public Task Counter_in_a_catch_filter_and_a_delay_field_are_used() => VerifyCS.FixAsync("""
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        class Replicator
        {
            private const int MaxAttempts = 5;
            private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);
            private readonly HttpClient _http;

            public Replicator(HttpClient http) => _http = http;

            public async Task ReplicateAsync(HttpContent entry, CancellationToken cancellationToken)
            {
                var attempt = 0;
                [|while|] (true)
                {
                    try
                    {
                        using var response = await _http.PostAsync("append", entry, cancellationToken);
                        response.EnsureSuccessStatusCode();
                        return;
                    }
                    catch (HttpRequestException) when (++attempt < MaxAttempts)
                    {
                        await Task.Delay(RetryDelay, cancellationToken);
                    }
                }
            }
        }
        """, """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        class Replicator
        {
            private const int MaxAttempts = 5;
            private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);
            private readonly HttpClient _http;

            public Replicator(HttpClient http) => _http = http;

            public async Task ReplicateAsync(HttpContent entry, CancellationToken cancellationToken)
            {
                var attempt = 0;
                while (true)
                {
                    try
                    {
                        using var response = await _http.PostAsync("append", entry, cancellationToken);
                        response.EnsureSuccessStatusCode();
                        return;
                    }
                    catch (HttpRequestException) when (++attempt < MaxAttempts)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(RetryDelay.TotalMilliseconds * Math.Min(32, Math.Pow(2, attempt)) * (0.5 + Random.Shared.NextDouble() / 2)), cancellationToken);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Do_loop_until_connected_with_a_millisecond_delay() => VerifyCS.FixAsync("""
        using System.Net.Sockets;
        using System.Threading.Tasks;

        class PeerLink
        {
            private const int ReconnectDelayMs = 1000;

            public async Task<TcpClient> ConnectAsync(string host, int port)
            {
                var tcp = new TcpClient();
                var connected = false;
                [|do|]
                {
                    try
                    {
                        await tcp.ConnectAsync(host, port);
                        connected = true;
                    }
                    catch (SocketException)
                    {
                        await Task.Delay(ReconnectDelayMs);
                    }
                }
                while (!connected);

                return tcp;
            }
        }
        """, """
        using System;
        using System.Net.Sockets;
        using System.Threading.Tasks;

        class PeerLink
        {
            private const int ReconnectDelayMs = 1000;

            public async Task<TcpClient> ConnectAsync(string host, int port)
            {
                var tcp = new TcpClient();
                var connected = false;
                var attempt = 0;
                do
                {
                    try
                    {
                        await tcp.ConnectAsync(host, port);
                        connected = true;
                    }
                    catch (SocketException)
                    {
                        if (attempt >= 10) throw;
                        await Task.Delay(TimeSpan.FromMilliseconds(ReconnectDelayMs * Math.Min(32, Math.Pow(2, attempt++)) * (0.5 + Random.Shared.NextDouble() / 2)));
                    }
                }
                while (!connected);

                return tcp;
            }
        }
        """);

    [Fact]
    public Task Continue_from_the_catch_and_break_after_the_try_is_a_retry() => VerifyCS.FixAsync("""
        using System;
        using System.IO;
        using System.Net.Sockets;
        using System.Threading;

        class Heartbeat
        {
            public void Send(TcpClient peer, byte[] beat)
            {
                Stream stream = peer.GetStream();
                [|for|] (var tries = 1; ; tries++)
                {
                    try
                    {
                        stream.Write(beat, 0, beat.Length);
                    }
                    catch (IOException)
                    {
                        Thread.Sleep(TimeSpan.FromMilliseconds(200));
                        continue;
                    }

                    break;
                }
            }
        }
        """, """
        using System;
        using System.IO;
        using System.Net.Sockets;
        using System.Threading;

        class Heartbeat
        {
            public void Send(TcpClient peer, byte[] beat)
            {
                Stream stream = peer.GetStream();
                for (var tries = 1; ; tries++)
                {
                    try
                    {
                        stream.Write(beat, 0, beat.Length);
                    }
                    catch (IOException)
                    {
                        Thread.Sleep(TimeSpan.FromMilliseconds(200 * Math.Min(32, Math.Pow(2, tries)) * (0.5 + Random.Shared.NextDouble() / 2)));
                        continue;
                    }

                    break;
                }
            }
        }
        """);

    [Fact]
    public Task Grpc_retry_in_an_async_lambda() => VerifyCS.FixAsync("""
        using System;
        using System.Threading.Tasks;
        using Grpc.Core;
        using Warehouse.V1;

        class Reservations
        {
            public Func<ReserveRequest, Task<ReserveReply>> Reserver(Inventory.InventoryClient client) => async request =>
            {
                [|while|] (true)
                {
                    try
                    {
                        return await client.ReserveAsync(request, deadline: DateTime.UtcNow.AddSeconds(2));
                    }
                    catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(300));
                    }
                }
            };
        }
        """, """
        using System;
        using System.Threading.Tasks;
        using Grpc.Core;
        using Warehouse.V1;

        class Reservations
        {
            public Func<ReserveRequest, Task<ReserveReply>> Reserver(Inventory.InventoryClient client) => async request =>
            {
                var attempt = 0;
                while (true)
                {
                    try
                    {
                        return await client.ReserveAsync(request, deadline: DateTime.UtcNow.AddSeconds(2));
                    }
                    catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
                    {
                        if (attempt >= 10) throw;
                        await Task.Delay(TimeSpan.FromMilliseconds(300 * Math.Min(32, Math.Pow(2, attempt++)) * (0.5 + Random.Shared.NextDouble() / 2)));
                    }
                }
            };
        }
        """, WithGrpc);

    [Fact]
    public Task Service_clients_recognised_by_name_are_reported() => VerifyCS.FixAsync("""
        using System;
        using System.Threading.Tasks;

        public interface IPaymentService
        {
            Task<bool> ChargeAsync(Guid orderId);
        }

        class Checkout
        {
            private readonly IPaymentService _payments;

            public Checkout(IPaymentService payments) => _payments = payments;

            public async Task<bool> ChargeAsync(Guid orderId)
            {
                [|for|] (int i = 0; i < 3; i++)
                {
                    try
                    {
                        return await _payments.ChargeAsync(orderId);
                    }
                    catch (TimeoutException)
                    {
                        await Task.Delay(2000);
                    }
                }

                return false;
            }
        }
        """, """
        using System;
        using System.Threading.Tasks;

        public interface IPaymentService
        {
            Task<bool> ChargeAsync(Guid orderId);
        }

        class Checkout
        {
            private readonly IPaymentService _payments;

            public Checkout(IPaymentService payments) => _payments = payments;

            public async Task<bool> ChargeAsync(Guid orderId)
            {
                for (int i = 0; i < 3; i++)
                {
                    try
                    {
                        return await _payments.ChargeAsync(orderId);
                    }
                    catch (TimeoutException)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(2000 * Math.Min(32, Math.Pow(2, i)) * (0.5 + Random.Shared.NextDouble() / 2)));
                    }
                }

                return false;
            }
        }
        """);

    [Fact]
    public Task Fix_All_rewrites_every_loop_of_the_document() => VerifyCS.FixAsync("""
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        class Peers
        {
            private readonly HttpClient _http = new HttpClient();

            public async Task<string> StateAsync(CancellationToken cancellationToken)
            {
                [|while|] (true)
                {
                    try { return await _http.GetStringAsync("state", cancellationToken); }
                    catch (HttpRequestException) { await Task.Delay(1000, cancellationToken); }
                }
            }

            public async Task<string> ViewAsync()
            {
                [|for|] (var attempt = 0; ; attempt++)
                {
                    try { return await _http.GetStringAsync("view"); }
                    catch (HttpRequestException) { await Task.Delay(TimeSpan.FromSeconds(2)); }
                }
            }

            public async Task<string> LogAsync(CancellationToken cancellationToken)
            {
                [|while|] (true)
                {
                    try { return await _http.GetStringAsync("log", cancellationToken); }
                    catch (HttpRequestException)
                    {
                    }
                }
            }
        }
        """, """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        class Peers
        {
            private readonly HttpClient _http = new HttpClient();

            public async Task<string> StateAsync(CancellationToken cancellationToken)
            {
                var attempt = 0;
                while (true)
                {
                    try { return await _http.GetStringAsync("state", cancellationToken); }
                    catch (HttpRequestException) { if (attempt >= 10) throw; await Task.Delay(TimeSpan.FromMilliseconds(1000 * Math.Min(32, Math.Pow(2, attempt++)) * (0.5 + Random.Shared.NextDouble() / 2)), cancellationToken); }
                }
            }

            public async Task<string> ViewAsync()
            {
                for (var attempt = 0; ; attempt++)
                {
                    try { return await _http.GetStringAsync("view"); }
                    catch (HttpRequestException) { await Task.Delay(TimeSpan.FromMilliseconds(2000 * Math.Min(32, Math.Pow(2, attempt)) * (0.5 + Random.Shared.NextDouble() / 2))); }
                }
            }

            public async Task<string> LogAsync(CancellationToken cancellationToken)
            {
                var attempt = 0;
                while (true)
                {
                    try { return await _http.GetStringAsync("log", cancellationToken); }
                    catch (HttpRequestException)
                    {
                        if (attempt >= 10) throw;
                        await Task.Delay(TimeSpan.FromMilliseconds(100 * Math.Min(32, Math.Pow(2, attempt++)) * (0.5 + Random.Shared.NextDouble() / 2)), cancellationToken);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Delay_from_an_options_object_and_a_delay_added_before_continue() => VerifyCS.FixAsync("""
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        public sealed class SyncOptions
        {
            public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
        }

        class Sync
        {
            private readonly HttpClient _http = new HttpClient();
            private readonly SyncOptions _options;

            public Sync(SyncOptions options) => _options = options;

            public async Task<string> PullAsync(CancellationToken cancellationToken)
            {
                [|while|] (true)
                {
                    try { return await _http.GetStringAsync("pull", cancellationToken); }
                    catch (HttpRequestException) { await Task.Delay(_options.RetryDelay, cancellationToken); }
                }
            }

            public async Task<string> PushAsync(HttpContent content)
            {
                string result;
                [|for|] (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        result = await (await _http.PostAsync("push", content)).Content.ReadAsStringAsync();
                    }
                    catch (HttpRequestException ex)
                    {
                        Console.Error.WriteLine(ex.Message);
                        continue;
                    }

                    return result;
                }

                return "";
            }
        }
        """, """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        public sealed class SyncOptions
        {
            public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
        }

        class Sync
        {
            private readonly HttpClient _http = new HttpClient();
            private readonly SyncOptions _options;

            public Sync(SyncOptions options) => _options = options;

            public async Task<string> PullAsync(CancellationToken cancellationToken)
            {
                var attempt = 0;
                while (true)
                {
                    try { return await _http.GetStringAsync("pull", cancellationToken); }
                    catch (HttpRequestException) { if (attempt >= 10) throw; await Task.Delay(TimeSpan.FromMilliseconds(_options.RetryDelay.TotalMilliseconds * Math.Min(32, Math.Pow(2, attempt++)) * (0.5 + Random.Shared.NextDouble() / 2)), cancellationToken); }
                }
            }

            public async Task<string> PushAsync(HttpContent content)
            {
                string result;
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        result = await (await _http.PostAsync("push", content)).Content.ReadAsStringAsync();
                    }
                    catch (HttpRequestException ex)
                    {
                        Console.Error.WriteLine(ex.Message);
                        await Task.Delay(TimeSpan.FromMilliseconds(100 * Math.Min(32, Math.Pow(2, attempt)) * (0.5 + Random.Shared.NextDouble() / 2)));
                        continue;
                    }

                    return result;
                }

                return "";
            }
        }
        """);

    [Fact]
    public Task Loop_until_a_result_arrives_is_a_retry() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;
        using Grpc.Core;
        using Warehouse.V1;

        class Until
        {
            async Task<ReserveReply> ReserveAsync(Inventory.InventoryClient client, ReserveRequest request, CancellationToken cancellationToken)
            {
                ReserveReply? reply = null;
                [|while|] (reply is null)
                {
                    try { reply = await client.ReserveAsync(request, cancellationToken: cancellationToken); }
                    catch (RpcException) { await Task.Delay(250, cancellationToken); }
                }

                return reply;
            }
        }
        """, WithGrpc);

    [Fact]
    public Task A_loop_with_two_tries_and_the_loop_around_it_are_each_judged_once() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Net.Http;
        using System.Threading.Tasks;

        class Twice
        {
            private readonly HttpClient _http = new HttpClient();

            public async Task<string> FetchAsync(string url, string fallback)
            {
                [|while|] (true)
                {
                    try { return await _http.GetStringAsync(url); }
                    catch (HttpRequestException) { await Task.Delay(500); }

                    try { return await _http.GetStringAsync(fallback); }
                    catch (HttpRequestException) { await Task.Delay(500); }
                }
            }

            public async Task SyncAllAsync(string[] urls)
            {
                for (var i = 0; i < urls.Length; i++)
                {
                    [|while|] (true)
                    {
                        try { await _http.GetStringAsync(urls[i]); break; }
                        catch (HttpRequestException) { await Task.Delay(500); }
                    }
                }
            }
        }
        """);

    [Theory]
    [InlineData(TargetFramework.NetStandard20)]
    [InlineData(TargetFramework.Net472)]
    public Task Without_Random_Shared_each_delay_seeds_its_own_Random(TargetFramework target) => VerifyCS.FixAsync("""
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;

        class Legacy
        {
            private readonly HttpClient _http = new HttpClient();

            public async Task<string> FetchAsync(string url)
            {
                [|while|] (true)
                {
                    try { return await _http.GetStringAsync(url); }
                    catch (HttpRequestException) { await Task.Delay(TimeSpan.FromSeconds(1)); }
                }
            }
        }
        """, """
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;

        class Legacy
        {
            private readonly HttpClient _http = new HttpClient();

            public async Task<string> FetchAsync(string url)
            {
                var attempt = 0;
                while (true)
                {
                    try { return await _http.GetStringAsync(url); }
                    catch (HttpRequestException) { if (attempt >= 10) throw; await Task.Delay(TimeSpan.FromMilliseconds(1000 * Math.Min(32, Math.Pow(2, attempt++)) * (0.5 + new Random(Guid.NewGuid().GetHashCode()).NextDouble() / 2))); }
                }
            }
        }
        """, new TestOptions { Target = target });

    // ---- Reported, no fix ----------------------------------------------------------------------------------

    [Fact]
    public Task No_fix_when_a_new_counter_cannot_be_capped_inside_the_catch() => VerifyCS.NoFixAsync("""
        using System.Net.Http;
        using System.Threading;

        class DelayAfterTheTry
        {
            public string Fetch(HttpClient http)
            {
                [|while|] (true)
                {
                    try { return http.GetStringAsync("x").Result; }
                    catch (HttpRequestException) { }

                    Thread.Sleep(100);
                }
            }
        }
        """);

    [Fact]
    public Task No_fix_when_a_new_counter_would_be_counted_in_two_places() => VerifyCS.NoFixAsync("""
        using System;
        using System.Net.Http;
        using System.Threading;

        class TwoDelays
        {
            public string Fetch(HttpClient http)
            {
                [|while|] (true)
                {
                    try { return http.GetStringAsync("x").Result; }
                    catch (HttpRequestException) { Thread.Sleep(100); }
                    catch (AggregateException) { Thread.Sleep(100); }
                }
            }
        }
        """);

    [Fact]
    public Task No_fix_that_would_await_inside_a_lock() => VerifyCS.NoFixAsync("""
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;

        class Locked
        {
            private readonly object _gate = new object();
            private readonly HttpClient _http = new HttpClient();

            public async Task<string> FetchAsync()
            {
                await Task.Yield();
                lock (_gate)
                {
                    [|while|] (true)
                    {
                        try { return _http.GetStringAsync("x").Result; }
                        catch (AggregateException) { }
                    }
                }
            }
        }
        """);

    // ---- Left alone -------------------------------------------------------------------------------------------

    [Fact]
    public Task Growing_and_jittered_delays_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Net.Http;
        using System.Security.Cryptography;
        using System.Threading;
        using System.Threading.Tasks;

        class Backoffs
        {
            private readonly HttpClient _http = new HttpClient();
            private readonly Random _random = new Random();

            async Task<string> Doubling()
            {
                var delay = TimeSpan.FromMilliseconds(100);
                while (true)
                {
                    try { return await _http.GetStringAsync("a"); }
                    catch (HttpRequestException) { await Task.Delay(delay); delay *= 2; }
                }
            }

            async Task<string> Power()
            {
                for (var attempt = 0; ; attempt++)
                {
                    try { return await _http.GetStringAsync("b"); }
                    catch (HttpRequestException) { await Task.Delay(TimeSpan.FromMilliseconds(100 * Math.Pow(2, attempt))); }
                }
            }

            async Task<string> Shift()
            {
                for (var attempt = 0; ; attempt++)
                {
                    try { return await _http.GetStringAsync("c"); }
                    catch (HttpRequestException) { await Task.Delay(100 << attempt); }
                }
            }

            async Task<string> SharedJitter()
            {
                while (true)
                {
                    try { return await _http.GetStringAsync("d"); }
                    catch (HttpRequestException) { await Task.Delay(1000 + Random.Shared.Next(500)); }
                }
            }

            async Task<string> FieldJitter()
            {
                while (true)
                {
                    try { return await _http.GetStringAsync("e"); }
                    catch (HttpRequestException)
                    {
                        var jitter = _random.Next(250);
                        await Task.Delay(1000 + jitter);
                    }
                }
            }

            async Task<string> CryptoJitter()
            {
                while (true)
                {
                    try { return await _http.GetStringAsync("f"); }
                    catch (HttpRequestException) { await Task.Delay(RandomNumberGenerator.GetInt32(500, 1500)); }
                }
            }

            async Task<string> JitterHelper()
            {
                while (true)
                {
                    try { return await _http.GetStringAsync("g"); }
                    catch (HttpRequestException) { await Task.Delay(WithJitter(TimeSpan.FromSeconds(1))); }
                }
            }

            async Task<string> BackoffHelper()
            {
                for (var attempt = 0; ; attempt++)
                {
                    try { return await _http.GetStringAsync("h"); }
                    catch (HttpRequestException) { await BackoffAsync(attempt); }
                }
            }

            static TimeSpan WithJitter(TimeSpan delay) => delay;

            static Task BackoffAsync(int attempt) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task Resilience_libraries_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.Resilience;
        using Polly;
        using Polly.CircuitBreaker;

        class Resilient
        {
            private readonly HttpClient _http = new HttpClient();
            private readonly ResiliencePipeline _pipeline = ResiliencePipeline.Empty;
            private readonly AsyncPolicy _policy;
            private readonly RetryBudget _budget = new RetryBudget();

            public Resilient(AsyncPolicy policy) => _policy = policy;

            async Task<string> Pipeline(CancellationToken cancellationToken)
            {
                while (true)
                {
                    try { return await _pipeline.ExecuteAsync(async token => await _http.GetStringAsync("a", token), cancellationToken); }
                    catch (BrokenCircuitException) { await Task.Delay(1000, cancellationToken); }
                }
            }

            async Task<string> Policy()
            {
                while (true)
                {
                    try { return await _policy.ExecuteAsync(() => _http.GetStringAsync("b")); }
                    catch (BrokenCircuitException) { await Task.Delay(1000); }
                }
            }

            async Task<string> Budget()
            {
                for (var attempt = 0; ; attempt++)
                {
                    try { return await _http.GetStringAsync("c"); }
                    catch (HttpRequestException) { await Task.Delay(_budget.NextDelay(attempt)); }
                }
            }
        }
        """, WithResilience);

    [Fact]
    public Task Loops_that_do_not_retry_a_failed_call_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.IO;
        using System.Net.Http;
        using System.Net.Sockets;
        using System.Threading;
        using System.Threading.Tasks;

        class NotRetries
        {
            private readonly HttpClient _http = new HttpClient();
            private readonly Func<CancellationToken, Task<string>> _send = _ => Task.FromResult("");

            // No catch: a status-code poll.
            async Task WaitReady()
            {
                while (!(await _http.GetAsync("ready")).IsSuccessStatusCode)
                {
                    await Task.Delay(1000);
                }
            }

            // Work items: each iteration sends another item, success goes on to the next.
            async Task SendAll(IEnumerable<string> items, ConcurrentQueue<string> queue, string[] urls)
            {
                foreach (var item in items)
                {
                    try { await _http.PostAsync(item, null); }
                    catch (HttpRequestException) { Console.Error.WriteLine("skipped " + item); }
                }

                while (queue.TryDequeue(out var next))
                {
                    try { await _http.PostAsync(next, null); }
                    catch (HttpRequestException) { await Task.Delay(100); }
                }

                for (var i = 0; i < urls.Length; i++)
                {
                    try { await _http.GetStringAsync(urls[i]); }
                    catch (HttpRequestException) { }
                }
            }

            // Fail-over across replicas: a different endpoint each time, not the same call again.
            async Task<string> FirstAnswer(Uri[] replicas)
            {
                for (var i = 0; i < replicas.Length; i++)
                {
                    try { return await _http.GetStringAsync(replicas[i]); }
                    catch (HttpRequestException) { }
                }

                throw new InvalidOperationException("No replica answered.");
            }

            // A periodic poll: success stays in the loop too.
            async Task Poll(CancellationToken cancellationToken)
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    try { await _http.GetStringAsync("events", cancellationToken); }
                    catch (HttpRequestException ex) { Console.Error.WriteLine(ex.Message); }
                    await Task.Delay(5000, cancellationToken);
                }
            }

            // A read loop: leaving on end of stream is not a retry's success.
            async Task Pump(NetworkStream stream, byte[] buffer)
            {
                while (true)
                {
                    try
                    {
                        var read = await stream.ReadAsync(buffer, 0, buffer.Length);
                        if (read == 0)
                        {
                            break;
                        }
                    }
                    catch (IOException) { await Task.Delay(100); }
                }
            }

            // A receive loop whose flag comes from the data, not from a successful attempt.
            async Task Receive(NetworkStream stream, byte[] buffer)
            {
                var open = true;
                while (open)
                {
                    try { open = await stream.ReadAsync(buffer, 0, buffer.Length) > 0; }
                    catch (IOException) { await Task.Delay(100); }
                }
            }

            // The catch gives up: no retry.
            async Task<string> GiveUp()
            {
                while (true)
                {
                    try { return await _http.GetStringAsync("x"); }
                    catch (HttpRequestException) { await Task.Delay(100); throw; }
                }
            }

            // Not a remote call: a delegate and a local file.
            async Task<string> Local(string path)
            {
                while (true)
                {
                    try { return await _send(CancellationToken.None); }
                    catch (IOException) { await Task.Delay(100); }
                }
            }

            string ReadFile(string path)
            {
                while (true)
                {
                    try { return File.ReadAllText(path); }
                    catch (IOException) { Thread.Sleep(100); }
                }
            }
        }
        """);

    [Fact]
    public Task Delays_that_may_change_between_attempts_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        interface IBackoff
        {
            TimeSpan Next { get; }
        }

        class Unknown
        {
            private readonly HttpClient _http = new HttpClient();
            private readonly IBackoff _backoff;
            private TimeSpan _delay = TimeSpan.FromMilliseconds(100);

            public Unknown(IBackoff backoff) => _backoff = backoff;

            void OnFailure() => _delay = _delay + _delay;

            async Task<string> Property()
            {
                while (true)
                {
                    try { return await _http.GetStringAsync("a"); }
                    catch (HttpRequestException) { await Task.Delay(_backoff.Next); }
                }
            }

            async Task<string> GrownElsewhere()
            {
                while (true)
                {
                    try { return await _http.GetStringAsync("b"); }
                    catch (HttpRequestException) { OnFailure(); await Task.Delay(_delay); }
                }
            }

            async Task<string> Computed()
            {
                while (true)
                {
                    try { return await _http.GetStringAsync("c"); }
                    catch (HttpRequestException) { await Task.Delay(ComputeDelay()); }
                }
            }

            static TimeSpan ComputeDelay() => TimeSpan.FromSeconds(1);
        }
        """);

    // ---- Confidence -----------------------------------------------------------------------------------------

    [Theory]
    [InlineData("_http.GetStringAsync(\"x\")", "await Task.Delay(1000);", 85)]
    [InlineData("_http.GetStringAsync(\"x\")", "", 90)]
    [InlineData("_http.GetStringAsync(\"x\")", "await Task.Delay(_delay);", 80)]
    [InlineData("_http.GetStringAsync(\"x\")", "await Task.Delay(delay);", 80)]
    [InlineData("_orders.GetAsync()", "await Task.Delay(TimeSpan.FromSeconds(1));", 70)]
    [InlineData("_orders.GetAsync()", "", 75)]
    public async Task Confidence_follows_the_evidence(string call, string delay, int confidence)
    {
        var source = $$"""
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;

            interface IOrderClient { Task<string> GetAsync(); }

            class Evidence
            {
                private readonly HttpClient _http = new HttpClient();
                private readonly IOrderClient _orders = null!;
                private readonly TimeSpan _delay = TimeSpan.FromSeconds(1);

                async Task<string> RunAsync(TimeSpan delay)
                {
                    while (true)
                    {
                        try { return await {{call}}; }
                        catch (Exception) { {{delay}} }
                    }
                }
            }
            """;
        var diagnostic = Assert.Single(await DiagnosticsAsync(source, TestOptions.Default));

        ConfidenceAssert.Has(diagnostic, confidence);
    }

    [Theory]
    [InlineData(null, 2)]
    [InlineData("distributed_review.min_confidence = 80", 1)]
    [InlineData("distributed_review.min_confidence = 86", 0)]
    public async Task Min_confidence_from_editorconfig_drops_weaker_findings(string? editorConfig, int expected)
    {
        const string source = """
            using System.Net.Http;
            using System.Threading.Tasks;

            interface IOrderService { Task PlaceAsync(); }

            class Evidence
            {
                async Task Known(HttpClient http)
                {
                    while (true)
                    {
                        try { await http.GetStringAsync("x"); return; }
                        catch (HttpRequestException) { await Task.Delay(100); }
                    }
                }

                async Task ByName(IOrderService orders)
                {
                    while (true)
                    {
                        try { await orders.PlaceAsync(); break; }
                        catch (HttpRequestException) { await Task.Delay(100); }
                    }
                }
            }
            """;

        Assert.Equal(expected, (await DiagnosticsAsync(source, new TestOptions { EditorConfig = editorConfig })).Length);
    }

    [Fact]
    public async Task The_call_named_is_in_the_first_retried_try_as_written_not_in_a_lambda()
    {
        var diagnostic = Assert.Single(await DiagnosticsAsync("""
            using System;
            using System.Net.Http;

            class C
            {
                string M(HttpClient http)
                {
                    while (true)
                    {
                        Func<string> later = () =>
                        {
                            try { return http.GetStringAsync("lambda").Result; }
                            catch (AggregateException) { }
                            return "";
                        };
                        try { return http.GetStringAsync("first").Result; }
                        catch (AggregateException) { System.Threading.Thread.Sleep(1000); }
                        try { return http.GetStringAsync("second").Result; }
                        catch (AggregateException) { System.Threading.Thread.Sleep(1000); }
                    }
                }
            }
            """, TestOptions.Default));

        Assert.StartsWith("This loop retries 'http.GetStringAsync(\"first\")'", diagnostic.GetMessage());
    }

    [Fact]
    public async Task Diagnostic_message_and_docs_link()
    {
        var diagnostic = Assert.Single(await DiagnosticsAsync("""
            class C
            {
                string M(System.Net.Http.HttpClient http)
                {
                    while (true)
                    {
                        try { return http.GetStringAsync("x").Result; }
                        catch (System.AggregateException) { System.Threading.Thread.Sleep(1000); }
                    }
                }
            }
            """, TestOptions.Default));

        Assert.Equal("https://github.com/DistributedReview/DistributedReview/blob/main/docs/rules/DR4002.md", diagnostic.Descriptor.HelpLinkUri);
        Assert.Equal("DistributedReview.Partitions", diagnostic.Descriptor.Category);
        Assert.Contains("Impact=Important", diagnostic.Descriptor.CustomTags);
        Assert.Equal("This loop retries 'http.GetStringAsync(\"x\")' with no growing delay and no jitter, so after a partition heals every client retries in lockstep and overloads the service; back off exponentially with jitter and cap the attempts (confidence 85%)", diagnostic.GetMessage());
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(string source, TestOptions options)
    {
        var document = TestWorkspace.CreateDocument(source, options);
        await VerifyAnalyzer.AssertCompilesAsync(document, "Test input");
        return await VerifyAnalyzer.DiagnosticsAsync(document);
    }
}
