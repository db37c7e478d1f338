using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using DistributedReview.Partitions;
using DistributedReview.Tests.StandIns;
using DistributedReview.Tests.Verification;
using Microsoft.CodeAnalysis;
using Xunit;
using VerifyAnalyzer = DistributedReview.Tests.Verification.Verify<DistributedReview.Partitions.UnboundedRemoteWaitAnalyzer>;
using VerifyCS = DistributedReview.Tests.Verification.Verify<DistributedReview.Partitions.UnboundedRemoteWaitAnalyzer, DistributedReview.Partitions.UnboundedRemoteWaitCodeFix>;

namespace DistributedReview.Tests.Partitions;

/// <summary>DR4001: a remote call that can wait forever (infinite HttpClient timeouts, gRPC calls without a deadline).</summary>
public class DR4001Tests
{
    private static readonly TestOptions WithGrpc = new() { AdditionalSources = ImmutableArray.Create(Grpc.Source) };

    /// <summary>IHttpClientFactory registration, as in Microsoft.Extensions.Http and Microsoft.Extensions.Http.Resilience.</summary>
    private const string HttpClientFactory = """
        using System;
        using System.Net.Http;

        namespace Microsoft.Extensions.DependencyInjection
        {
            public interface IServiceCollection { }

            public interface IHttpClientBuilder
            {
                string Name { get; }
                IServiceCollection Services { get; }
            }

            public static class HttpClientFactoryServiceCollectionExtensions
            {
                public static IHttpClientBuilder AddHttpClient<TClient>(this IServiceCollection services, Action<HttpClient> configureClient)
                    where TClient : class => throw new NotImplementedException();
            }

            public static class HttpClientBuilderExtensions
            {
                public static IHttpClientBuilder ConfigureHttpClient(this IHttpClientBuilder builder, Action<HttpClient> configureClient) => builder;
            }

            public static class ResilienceHttpClientBuilderExtensions
            {
                public static IHttpClientBuilder AddStandardResilienceHandler(this IHttpClientBuilder builder) => builder;
            }
        }
        """;

    private static readonly TestOptions WithHttpClientFactory = new() { AdditionalSources = ImmutableArray.Create(HttpClientFactory) };

    // ---- HttpClient: reported, and fixed -------------------------------------------------------------

    [Fact]
    public Task Infinite_timeout_on_a_local_client_gets_the_default_timeout() => VerifyCS.FixAsync("""
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        class MembershipPuller
        {
            async Task<string> PullAsync(Uri peer)
            {
                using var client = new HttpClient();
                [|client.Timeout = Timeout.InfiniteTimeSpan|]; // membership can be large
                return await client.GetStringAsync(new Uri(peer, "membership"));
            }
        }
        """, """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        class MembershipPuller
        {
            async Task<string> PullAsync(Uri peer)
            {
                using var client = new HttpClient();
                client.Timeout = TimeSpan.FromSeconds(100); // membership can be large
                return await client.GetStringAsync(new Uri(peer, "membership"));
            }
        }
        """);

    [Fact]
    public Task Infinite_timeout_on_a_field_set_in_the_constructor_and_initializers_are_fixed() => VerifyCS.FixAsync("""
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using static System.Threading.Timeout;

        class ReplicaClient
        {
            private readonly HttpClient _http;
            private readonly HttpClient _bulk = new() { BaseAddress = new("http://replica/"), [|Timeout = InfiniteTimeSpan|] };

            public ReplicaClient(HttpMessageHandler handler)
            {
                _http = new HttpClient(handler);
                [|_http.Timeout = System.TimeSpan.MaxValue|];
            }

            public Task<string> StatusAsync() => _http.GetStringAsync("status", CancellationToken.None);

            public Task<HttpResponseMessage> CopyAsync(HttpContent content) => _bulk.PostAsync("copy", content);
        }
        """, """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using static System.Threading.Timeout;

        class ReplicaClient
        {
            private readonly HttpClient _http;
            private readonly HttpClient _bulk = new() { BaseAddress = new("http://replica/"), Timeout = TimeSpan.FromSeconds(100) };

            public ReplicaClient(HttpMessageHandler handler)
            {
                _http = new HttpClient(handler);
                _http.Timeout = TimeSpan.FromSeconds(100);
            }

            public Task<string> StatusAsync() => _http.GetStringAsync("status", CancellationToken.None);

            public Task<HttpResponseMessage> CopyAsync(HttpContent content) => _bulk.PostAsync("copy", content);
        }
        """);

