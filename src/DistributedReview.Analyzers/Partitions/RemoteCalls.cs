using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview.Partitions
{
    /// <summary>How a call was recognised as crossing the network.</summary>
    internal enum RemoteCallKind
    {
        None,

        /// <summary>A method of a known client API (HttpClient, gRPC, Redis, ADO.NET, sockets), or of a stream read from a socket.</summary>
        KnownApi,

        /// <summary>Only by name: an <c>*Async</c> method of a type named <c>*Client</c>, <c>*Connection</c>, <c>*Database</c>, <c>*Channel</c>, <c>*Service</c> or <c>*Proxy</c>.</summary>
        ByName,
    }

    /// <summary>
    /// Recognises calls that cross the network, by the metadata names of the client APIs that make them, looked up
    /// once per compilation: <c>HttpClient</c> (any <c>HttpMessageInvoker</c>) and <c>HttpContent</c>, gRPC clients
    /// (<c>Grpc.Core.ClientBase</c>, <c>CallInvoker</c>), StackExchange.Redis (<c>IDatabaseAsync</c>, <c>IServer</c>,
    /// <c>ISubscriber</c>, <c>IConnectionMultiplexer</c>), ADO.NET (<c>DbConnection</c>, <c>DbCommand</c>,
    /// <c>DbDataReader</c>, <c>IDbConnection</c>, <c>IDbCommand</c>, and extension methods on them such as Dapper's),
    /// sockets (<c>Socket</c>, <c>TcpClient</c>, <c>UdpClient</c>, <c>NetworkStream</c>, <c>WebSocket</c>) and a
    /// <c>Stream</c> variable every write of which is a <c>TcpClient.GetStream()</c> or a <c>new NetworkStream(...)</c>.
    /// Other libraries are recognised by name only (<see cref="RemoteCallKind.ByName"/>): instance and extension
    /// methods, outside the System, Microsoft.Extensions and Microsoft.AspNetCore namespaces, never the analysed
    /// type's own methods.
    /// </summary>
    internal sealed class RemoteCalls
    {
        private static readonly string[] KnownTypeNames =
        {
            "System.Net.Http.HttpMessageInvoker",
            "System.Net.Http.HttpContent",
            "Grpc.Core.ClientBase",
            "Grpc.Core.CallInvoker",
            "StackExchange.Redis.IDatabaseAsync",
            "StackExchange.Redis.IServer",
            "StackExchange.Redis.ISubscriber",
            "StackExchange.Redis.IConnectionMultiplexer",
            "System.Data.Common.DbConnection",
            "System.Data.Common.DbCommand",
            "System.Data.Common.DbDataReader",
            "System.Data.IDbConnection",
            "System.Data.IDbCommand",
            "System.Net.Sockets.Socket",
            "System.Net.Sockets.TcpClient",
            "System.Net.Sockets.UdpClient",
            "System.Net.Sockets.NetworkStream",
            "System.Net.WebSockets.WebSocket",
        };

        private static readonly string[] RemoteTypeSuffixes = { "Client", "Connection", "Database", "Channel", "Service", "Proxy" };

        private static readonly string[] InProcessNamespaces = { "System", "Microsoft.Extensions", "Microsoft.AspNetCore" };

        private static readonly string[] NotCalls = { "Dispose", "DisposeAsync", "ToString", "Equals", "GetHashCode", "GetType", "CreateCommand", "CreateParameter", "GetStream" };

        private readonly ImmutableArray<INamedTypeSymbol> _knownTypes;
        private readonly INamedTypeSymbol? _stream;
        private readonly INamedTypeSymbol? _networkStream;
        private readonly INamedTypeSymbol? _tcpClient;

        private RemoteCalls(ImmutableArray<INamedTypeSymbol> knownTypes, INamedTypeSymbol? stream, INamedTypeSymbol? networkStream, INamedTypeSymbol? tcpClient)
        {
            _knownTypes = knownTypes;
            _stream = stream;
            _networkStream = networkStream;
            _tcpClient = tcpClient;
        }

        public static RemoteCalls Create(Compilation compilation) => new(
            KnownTypeNames.Select(compilation.GetTypeByMetadataName).Where(t => t is not null).Select(t => t!).ToImmutableArray(),
            compilation.GetTypeByMetadataName("System.IO.Stream"),
            compilation.GetTypeByMetadataName("System.Net.Sockets.NetworkStream"),
            compilation.GetTypeByMetadataName("System.Net.Sockets.TcpClient"));

        /// <summary>True when the variable type should be logged so that <see cref="Classify"/> can follow streams.</summary>
        public bool IsStreamType(ITypeSymbol type) => _stream is not null && DerivesFrom(type, _stream);

        /// <summary>
        /// How <paramref name="invocation"/> was recognised as a remote call, if at all. <paramref name="writes"/>
        /// (optional) follows Stream variables to a socket; <paramref name="analysedType"/> is the type being analysed,
        /// whose own methods are never remote by name.
        /// </summary>
        public RemoteCallKind Classify(IInvocationOperation invocation, WriteLog? writes, INamedTypeSymbol? analysedType)
        {
            var method = invocation.TargetMethod;
            if (method is null || Array.IndexOf(NotCalls, method.Name) >= 0)
            {
                return RemoteCallKind.None;
            }

            var receiver = method.IsExtensionMethod && invocation.Arguments.Length > 0
                ? ClockSymbols.WalkDownImplicitConversions(invocation.Arguments[0].Value)
                : ClockSymbols.WalkDownImplicitConversions(invocation.Instance);
            var receiverType = receiver?.Type ?? (method.IsExtensionMethod && method.Parameters.Length > 0 ? method.Parameters[0].Type : method.ContainingType);

            if (IsKnown(receiverType) || (!method.IsExtensionMethod && IsKnown(method.ContainingType)) || HoldsNetworkStream(receiver, writes))
            {
                return RemoteCallKind.KnownApi;
            }

            return IsRemoteByName(method, receiverType, receiver, analysedType) ? RemoteCallKind.ByName : RemoteCallKind.None;
        }

        private bool IsKnown(ITypeSymbol? type) => type is not null && _knownTypes.Any(known => DerivesFrom(type, known));

        private bool HoldsNetworkStream(IOperation? receiver, WriteLog? writes)
        {
            if (_networkStream is null || writes is null || receiver?.Type is not { } type || !IsStreamType(type) || writes.TrackedSymbol(receiver) is not { } variable)
            {
                return false;
            }

            var values = writes.WritesTo(variable);
            return !values.IsEmpty && values.All(IsNetworkStreamSource);
        }

        private bool IsNetworkStreamSource(IOperation? value) => ClockSymbols.WalkDownImplicitConversions(value) switch
        {
            IObjectCreationOperation creation => creation.Type is { } created && DerivesFrom(created, _networkStream!),
            IInvocationOperation { TargetMethod.Name: "GetStream", Instance.Type: { } owner } => _tcpClient is not null && DerivesFrom(owner, _tcpClient),
            _ => false,
        };

        private static bool IsRemoteByName(IMethodSymbol method, ITypeSymbol? receiverType, IOperation? receiver, INamedTypeSymbol? analysedType)
        {
            if (!method.Name.EndsWith("Async", StringComparison.Ordinal) || receiverType is null
                || (method.IsStatic && !method.IsExtensionMethod)
                || receiver is IInstanceReferenceOperation
                || SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, analysedType))
            {
                return false;
            }

            var name = receiverType.Name;
            return RemoteTypeSuffixes.Any(suffix => name.EndsWith(suffix, StringComparison.Ordinal))
                && !NamespaceNames.IsWithin(receiverType.ContainingNamespace, InProcessNamespaces);
        }

        /// <summary>The type itself, one of its base types or one of its interfaces is <paramref name="baseType"/>.</summary>
        public static bool DerivesFrom(ITypeSymbol type, INamedTypeSymbol baseType)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
                {
                    return true;
                }
            }

            // A class is never among the interfaces, and AllInterfaces is costly to compute for each new constructed type.
            return baseType.TypeKind == TypeKind.Interface && type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, baseType));
        }
    }
}
