// Stand-in, so the tests and the sample need no package: Grpc.Core.Api (real namespaces, type and member names)
// and a client shaped like the ones Grpc.Tools generates from `inventory.proto` (C# namespace Warehouse.V1):
// unary `Reserve`/`ReserveAsync` and a server-streaming `Watch`, each with the (headers, deadline,
// cancellationToken) and the `CallOptions` overloads.
#nullable enable
using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Grpc.Core
{
    public abstract class ChannelBase { }

    public abstract class CallInvoker { }

    public sealed class Metadata { }

    public sealed class ContextPropagationToken { }

    public abstract class ServerCallContext
    {
        public DateTime Deadline => DateTime.MaxValue;
        public CancellationToken CancellationToken => default;
    }

    public enum StatusCode { OK = 0, Cancelled = 1, Unavailable = 14, DeadlineExceeded = 4 }

    public class RpcException : Exception
    {
        public RpcException(StatusCode statusCode) => StatusCode = statusCode;
        public StatusCode StatusCode { get; }
    }

    public readonly struct CallOptions
    {
        public CallOptions(Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default, ContextPropagationToken? propagationToken = null)
        {
            Headers = headers;
            Deadline = deadline;
            CancellationToken = cancellationToken;
        }

        public Metadata? Headers { get; }
        public DateTime? Deadline { get; }
        public CancellationToken CancellationToken { get; }

        public CallOptions WithHeaders(Metadata headers) => new CallOptions(headers, Deadline, CancellationToken);
        public CallOptions WithDeadline(DateTime deadline) => new CallOptions(Headers, deadline, CancellationToken);
        public CallOptions WithCancellationToken(CancellationToken cancellationToken) => new CallOptions(Headers, Deadline, cancellationToken);
        public CallOptions WithWaitForReady(bool waitForReady = true) => this;
    }

    public sealed class AsyncUnaryCall<TResponse> : IDisposable
    {
        public AsyncUnaryCall(Task<TResponse> responseAsync) => ResponseAsync = responseAsync;
        public Task<TResponse> ResponseAsync { get; }
        public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();
        public void Dispose() { }
    }

    public sealed class AsyncServerStreamingCall<TResponse> : IDisposable
    {
        public void Dispose() { }
    }

    public abstract class ClientBase
    {
        protected ClientBase() { }
        protected ClientBase(ChannelBase channel) { }
        protected ClientBase(CallInvoker callInvoker) { }
    }

    public abstract class ClientBase<T> : ClientBase where T : ClientBase<T>
    {
        protected ClientBase() { }
        protected ClientBase(ChannelBase channel) : base(channel) { }
        protected ClientBase(CallInvoker callInvoker) : base(callInvoker) { }
    }
}

namespace Warehouse.V1
{
    public sealed class ReserveRequest
    {
        public string Sku { get; set; } = "";
        public int Quantity { get; set; }
    }

    public sealed class ReserveReply
    {
        public bool Reserved { get; set; }
    }

    public sealed class WatchRequest { }

    public sealed class StockUpdate { }

    public static partial class Inventory
    {
        public partial class InventoryClient : global::Grpc.Core.ClientBase<InventoryClient>
        {
            public InventoryClient(global::Grpc.Core.ChannelBase channel) : base(channel) { }
            public InventoryClient(global::Grpc.Core.CallInvoker callInvoker) : base(callInvoker) { }
            protected InventoryClient() { }

            public virtual ReserveReply Reserve(ReserveRequest request, global::Grpc.Core.Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default(CancellationToken))
                => Reserve(request, new global::Grpc.Core.CallOptions(headers, deadline, cancellationToken));
            public virtual ReserveReply Reserve(ReserveRequest request, global::Grpc.Core.CallOptions options)
                => new ReserveReply();
            public virtual global::Grpc.Core.AsyncUnaryCall<ReserveReply> ReserveAsync(ReserveRequest request, global::Grpc.Core.Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default(CancellationToken))
                => ReserveAsync(request, new global::Grpc.Core.CallOptions(headers, deadline, cancellationToken));
            public virtual global::Grpc.Core.AsyncUnaryCall<ReserveReply> ReserveAsync(ReserveRequest request, global::Grpc.Core.CallOptions options)
                => new global::Grpc.Core.AsyncUnaryCall<ReserveReply>(Task.FromResult(new ReserveReply()));
            public virtual global::Grpc.Core.AsyncServerStreamingCall<StockUpdate> Watch(WatchRequest request, global::Grpc.Core.Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default(CancellationToken))
                => Watch(request, new global::Grpc.Core.CallOptions(headers, deadline, cancellationToken));
            public virtual global::Grpc.Core.AsyncServerStreamingCall<StockUpdate> Watch(WatchRequest request, global::Grpc.Core.CallOptions options)
                => new global::Grpc.Core.AsyncServerStreamingCall<StockUpdate>();
        }
    }
}
