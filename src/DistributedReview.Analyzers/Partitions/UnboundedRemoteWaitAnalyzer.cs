using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview.Partitions
{
    /// <summary>
    /// DR4001: a remote call that can wait forever. Two shapes:
    /// <list type="bullet">
    /// <item><c>HttpClient.Timeout</c> set to <c>Timeout.InfiniteTimeSpan</c>, <c>TimeSpan.MaxValue</c> or
    /// <c>TimeSpan.FromMilliseconds(-1)</c> (also in an object initializer, or through a variable holding only such
    /// values), unless every call on that client seen in the type is bounded: it passes a token from a
    /// <c>CancellationTokenSource</c> created with a delay, given <c>CancelAfter</c> somewhere in the type, or linked
    /// to such a token, or its task is awaited through <c>WaitAsync(timeout)</c>. A client configured in an
    /// <c>IHttpClientBuilder</c> chain that adds a Polly or resilience handler is bounded by the handler.</item>
    /// <item>A unary gRPC call on a <c>Grpc.Core.ClientBase</c> subclass (the generated <c>Foo</c> and <c>FooAsync</c>
    /// methods) with neither a deadline nor a cancellation token, as arguments or in its <c>CallOptions</c>.
    /// Streaming calls are left alone: they are often meant to stay open.</item>
    /// </list>
    /// Clients and tokens are followed through locals, fields and auto-properties of the type, so findings are
    /// decided at the end of each type.
    /// </summary>
    public sealed class UnboundedRemoteWaitAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property telling the fix which shape it is looking at.</summary>
        public const string ShapeProperty = "Shape";
        public const string HttpClientTimeoutShape = "HttpClientTimeout";
        public const string GrpcArgumentsShape = "GrpcArguments";
        public const string GrpcCallOptionsShape = "GrpcCallOptions";

        private const int MaxDepth = 4;

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.UnboundedRemoteWait);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(compilationStart =>
            {
                if (Symbols.Create(compilationStart.Compilation) is { } symbols)
                {
                    compilationStart.RegisterSymbolStartAction(typeStart => AnalyzeType(typeStart, symbols), SymbolKind.NamedType);
                }
            });
        }

        private static readonly string[] TimeoutNames = { "Timeout" };

        private static void AnalyzeType(SymbolStartAnalysisContext context, Symbols symbols)
        {
            var type = (INamedTypeSymbol)context.Symbol;

            // An HttpClient finding starts at an assignment to Timeout, which the type's source must spell.
            var mayTimeOutHttpClient = SourceMentions.Any(type, TimeoutNames, context.CancellationToken);
            if (!mayTimeOutHttpClient && symbols.GrpcClientBase is null)
            {
                return;
            }

            var writes = WriteLog.Start(context, symbols.IsTracked);
            var timeouts = new Pending<ISimpleAssignmentOperation>();
            var clientCalls = new Pending<IInvocationOperation>();
            var grpcCalls = new Pending<(IInvocationOperation Call, ISymbol Member)>();
            var cancelAfter = new Pending<IOperation>();

            context.RegisterOperationAction(
                operationContext =>
                {
                    if (!TypeScopedAnalysis.IsOwnOperation(operationContext, type))
                    {
                        return;
                    }

                    switch (operationContext.Operation)
                    {
                        case ISimpleAssignmentOperation assignment when symbols.IsHttpClientTimeout(assignment.Target):
                            timeouts.Add(assignment);
                            break;
                        case IInvocationOperation invocation:
                            if (mayTimeOutHttpClient && symbols.IsHttpClientCall(invocation))
                            {
                                clientCalls.Add(invocation);
                            }
                            else if (symbols.IsUnaryGrpcCall(invocation))
                            {
                                grpcCalls.Add((invocation, operationContext.ContainingSymbol));
                            }
                            else if (invocation is { TargetMethod.Name: "CancelAfter", Instance: { } source } && symbols.IsTokenSource(source.Type))
                            {
                                cancelAfter.Add(source);
                            }

                            break;
                    }
                },
                OperationKind.SimpleAssignment,
                OperationKind.Invocation);

            context.RegisterSymbolEndAction(endContext =>
            {
                if (timeouts.IsEmpty && grpcCalls.IsEmpty)
                {
                    return; // nothing that could wait forever
                }

                var bounds = new Bounds(symbols, writes, cancelAfter);
                foreach (var assignment in timeouts)
                {
                    if (bounds.IsInfinite(assignment.Value, 0) && HttpClientConfidence(assignment, clientCalls, bounds, symbols) is { } confidence)
                    {
                        Report(endContext, assignment.Syntax, confidence, HttpClientTimeoutShape);
                    }
                }

                foreach (var (call, member) in grpcCalls)
                {
                    if (GrpcConfidence(call, member, bounds, symbols) is { } finding)
                    {
                        Report(endContext, call.Syntax, finding.Confidence, finding.Shape);
                    }
                }
            });
        }

        private static void Report(SymbolAnalysisContext context, SyntaxNode node, int confidence, string shape) =>
            Confidence.Report(
                context.ReportDiagnostic,
                context.Options,
                Rules.UnboundedRemoteWait,
                node.GetLocation(),
                confidence,
                ImmutableDictionary<string, string?>.Empty.Add(ShapeProperty, shape),
                Display.Of(node));

        /// <summary>
        /// Confidence for an infinite <c>HttpClient.Timeout</c>, or null when the client is bounded another way.
        /// Base: where the client is kept (<see cref="Confidence.ForValueKeptIn"/>: 95 local, 80 private member, 70 other),
        /// 65 when it is not kept in a variable of this type (a lambda's parameter, another object's property).
        /// −15 when some calls on the client are bounded and others are not (bounds are applied on purpose, the
        /// unbounded calls may be meant to be long). −10 when the unbounded calls all pass a token of unknown origin
        /// (a parameter: the caller's token may carry a deadline). −10 when no call on the client is seen in the type.
        /// </summary>
        private static int? HttpClientConfidence(ISimpleAssignmentOperation assignment, IEnumerable<IInvocationOperation> clientCalls, Bounds bounds, Symbols symbols)
        {
            if (symbols.IsConfiguredWithResilienceHandler(assignment))
            {
                return null;
            }

            var client = bounds.ClientOf(assignment);
            var calls = client is null
                ? new List<IInvocationOperation>()
                : clientCalls.Where(call => SymbolEqualityComparer.Default.Equals(bounds.SymbolOf(Symbols.ReceiverOf(call)), client)).ToList();
            var states = calls.Select(bounds.StateOf).ToList();
            if (states.Count > 0 && states.All(s => s == CallState.Bounded))
            {
                return null;
            }

            var confidence = client is null or IParameterSymbol ? 65 : Confidence.ForValueKeptIn(client);
            if (states.Contains(CallState.Bounded))
            {
                confidence -= 15;
            }

            if (states.Count > 0 && states.Where(s => s != CallState.Bounded).All(s => s == CallState.UnknownToken))
            {
                confidence -= 10;
            }

            if (states.Count == 0)
            {
                confidence -= 10;
            }

            return Confidence.Clamp(confidence);
        }

        /// <summary>
        /// Confidence for a unary gRPC call, or null when it has a deadline or a token (or its options are unknown).
        /// 90 when the missing deadline and token are visible at the call; when they are missing from a
        /// <c>CallOptions</c> variable, <see cref="Confidence.ForValueKeptIn"/> of that variable −5.
        /// +5 when the calling method has a <c>CancellationToken</c> or <c>ServerCallContext</c> parameter it did not pass on.
        /// </summary>
        private static (int Confidence, string Shape)? GrpcConfidence(IInvocationOperation call, ISymbol member, Bounds bounds, Symbols symbols)
        {
            int confidence;
            string shape;
            if (call.Arguments.FirstOrDefault(a => symbols.IsCallOptions(a.Parameter?.Type)) is { } optionsArgument)
            {
                if (bounds.OptionsState(optionsArgument.Value, 0) is not { Bounded: false } state)
                {
                    return null;
                }

                confidence = state.KeptIn is null ? 90 : Confidence.ForValueKeptIn(state.KeptIn) - 5;
                shape = GrpcCallOptionsShape;
            }
            else
            {
                var deadline = call.Arguments.FirstOrDefault(a => a.Parameter?.Name == "deadline");
                var token = call.Arguments.FirstOrDefault(a => symbols.IsCancellationToken(a.Parameter?.Type));
                if (deadline is null || token is null || !Bounds.IsNullOrDefault(deadline) || !bounds.IsNoToken(token))
                {
                    return null;
                }

                confidence = 90;
                shape = GrpcArgumentsShape;
            }

            if (HasUnusedCancellationParameter(call, member, symbols))
            {
                confidence += 5;
            }

            return (Confidence.Clamp(confidence), shape);
        }

        private static bool HasUnusedCancellationParameter(IInvocationOperation call, ISymbol member, Symbols symbols)
        {
            var parameters = new List<IParameterSymbol>();
            if (member is IMethodSymbol method)
            {
                parameters.AddRange(method.Parameters);
            }

            for (var parent = call.Parent; parent is not null; parent = parent.Parent)
            {
                switch (parent)
                {
                    case IAnonymousFunctionOperation lambda:
                        parameters.AddRange(lambda.Symbol.Parameters);
                        break;
                    case ILocalFunctionOperation local:
                        parameters.AddRange(local.Symbol.Parameters);
                        break;
                }
            }

            return parameters.Any(p => symbols.IsCancellationToken(p.Type) || p.Type.Name == "ServerCallContext");
        }

        /// <summary>What bounds a call on an HttpClient.</summary>
        private enum CallState
        {
            /// <summary>No token, or a default one.</summary>
            Unbounded,

            /// <summary>A token whose origin is not visible (a parameter, another object's property).</summary>
            UnknownToken,

            /// <summary>A token with a timeout, or a <c>WaitAsync(timeout)</c>.</summary>
            Bounded,
        }

        /// <summary>Where clients, tokens, token sources and call options come from, within one type.</summary>
        private sealed class Bounds
        {
            private readonly Symbols _symbols;
            private readonly WriteLog _writes;
            private readonly HashSet<ISymbol> _cancelledAfter;

            public Bounds(Symbols symbols, WriteLog writes, IEnumerable<IOperation> cancelAfterSources)
            {
                _symbols = symbols;
                _writes = writes;
                _cancelledAfter = new HashSet<ISymbol>(cancelAfterSources.Select(SymbolOf).Where(s => s is not null).Select(s => s!), SymbolEqualityComparer.Default);
            }

            /// <summary>A local, parameter, or field/auto-property of this type that <paramref name="operation"/> reads.</summary>
            public ISymbol? SymbolOf(IOperation? operation) =>
                _writes.TrackedSymbol(operation)
                ?? (ClockSymbols.WalkDownImplicitConversions(operation) is IParameterReferenceOperation parameter ? parameter.Parameter : null);

            /// <summary><c>Timeout.InfiniteTimeSpan</c>, <c>TimeSpan.MaxValue</c>, <c>TimeSpan.FromMilliseconds(-1)</c>, or a variable holding only those.</summary>
            public bool IsInfinite(IOperation? value, int depth)
            {
                switch (ClockSymbols.WalkDownImplicitConversions(value))
                {
                    case IFieldReferenceOperation { Field: { IsStatic: true } field } when _symbols.IsInfiniteField(field):
                        return true;
                    case IInvocationOperation { TargetMethod: { Name: "FromMilliseconds", IsStatic: true } method, Arguments: { Length: 1 } arguments }
                        when SymbolEqualityComparer.Default.Equals(method.ContainingType, _symbols.TimeSpan):
                        return arguments[0].Value.ConstantValue is { HasValue: true, Value: int or long or double or float or short or sbyte } constant
                            && Convert.ToDouble(constant.Value, System.Globalization.CultureInfo.InvariantCulture) == -1;
                    case { } other when depth < MaxDepth && _writes.TrackedSymbol(other) is { } variable:
                        var values = _writes.WritesTo(variable);
                        return !values.IsEmpty && values.All(v => IsInfinite(v, depth + 1));
                    default:
                        return false;
                }
            }

            /// <summary>The variable the client whose Timeout is assigned is kept in, if it is one of this type's.</summary>
            public ISymbol? ClientOf(ISimpleAssignmentOperation assignment)
            {
                var instance = (assignment.Target as IPropertyReferenceOperation)?.Instance;
                if (instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver })
                {
                    // new HttpClient { Timeout = ... }: the client is where the creation is stored.
                    IOperation? creation = assignment.Parent;
                    while (creation is not null and not IObjectCreationOperation)
                    {
                        creation = creation.Parent;
                    }

                    return creation is null ? null : VariableStoring(creation);
                }

                return instance is IInstanceReferenceOperation ? null : SymbolOf(instance);
            }

            private ISymbol? VariableStoring(IOperation value)
            {
                var parent = value.Parent;
                while (parent is IConversionOperation or IParenthesizedOperation)
                {
                    value = parent;
                    parent = parent.Parent;
                }

                return parent switch
                {
                    IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
                    IFieldInitializerOperation { InitializedFields: { Length: 1 } fields } => fields[0].OriginalDefinition,
                    IPropertyInitializerOperation { InitializedProperties: { Length: 1 } properties } => properties[0].OriginalDefinition,
                    ISimpleAssignmentOperation assignment when assignment.Value == value => SymbolOf(assignment.Target),
                    _ => null,
                };
            }

            /// <summary>Whether a call on an HttpClient is bounded by its token or by a <c>WaitAsync(timeout)</c>.</summary>
            public CallState StateOf(IInvocationOperation call)
            {
                IOperation current = call;
                while (current.Parent is IConversionOperation or IParenthesizedOperation)
                {
                    current = current.Parent;
                }

                if (current.Parent is IInvocationOperation { TargetMethod.Name: "WaitAsync" } wait && wait.Instance == current
                    && wait.Arguments.Any(a => SymbolEqualityComparer.Default.Equals(a.Parameter?.Type, _symbols.TimeSpan) || (_symbols.IsCancellationToken(a.Parameter?.Type) && IsBoundedToken(a.Value, 0))))
                {
                    return CallState.Bounded;
                }

                var state = CallState.Unbounded;
                foreach (var argument in call.Arguments)
                {
                    if (!_symbols.IsCancellationToken(argument.Parameter?.Type) || IsNoToken(argument))
                    {
                        continue;
                    }

                    if (IsBoundedToken(argument.Value, 0))
                    {
                        return CallState.Bounded;
                    }

                    state = CallState.UnknownToken;
                }

                return state;
            }

            /// <summary>No token: the argument is left out, <c>default</c>, <c>CancellationToken.None</c> or <c>new CancellationToken()</c>.</summary>
            public bool IsNoToken(IArgumentOperation argument) =>
                argument.ArgumentKind == ArgumentKind.DefaultValue
                || ClockSymbols.WalkDownImplicitConversions(argument.Value) switch
                {
                    IDefaultValueOperation => true,
                    IPropertyReferenceOperation { Property: { Name: "None", IsStatic: true } property } => _symbols.IsCancellationToken(property.ContainingType),
                    IObjectCreationOperation { Arguments: var arguments } creation => _symbols.IsCancellationToken(creation.Type)
                        && arguments.All(a => a.ArgumentKind == ArgumentKind.DefaultValue || a.Value.ConstantValue is { HasValue: true, Value: false }),
                    _ => false,
                };

            /// <summary>No deadline: the argument is left out, <c>null</c> or <c>default</c>.</summary>
            public static bool IsNullOrDefault(IArgumentOperation argument) =>
                argument.ArgumentKind == ArgumentKind.DefaultValue
                || ClockSymbols.WalkDownImplicitConversions(argument.Value) is IDefaultValueOperation
                || argument.Value.ConstantValue is { HasValue: true, Value: null };

            private bool IsBoundedToken(IOperation? token, int depth)
            {
                switch (ClockSymbols.WalkDownImplicitConversions(token))
                {
                    case IPropertyReferenceOperation { Property.Name: "Token", Instance: { } source } when _symbols.IsTokenSource(source.Type):
                        return IsBoundedSource(source, depth);
                    case { } other when depth < MaxDepth && _writes.TrackedSymbol(other) is { } variable:
                        return _writes.WritesTo(variable).Any(v => IsBoundedToken(v, depth + 1));
                    default:
                        return false;
                }
            }

            /// <summary>
            /// A token source with a timeout: created with a delay, given <c>CancelAfter</c> anywhere in this type,
            /// linked to a bounded token, or made by a <c>CreateCancellationTokenSource(timeout)</c> (TimeProvider).
            /// </summary>
            private bool IsBoundedSource(IOperation source, int depth)
            {
                switch (ClockSymbols.WalkDownImplicitConversions(source))
                {
                    case IObjectCreationOperation creation:
                        return creation.Arguments.Any(a => a.ArgumentKind != ArgumentKind.DefaultValue);
                    case IInvocationOperation { TargetMethod.Name: "CreateLinkedTokenSource" } linked:
                        return depth < MaxDepth && linked.Arguments.SelectMany(TokensPassed).Any(t => IsBoundedToken(t, depth + 1));
                    case IInvocationOperation { TargetMethod.Name: "CreateCancellationTokenSource" } created:
                        return created.Arguments.Any(a => SymbolEqualityComparer.Default.Equals(a.Parameter?.Type, _symbols.TimeSpan));
                    case { } other when _writes.TrackedSymbol(other) is { } variable:
                        return _cancelledAfter.Contains(variable)
                            || (depth < MaxDepth && _writes.WritesTo(variable).Any(v => v is not null && IsBoundedSource(v, depth + 1)));
                    default:
                        return false;
                }
            }

            private static IEnumerable<IOperation> TokensPassed(IArgumentOperation argument) =>
                argument.Value is IArrayCreationOperation { Initializer: { } initializer } ? initializer.ElementValues : new[] { argument.Value };

            /// <summary>
            /// Whether <c>CallOptions</c> carry a deadline or token: <c>Bounded</c> true/false, or null when not known.
            /// <c>KeptIn</c> is the variable the options were followed through, if any.
            /// </summary>
            public (bool Bounded, ISymbol? KeptIn)? OptionsState(IOperation? options, int depth)
            {
                switch (ClockSymbols.WalkDownImplicitConversions(options))
                {
                    case IDefaultValueOperation:
                        return (false, null);
                    case IObjectCreationOperation creation when _symbols.IsCallOptions(creation.Type):
                        return (creation.Arguments.Any(a => a.Parameter?.Name switch
                        {
                            "deadline" => !IsNullOrDefault(a),
                            "propagationToken" => !IsNullOrDefault(a),
                            _ => _symbols.IsCancellationToken(a.Parameter?.Type) && !IsNoToken(a),
                        }), null);
                    case IInvocationOperation { TargetMethod.Name: "WithDeadline" or "WithPropagationToken" } invocation when _symbols.IsCallOptions(invocation.Type):
                        return (true, null);
                    case IInvocationOperation { TargetMethod.Name: "WithCancellationToken", Arguments: { Length: 1 } arguments } invocation when _symbols.IsCallOptions(invocation.Type):
                        return IsNoToken(arguments[0]) ? OptionsState(invocation.Instance, depth + 1) : (true, null);
                    case IInvocationOperation { TargetMethod.Name: "WithHeaders" or "WithWaitForReady" or "WithWriteOptions" or "WithCredentials" } invocation
                        when _symbols.IsCallOptions(invocation.Type) && depth < MaxDepth:
                        return OptionsState(invocation.Instance, depth + 1);
                    case { } other when depth < MaxDepth && _writes.TrackedSymbol(other) is { } variable:
                        var values = _writes.WritesTo(variable);
                        if (values.IsEmpty)
                        {
                            return null;
                        }

                        foreach (var value in values)
                        {
                            if (OptionsState(value, depth + 1) is not { Bounded: false })
                            {
                                return null;
                            }
                        }

                        return (false, variable);
                    default:
                        return null;
                }
            }
        }

        /// <summary>The types DR4001 recognises, looked up once per compilation by metadata name.</summary>
        private sealed class Symbols
        {
            private Symbols(Compilation compilation)
            {
                HttpClient = compilation.GetTypeByMetadataName("System.Net.Http.HttpClient");
                TimeoutType = compilation.GetTypeByMetadataName("System.Threading.Timeout");
                TimeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
                CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
                TokenSource = compilation.GetTypeByMetadataName("System.Threading.CancellationTokenSource");
                GrpcClientBase = compilation.GetTypeByMetadataName("Grpc.Core.ClientBase");
                CallOptions = compilation.GetTypeByMetadataName("Grpc.Core.CallOptions");
                HttpClientBuilder = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.IHttpClientBuilder");
                StreamingCalls = new[] { "Grpc.Core.AsyncServerStreamingCall`1", "Grpc.Core.AsyncClientStreamingCall`2", "Grpc.Core.AsyncDuplexStreamingCall`2" }
                    .Select(compilation.GetTypeByMetadataName).Where(t => t is not null).Select(t => t!).ToImmutableArray();
            }

            public INamedTypeSymbol? HttpClient { get; }

            public INamedTypeSymbol? TimeoutType { get; }

            public INamedTypeSymbol? TimeSpan { get; }

            public INamedTypeSymbol? CancellationToken { get; }

            public INamedTypeSymbol? TokenSource { get; }

            public INamedTypeSymbol? GrpcClientBase { get; }

            public INamedTypeSymbol? CallOptions { get; }

            public INamedTypeSymbol? HttpClientBuilder { get; }

            public ImmutableArray<INamedTypeSymbol> StreamingCalls { get; }

            /// <summary>Null when the compilation has neither HttpClient nor gRPC clients: nothing to analyse.</summary>
            public static Symbols? Create(Compilation compilation)
            {
                var symbols = new Symbols(compilation);
                if (symbols.TimeSpan is null || symbols.CancellationToken is null
                    || ((symbols.HttpClient is null || symbols.TimeoutType is null) && (symbols.GrpcClientBase is null || symbols.CallOptions is null)))
                {
                    return null;
                }

                return symbols;
            }

            public bool IsTracked(ITypeSymbol type) =>
                IsCancellationToken(type) || IsTokenSource(type) || IsCallOptions(type)
                || SymbolEqualityComparer.Default.Equals(type, TimeSpan)
                || (HttpClient is not null && RemoteCalls.DerivesFrom(type, HttpClient));

            public bool IsCancellationToken(ITypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type, CancellationToken);

            public bool IsTokenSource(ITypeSymbol? type) => type is not null && TokenSource is not null && RemoteCalls.DerivesFrom(type, TokenSource);

            public bool IsCallOptions(ITypeSymbol? type) => type is not null && SymbolEqualityComparer.Default.Equals(type, CallOptions);

            public bool IsInfiniteField(IFieldSymbol field) =>
                (field.Name == "InfiniteTimeSpan" && SymbolEqualityComparer.Default.Equals(field.ContainingType, TimeoutType))
                || (field.Name == "MaxValue" && SymbolEqualityComparer.Default.Equals(field.ContainingType, TimeSpan));

            public bool IsHttpClientTimeout(IOperation target) =>
                HttpClient is not null && TimeoutType is not null
                && target is IPropertyReferenceOperation { Property: { Name: "Timeout", IsStatic: false } property }
                && SymbolEqualityComparer.Default.Equals(property.ContainingType?.OriginalDefinition, HttpClient);

            /// <summary>A method call on an HttpClient (instance or extension method, such as GetFromJsonAsync).</summary>
            public bool IsHttpClientCall(IInvocationOperation invocation) =>
                HttpClient is not null
                && (invocation.TargetMethod.Name.EndsWith("Async", StringComparison.Ordinal) || invocation.TargetMethod.Name == "Send")
                && ReceiverOf(invocation)?.Type is { } receiverType
                && RemoteCalls.DerivesFrom(receiverType, HttpClient);

            public static IOperation? ReceiverOf(IInvocationOperation invocation) =>
                ClockSymbols.WalkDownImplicitConversions(invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0
                    ? invocation.Arguments[0].Value
                    : invocation.Instance);

            /// <summary>
            /// A call of a generated unary method of a gRPC client: declared in a <c>ClientBase</c> subclass, taking
            /// either (<c>deadline</c>, <c>CancellationToken</c>) or <c>CallOptions</c>, not returning a streaming call.
            /// </summary>
            public bool IsUnaryGrpcCall(IInvocationOperation invocation)
            {
                // A unary call passes its request and either CallOptions or a deadline and a token: two arguments at
                // least (defaults included). Most calls have fewer, and are ruled out before anything is looked up.
                // The declaring type next: a few types, shared by many calls, where each call's parameters are its own
                // (a generic method's are made for each construction) and cost more to read than the type's few bases.
                var method = invocation.TargetMethod;
                if (GrpcClientBase is null || CallOptions is null || invocation.Arguments.Length < 2 || method.IsStatic
                    || method.ContainingType is not { } declaringType || !RemoteCalls.DerivesFrom(declaringType, GrpcClientBase))
                {
                    return false;
                }

                // The parameters are read from the call's arguments (one for each parameter, defaults included), which
                // the operation tree already holds, where IMethodSymbol.Parameters would build a new array on every call.
                bool callOptions = false, deadline = false, token = false;
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Parameter is not { } parameter)
                    {
                        continue;
                    }

                    var type = parameter.Type;
                    if (IsCallOptions(type))
                    {
                        callOptions = true;
                        break;
                    }

                    if (parameter.Name == "deadline" && type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T })
                    {
                        deadline = true;
                    }
                    else if (IsCancellationToken(type))
                    {
                        token = true;
                    }
                }

                if (!callOptions && !(deadline && token))
                {
                    return false;
                }

                return !StreamingCalls.Any(s => SymbolEqualityComparer.Default.Equals(method.ReturnType.OriginalDefinition, s));
            }

            /// <summary>
            /// The assignment sits in a lambda configuring a client through an <c>IHttpClientBuilder</c> chain that
            /// also adds a Polly or resilience handler (<c>AddPolicyHandler</c>, <c>AddStandardResilienceHandler</c>,
            /// <c>AddResilienceHandler</c>, hedging): the handler's timeouts bound the calls.
            /// </summary>
            public bool IsConfiguredWithResilienceHandler(IOperation assignment)
            {
                if (HttpClientBuilder is null)
                {
                    return false;
                }

                var lambda = assignment.Parent;
                while (lambda is not null and not IAnonymousFunctionOperation)
                {
                    lambda = lambda.Parent;
                }

                var call = lambda?.Parent?.Parent?.Parent as IInvocationOperation;
                if (call?.Type is not { } builderType || !RemoteCalls.DerivesFrom(builderType, HttpClientBuilder))
                {
                    return false;
                }

                // Up the fluent chain (calls made on this one's result), then down it (calls this one is made on).
                var chain = new List<IInvocationOperation>();
                for (IOperation? current = call; current is IInvocationOperation invocation; current = CallOnResult(invocation))
                {
                    chain.Add(invocation);
                }

                for (var current = ReceiverOf(call) as IInvocationOperation; current is not null; current = ReceiverOf(current) as IInvocationOperation)
                {
                    chain.Add(current);
                }

                return chain.Any(c => c.TargetMethod.Name.IndexOf("Resilience", StringComparison.Ordinal) >= 0
                    || c.TargetMethod.Name.IndexOf("Policy", StringComparison.Ordinal) >= 0
                    || c.TargetMethod.Name.IndexOf("Hedging", StringComparison.Ordinal) >= 0);
            }

            private static IInvocationOperation? CallOnResult(IInvocationOperation invocation)
            {
                IOperation current = invocation;
                while (current.Parent is IConversionOperation)
                {
                    current = current.Parent;
                }

                return current.Parent switch
                {
                    IInvocationOperation next when next.Instance == current => next,
                    IArgumentOperation { Parent: IInvocationOperation next } argument when next.TargetMethod.IsExtensionMethod && next.Arguments.Length > 0 && next.Arguments[0] == argument => next,
                    _ => null,
                };
            }
        }
    }
}