    [Fact]
    public Task Infinite_value_followed_through_a_variable_and_an_auto_property_client() => VerifyCS.FixAsync("""
        using System;
        using System.Net.Http;
        using System.Threading;

        class Gossip
        {
            private static readonly TimeSpan Forever = TimeSpan.FromMilliseconds(Timeout.Infinite);

            public HttpClient Client { get; } = new HttpClient { [|Timeout = Forever|] };

            public HttpClient Create()
            {
                var noLimit = Timeout.InfiniteTimeSpan;
                var client = new HttpClient();
                [|client.Timeout = noLimit|];
                return client;
            }
        }
        """, """
        using System;
        using System.Net.Http;
        using System.Threading;

        class Gossip
        {
            private static readonly TimeSpan Forever = TimeSpan.FromMilliseconds(Timeout.Infinite);

            public HttpClient Client { get; } = new HttpClient { Timeout = TimeSpan.FromSeconds(100) };

            public HttpClient Create()
            {
                var noLimit = Timeout.InfiniteTimeSpan;
                var client = new HttpClient();
                client.Timeout = TimeSpan.FromSeconds(100);
                return client;
            }
        }
        """);

    [Fact]
    public Task Calls_with_tokens_of_unknown_origin_do_not_bound_the_client() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        class PeerApi
        {
            private readonly HttpClient _http = new HttpClient();

            public PeerApi() => [|_http.Timeout = Timeout.InfiniteTimeSpan|];

            public Task<string> StateAsync(CancellationToken cancellationToken) => _http.GetStringAsync("state", cancellationToken);
        }
        """);

    [Fact]
    public Task Client_configured_through_IHttpClientFactory_without_a_resilience_handler_is_reported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Net.Http;
        using System.Threading;
        using Microsoft.Extensions.DependencyInjection;

        class PeerApi { }

        static class Registration
        {
            public static void AddPeerApi(this IServiceCollection services) =>
                services.AddHttpClient<PeerApi>(client => [|client.Timeout = Timeout.InfiniteTimeSpan|]);
        }
        """, WithHttpClientFactory);

    [Fact]
    public Task Some_bounded_calls_do_not_excuse_the_others() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        class Mixed
        {
            async Task RunAsync()
            {
                var http = new HttpClient { [|Timeout = Timeout.InfiniteTimeSpan|] };
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await http.GetStringAsync("bounded", cts.Token);
                await http.GetStringAsync("unbounded");
            }
        }
        """);

    [Fact]
    public Task HttpClient_fix_compiles_on_NET_Framework() => VerifyCS.FixAsync("""
        using System.Net.Http;
        using System.Threading;

        class Legacy
        {
            public HttpClient Create() => new HttpClient { [|Timeout = Timeout.InfiniteTimeSpan|] };
        }
        """, """
        using System;
        using System.Net.Http;
        using System.Threading;

        class Legacy
        {
            public HttpClient Create() => new HttpClient { Timeout = TimeSpan.FromSeconds(100) };
        }
        """, new TestOptions { Target = TargetFramework.Net472 });

    // ---- HttpClient: left alone -------------------------------------------------------------------------

    [Fact]
    public Task Clients_whose_calls_pass_a_token_with_a_timeout_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        class Streaming
        {
            private readonly HttpClient _http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            private readonly HttpClient _linked = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            private readonly HttpClient _created = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            private readonly HttpClient _waited = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            private readonly CancellationTokenSource _shutdown = new CancellationTokenSource(TimeSpan.FromMinutes(10));

            public async Task<string> CancelAfterAsync(CancellationToken cancellationToken)
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                cts.CancelAfter(TimeSpan.FromSeconds(30));
                return await _http.GetStringAsync("log", cts.Token);
            }

            public async Task<string> LinkedAsync(CancellationToken cancellationToken)
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
                var token = linked.Token;
                return await _linked.GetStringAsync("snapshot", token);
            }

            public Task<string> CreatedWithTimeoutAsync() => _created.GetStringAsync("state", new CancellationTokenSource(5000).Token);

            public async Task<string> WaitedAsync() => await _waited.GetStringAsync("state").WaitAsync(TimeSpan.FromSeconds(5));
        }
        """);

    [Fact]
    public Task Finite_timeouts_and_other_infinite_settings_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Net.Http;
        using System.Threading;

        class Finite
        {
            public HttpClient Create(TimeSpan configured)
            {
                var handler = new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
                var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
                client.Timeout = configured;
                return client;
            }

            public void Wait(SemaphoreSlim gate) => gate.Wait(Timeout.InfiniteTimeSpan);
        }
        """);

    [Fact]
    public Task Every_write_to_the_timeout_variable_is_seen_however_it_is_spelled() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Net.Http;
        using System.Threading;

        class Configured
        {
            private readonly HttpClient _http = new HttpClient();
            private TimeSpan _limit = Timeout.InfiniteTimeSpan;

            // Written with an escape here, and only in the initializer above: both writes count.
            public void Load(int seconds) => _l\u0069mit = TimeSpan.FromSeconds(seconds);

            public void Apply() => _http.Timeout = _limit;
        }

        class OnlyInitialized
        {
            private readonly HttpClient _http = new HttpClient();
            private TimeSpan _limit = Timeout.InfiniteTimeSpan;

            public void Apply() => [|_http.Timeout = _limit|];
        }
        """);

    [Fact]
    public Task Clients_configured_with_a_resilience_handler_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Net.Http;
        using System.Threading;
        using Microsoft.Extensions.DependencyInjection;

        class PeerApi { }

        class StreamApi { }

        static class Registration
        {
            public static void AddApis(this IServiceCollection services)
            {
                services.AddHttpClient<PeerApi>(client => client.Timeout = Timeout.InfiniteTimeSpan)
                    .AddStandardResilienceHandler();

                services.AddHttpClient<StreamApi>(client => { })
                    .AddStandardResilienceHandler()
                    .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
            }
        }
        """, WithHttpClientFactory);

    [Fact]
    public Task Look_alike_HttpClient_in_another_namespace_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;

        namespace Fakes
        {
            class HttpClient
            {
                public TimeSpan Timeout { get; set; }
            }

            class User
            {
                void M() => new HttpClient().Timeout = System.Threading.Timeout.InfiniteTimeSpan;
            }
        }
        """);

    // ---- gRPC: reported, and fixed ------------------------------------------------------------------------

    [Fact]
    public Task Unary_calls_without_deadline_or_token_get_a_deadline() => VerifyCS.FixAsync("""
        using System.Threading.Tasks;
        using Grpc.Core;
        using Warehouse.V1;

        class Reservations
        {
            private readonly Inventory.InventoryClient _client;

            public Reservations(Inventory.InventoryClient client) => _client = client;

            public async Task<bool> ReserveAsync(string sku)
            {
                var reply = await [|_client.ReserveAsync(new ReserveRequest { Sku = sku, Quantity = 1 })|];
                return reply.Reserved;
            }

            public bool Reserve(string sku, Metadata headers) =>
                [|_client.Reserve(new ReserveRequest { Sku = sku }, headers)|].Reserved;

            public Task<ReserveReply> ReserveLaterAsync(ReserveRequest request) =>
                Task.Run(async () => await [|_client.ReserveAsync(
                    request)|]);
        }
        """, """
        using System;
        using System.Threading.Tasks;
        using Grpc.Core;
        using Warehouse.V1;

        class Reservations
        {
            private readonly Inventory.InventoryClient _client;

            public Reservations(Inventory.InventoryClient client) => _client = client;

            public async Task<bool> ReserveAsync(string sku)
            {
                var reply = await _client.ReserveAsync(new ReserveRequest { Sku = sku, Quantity = 1 }, deadline: DateTime.UtcNow.AddSeconds(30));
                return reply.Reserved;
            }

            public bool Reserve(string sku, Metadata headers) =>
                _client.Reserve(new ReserveRequest { Sku = sku }, headers, deadline: DateTime.UtcNow.AddSeconds(30)).Reserved;

            public Task<ReserveReply> ReserveLaterAsync(ReserveRequest request) =>
                Task.Run(async () => await _client.ReserveAsync(
                    request, deadline: DateTime.UtcNow.AddSeconds(30)));
        }
        """, WithGrpc);

    [Fact]
    public Task Explicit_null_deadline_and_default_token_are_replaced_or_completed() => VerifyCS.FixAsync("""
        using System;
        using System.Threading;
        using Grpc.Core;
        using Warehouse.V1;

        class Explicit
        {
            void Run(Inventory.InventoryClient client, ReserveRequest request)
            {
                [|client.Reserve(request, null, null)|];
                [|client.Reserve(request, deadline: null, cancellationToken: default)|];
                [|client.Reserve(request, cancellationToken: CancellationToken.None)|];
            }
        }
        """, """
        using System;
        using System.Threading;
        using Grpc.Core;
        using Warehouse.V1;

        class Explicit
        {
            void Run(Inventory.InventoryClient client, ReserveRequest request)
            {
                client.Reserve(request, null, DateTime.UtcNow.AddSeconds(30));
                client.Reserve(request, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: default);
                client.Reserve(request, cancellationToken: CancellationToken.None, deadline: DateTime.UtcNow.AddSeconds(30));
            }
        }
        """, WithGrpc);

    [Fact]
    public Task Call_options_without_deadline_or_token_get_WithDeadline() => VerifyCS.FixAsync("""
        using System.Threading.Tasks;
        using Grpc.Core;
        using Warehouse.V1;

        class WithOptions
        {
            private readonly Inventory.InventoryClient _client;
            private readonly Metadata _headers = new Metadata();

            public WithOptions(Inventory.InventoryClient client) => _client = client;

            public Task<ReserveReply> InlineAsync(ReserveRequest request) =>
                [|_client.ReserveAsync(request, new CallOptions(_headers))|].ResponseAsync;

            public ReserveReply Local(ReserveRequest request)
            {
                var options = new CallOptions().WithHeaders(_headers).WithWaitForReady();
                return [|_client.Reserve(request, options)|];
            }
        }
        """, """
        using System;
        using System.Threading.Tasks;
        using Grpc.Core;
        using Warehouse.V1;

        class WithOptions
        {
            private readonly Inventory.InventoryClient _client;
            private readonly Metadata _headers = new Metadata();

            public WithOptions(Inventory.InventoryClient client) => _client = client;

            public Task<ReserveReply> InlineAsync(ReserveRequest request) =>
                _client.ReserveAsync(request, new CallOptions(_headers).WithDeadline(DateTime.UtcNow.AddSeconds(30))).ResponseAsync;

            public ReserveReply Local(ReserveRequest request)
            {
                var options = new CallOptions().WithHeaders(_headers).WithWaitForReady();
                return _client.Reserve(request, options.WithDeadline(DateTime.UtcNow.AddSeconds(30)));
            }
        }
        """, WithGrpc);

    [Fact]
    public Task Default_call_options_literal_is_reported_without_a_fix() => VerifyCS.NoFixAsync("""
        using Grpc.Core;
        using Warehouse.V1;

        class DefaultOptions
        {
            ReserveReply Run(Inventory.InventoryClient client, ReserveRequest request) => [|client.Reserve(request, default)|];
        }
        """, WithGrpc);

    [Fact]
    public Task Deadline_fix_compiles_on_netstandard_and_NET_Framework()
    {
        const string before = """
            using System.Threading.Tasks;
            using Warehouse.V1;

            class Legacy
            {
                async Task<ReserveReply> RunAsync(Inventory.InventoryClient client, ReserveRequest request) => await [|client.ReserveAsync(request)|];
            }
            """;
        const string after = """
            using System;
            using System.Threading.Tasks;
            using Warehouse.V1;

            class Legacy
            {
                async Task<ReserveReply> RunAsync(Inventory.InventoryClient client, ReserveRequest request) => await client.ReserveAsync(request, deadline: DateTime.UtcNow.AddSeconds(30));
            }
            """;
        return Task.WhenAll(
            VerifyCS.FixAsync(before, after, WithGrpc with { Target = TargetFramework.NetStandard20 }),
            VerifyCS.FixAsync(before, after, WithGrpc with { Target = TargetFramework.Net472 }));
    }

    [Fact]
    public Task Fix_All_bounds_every_call_and_client_in_the_document() => VerifyCS.FixAsync("""
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using Warehouse.V1;

        class Checkout
        {
            private readonly HttpClient _payments = new HttpClient { [|Timeout = Timeout.InfiniteTimeSpan|] };
            private readonly Inventory.InventoryClient _inventory;

            public Checkout(Inventory.InventoryClient inventory) => _inventory = inventory;

            public async Task<bool> PlaceAsync(ReserveRequest first, ReserveRequest second)
            {
                var a = await [|_inventory.ReserveAsync(first)|];
                var b = await [|_inventory.ReserveAsync(second)|];
                var paid = await _payments.PostAsync("charge", null);
                return a.Reserved && b.Reserved && paid.IsSuccessStatusCode;
            }
        }
        """, """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using Warehouse.V1;

        class Checkout
        {
            private readonly HttpClient _payments = new HttpClient { Timeout = TimeSpan.FromSeconds(100) };
            private readonly Inventory.InventoryClient _inventory;

            public Checkout(Inventory.InventoryClient inventory) => _inventory = inventory;

            public async Task<bool> PlaceAsync(ReserveRequest first, ReserveRequest second)
            {
                var a = await _inventory.ReserveAsync(first, deadline: DateTime.UtcNow.AddSeconds(30));
                var b = await _inventory.ReserveAsync(second, deadline: DateTime.UtcNow.AddSeconds(30));
                var paid = await _payments.PostAsync("charge", null);
                return a.Reserved && b.Reserved && paid.IsSuccessStatusCode;
            }
        }
        """, WithGrpc);

    // ---- gRPC: left alone -------------------------------------------------------------------------------------

    [Fact]
    public Task Calls_with_a_deadline_or_a_token_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Grpc.Core;
        using Warehouse.V1;

        class Bounded
        {
            private readonly Inventory.InventoryClient _client;
            private readonly TimeSpan _timeout = TimeSpan.FromSeconds(2);

            public Bounded(Inventory.InventoryClient client) => _client = client;

            public async Task RunAsync(ReserveRequest request, CancellationToken cancellationToken, ServerCallContext context, CallOptions options)
            {
                await _client.ReserveAsync(request, deadline: DateTime.UtcNow.Add(_timeout));
                await _client.ReserveAsync(request, cancellationToken: cancellationToken);
                await _client.ReserveAsync(request, null, context.Deadline, context.CancellationToken);
                _client.Reserve(request, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(1)));
                _client.Reserve(request, new CallOptions().WithDeadline(DateTime.UtcNow.AddSeconds(1)));
                _client.Reserve(request, new CallOptions().WithCancellationToken(cancellationToken));
                _client.Reserve(request, new CallOptions(cancellationToken: cancellationToken).WithWaitForReady());
                _client.Reserve(request, options); // unknown origin
            }
        }
        """, WithGrpc);

    [Fact]
    public Task Streaming_calls_and_look_alike_clients_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using Grpc.Core;
        using Warehouse.V1;

        class NotUnary
        {
            void Watch(Inventory.InventoryClient client) => client.Watch(new WatchRequest()).Dispose();

            // Same parameter shape, but not a gRPC client.
            sealed class LocalCache
            {
                public ReserveReply Reserve(ReserveRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default) => new();
            }

            void Cached(ReserveRequest request) => new LocalCache().Reserve(request);
        }
        """, WithGrpc);

    // ---- Confidence ---------------------------------------------------------------------------------------

    [Theory]
    [InlineData("var c = new HttpClient(); c.Timeout = Timeout.InfiniteTimeSpan; await c.GetStringAsync(\"x\");", 95)]
    [InlineData("_private.Timeout = Timeout.InfiniteTimeSpan; await _private.GetStringAsync(\"x\");", 80)]
    [InlineData("_private.Timeout = Timeout.InfiniteTimeSpan; await _private.GetStringAsync(\"x\", token);", 70)]
    [InlineData("Shared.Timeout = Timeout.InfiniteTimeSpan;", 60)]
    [InlineData("var c = new HttpClient(); c.Timeout = Timeout.InfiniteTimeSpan; await c.GetStringAsync(\"x\", new CancellationTokenSource(1000).Token); await c.GetStringAsync(\"y\");", 80)]
    [InlineData("Configure(c => c.Timeout = Timeout.InfiniteTimeSpan);", 55)]
    public async Task HttpClient_confidence_follows_the_evidence(string body, int confidence)
    {
        var source = $$"""
            using System;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;

            class Evidence
            {
                private HttpClient _private = new HttpClient();
                public HttpClient Shared { get; } = new HttpClient();

                void Configure(Action<HttpClient> configure) { }

                async Task RunAsync(CancellationToken token) { {{body}} }
            }
            """;
        var diagnostic = Assert.Single(await DiagnosticsAsync(source, TestOptions.Default));

        ConfidenceAssert.Has(diagnostic, confidence);
    }

    [Theory]
    [InlineData("void Run(Inventory.InventoryClient client, ReserveRequest request) => client.Reserve(request);", 90)]
    [InlineData("void Run(Inventory.InventoryClient client, ReserveRequest request, CancellationToken token) => client.Reserve(request);", 95)]
    [InlineData("void Run(Inventory.InventoryClient client, ReserveRequest request) { var options = new CallOptions(); client.Reserve(request, options); }", 90)]
    [InlineData("private CallOptions _options = new CallOptions(); void Run(Inventory.InventoryClient client, ReserveRequest request) => client.Reserve(request, _options);", 75)]
    public async Task Grpc_confidence_follows_the_evidence(string members, int confidence)
    {
        var source = $$"""
            using System.Threading;
            using Grpc.Core;
            using Warehouse.V1;

            class Evidence
            {
                {{members}}
            }
            """;
        var diagnostic = Assert.Single(await DiagnosticsAsync(source, WithGrpc));

        ConfidenceAssert.Has(diagnostic, confidence);
    }

    [Theory]
    [InlineData(null, 2)]
    [InlineData("distributed_review.min_confidence = 90", 1)]
    [InlineData("distributed_review.min_confidence = 96", 0)]
    public async Task Min_confidence_from_editorconfig_drops_weaker_findings(string? editorConfig, int expected)
    {
        const string source = """
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;

            class Evidence
            {
                private HttpClient _http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };

                Task<string> Get() => _http.GetStringAsync("x");

                async Task<string> Local()
                {
                    var c = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
                    return await c.GetStringAsync("y");
                }
            }
            """;

        Assert.Equal(expected, (await DiagnosticsAsync(source, new TestOptions { EditorConfig = editorConfig })).Length);
    }

    [Fact]
    public async Task Diagnostic_message_and_docs_link()
    {
        var diagnostic = Assert.Single(await DiagnosticsAsync(
            "class C { void M(Warehouse.V1.Inventory.InventoryClient client) => client.Reserve(new Warehouse.V1.ReserveRequest()); }", WithGrpc));

        Assert.Equal("https://github.com/DistributedReview/DistributedReview/blob/main/docs/rules/DR4001.md", diagnostic.Descriptor.HelpLinkUri);
        Assert.Equal("DistributedReview.Partitions", diagnostic.Descriptor.Category);
        Assert.Contains("Impact=Important", diagnostic.Descriptor.CustomTags);
        Assert.Equal("'client.Reserve(new Warehouse.V1.ReserveRequest())' can wait forever for a remote peer, so a partition hangs its caller instead of failing it; give the call a deadline or a finite timeout (confidence 90%)", diagnostic.GetMessage());
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(string source, TestOptions options)
    {
        var document = TestWorkspace.CreateDocument(source, options);
        await VerifyAnalyzer.AssertCompilesAsync(document, "Test input");
        return await VerifyAnalyzer.DiagnosticsAsync(document);
    }
}
