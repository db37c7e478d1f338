using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview.Partitions
{
    /// <summary>How sure a recogniser is that a call crosses the network.</summary>
    internal enum RemoteCallEvidence
    {
        /// <summary>Nothing seen.</summary>
        None = 0,

        /// <summary>Only the names say so: an <c>*Async</c> method on a type named <c>*Client</c>, <c>*Connection</c>, ...</summary>
        Name = 1,

        /// <summary>A known network API, recognised by its metadata name.</summary>
        Symbol = 2,
    }

    /// <summary>
    /// Recognises calls that cross the network: HTTP, sockets, gRPC clients, Redis, database commands and the like
    /// (by the metadata names of their types, looked up once per compilation), and, as weaker evidence, <c>*Async</c>
    /// methods on types whose names end in Client, Connection, Database, Channel or Proxy (the user's own clients).
    /// </summary>
    internal sealed class NetworkCalls
    {
        /// <summary>Calls on these types (or types derived from them) talk to another machine.</summary>
        private static readonly string[] RemoteTypeNames =
        {
            "System.Net.Http.HttpMessageInvoker",
            "System.Net.Http.HttpContent",
            "System.Net.Sockets.Socket",
            "System.Net.Sockets.TcpClient",
            "System.Net.Sockets.UdpClient",
            "System.Net.Sockets.NetworkStream",
            "System.Net.Security.SslStream",
            "System.Net.WebSockets.WebSocket",
            "System.Net.Dns",
            "System.Net.NetworkInformation.Ping",
            "System.Net.WebRequest",
            "System.Net.WebClient",
            "System.Net.Mail.SmtpClient",
            "System.Data.Common.DbConnection",
            "System.Data.Common.DbCommand",
            "System.Data.Common.DbDataReader",
            "System.Data.IDbConnection",
            "System.Data.IDbCommand",
            "Grpc.Core.ClientBase",
            "Grpc.Core.CallInvoker",
            "Grpc.Net.Client.GrpcChannel",
            "StackExchange.Redis.IDatabaseAsync",
            "StackExchange.Redis.IServer",
            "StackExchange.Redis.ISubscriber",
            "StackExchange.Redis.IConnectionMultiplexer",
            "StackExchange.Redis.ConnectionMultiplexer",
            "Microsoft.Extensions.Caching.Distributed.IDistributedCache",
        };

        /// <summary>Streams and sockets whose IOException is a network failure.</summary>
        private static readonly string[] NetworkStreamTypeNames =
        {
            "System.Net.Sockets.Socket",
            "System.Net.Sockets.TcpClient",
            "System.Net.Sockets.UdpClient",
            "System.Net.Sockets.NetworkStream",
            "System.Net.Security.SslStream",
            "System.Net.WebSockets.WebSocket",
        };

        private static readonly string[] RemoteTypeNameSuffixes = { "Client", "Connection", "Database", "Channel", "Proxy" };

        /// <summary>In-process types that happen to be named like clients or channels.</summary>
        private static readonly string[] InProcessNamespaces = { "System.Threading.Channels", "System.IO.Pipelines", "System.IO.Pipes" };

        private readonly ImmutableArray<INamedTypeSymbol> _remoteTypes;
        private readonly ImmutableArray<INamedTypeSymbol> _networkStreamTypes;

        private NetworkCalls(ImmutableArray<INamedTypeSymbol> remoteTypes, ImmutableArray<INamedTypeSymbol> networkStreamTypes)
        {
            _remoteTypes = remoteTypes;
            _networkStreamTypes = networkStreamTypes;
        }

        public static NetworkCalls Create(Compilation compilation) =>
            new(Lookup(compilation, RemoteTypeNames), Lookup(compilation, NetworkStreamTypeNames));

        /// <summary>How sure we are that <paramref name="invocation"/> crosses the network.</summary>
        public RemoteCallEvidence Classify(IInvocationOperation invocation)
        {
            var receivers = ReceiverTypes(invocation).ToList();
            if (receivers.Any(type => _remoteTypes.Any(remote => IsOrInherits(type, remote))))
            {
                return RemoteCallEvidence.Symbol;
            }

            return invocation.TargetMethod.Name.EndsWith("Async", StringComparison.Ordinal) && receivers.Any(IsNamedLikeARemoteType)
                ? RemoteCallEvidence.Name
                : RemoteCallEvidence.None;
        }

        /// <summary>The strongest evidence of a remote call made directly in <paramref name="body"/> (not in lambdas or local functions it declares).</summary>
        public RemoteCallEvidence StrongestIn(IOperation body)
        {
            var strongest = RemoteCallEvidence.None;
            foreach (var invocation in OutsideNestedFunctions(body).OfType<IInvocationOperation>())
            {
                var evidence = Classify(invocation);
                if (evidence > strongest)
                {
                    strongest = evidence;
                }
            }

            return strongest;
        }

        /// <summary>True when <paramref name="body"/> reads, writes or connects through a socket or network stream.</summary>
        public bool HasNetworkStreamCall(IOperation body) =>
            OutsideNestedFunctions(body).OfType<IInvocationOperation>()
                .Any(invocation => ReceiverTypes(invocation).Any(type => _networkStreamTypes.Any(stream => IsOrInherits(type, stream))));

        /// <summary>
        /// <paramref name="root"/> and its descendants, without the bodies of lambdas and local functions declared in
        /// it: those run later, or elsewhere, not where they are written.
        /// </summary>
        public static IEnumerable<IOperation> OutsideNestedFunctions(IOperation root)
        {
            var pending = new Stack<IOperation>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                var operation = pending.Pop();
                yield return operation;
                foreach (var child in operation.ChildOperations)
                {
                    if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                    {
                        pending.Push(child);
                    }
                }
            }
        }

        /// <summary>True when <paramref name="type"/> is <paramref name="target"/>, derives from it or implements it.</summary>
        public static bool IsOrInherits(ITypeSymbol? type, INamedTypeSymbol target)
        {
            if (type is null)
            {
                return false;
            }

            if (target.TypeKind == TypeKind.Interface)
            {
                return SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, target)
                    || type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, target));
            }

            for (var current = type; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, target))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The types a call is made on: the method's own type, the instance's type, an extension method's receiver.</summary>
        private static IEnumerable<ITypeSymbol> ReceiverTypes(IInvocationOperation invocation)
        {
            if (invocation.TargetMethod.ContainingType is { } containing)
            {
                yield return containing;
            }

            if (invocation.Instance?.Type is { } instanceType)
            {
                yield return instanceType;
            }

            if (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0
                && ClockSymbols.WalkDownImplicitConversions(invocation.Arguments[0].Value)?.Type is { } receiverType)
            {
                yield return receiverType;
            }
        }

        private static bool IsNamedLikeARemoteType(ITypeSymbol type)
        {
            return RemoteTypeNameSuffixes.Any(suffix => type.Name.EndsWith(suffix, StringComparison.Ordinal))
                && !NamespaceNames.IsWithin(type.ContainingNamespace, InProcessNamespaces);
        }

        private static ImmutableArray<INamedTypeSymbol> Lookup(Compilation compilation, IEnumerable<string> metadataNames) =>
            metadataNames.Select(compilation.GetTypeByMetadataName).Where(t => t is not null).Select(t => t!).ToImmutableArray();
    }
}
