using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Partitions
{
    /// <summary>
    /// DR4003: a catch that swallows a network failure. The handler does nothing (empty, or only <c>continue;</c>,
    /// <c>break;</c>, <c>return;</c> without a value, or comments) and the clause catches a network exception
    /// (<c>HttpRequestException</c>, <c>SocketException</c>, <c>RpcException</c>, <c>RedisConnectionException</c>, ...),
    /// a <c>TimeoutException</c>, an <c>IOException</c> around a socket or network stream, or <c>Exception</c>
    /// (or a bare <c>catch</c>) around a remote call. Filtered clauses are left alone unless the filter only
    /// excludes cancellation or only narrows to network exception types.
    /// </summary>
    public sealed class SwallowedNetworkFailureAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.SwallowedNetworkFailure);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(compilationStart =>
            {
                if (FailureTypes.Create(compilationStart.Compilation) is { } failures)
                {
                    var calls = NetworkCalls.Create(compilationStart.Compilation);
                    compilationStart.RegisterOperationAction(operationContext => AnalyzeTry(operationContext, failures, calls), OperationKind.Try);
                }
            });
        }

        private static void AnalyzeTry(OperationAnalysisContext context, FailureTypes failures, NetworkCalls calls)
        {
            if (context.Operation is not ITryOperation { Body: { } body } tryOperation)
            {
                return;
            }

            var remoteCall = new Lazy<RemoteCallEvidence>(() => calls.StrongestIn(body));
            var networkStreamCall = new Lazy<bool>(() => calls.HasNetworkStreamCall(body));

            // Once an earlier clause of this try takes network exceptions, a later catch-all does not see them.
            var networkCaughtEarlier = false;
            foreach (var clause in tryOperation.Catches)
            {
                var caught = failures.Classify(clause.ExceptionType);
                switch (FilterOf(clause, failures))
                {
                    case FilterKind.Other:
                        networkCaughtEarlier |= caught is Caught.Network or Caught.Timeout;
                        continue;
                    case FilterKind.NarrowsToNetwork:
                        caught = Caught.Network;
                        break;
                }

                if (caught == Caught.Nothing)
                {
                    continue;
                }

                if (!Swallows(clause.Handler))
                {
                    networkCaughtEarlier |= caught is Caught.Network or Caught.Timeout;
                    continue;
                }

                var baseConfidence = BaseConfidence(caught, remoteCall, networkStreamCall, networkCaughtEarlier);
                networkCaughtEarlier |= caught is Caught.Network or Caught.Timeout;
                if (baseConfidence is not { } confidence || clause.Syntax is not CatchClauseSyntax syntax)
                {
                    continue;
                }

                Confidence.Report(
                    context.ReportDiagnostic,
                    context.Options,
                    Rules.SwallowedNetworkFailure,
                    Location.Create(syntax.SyntaxTree, SquiggleSpan(syntax)),
                    Adjusted(confidence, syntax, tryOperation, context.ContainingSymbol),
                    messageArgs: DisplayOf(syntax));
            }
        }

        /// <summary>
        /// What the clause catches decides the base: a network exception type 85, 90 with a recognised network call in
        /// the try; <c>TimeoutException</c> 80 around a recognised network call, 70 around a call only named like one,
        /// 60 otherwise; <c>IOException</c> 85, only around a socket or network stream; <c>Exception</c> or a bare catch
        /// 80 around a recognised network call, 60 around a call only named like one, nothing otherwise.
        /// Null: not reported.
        /// </summary>
        private static int? BaseConfidence(Caught caught, Lazy<RemoteCallEvidence> remoteCall, Lazy<bool> networkStreamCall, bool networkCaughtEarlier) => caught switch
        {
            Caught.Network => remoteCall.Value == RemoteCallEvidence.Symbol ? 90 : 85,
            Caught.Timeout => remoteCall.Value switch { RemoteCallEvidence.Symbol => 80, RemoteCallEvidence.Name => 70, _ => 60 },
            Caught.IO => networkStreamCall.Value ? 85 : null,
            Caught.Everything when !networkCaughtEarlier => remoteCall.Value switch { RemoteCallEvidence.Symbol => 80, RemoteCallEvidence.Name => 60, _ => null },
            _ => null,
        };

        /// <summary>
        /// Evidence that weakens the finding: a comment in the handler (someone decided to ignore it): -5; a retry loop
        /// (the try leaves the loop on success, so the last failure may surface after it; DR4002 judges the retry): -20;
        /// clean-up code (a finally or catch block, or Dispose/Close/Stop/Shutdown members), where a best-effort call is
        /// often meant to be quiet: -15.
        /// </summary>
        private static int Adjusted(int confidence, CatchClauseSyntax syntax, ITryOperation tryOperation, ISymbol containingSymbol)
        {
            if (syntax.Block.DescendantTrivia().Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia)))
            {
                confidence -= 5;
            }

            if (IsRetryLoop(tryOperation))
            {
                confidence -= 20;
            }

            if (IsCleanUp(tryOperation, containingSymbol))
            {
                confidence -= 15;
            }

            return Confidence.Clamp(confidence);
        }

        /// <summary>The handler does nothing a caller or an operator could notice.</summary>
        private static bool Swallows(IBlockOperation handler) =>
            handler.Operations.All(statement => statement switch
            {
                IEmptyOperation => true,
                IBlockOperation block => Swallows(block),
                IBranchOperation { BranchKind: BranchKind.Continue or BranchKind.Break } => true,
                IReturnOperation { ReturnedValue: null } => true,
                _ => false,
            });

        /// <summary>A try inside a loop whose body returns or breaks out of the loop when it succeeds.</summary>
        private static bool IsRetryLoop(ITryOperation tryOperation)
        {
            var parent = tryOperation.Parent;
            while (parent is IBlockOperation)
            {
                parent = parent.Parent;
            }

            return parent is ILoopOperation
                && tryOperation.Body.Operations.LastOrDefault() is IReturnOperation or IBranchOperation { BranchKind: BranchKind.Break };
        }

        private static readonly ImmutableHashSet<string> CleanUpMembers = ImmutableHashSet.Create("Dispose", "Close", "Stop", "Shutdown");

        private static bool IsCleanUp(ITryOperation tryOperation, ISymbol containingSymbol)
        {
            for (IOperation? current = tryOperation, parent = tryOperation.Parent; parent is not null; current = parent, parent = parent.Parent)
            {
                if ((parent is ITryOperation outer && outer.Finally == current) || parent is ICatchClauseOperation)
                {
                    return true;
                }
            }

            var name = containingSymbol is IMethodSymbol { MethodKind: MethodKind.LambdaMethod or MethodKind.LocalFunction } nested
                ? nested.ContainingSymbol?.Name ?? string.Empty
                : containingSymbol.Name;
            // Explicit implementations are named 'System.IDisposable.Dispose'.
            name = name.Substring(name.LastIndexOf('.') + 1);
            return CleanUpMembers.Contains(name.EndsWith("Async", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Async".Length) : name);
        }

        /// <summary>From the <c>catch</c> keyword to the end of the declaration, or of the filter when there is one.</summary>
        private static TextSpan SquiggleSpan(CatchClauseSyntax syntax)
        {
            var end = syntax.Filter?.Span.End ?? syntax.Declaration?.Span.End ?? syntax.CatchKeyword.Span.End;
            return TextSpan.FromBounds(syntax.CatchKeyword.SpanStart, end);
        }

        private static string DisplayOf(CatchClauseSyntax syntax) =>
            "catch"
            + (syntax.Declaration is { } declaration ? " " + Display.Of(declaration) : string.Empty)
            + (syntax.Filter is { } filter ? " " + Display.Of(filter) : string.Empty);

        private static FilterKind FilterOf(ICatchClauseOperation clause, FailureTypes failures)
        {
            if (clause.Filter is not { } filter)
            {
                return FilterKind.None;
            }

            return clause.Locals.Length == 1 ? FailureTypes.FilterOn(filter, clause.Locals[0], failures) : FilterKind.Other;
        }

        private enum Caught
        {
            Nothing,
            Network,
            Timeout,
            IO,
            Everything,
        }

        private enum FilterKind
        {
            None,

            /// <summary><c>when (ex is not OperationCanceledException)</c>: still swallows every network failure.</summary>
            ExcludesCancellationOnly,

            /// <summary><c>when (ex is HttpRequestException or SocketException)</c>.</summary>
            NarrowsToNetwork,

            /// <summary>Anything else: a status check, a state check, a logging call. The author chose what to ignore.</summary>
            Other,
        }

        /// <summary>The exception types the rule knows, looked up once per compilation.</summary>
        private sealed class FailureTypes
        {
            /// <summary>Exceptions that only the network throws; a class derived from one counts too.</summary>
            private static readonly string[] NetworkExceptionNames =
            {
                "System.Net.Http.HttpRequestException",
                "System.Net.Http.HttpIOException",
                "System.Net.Sockets.SocketException",
                "System.Net.WebException",
                "System.Net.WebSockets.WebSocketException",
                "Grpc.Core.RpcException",
                "StackExchange.Redis.RedisConnectionException",
                "StackExchange.Redis.RedisTimeoutException",
            };

            /// <summary>Catch-alls: they take a network failure only when the try makes a remote call.</summary>
            private static readonly string[] CatchAllNames = { "System.Exception", "StackExchange.Redis.RedisException" };

            private readonly ImmutableArray<INamedTypeSymbol> _network;
            private readonly ImmutableArray<INamedTypeSymbol> _catchAll;
            private readonly INamedTypeSymbol _timeout;
            private readonly INamedTypeSymbol? _io;
            private readonly INamedTypeSymbol _cancellation;

            private FailureTypes(ImmutableArray<INamedTypeSymbol> network, ImmutableArray<INamedTypeSymbol> catchAll, INamedTypeSymbol timeout, INamedTypeSymbol? io, INamedTypeSymbol cancellation)
            {
                _network = network;
                _catchAll = catchAll;
                _timeout = timeout;
                _io = io;
                _cancellation = cancellation;
            }

            public static FailureTypes? Create(Compilation compilation)
            {
                if (compilation.GetTypeByMetadataName("System.TimeoutException") is not { } timeout
                    || compilation.GetTypeByMetadataName("System.OperationCanceledException") is not { } cancellation)
                {
                    return null;
                }

                return new FailureTypes(
                    Lookup(compilation, NetworkExceptionNames),
                    Lookup(compilation, CatchAllNames),
                    timeout,
                    compilation.GetTypeByMetadataName("System.IO.IOException"),
                    cancellation);
            }

            public Caught Classify(ITypeSymbol? type)
            {
                if (type is null || type.TypeKind == TypeKind.Error)
                {
                    return Caught.Nothing;
                }

                if (IsNetwork(type))
                {
                    return Caught.Network;
                }

                if (SymbolEqualityComparer.Default.Equals(type, _timeout))
                {
                    return Caught.Timeout;
                }

                if (SymbolEqualityComparer.Default.Equals(type, _io))
                {
                    return Caught.IO;
                }

                // A bare 'catch' catches System.Object.
                return type.SpecialType == SpecialType.System_Object || _catchAll.Any(t => SymbolEqualityComparer.Default.Equals(type, t))
                    ? Caught.Everything
                    : Caught.Nothing;
            }

            /// <summary>What a filter on the exception variable <paramref name="exception"/> lets through.</summary>
            public static FilterKind FilterOn(IOperation filter, ILocalSymbol exception, FailureTypes failures)
            {
                switch (filter)
                {
                    // ex is not OperationCanceledException / ex is HttpRequestException or SocketException
                    case IIsPatternOperation { Value: ILocalReferenceOperation local, Pattern: var pattern } when Is(local, exception):
                        return failures.FilterOn(pattern);

                    // !(ex is OperationCanceledException)
                    case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: IIsTypeOperation { ValueOperand: ILocalReferenceOperation local, TypeOperand: var type } }
                        when Is(local, exception):
                        return failures.IsCancellation(type) ? FilterKind.ExcludesCancellationOnly : FilterKind.Other;

                    case IIsTypeOperation { ValueOperand: ILocalReferenceOperation local, TypeOperand: var type } when Is(local, exception):
                        return failures.IsNetwork(type) ? FilterKind.NarrowsToNetwork : FilterKind.Other;

                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and:
                        return Both(FilterOn(and.LeftOperand, exception, failures), FilterOn(and.RightOperand, exception, failures), FilterKind.ExcludesCancellationOnly);

                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } or:
                        return Both(FilterOn(or.LeftOperand, exception, failures), FilterOn(or.RightOperand, exception, failures), FilterKind.NarrowsToNetwork);

                    default:
                        return FilterKind.Other;
                }
            }

            private bool IsNetwork(ITypeSymbol type) => _network.Any(network => NetworkCalls.IsOrInherits(type, network));

            private bool IsCancellation(ITypeSymbol type) => NetworkCalls.IsOrInherits(type, _cancellation);

            private static FilterKind Both(FilterKind left, FilterKind right, FilterKind combinable) =>
                left == combinable && right == combinable ? combinable : FilterKind.Other;

            private FilterKind FilterOn(IPatternOperation pattern)
            {
                if (pattern is INegatedPatternOperation { Pattern: var negated })
                {
                    return TypesOf(negated) is { } excluded && excluded.All(IsCancellation) ? FilterKind.ExcludesCancellationOnly : FilterKind.Other;
                }

                if (pattern is IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.And } both)
                {
                    return Both(FilterOn(both.LeftPattern), FilterOn(both.RightPattern), FilterKind.ExcludesCancellationOnly);
                }

                return TypesOf(pattern) is { } required && required.All(IsNetwork) ? FilterKind.NarrowsToNetwork : FilterKind.Other;
            }

            /// <summary>The types a type-only pattern accepts (<c>T</c>, <c>T x</c>, <c>T1 or T2</c>); null for any other pattern.</summary>
            private static ImmutableArray<ITypeSymbol>? TypesOf(IPatternOperation pattern)
            {
                switch (pattern)
                {
                    case ITypePatternOperation { MatchedType: { } type }:
                        return ImmutableArray.Create(type);
                    case IDeclarationPatternOperation { MatchedType: { } type, MatchesNull: false }:
                        return ImmutableArray.Create(type);
                    case IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } either
                        when TypesOf(either.LeftPattern) is { } left && TypesOf(either.RightPattern) is { } right:
                        return left.AddRange(right);
                    default:
                        return null;
                }
            }

            private static bool Is(ILocalReferenceOperation reference, ILocalSymbol local) => SymbolEqualityComparer.Default.Equals(reference.Local, local);

            private static ImmutableArray<INamedTypeSymbol> Lookup(Compilation compilation, string[] names) =>
                names.Select(compilation.GetTypeByMetadataName).Where(t => t is not null).Select(t => t!).ToImmutableArray();
        }
    }
}
