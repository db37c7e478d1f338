using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using DistributedReview.Partitions;
using DistributedReview.Tests.Catalog;
using DistributedReview.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using VerifyAnalyzer = DistributedReview.Tests.Verification.Verify<DistributedReview.Partitions.SwallowedNetworkFailureAnalyzer>;

namespace DistributedReview.Tests.Partitions;

/// <summary>DR4003: a swallowed network failure.</summary>
public class DR4003Tests
{
    // The gRPC and StackExchange.Redis types the rule knows, with their real namespaces and names.
    // To move into StandIns/Grpc.cs and StandIns/StackExchangeRedis.cs once those exist.
    private const string GrpcStandIn = """
        using System;
        using System.Runtime.CompilerServices;
        using System.Threading.Tasks;

        namespace Grpc.Core
        {
            public enum StatusCode { OK = 0, Cancelled = 1, Unknown = 2, DeadlineExceeded = 4, NotFound = 5, Unavailable = 14 }

            public readonly struct Status
            {
                public Status(StatusCode statusCode, string detail) { StatusCode = statusCode; Detail = detail; }
                public StatusCode StatusCode { get; }
                public string Detail { get; }
            }

            public class RpcException : Exception
            {
                public RpcException(Status status) : base(status.Detail) => Status = status;
                public Status Status { get; }
                public StatusCode StatusCode => Status.StatusCode;
            }

            public sealed class AsyncUnaryCall<TResponse> : IDisposable
            {
                public AsyncUnaryCall(Task<TResponse> responseAsync) => ResponseAsync = responseAsync;
                public Task<TResponse> ResponseAsync { get; }
                public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();
                public void Dispose() { }
            }

            public abstract class ClientBase { }

            public abstract class ClientBase<T> : ClientBase where T : ClientBase<T> { }
        }
        """;

    private const string RedisStandIn = """
        using System;
        using System.Threading.Tasks;

        namespace StackExchange.Redis
        {
            public enum CommandFlags { None = 0 }

            public readonly struct RedisKey
            {
                private readonly string _key;
                private RedisKey(string key) => _key = key;
                public static implicit operator RedisKey(string key) => new(key);
            }

            public readonly struct RedisValue
            {
                private readonly string? _value;
                private RedisValue(string? value) => _value = value;
                public static implicit operator RedisValue(string? value) => new(value);
                public static implicit operator string?(RedisValue value) => value._value;
            }

            public interface IDatabaseAsync
            {
                Task<RedisValue> StringGetAsync(RedisKey key, CommandFlags flags = CommandFlags.None);
                Task<bool> StringSetAsync(RedisKey key, RedisValue value, TimeSpan? expiry = null, CommandFlags flags = CommandFlags.None);
            }

            public interface IDatabase : IDatabaseAsync
            {
                RedisValue StringGet(RedisKey key, CommandFlags flags = CommandFlags.None);
                bool StringSet(RedisKey key, RedisValue value, TimeSpan? expiry = null, CommandFlags flags = CommandFlags.None);
            }

            public interface IConnectionMultiplexer
            {
                IDatabase GetDatabase(int db = -1, object? asyncState = null);
            }

            public class RedisException : Exception
            {
                public RedisException(string message) : base(message) { }
            }

            public sealed class RedisConnectionException : RedisException
            {
                public RedisConnectionException(string message) : base(message) { }
            }

            public sealed class RedisTimeoutException : TimeoutException
            {
                public RedisTimeoutException(string message) : base(message) { }
            }
        }
        """;

    private const string InventoryClient = """
        using System.Threading;
        using System.Threading.Tasks;
        using Grpc.Core;

        namespace Inventory
        {
            public sealed class ReserveRequest { public string Sku { get; set; } = ""; }
            public sealed class ReserveReply { public bool Reserved { get; set; } }

            // What Grpc.Tools generates: a ClientBase<T> subclass with a sync and an async method per RPC.
            public class InventoryClient : ClientBase<InventoryClient>
            {
                public virtual ReserveReply Reserve(ReserveRequest request, CancellationToken cancellationToken = default) => new();
                public virtual AsyncUnaryCall<ReserveReply> ReserveAsync(ReserveRequest request, CancellationToken cancellationToken = default) => new(Task.FromResult(new ReserveReply()));
            }
        }
        """;

    private static readonly TestOptions WithLibraries = new() { AdditionalSources = ImmutableArray.Create(GrpcStandIn, RedisStandIn, InventoryClient) };

