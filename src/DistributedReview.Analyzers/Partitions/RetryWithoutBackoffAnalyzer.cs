using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Partitions
{
    /// <summary>
    /// DR4002: a retry loop around a remote call that waits a constant time (or not at all) between attempts.
    /// A <c>while</c>, <c>do</c> or <c>for</c> loop is a retry loop when it holds a <c>try</c> whose body makes a
    /// remote call (see <see cref="RemoteCalls"/>), whose success leaves the loop (<c>return</c>/<c>break</c> in the
    /// try or right after it, or a write to a variable the loop condition reads) and one of whose catches does not
    /// leave it. It is reported when every <c>Task.Delay</c>/<c>Thread.Sleep</c> of the loop is the same on each
    /// iteration (constants, and variables not written in the loop) and the loop has nothing else that could space
    /// retries out: no randomness, no other wait or backoff helper, no Polly or Microsoft.Extensions.Resilience.
    /// Loops whose remote call works through an element the loop advances (<c>endpoints[i]</c>) try different work
    /// items, not the same call again, and are left alone; so are <c>foreach</c> loops.
    /// </summary>
    public sealed class RetryWithoutBackoffAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Spans (<c>start,length;...</c>) of the delay arguments the fix replaces.</summary>
        public const string DelaysProperty = "Delays";

        /// <summary>When the loop has no delay: spans of the catch blocks that retry, where the fix adds one.</summary>
        public const string CatchesProperty = "Catches";

        /// <summary>The name of a local already counting attempts, if the loop has one.</summary>
        public const string CounterProperty = "Counter";

        /// <summary>"true" when the loop is in an async method, lambda or local function.</summary>
        public const string AsyncProperty = "Async";

        /// <summary>Span of a cancellation token the remote call is given and that a new delay can be given too.</summary>
        public const string TokenProperty = "Token";

        private const int MaxDepth = 4;

        private static readonly string[] WaitWords = { "Delay", "Sleep", "Wait", "Backoff", "BackOff", "Jitter", "Pause" };

        private static readonly string[] ResilienceNamespaces = { "Polly", "Microsoft.Extensions.Resilience", "Microsoft.Extensions.Http.Resilience" };

        private static readonly string[] CounterWords = { "attempt", "retr", "tries", "try" };

        private static readonly string[] OptionsSuffixes = { "Options", "Settings", "Configuration", "Config" };

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.RetryWithoutBackoff);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(compilationStart =>
            {
                if (Symbols.Create(compilationStart.Compilation) is { } symbols)
                {
                    var remoteCalls = RemoteCalls.Create(compilationStart.Compilation);
                    compilationStart.RegisterSymbolStartAction(typeStart => AnalyzeType(typeStart, symbols, remoteCalls), SymbolKind.NamedType);
                }
            });
        }

        private static readonly string[] CatchKeyword = { "catch" };

        private static void AnalyzeType(SymbolStartAnalysisContext context, Symbols symbols, RemoteCalls remoteCalls)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (!SourceMentions.Any(type, CatchKeyword, context.CancellationToken))
            {
                return; // a retry loop retries from a catch clause
            }

            var writes = WriteLog.Start(context, t => symbols.IsDelayType(t) || remoteCalls.IsStreamType(t));
            // The while and for loops around each try with catches, with the tries: walking up from the few tries is
            // cheaper than searching the body of every loop, for loops or for their tries.
            var attempts = new Pending<(ILoopOperation Loop, ITryOperation Try, ISymbol Member)>();
            context.RegisterOperationAction(
                operationContext =>
                {
                    if (operationContext.Operation is ITryOperation { Catches.IsEmpty: false } attempt && TypeScopedAnalysis.IsOwnOperation(operationContext, type))
                    {
                        for (var parent = attempt.Parent; parent is not null; parent = parent.Parent)
                        {
                            if (parent is ILoopOperation { LoopKind: LoopKind.While or LoopKind.For } loop)
                            {
                                attempts.Add((loop, attempt, operationContext.ContainingSymbol));
                            }
                        }
                    }
                },
                OperationKind.Try);

            context.RegisterSymbolEndAction(endContext =>
            {
                foreach (var around in attempts.GroupBy(a => a.Loop))
                {
                    var loop = around.Key;
                    var member = around.First().Member;

                    // The loop's own tries (not an inner loop's or a lambda's), in the order they are written.
                    var tries = around.Select(a => a.Try).Where(attempt => RetryLoop.NearestLoop(attempt) == loop).OrderBy(attempt => attempt.Syntax.SpanStart);
                    if (RetryLoop.Find(loop, tries, member, type, symbols, remoteCalls, writes) is { } retry
                        && KeywordOf(loop.Syntax) is { } keyword)
                    {
                        Confidence.Report(
                            endContext.ReportDiagnostic,
                            endContext.Options,
                            Rules.RetryWithoutBackoff,
                            keyword.GetLocation(),
                            retry.Confidence,
                            retry.Properties(),
                            Display.Of(retry.Call.Syntax));
                    }
                }
            });
        }

        private static SyntaxToken? KeywordOf(SyntaxNode loop) => loop switch
        {
            WhileStatementSyntax whileLoop => whileLoop.WhileKeyword,
            DoStatementSyntax doLoop => doLoop.DoKeyword,
            ForStatementSyntax forLoop => forLoop.ForKeyword,
            _ => null,
        };

        /// <summary>A loop found to retry a remote call without backoff, with what the fix needs.</summary>
        private sealed class RetryLoop
        {
            private RetryLoop(IInvocationOperation call, int confidence, IReadOnlyList<IOperation> delays, IReadOnlyList<SyntaxNode> catches, ILocalSymbol? counter, bool isAsync, SyntaxNode? token)
            {
                Call = call;
                Confidence = confidence;
                Delays = delays;
                Catches = catches;
                Counter = counter;
                IsAsync = isAsync;
                Token = token;
            }

            public IInvocationOperation Call { get; }

            public int Confidence { get; }

            public IReadOnlyList<IOperation> Delays { get; }

            public IReadOnlyList<SyntaxNode> Catches { get; }

            public ILocalSymbol? Counter { get; }

            public bool IsAsync { get; }

            public SyntaxNode? Token { get; }

            public ImmutableDictionary<string, string?> Properties()
            {
                var properties = ImmutableDictionary<string, string?>.Empty
                    .Add(DelaysProperty, Spans(Delays.Select(d => d.Syntax)))
                    .Add(CatchesProperty, Delays.Count == 0 ? Spans(Catches) : string.Empty)
                    .Add(AsyncProperty, IsAsync ? "true" : "false");
                if (Counter is not null)
                {
                    properties = properties.Add(CounterProperty, Counter.Name);
                }

                return Token is null ? properties : properties.Add(TokenProperty, Spans(new[] { Token }));
            }

            private static string Spans(IEnumerable<SyntaxNode> nodes) =>
                string.Join(";", nodes.Select(n => n.Span.Start.ToString(CultureInfo.InvariantCulture) + "," + n.Span.Length.ToString(CultureInfo.InvariantCulture)));

            /// <summary>The retry in <paramref name="loop"/>, if it is one without backoff or jitter.</summary>
            public static RetryLoop? Find(
                ILoopOperation loop, IEnumerable<ITryOperation> tries, ISymbol member, INamedTypeSymbol type, Symbols symbols, RemoteCalls remoteCalls, WriteLog writes)
            {
                var retried = FindRetriedTry(loop, tries, type, remoteCalls, writes);
                if (retried is not { } found || UsesResilienceOrRandomness(loop, symbols))
                {
                    return null;
                }

                var (attempt, call, kind, retryingCatches) = found;
                var writtenInLoop = WritesInside(loop);
                if (CallsAdvancedElement(call, writtenInLoop))
                {
                    return null;
                }

                var fixedness = new Fixedness(writtenInLoop, writes);
                var delays = new List<IOperation>();
                var fromVariable = false;
                foreach (var invocation in OwnOperations<IInvocationOperation>(loop, OperationKind.Invocation))
                {
                    if (symbols.IsDelay(invocation))
                    {
                        if (invocation.Arguments.Length == 0 || !fixedness.IsFixed(invocation.Arguments[0].Value, 0))
                        {
                            return null;
                        }

                        fromVariable |= !IsWrittenInPlace(invocation.Arguments[0].Value);
                        if (NearestLoop(invocation) == loop)
                        {
                            delays.Add(invocation.Arguments[0].Value);
                        }
                    }
                    else if (WaitWords.Any(word => invocation.TargetMethod.Name.IndexOf(word, StringComparison.Ordinal) >= 0)
                        && remoteCalls.Classify(invocation, writes, type) == RemoteCallKind.None)
                    {
                        return null; // a helper of ours may well back off
                    }
                }

                var confidence = kind == RemoteCallKind.KnownApi ? 85 : 70;
                if (delays.Count == 0)
                {
                    confidence += 5;
                }
                else if (fromVariable)
                {
                    confidence -= 5;
                }

                return new RetryLoop(
                    call,
                    DistributedReview.Confidence.Clamp(confidence),
                    delays,
                    retryingCatches.Select(c => c.Handler.Syntax).ToList(),
                    CounterOf(loop, writtenInLoop),
                    IsInAsyncFunction(loop, member),
                    ReusableToken(call, attempt));
            }

            /// <summary>
            /// The first of the loop's own <paramref name="tries"/> (with catches, in source order) that makes a remote
            /// call, leaves the loop on success and retries from a catch.
            /// </summary>
            private static (ITryOperation Try, IInvocationOperation Call, RemoteCallKind Kind, List<ICatchClauseOperation> Catches)? FindRetriedTry(
                ILoopOperation loop, IEnumerable<ITryOperation> tries, INamedTypeSymbol type, RemoteCalls remoteCalls, WriteLog writes)
            {
                foreach (var attempt in tries)
                {
                    var retrying = attempt.Catches.Where(c => !AlwaysLeaves(c.Handler)).ToList();
                    if (retrying.Count == 0 || !SuccessLeaves(attempt, loop))
                    {
                        continue;
                    }

                    IInvocationOperation? byName = null;
                    foreach (var invocation in OwnOperations<IInvocationOperation>(attempt.Body, OperationKind.Invocation))
                    {
                        switch (remoteCalls.Classify(invocation, writes, type))
                        {
                            case RemoteCallKind.KnownApi:
                                return (attempt, invocation, RemoteCallKind.KnownApi, retrying);
                            case RemoteCallKind.ByName:
                                byName ??= invocation;
                                break;
                        }
                    }

                    if (byName is not null)
                    {
                        return (attempt, byName, RemoteCallKind.ByName, retrying);
                    }
                }

                return null;
            }

            /// <summary>Operations of <paramref name="root"/>, not looking into lambdas and local functions (which may run elsewhere).</summary>
            private static IEnumerable<IOperation> OwnOperations(IOperation root)
            {
                var stack = new Stack<IOperation>();
                stack.Push(root);
                while (stack.Count > 0)
                {
                    var current = stack.Pop();
                    yield return current;
                    foreach (var child in current.ChildOperations.Reverse())
                    {
                        if (child.Kind is not (OperationKind.AnonymousFunction or OperationKind.LocalFunction))
                        {
                            stack.Push(child);
                        }
                    }
                }
            }

            /// <summary>The operations of one kind among <see cref="OwnOperations(IOperation)"/>: a kind is cheaper to test than a type.</summary>
            private static IEnumerable<T> OwnOperations<T>(IOperation root, OperationKind kind)
                where T : IOperation
            {
                foreach (var operation in OwnOperations(root))
                {
                    if (operation.Kind == kind)
                    {
                        yield return (T)operation;
                    }
                }
            }

            public static ILoopOperation? NearestLoop(IOperation operation)
            {
                for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
                {
                    switch (parent)
                    {
                        case ILoopOperation loop:
                            return loop;
                        case IAnonymousFunctionOperation or ILocalFunctionOperation:
                            return null;
                    }
                }

                return null;
            }

            /// <summary>A catch that always ends by leaving the loop (<c>throw</c>, <c>return</c>, <c>break</c>) does not retry.</summary>
            private static bool AlwaysLeaves(IBlockOperation handler) =>
                handler.Syntax is BlockSyntax { Statements: { Count: > 0 } statements }
                && statements[statements.Count - 1] is ThrowStatementSyntax or ReturnStatementSyntax or BreakStatementSyntax or GotoStatementSyntax
                    or ExpressionStatementSyntax { Expression: ThrowExpressionSyntax };

            /// <summary>
            /// Success leaves the loop: the try ends by leaving it (a <c>return</c> or <c>break</c> not under an <c>if</c>,
            /// <c>switch</c> or inner loop), a <c>break</c>/<c>return</c> follows the try, or the try sets a flag the loop
            /// condition reads (<c>connected = true</c> with <c>while (!connected)</c>, or <c>result = ...</c> with
            /// <c>while (result == null)</c>). A conditional exit (<c>if (read == 0) break;</c>) is a read loop's end, not
            /// a retry's success.
            /// </summary>
            private static bool SuccessLeaves(ITryOperation attempt, ILoopOperation loop)
            {
                if (attempt.Body.Syntax is BlockSyntax body && EndsByLeaving(body))
                {
                    return true;
                }

                if (attempt.Parent is IBlockOperation block)
                {
                    var index = block.Operations.IndexOf(attempt);
                    if (index >= 0 && index + 1 < block.Operations.Length && LeavesLoop(block.Operations[index + 1], loop))
                    {
                        return true;
                    }
                }

                var condition = loop switch
                {
                    IWhileLoopOperation whileLoop => whileLoop.Condition,
                    IForLoopOperation forLoop => forLoop.Condition,
                    _ => null,
                };
                if (condition is null)
                {
                    return false;
                }

                // The condition is read at the first assignment to a variable: most tries assign none.
                List<ISymbol>? flags = null, nullChecked = null;
                foreach (var assignment in OwnOperations<ISimpleAssignmentOperation>(attempt.Body, OperationKind.SimpleAssignment))
                {
                    if (VariableOf(assignment.Target) is not { } target)
                    {
                        continue;
                    }

                    if (flags is null || nullChecked is null)
                    {
                        flags = new List<ISymbol>();
                        nullChecked = new List<ISymbol>();
                        foreach (var operation in condition.DescendantsAndSelf())
                        {
                            AddIfAny(flags, VariableOf(operation));
                            AddIfAny(nullChecked, NullChecked(operation));
                        }
                    }

                    if ((assignment.Value.ConstantValue is { HasValue: true, Value: bool } && flags.Contains(target, SymbolEqualityComparer.Default))
                        || nullChecked.Contains(target, SymbolEqualityComparer.Default))
                    {
                        return true;
                    }
                }

                return false;

                static void AddIfAny(List<ISymbol> variables, ISymbol? variable)
                {
                    if (variable is not null)
                    {
                        variables.Add(variable);
                    }
                }
            }

            /// <summary>A block whose own statements (looking into nested blocks, <c>using</c>, <c>lock</c>) include a return or break.</summary>
            private static bool EndsByLeaving(StatementSyntax statement) => statement switch
            {
                ReturnStatementSyntax or BreakStatementSyntax => true,
                YieldStatementSyntax yield => yield.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.YieldBreakStatement),
                BlockSyntax block => block.Statements.Any(EndsByLeaving),
                UsingStatementSyntax @using => EndsByLeaving(@using.Statement),
                LockStatementSyntax @lock => EndsByLeaving(@lock.Statement),
                CheckedStatementSyntax @checked => EndsByLeaving(@checked.Block),
                _ => false,
            };

            /// <summary>The variable in <c>x == null</c>, <c>x is null</c>, <c>null == x</c>.</summary>
            private static ISymbol? NullChecked(IOperation operation) => operation switch
            {
                IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } binary when binary.RightOperand.ConstantValue is { HasValue: true, Value: null } => VariableOf(binary.LeftOperand),
                IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } binary when binary.LeftOperand.ConstantValue is { HasValue: true, Value: null } => VariableOf(binary.RightOperand),
                IIsPatternOperation { Pattern: IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: null } } } pattern => VariableOf(pattern.Value),
                _ => null,
            };

            private static bool LeavesLoop(IOperation operation, ILoopOperation loop) => operation switch
            {
                IReturnOperation { Kind: OperationKind.Return or OperationKind.YieldBreak } => true,
                IBranchOperation { BranchKind: BranchKind.Break } branch => SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel),
                _ => false,
            };

            private static ISymbol? VariableOf(IOperation? operation) => ClockSymbols.WalkDownImplicitConversions(operation) switch
            {
                ILocalReferenceOperation local => local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                IFieldReferenceOperation field => field.Field.OriginalDefinition,
                IPropertyReferenceOperation { Property.Parameters.IsEmpty: true } property => property.Property.OriginalDefinition,
                _ => null,
            };

            /// <summary>Polly, Microsoft.Extensions.Resilience, or any randomness (jitter) anywhere in the loop.</summary>
            private static bool UsesResilienceOrRandomness(ILoopOperation loop, Symbols symbols)
            {
                ITypeSymbol? lastType = null;
                foreach (var operation in loop.Descendants())
                {
                    // By kind: most operations are none of these, and a kind is cheaper to test than an interface.
                    var member = operation.Kind switch
                    {
                        OperationKind.Invocation => ((IInvocationOperation)operation).TargetMethod,
                        OperationKind.FieldReference or OperationKind.PropertyReference or OperationKind.MethodReference or OperationKind.EventReference =>
                            ((IMemberReferenceOperation)operation).Member,
                        OperationKind.ObjectCreation => ((IObjectCreationOperation)operation).Constructor,
                        _ => (ISymbol?)null,
                    };
                    if (member is not null && (member.Name.IndexOf("Jitter", StringComparison.OrdinalIgnoreCase) >= 0 || symbols.IsResilienceOrRandom(member.ContainingType)))
                    {
                        return true;
                    }

                    // Numbers, strings and the like are neither; a type just looked up need not be looked up again.
                    if (operation.Type is { SpecialType: SpecialType.None } type && !ReferenceEquals(type, lastType))
                    {
                        lastType = type;
                        if (symbols.IsResilienceOrRandom(type))
                        {
                            return true;
                        }
                    }
                }

                return false;
            }

            /// <summary>The call works on an element picked by a variable the loop changes (<c>endpoints[i]</c>): a new work item each time.</summary>
            private static bool CallsAdvancedElement(IInvocationOperation call, Dictionary<ISymbol, List<IOperation?>> writtenInLoop) =>
                call.Descendants().Any(o =>
                {
                    var index = o switch
                    {
                        IArrayElementReferenceOperation element => (IEnumerable<IOperation>)element.Indices,
                        IPropertyReferenceOperation { Property.IsIndexer: true } indexer => indexer.Arguments.Select(a => a.Value),
                        _ => Enumerable.Empty<IOperation>(),
                    };
                    return index.SelectMany(i => i.DescendantsAndSelf()).Any(i => VariableOf(i) is { } variable && writtenInLoop.ContainsKey(variable));
                });

            /// <summary>Every variable written inside the loop, with the values written (null: not a plain value).</summary>
            private static Dictionary<ISymbol, List<IOperation?>> WritesInside(ILoopOperation loop)
            {
                var writes = new Dictionary<ISymbol, List<IOperation?>>(SymbolEqualityComparer.Default);
                void Add(IOperation? target, IOperation? value)
                {
                    if (VariableOf(target is IDeclarationExpressionOperation declaration ? declaration.Expression : target) is { } variable)
                    {
                        if (!writes.TryGetValue(variable, out var values))
                        {
                            writes[variable] = values = new List<IOperation?>();
                        }

                        values.Add(value);
                    }
                }

                foreach (var operation in loop.Descendants())
                {
                    switch (operation)
                    {
                        case ISimpleAssignmentOperation assignment:
                            Add(assignment.Target, assignment.Value);
                            break;
                        case IVariableDeclaratorOperation declarator:
                            if (!writes.ContainsKey(declarator.Symbol))
                            {
                                writes[declarator.Symbol] = new List<IOperation?>();
                            }

                            if (declarator.Initializer is { } initializer)
                            {
                                writes[declarator.Symbol].Add(initializer.Value);
                            }

                            break;
                        case ICompoundAssignmentOperation compound:
                            Add(compound.Target, null);
                            break;
                        case ICoalesceAssignmentOperation coalesce:
                            Add(coalesce.Target, null);
                            break;
                        case IIncrementOrDecrementOperation increment:
                            Add(increment.Target, null);
                            break;
                        case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument:
                            Add(argument.Value, null);
                            break;
                        case IDeconstructionAssignmentOperation deconstruction:
                            foreach (var target in deconstruction.Target.DescendantsAndSelf())
                            {
                                Add(target, null);
                            }

                            break;
                    }
                }

                return writes;
            }

            /// <summary>
            /// A local counting attempts: the <c>for</c> loop's own variable stepped by <c>++</c>/<c>+= 1</c>, or a local declared
            /// outside the loop whose only write inside it is one such step. Names with "attempt", "retr", "tries" or "try" win ties.
            /// </summary>
            private static ILocalSymbol? CounterOf(ILoopOperation loop, Dictionary<ISymbol, List<IOperation?>> writtenInLoop)
            {
                var steps = loop.Descendants()
                    .Where(o => IsStepByOne(o))
                    .Select(o => VariableOf(o is IIncrementOrDecrementOperation increment ? increment.Target : ((ICompoundAssignmentOperation)o).Target))
                    .OfType<ILocalSymbol>()
                    .GroupBy(local => local, SymbolEqualityComparer.Default)
                    .Where(g => g.Count() == 1)
                    .Select(g => (ILocalSymbol)g.Key!)
                    .Where(local => local.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
                        && writtenInLoop.TryGetValue(local, out var values)
                        && values.Count == (IsDeclaredIn(local, loop) ? 2 : 1)
                        && (!IsDeclaredIn(local, loop) || (loop is IForLoopOperation forLoop && forLoop.Locals.Contains(local, SymbolEqualityComparer.Default))))
                    .ToList();

                return steps.FirstOrDefault(l => CounterWords.Any(word => l.Name.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0))
                    ?? steps.FirstOrDefault();
            }

            private static bool IsStepByOne(IOperation operation) => operation switch
            {
                IIncrementOrDecrementOperation { Kind: OperationKind.Increment } => true,
                ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Value.ConstantValue: { HasValue: true, Value: 1 } } => true,
                _ => false,
            };

            private static bool IsDeclaredIn(ILocalSymbol local, ILoopOperation loop) =>
                local.DeclaringSyntaxReferences.Any(r => loop.Syntax.Span.Contains(r.Span));

            private static bool IsInAsyncFunction(IOperation operation, ISymbol member)
            {
                for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
                {
                    switch (parent)
                    {
                        case IAnonymousFunctionOperation lambda:
                            return lambda.Symbol.IsAsync;
                        case ILocalFunctionOperation local:
                            return local.Symbol.IsAsync;
                    }
                }

                return member is IMethodSymbol { IsAsync: true };
            }

            /// <summary>
            /// The token the remote call is given, when a delay added in a catch can be given it too: a parameter, a field,
            /// or a local declared outside the try.
            /// </summary>
            private static SyntaxNode? ReusableToken(IInvocationOperation call, ITryOperation attempt)
            {
                var token = call.Arguments.FirstOrDefault(a => a.ArgumentKind == ArgumentKind.Explicit && a.Parameter?.Type.Name == "CancellationToken" && NamespaceNames.Of(a.Parameter.Type.ContainingNamespace) == "System.Threading");
                return ClockSymbols.WalkDownImplicitConversions(token?.Value) switch
                {
                    IParameterReferenceOperation parameter => parameter.Syntax,
                    IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Syntax,
                    ILocalReferenceOperation local when !local.Local.DeclaringSyntaxReferences.Any(r => attempt.Syntax.Span.Contains(r.Span)) => local.Syntax,
                    _ => null,
                };
            }

            private static bool IsWrittenInPlace(IOperation delay) =>
                ClockSymbols.WalkDownImplicitConversions(delay) switch
                {
                    ILiteralOperation => true,
                    IInvocationOperation invocation => invocation.Arguments.All(a => a.Value.ConstantValue.HasValue && ClockSymbols.WalkDownImplicitConversions(a.Value) is ILiteralOperation),
                    IObjectCreationOperation creation => creation.Arguments.All(a => ClockSymbols.WalkDownImplicitConversions(a.Value) is ILiteralOperation),
                    IBinaryOperation binary => IsWrittenInPlace(binary.LeftOperand) && IsWrittenInPlace(binary.RightOperand),
                    _ => false,
                };
        }

        /// <summary>Whether a delay is the same on every iteration of the loop.</summary>
        private sealed class Fixedness
        {
            private readonly Dictionary<ISymbol, List<IOperation?>> _writtenInLoop;
            private readonly WriteLog _writes;

            public Fixedness(Dictionary<ISymbol, List<IOperation?>> writtenInLoop, WriteLog writes)
            {
                _writtenInLoop = writtenInLoop;
                _writes = writes;
            }

            /// <summary>
            /// Constants; <c>TimeSpan.FromX</c>, <c>new TimeSpan(...)</c>, <c>Math.Min/Max</c> and arithmetic of fixed values;
            /// parameters and locals not written in the loop (or written there only with fixed values); readonly fields;
            /// fields and auto-properties of this type written only in constructors and initializers; properties of a
            /// TimeSpan, and of an options object (a type named <c>*Options</c>, <c>*Settings</c>, <c>*Configuration</c>).
            /// </summary>
            public bool IsFixed(IOperation? value, int depth)
            {
                if (value is null || depth > MaxDepth)
                {
                    return false;
                }

                if (value.ConstantValue.HasValue)
                {
                    return true;
                }

                switch (value)
                {
                    case IConversionOperation conversion:
                        return IsFixed(conversion.Operand, depth);
                    case IParenthesizedOperation parenthesized:
                        return IsFixed(parenthesized.Operand, depth);
                    case IBinaryOperation binary:
                        return IsFixed(binary.LeftOperand, depth) && IsFixed(binary.RightOperand, depth);
                    case IUnaryOperation unary:
                        return IsFixed(unary.Operand, depth);
                    case IInvocationOperation { TargetMethod: { IsStatic: true } method } invocation
                        when method.ContainingType?.Name is "TimeSpan" or "Math" && NamespaceNames.Of(method.ContainingType.ContainingNamespace) == "System":
                        return invocation.Arguments.All(a => IsFixed(a.Value, depth + 1));
                    case IObjectCreationOperation creation when creation.Type?.Name == "TimeSpan":
                        return creation.Arguments.All(a => IsFixed(a.Value, depth + 1));
                    case IParameterReferenceOperation parameter:
                        return IsFixedInLoop(parameter.Parameter, depth);
                    case ILocalReferenceOperation local:
                        return IsFixedInLoop(local.Local, depth);
                    case IFieldReferenceOperation field:
                        return IsFixedMember(field, field.Field.IsReadOnly || field.Field.IsConst, depth);
                    case IPropertyReferenceOperation { Property.Parameters.IsEmpty: true } property:
                        if (property.Property.ContainingType?.Name == "TimeSpan" || OptionsSuffixes.Any(s => property.Property.ContainingType?.Name.EndsWith(s, StringComparison.Ordinal) == true))
                        {
                            return property.Instance is null || IsFixed(property.Instance, depth + 1);
                        }

                        return IsFixedMember(property, property.Property.IsReadOnly && _writes.TrackedSymbol(property) is not null, depth);
                    case IInstanceReferenceOperation:
                        return true;
                    default:
                        return false;
                }
            }

            private bool IsFixedInLoop(ISymbol variable, int depth) =>
                !_writtenInLoop.TryGetValue(variable, out var values)
                || (values.Count > 0 && values.All(v => v is not null && IsFixed(v, depth + 1)));

            /// <summary>A field or auto-property: readonly, or written only while the object is built, and never in the loop.</summary>
            private bool IsFixedMember(IMemberReferenceOperation reference, bool isReadOnly, int depth)
            {
                if (reference.Instance is { } instance && !IsFixed(instance, depth + 1))
                {
                    return false;
                }

                if (isReadOnly)
                {
                    return true;
                }

                if (_writtenInLoop.ContainsKey(reference.Member.OriginalDefinition) || _writes.TrackedSymbol(reference) is not { } member)
                {
                    return false;
                }

                var values = _writes.WritesTo(member);
                return values.All(v => v is not null && IsWrittenWhileBuilding(v));
            }

            private static bool IsWrittenWhileBuilding(IOperation value)
            {
                var current = value;
                while (current.Parent is { } parent)
                {
                    current = parent;
                }

                return current is IFieldInitializerOperation or IPropertyInitializerOperation or IConstructorBodyOperation;
            }
        }

        /// <summary>Delay and randomness types, looked up once per compilation by metadata name.</summary>
        private sealed class Symbols
        {
            private Symbols(INamedTypeSymbol task, INamedTypeSymbol thread, INamedTypeSymbol timeSpan, ImmutableArray<INamedTypeSymbol> randomTypes)
            {
                Task = task;
                Thread = thread;
                TimeSpan = timeSpan;
                RandomTypes = randomTypes;
            }

            public INamedTypeSymbol Task { get; }

            public INamedTypeSymbol Thread { get; }

            public INamedTypeSymbol TimeSpan { get; }

            public ImmutableArray<INamedTypeSymbol> RandomTypes { get; }

            private readonly ConcurrentDictionary<ITypeSymbol, bool> _resilienceOrRandom = new(SymbolEqualityComparer.Default);

            public static Symbols? Create(Compilation compilation)
            {
                var task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
                var thread = compilation.GetTypeByMetadataName("System.Threading.Thread");
                var timeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
                if (task is null || thread is null || timeSpan is null)
                {
                    return null;
                }

                var random = new[] { "System.Random", "System.Security.Cryptography.RandomNumberGenerator" }
                    .Select(compilation.GetTypeByMetadataName).Where(t => t is not null).Select(t => t!).ToImmutableArray();
                return new Symbols(task, thread, timeSpan, random);
            }

            /// <summary><c>Task.Delay(...)</c> or <c>Thread.Sleep(...)</c>.</summary>
            public bool IsDelay(IInvocationOperation invocation) =>
                invocation.TargetMethod is { IsStatic: true } method
                && ((method.Name == "Delay" && SymbolEqualityComparer.Default.Equals(method.ContainingType, Task))
                    || (method.Name == "Sleep" && SymbolEqualityComparer.Default.Equals(method.ContainingType, Thread)));

            public bool IsDelayType(ITypeSymbol type) =>
                SymbolEqualityComparer.Default.Equals(type, TimeSpan) || type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Double;

            /// <summary>
            /// A Polly or Microsoft resilience type, or a random number generator. Cached per type: it is asked of every
            /// operation in a candidate loop, and the answer walks the type's namespace and base types.
            /// </summary>
            public bool IsResilienceOrRandom(ITypeSymbol? type) =>
                type is not null && (_resilienceOrRandom.TryGetValue(type, out var known) ? known : _resilienceOrRandom.GetOrAdd(type, ComputeResilienceOrRandom(type)));

            private bool ComputeResilienceOrRandom(ITypeSymbol type) =>
                NamespaceNames.IsWithin(type.ContainingNamespace, ResilienceNamespaces) || RandomTypes.Any(random => RemoteCalls.DerivesFrom(type, random));
        }
    }
}