    // ---- Reported ---------------------------------------------------------------------------------------

    [Fact]
    public Task Empty_catches_of_HttpRequestException_are_reported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        class MembershipGossip
        {
            private readonly HttpClient _http;
            private readonly IReadOnlyList<string> _peers;

            public MembershipGossip(HttpClient http, IReadOnlyList<string> peers) { _http = http; _peers = peers; }

            public async Task PushAsync(string snapshot, CancellationToken cancellationToken)
            {
                foreach (var peer in _peers)
                {
                    try
                    {
                        await _http.PostAsync(peer + "/gossip", new StringContent(snapshot), cancellationToken);
                    }
                    [|catch (HttpRequestException)|]
                    {
                    }
                }
            }

            public async Task<string?> FetchAsync(string peer)
            {
                string? body = null;
                try { body = await _http.GetStringAsync(peer); } [|catch (HttpRequestException ex)|] { }
                return body;
            }
        }
        """);

    [Fact]
    public Task Handlers_with_only_continue_break_return_or_a_comment_are_reported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Net.Http;
        using System.Net.Sockets;
        using System.Threading.Tasks;

        class Replicator
        {
            private readonly HttpClient _http = new();

            public async Task ReplicateAsync(IEnumerable<string> replicas, string entry)
            {
                foreach (var replica in replicas)
                {
                    try { await _http.PutAsync(replica, new StringContent(entry)); }
                    [|catch (HttpRequestException)|] { continue; }
                }
            }

            public async Task PingUntilFirstFailureAsync(IEnumerable<string> replicas)
            {
                foreach (var replica in replicas)
                {
                    try { await _http.GetAsync(replica + "/ping"); }
                    [|catch (HttpRequestException)|] { break; }
                }
            }

            public void Connect(Socket socket, string host)
            {
                try
                {
                    socket.Connect(host, 7000);
                }
                [|catch (SocketException)|]
                {
                    // the peer is probably down, nothing to do
                    return;
                }
            }
        }
        """);

    [Fact]
    public Task Every_network_exception_type_is_recognised() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Net;
        using System.Net.Http;
        using System.Net.Sockets;
        using System.Net.WebSockets;
        using System.Threading.Tasks;
        using Grpc.Core;
        using Inventory;
        using StackExchange.Redis;

        class Everything
        {
            private readonly IDatabase _redis;
            private readonly InventoryClient _inventory;

            public Everything(IDatabase redis, InventoryClient inventory) { _redis = redis; _inventory = inventory; }

            async Task Run(NetworkStream stream, ClientWebSocket socket, byte[] buffer)
            {
                try { await _inventory.ReserveAsync(new ReserveRequest { Sku = "A-1" }); } [|catch (RpcException)|] { }
                try { await _redis.StringSetAsync("leader", "node-1"); } [|catch (RedisConnectionException)|] { }
                try { _redis.StringGet("leader"); } [|catch (RedisTimeoutException)|] { }
                try { _redis.StringGet("leader"); } [|catch (TimeoutException)|] { }
                try { await stream.ReadAsync(buffer, 0, buffer.Length); } [|catch (IOException)|] { }
                try { await socket.ConnectAsync(new Uri("wss://peer"), default); } [|catch (WebSocketException)|] { }
                try { Dns.GetHostAddresses("peer"); } [|catch (SocketException)|] { }
            }
        }
        """, WithLibraries);

    [Fact]
    public Task Catch_alls_around_remote_calls_are_reported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;
        using Inventory;
        using StackExchange.Redis;

        class Invalidator
        {
            private readonly IConnectionMultiplexer _redis;
            private readonly HttpClient _http;
            private readonly InventoryClient _inventory;

            public Invalidator(IConnectionMultiplexer redis, HttpClient http, InventoryClient inventory) { _redis = redis; _http = http; _inventory = inventory; }

            public async Task InvalidateAsync(string key)
            {
                try { await _redis.GetDatabase().StringSetAsync(key, (string?)null); } [|catch|] { }
                try { await _http.DeleteAsync("/cache/" + key); } [|catch (Exception)|] { }
                try { _inventory.Reserve(new ReserveRequest()); } [|catch (Exception ex)|] { }
                try { await _redis.GetDatabase().StringGetAsync(key); } [|catch (RedisException)|] { }
            }
        }
        """, WithLibraries);

    [Fact]
    public Task Filters_that_only_exclude_cancellation_or_narrow_to_network_failures_are_reported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Net.Http;
        using System.Net.Sockets;
        using System.Threading.Tasks;

        class Filters
        {
            async Task Run(HttpClient http)
            {
                try { await http.GetAsync("/a"); } [|catch (Exception ex) when (ex is not OperationCanceledException)|] { }
                try { await http.GetAsync("/b"); } [|catch (Exception ex) when (!(ex is TaskCanceledException))|] { }
                try { await http.GetAsync("/c"); } [|catch (Exception ex) when (ex is HttpRequestException or SocketException)|] { }
                try { await http.GetAsync("/d"); } [|catch (Exception ex) when (ex is not (OperationCanceledException or TaskCanceledException))|] { }
            }
        }
        """);

    [Fact]
    public Task Lambdas_local_functions_and_aliases_are_covered() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;
        using Grpc.Core;
        using Inventory;
        using Http = System.Net.Http;

        class Background
        {
            public Task Start(InventoryClient client, Http.HttpClient http) => Task.Run(async () =>
            {
                try { await client.ReserveAsync(new ReserveRequest()); }
                [|catch (RpcException)|] { }

                await Notify();

                async Task Notify()
                {
                    try { await http.PostAsync("/done", null); }
                    [|catch (Http.HttpRequestException)|] { }
                }
            });
        }
        """, WithLibraries);

    [Fact]
    public Task Own_clients_recognised_by_name_are_reported_for_catch_alls() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        interface IOrdersClient { Task PlaceAsync(string order); }
        class BillingProxy { public Task ChargeAsync(string order) => Task.CompletedTask; }

        class Checkout
        {
            private readonly IOrdersClient _orders;
            private readonly BillingProxy _billing = new();

            public Checkout(IOrdersClient orders) => _orders = orders;

            public async Task CompleteAsync(string order)
            {
                try { await _orders.PlaceAsync(order); } [|catch (Exception)|] { }
                try { await _billing.ChargeAsync(order); } [|catch|] { }
            }
        }
        """);

    // ---- Confidence ------------------------------------------------------------------------------------

    [Theory]
    [InlineData("try { await http.GetAsync(\"/\"); } catch (HttpRequestException) { }", 90)]
    [InlineData("try { await Other(); } catch (HttpRequestException) { }", 85)]
    [InlineData("try { await http.GetAsync(\"/\"); } catch (HttpRequestException) { /* best effort */ }", 85)]
    [InlineData("try { await http.GetAsync(\"/\"); } catch (TimeoutException) { }", 80)]
    [InlineData("try { await client.FetchAsync(); } catch (TimeoutException) { }", 70)]
    [InlineData("try { await Other(); } catch (TimeoutException) { }", 60)]
    [InlineData("try { await http.GetAsync(\"/\"); } catch (Exception) { }", 80)]
    [InlineData("try { await client.FetchAsync(); } catch (Exception) { }", 60)]
    [InlineData("for (var i = 0; i < 3; i++) { try { await http.GetAsync(\"/\"); return; } catch (HttpRequestException) { } }", 70)]
    [InlineData("try { await Other(); } finally { try { await http.GetAsync(\"/\"); } catch (HttpRequestException) { } }", 75)]
    public async Task Confidence_follows_the_evidence(string body, int confidence)
    {
        var source = $$"""
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;

            interface IPeerClient { Task FetchAsync(); }

            class Evidence
            {
                async Task RunAsync(HttpClient http, IPeerClient client) { {{body}} }
                static Task Other() => Task.CompletedTask;
            }
            """;
        var diagnostic = Assert.Single(await DiagnosticsAsync(source, TestOptions.Default));

        ConfidenceAssert.Has(diagnostic, confidence);
    }

    [Fact]
    public async Task Clean_up_members_lower_the_confidence()
    {
        const string source = """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;

            sealed class Registration : IAsyncDisposable
            {
                private readonly HttpClient _http = new();

                public async ValueTask DisposeAsync()
                {
                    try { await _http.DeleteAsync("/members/me"); } catch (HttpRequestException) { }
                }
            }
            """;
        var diagnostic = Assert.Single(await DiagnosticsAsync(source, TestOptions.Default));

        Assert.Equal("75", diagnostic.Properties["Confidence"]);
    }

    [Theory]
    [InlineData(null, 2)]
    [InlineData("distributed_review.min_confidence = 80", 1)]
    [InlineData("distributed_review.min_confidence = 91", 0)]
    public async Task Min_confidence_from_editorconfig_drops_weaker_findings(string? editorConfig, int expected)
    {
        const string source = """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;

            interface IPeerClient { Task FetchAsync(); }

            class Evidence
            {
                async Task RunAsync(HttpClient http, IPeerClient client)
                {
                    try { await http.GetAsync("/"); } catch (HttpRequestException) { }
                    try { await client.FetchAsync(); } catch (Exception) { }
                }
            }
            """;

        Assert.Equal(expected, (await DiagnosticsAsync(source, new TestOptions { EditorConfig = editorConfig })).Length);
    }

    [Fact]
    public async Task Diagnostic_message_and_docs_link()
    {
        var diagnostic = Assert.Single(await DiagnosticsAsync(
            "class C { async System.Threading.Tasks.Task M(System.Net.Http.HttpClient http) { try { await http.GetAsync(\"/\"); } catch (System.Net.Http.HttpRequestException ex) { } } }", TestOptions.Default));

        Assert.Equal("https://github.com/DistributedReview/DistributedReview/blob/main/docs/rules/DR4003.md", diagnostic.Descriptor.HelpLinkUri);
        Assert.Equal("DistributedReview.Partitions", diagnostic.Descriptor.Category);
        Assert.Contains("Impact=Important", diagnostic.Descriptor.CustomTags);
        Assert.Equal("'catch (System.Net.Http.HttpRequestException ex)' swallows a network failure, so partitions never reach logs, metrics or callers; log it, count it, or let it propagate (confidence 90%)", diagnostic.GetMessage());
    }

    [Fact]
    public void No_code_fix_is_offered()
    {
        Assert.DoesNotContain(Discovered.CreateCodeFixes(), fix => fix.FixableDiagnosticIds.Contains(RuleIds.SwallowedNetworkFailure));
    }

    // ---- Left alone ------------------------------------------------------------------------------------

    [Fact]
    public Task Catches_that_log_rethrow_count_or_return_a_failure_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Diagnostics;
        using System.Diagnostics.Metrics;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        interface ILog { void Warn(Exception exception, string message); }

        class Handled
        {
            private static readonly Meter Meter = new("Cluster");
            private readonly Counter<long> _failures = Meter.CreateCounter<long>("peer.failures");
            private readonly HttpClient _http = new();
            private readonly ILog _log;
            private int _failed;
            private Exception? _lastError;

            public Handled(ILog log) => _log = log;

            async Task Logs()
            {
                try { await _http.GetAsync("/a"); } catch (HttpRequestException ex) { _log.Warn(ex, "peer down"); }
                try { await _http.GetAsync("/b"); } catch (HttpRequestException ex) { Console.Error.WriteLine(ex); }
                try { await _http.GetAsync("/c"); } catch (HttpRequestException ex) { Trace.TraceWarning(ex.Message); }
                try { await _http.GetAsync("/d"); } catch (HttpRequestException ex) { Debug.WriteLine(ex); }
            }

            async Task Rethrows()
            {
                try { await _http.GetAsync("/a"); } catch (HttpRequestException) { throw; }
                try { await _http.GetAsync("/b"); } catch (Exception ex) { throw new InvalidOperationException("peer down", ex); }
            }

            async Task Counts()
            {
                try { await _http.GetAsync("/a"); } catch (HttpRequestException) { _failed++; }
                try { await _http.GetAsync("/b"); } catch (HttpRequestException) { Interlocked.Increment(ref _failed); }
                try { await _http.GetAsync("/c"); } catch (HttpRequestException) { _failures.Add(1); }
            }

            async Task<bool> ReturnsFalse()
            {
                try { await _http.GetAsync("/a"); return true; } catch (HttpRequestException) { return false; }
            }

            async Task<string?> ReturnsNull()
            {
                try { return await _http.GetStringAsync("/a"); } catch (HttpRequestException) { return null; }
            }

            async Task<string?> ReturnsDefault()
            {
                try { return await _http.GetStringAsync("/a"); } catch (Exception) { return default; }
            }

            async Task RemembersTheError()
            {
                try { await _http.GetAsync("/a"); } catch (HttpRequestException ex) { _lastError = ex; }
            }

            bool TryFetch(out string? body)
            {
                body = null;
                try { body = _http.GetStringAsync("/a").Result; return true; } catch (HttpRequestException) { body = null; return false; }
            }

            void Completes(TaskCompletionSource<string> reply)
            {
                try { reply.SetResult(_http.GetStringAsync("/a").Result); } catch (HttpRequestException ex) { reply.TrySetException(ex); }
            }
        }
        """);

    [Fact]
    public Task Cancellation_catches_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        class Poller
        {
            async Task RunAsync(HttpClient http, CancellationToken cancellationToken)
            {
                try { await http.GetAsync("/poll", cancellationToken); } catch (OperationCanceledException) { }
                try { await http.GetAsync("/poll", cancellationToken); } catch (TaskCanceledException) { return; }
                try { await Task.Delay(1000, cancellationToken); } catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { }
            }
        }
        """);

    [Fact]
    public Task Catch_alls_without_a_remote_call_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Net.Http;
        using System.Text.RegularExpressions;
        using System.Threading.Tasks;

        class Local
        {
            void Run(string path, string text)
            {
                try { File.Delete(path); } catch (Exception) { }
                try { File.Delete(path); } catch (IOException) { }
                try { int.Parse(text); } catch { }
                try { Regex.Match(text, "a+b", RegexOptions.None, TimeSpan.FromSeconds(1)); } catch (RegexMatchTimeoutException) { }
            }

            void Schedules(HttpClient http)
            {
                // The lambda runs later, on another thread: its failures do not reach this catch.
                try { _ = Task.Run(() => http.GetAsync("/later")); } catch (Exception) { }
            }

            async Task NotNetworkTypes(HttpClient http)
            {
                try { await http.GetAsync("/a"); } catch (InvalidOperationException) { }
                try { await http.GetAsync("/b"); } catch (ArgumentException) { }
            }
        }
        """);

    [Fact]
    public Task Filtered_catches_that_choose_what_to_ignore_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Net;
        using System.Net.Http;
        using System.Net.Sockets;
        using System.Threading.Tasks;

        class Chosen
        {
            private volatile bool _stopping;

            static bool Log(Exception exception) { Console.Error.WriteLine(exception); return true; }

            async Task Run(HttpClient http, Socket listener)
            {
                try { await http.GetAsync("/a"); } catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.NotFound) { }
                try { await listener.AcceptAsync(); } catch (SocketException) when (_stopping) { }
                try { await http.GetAsync("/b"); } catch (HttpRequestException ex) when (Log(ex)) { }
                try { await http.GetAsync("/c"); } catch (Exception ex) when (ex is InvalidOperationException) { }
                for (var attempt = 1; ; attempt++)
                {
                    try { await http.GetAsync("/d"); break; } catch (HttpRequestException) when (attempt < 3) { }
                }
            }
        }
        """);

    [Fact]
    public Task Catch_all_after_a_handled_network_catch_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;

        class Layered
        {
            async Task Run(HttpClient http)
            {
                try { await http.GetAsync("/a"); }
                catch (HttpRequestException ex) { Console.Error.WriteLine(ex.Message); }
                catch (Exception) { }
            }
        }
        """);

    [Fact]
    public Task IOException_around_files_and_plain_streams_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class Files
        {
            async Task Run(Stream stream, byte[] buffer)
            {
                try { await stream.ReadAsync(buffer, 0, buffer.Length); } catch (IOException) { }
                try { await File.WriteAllTextAsync("state.json", "{}"); } catch (IOException) { }
            }
        }
        """);

    [Fact]
    public Task Generated_code_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        // <auto-generated/>
        using System.Net.Http;
        using System.Threading.Tasks;

        class Generated
        {
            async Task Run(HttpClient http)
            {
                try { await http.GetAsync("/"); } catch (HttpRequestException) { }
            }
        }
        """);

    [Fact]
    public Task Older_frameworks_are_covered() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Net;
        using System.Net.Http;
        using System.Threading.Tasks;

        class Legacy
        {
            async Task Run(HttpClient http, WebClient web)
            {
                try { await http.GetAsync("/"); } [|catch (HttpRequestException)|] { }
                try { web.DownloadString("http://peer/"); } [|catch (WebException)|] { }
                try { web.DownloadString("http://peer/"); } [|catch (Exception)|] { }
            }
        }
        """, new TestOptions { Target = TargetFramework.Net472 });

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(string source, TestOptions options)
    {
        var document = TestWorkspace.CreateDocument(source, options);
        return await Analysis.RunAsync(document.Project, ImmutableArray.Create<DiagnosticAnalyzer>(new SwallowedNetworkFailureAnalyzer()));
    }
}
