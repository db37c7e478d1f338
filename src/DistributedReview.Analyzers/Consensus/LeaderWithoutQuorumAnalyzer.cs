using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview.Consensus
{
    /// <summary>
    /// DR2003: a statement that makes the local node leader (<see cref="LeaderTransitions"/>) where nothing on the
    /// way to it shows a majority: no quorum/majority call or flag, no vote count compared with the cluster size or a
    /// quorum, no <c>n / 2</c> comparison, no single-node check, no lock/lease acquired from a coordinator, and not in a
    /// consensus library's leader-changed callback. "On the way" is the enclosing if/while/for/switch/ternary
    /// conditions and earlier guard clauses (<c>if (!…) return;</c>) of the method, and, for a private method, the same
    /// around every call to it in the type. Callers are only known at the end of the type, so transitions are
    /// collected per type and judged at symbol end.
    /// </summary>
    public sealed class LeaderWithoutQuorumAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>How many private-method calls are followed up to find the guard of a transition.</summary>
        private const int MaxCallerDepth = 3;

        /// <summary>How many assignments are followed back from a variable read in a condition.</summary>
        private const int MaxWriteDepth = 3;

        /// <summary>How many ways to one transition are weighed: enough for real call graphs, bounded for generated-looking ones.</summary>
        private const int MaxPaths = 32;

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.LeaderWithoutQuorum);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(compilationStart =>
            {
                // Hand-written election code needs no library type, so the rule runs everywhere except in test projects.
                if (ConsensusSymbols.Create(compilationStart.Compilation) is { } symbols)
                {
                    compilationStart.RegisterSymbolStartAction(typeStart => AnalyzeType(typeStart, symbols), SymbolKind.NamedType);
                }
            });
        }

        private static void AnalyzeType(SymbolStartAnalysisContext context, ConsensusSymbols symbols)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct)
                || !SourceMentions.MaySpellAnyPart(type, LeaderTransitions.TransitionSpellings, context.CancellationToken)
                || !symbols.MayTransition(type)
                || symbols.IsTestType(type))
            {
                return;
            }

            var analysis = new TypeAnalysis(type, symbols, WriteLog.Start(context, _ => true), LeaderTransitions.HasClusterContext(type));
            context.RegisterOperationAction(
                operationContext =>
                {
                    if (TypeScopedAnalysis.IsOwnOperation(operationContext, type))
                    {
                        analysis.Record(operationContext.Operation, operationContext.ContainingSymbol);
                    }
                },
                OperationKind.SimpleAssignment,
                OperationKind.Invocation,
                OperationKind.MethodReference,
                OperationKind.EventAssignment);
            context.RegisterSymbolEndAction(analysis.Judge);
        }

        /// <summary>What one type does: its transitions, the calls to its private methods, and which methods handle leader events.</summary>
        private sealed class TypeAnalysis
        {
            private readonly INamedTypeSymbol _type;
            private readonly ConsensusSymbols _symbols;
            private readonly Evidence _evidence;
            private readonly bool _clusterContext;
            private readonly Pending<(LeaderTransitions.Transition Transition, ISymbol Member)> _transitions = new();
            private readonly ConcurrentDictionary<IMethodSymbol, Pending<(IOperation Call, ISymbol Member)>> _calls = new(SymbolEqualityComparer.Default);
            private readonly ConcurrentDictionary<IMethodSymbol, bool> _escaped = new(SymbolEqualityComparer.Default);
            private readonly ConcurrentDictionary<IMethodSymbol, bool> _handlers = new(SymbolEqualityComparer.Default);

            public TypeAnalysis(INamedTypeSymbol type, ConsensusSymbols symbols, WriteLog writes, bool clusterContext)
            {
                _type = type;
                _symbols = symbols;
                _evidence = new Evidence(symbols, writes);
                _clusterContext = clusterContext;
            }

            public void Record(IOperation operation, ISymbol member)
            {
                switch (operation)
                {
                    case IEventAssignmentOperation { Adds: true, EventReference: IEventReferenceOperation subscribed } subscription
                        when ConsensusSymbols.IsLeaderEvent(subscribed.Event):
                        if (MethodGroup(subscription.HandlerValue) is { } handler)
                        {
                            _handlers.TryAdd(handler.OriginalDefinition, true);
                        }

                        return;
                    case IMethodReferenceOperation reference when IsOwnPrivateMethod(reference.Method):
                        _escaped.TryAdd(reference.Method.OriginalDefinition, true);
                        return;
                    case IInvocationOperation invocation when IsOwnPrivateMethod(invocation.TargetMethod):
                        _calls.GetOrAdd(invocation.TargetMethod.OriginalDefinition, _ => new Pending<(IOperation, ISymbol)>()).Add((invocation, member));
                        break;
                }

                if (LeaderTransitions.From(operation, _type, _clusterContext) is { } transition)
                {
                    _transitions.Add((transition, member));
                }
            }

            public void Judge(SymbolAnalysisContext context)
            {
                var reported = new List<IOperation>();
                foreach (var (transition, member) in _transitions.OrderBy(t => t.Transition.Statement.Syntax.SyntaxTree.FilePath, StringComparer.Ordinal)
                    .ThenBy(t => t.Transition.Statement.Syntax.SpanStart))
                {
                    context.CancellationToken.ThrowIfCancellationRequested();
                    var frame = Frame.Of(transition.Statement, transition.ValueCondition, _symbols);
                    if (IsLeftAlone(member, frame)
                        || ConfidenceOf(transition, frame, member) is not { } confidence
                        || reported.Any(earlier => Contains(earlier.Parent, transition.Statement)))
                    {
                        continue;
                    }

                    reported.Add(transition.Statement);
                    Confidence.Report(
                        context.ReportDiagnostic,
                        context.Options,
                        Rules.LeaderWithoutQuorum,
                        transition.Statement.Syntax.GetLocation(),
                        confidence,
                        messageArgs: Display.Of(transition.Expression.Syntax));
                }
            }

            /// <summary>
            /// Tests; initial state set in a constructor or initializer (not a transition at run time); the body of a
            /// method that is itself named like a transition (the call to it is judged, where it is made).
            /// </summary>
            private bool IsLeftAlone(ISymbol member, Frame frame) =>
                _symbols.IsTest(member)
                || (IsInitialization(member) && !frame.InLambda)
                || LeaderTransitions.IsTransitionMethodName(NameOf(member));

            /// <summary>
            /// The highest confidence over the unguarded ways to reach the transition, or null when every way shows a
            /// majority (or is a leader-changed callback).
            /// <list type="bullet">
            /// <item>90: a condition on the way says the leader looks dead (heartbeat, timeout, alive, expired, missed,
            /// suspect, <c>leader == null</c>, a caught <c>TimeoutException</c>): failover without a vote.</item>
            /// <item>80: no condition besides this node's own role/state checks, in a method named like an election or
            /// failover (elect, vote, failover, campaign, promote, heartbeat, timeout, missed, ...).</item>
            /// <item>70: conditions the rule cannot read, in such a method.</item>
            /// <item>60: no condition, no such name.</item>
            /// <item>50: conditions the rule cannot read, no such name.</item>
            /// <item>-10: named Primary/Master/Promote…/StepUp, or a leader flag in a type with no cluster vocabulary.</item>
            /// </list>
            /// </summary>
            private int? ConfidenceOf(LeaderTransitions.Transition transition, Frame frame, ISymbol member)
            {
                int? best = null;
                foreach (var path in Paths(member, ImmutableList.Create(frame), ImmutableList.Create(member), depth: 0).Take(MaxPaths))
                {
                    var kinds = path.Frames.SelectMany(f => f.Conditions).Select(_evidence.Classify).ToList();
                    var catches = path.Frames.SelectMany(f => f.Catches).ToList();
                    var leaderLooksDead = kinds.Contains(ConditionKind.LeaderLooksDead) || catches.Any(Evidence.IsFailureException);
                    var unreadable = kinds.Contains(ConditionKind.Unreadable) || catches.Any(c => !Evidence.IsFailureException(c));
                    var electionNamed = path.Members.Any(m => IdentifierWords.Any(NameOf(m), Evidence.ElectionWords));

                    var confidence = leaderLooksDead ? 90
                        : unreadable ? (electionNamed ? 70 : 50)
                        : electionNamed ? 80 : 60;
                    if (transition.Certainty != LeaderTransitions.Certainty.Named)
                    {
                        confidence -= 10;
                    }

                    best = best is null ? confidence : Math.Max(best.Value, confidence);
                }

                return best is null ? null : Confidence.Clamp(best.Value);
            }

            /// <summary>
            /// The unguarded ways to the transition: its own method's guards, then (for a private method that is only
            /// called, never passed as a delegate) the guards around each call to it, up to <see cref="MaxCallerDepth"/> levels.
            /// </summary>
            private IEnumerable<(ImmutableList<Frame> Frames, ImmutableList<ISymbol> Members)> Paths(
                ISymbol member, ImmutableList<Frame> frames, ImmutableList<ISymbol> members, int depth)
            {
                var last = frames[frames.Count - 1];
                if (last.InHandler || IsLeaderHandler(member) || _evidence.Covers(last))
                {
                    yield break;
                }

                if (depth > 0 && IsInitialization(member) && !last.InLambda)
                {
                    yield break; // called from a constructor: initial state
                }

                var method = member as IMethodSymbol;
                var calls = method is not null && depth < MaxCallerDepth && IsOwnPrivateMethod(method) && _calls.TryGetValue(method.OriginalDefinition, out var found)
                    ? found.Where(call => !members.Contains(call.Member, SymbolEqualityComparer.Default)).ToList()
                    : new List<(IOperation Call, ISymbol Member)>();
                if (calls.Count == 0 || (method is not null && _escaped.ContainsKey(method.OriginalDefinition)))
                {
                    yield return (frames, members);
                }

                foreach (var (call, caller) in calls)
                {
                    foreach (var path in Paths(caller, frames.Add(Frame.Of(call, null, _symbols)), members.Add(caller), depth + 1))
                    {
                        yield return path;
                    }
                }
            }

            /// <summary>A method subscribed to a leader event, named like a leader callback, or taking a leader-changed message.</summary>
            private bool IsLeaderHandler(ISymbol member) =>
                member is IMethodSymbol method
                && (_handlers.ContainsKey(method.OriginalDefinition)
                    || ConsensusSymbols.IsCallbackName(method.Name)
                    || method.Parameters.Any(p => _symbols.IsLeaderEventType(p.Type)));

            private bool IsOwnPrivateMethod(IMethodSymbol method) =>
                method is { MethodKind: MethodKind.Ordinary, DeclaredAccessibility: Accessibility.Private }
                && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, _type.OriginalDefinition);

            private static bool IsInitialization(ISymbol member) =>
                member is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } or IFieldSymbol or IPropertySymbol;

            private static IMethodSymbol? MethodGroup(IOperation? handler) => ClockSymbols.WalkDownImplicitConversions(handler) switch
            {
                IDelegateCreationOperation { Target: IMethodReferenceOperation reference } => reference.Method,
                IMethodReferenceOperation reference => reference.Method,
                _ => null,
            };

            /// <summary>The earlier report's statement sits in <paramref name="scope"/>, which also holds this one: one decision, one report.</summary>
            private static bool Contains(IOperation? scope, IOperation statement) =>
                scope is not null
                && scope.Syntax.SyntaxTree == statement.Syntax.SyntaxTree
                && scope.Syntax.Span.Contains(statement.Syntax.Span);
        }

        private static string NameOf(ISymbol member) =>
            member is IMethodSymbol { AssociatedSymbol: { } associated } ? associated.Name : member.Name;

        private enum ConditionKind
        {
            /// <summary>Only this node's own role, state or lifetime: says nothing about the election.</summary>
            OwnState,

            /// <summary>Heartbeats, timeouts, liveness, a missing leader: the usual reason to fail over.</summary>
            LeaderLooksDead,

            /// <summary>Something else the rule cannot interpret.</summary>
            Unreadable,
        }

        /// <summary>The guards on one way to a statement, within one method.</summary>
        private sealed class Frame
        {
            public List<IOperation> Conditions { get; } = new();

            public List<ITypeSymbol?> Catches { get; } = new();

            public List<IOperation> EarlierStatements { get; } = new();

            /// <summary>Inside a lambda passed to a leader-changed event or callback.</summary>
            public bool InHandler { get; private set; }

            /// <summary>Inside a lambda or local function: runs later than the code around it.</summary>
            public bool InLambda { get; private set; }

            public static Frame Of(IOperation start, IOperation? valueCondition, ConsensusSymbols symbols)
            {
                var frame = new Frame();
                if (valueCondition is not null)
                {
                    frame.Conditions.Add(valueCondition);
                }

                var current = start;
                for (var parent = start.Parent; parent is not null; current = parent, parent = parent.Parent)
                {
                    switch (parent)
                    {
                        case IConditionalOperation conditional when conditional.Condition != current:
                            frame.Conditions.Add(conditional.Condition);
                            break;
                        case IWhileLoopOperation { Condition: { } condition } when condition != current:
                            frame.Conditions.Add(condition);
                            break;
                        case IForLoopOperation { Condition: { } condition } when condition != current:
                            frame.Conditions.Add(condition);
                            break;
                        case ISwitchCaseOperation switchCase:
                            frame.AddClauses(switchCase);
                            break;
                        case ISwitchOperation @switch when @switch.Value != current:
                            frame.Conditions.Add(@switch.Value);
                            break;
                        case ISwitchExpressionArmOperation arm:
                            frame.Conditions.Add(arm.Pattern);
                            frame.AddIfPresent(arm.Guard);
                            break;
                        case ISwitchExpressionOperation switchExpression when switchExpression.Value != current:
                            frame.Conditions.Add(switchExpression.Value);
                            break;
                        case ICatchClauseOperation catchClause:
                            frame.Catches.Add(catchClause.ExceptionType);
                            frame.AddIfPresent(catchClause.Filter);
                            break;
                        case IBlockOperation block:
                            frame.AddEarlierStatements(block, current);
                            break;
                        case IAnonymousFunctionOperation lambda:
                            frame.InLambda = true;
                            frame.InHandler |= symbols.IsLeaderHandler(lambda);
                            break;
                        case ILocalFunctionOperation:
                            frame.InLambda = true;
                            break;
                    }
                }

                return frame;
            }

            private void AddIfPresent(IOperation? condition)
            {
                if (condition is not null)
                {
                    Conditions.Add(condition);
                }
            }

            private void AddClauses(ISwitchCaseOperation switchCase)
            {
                foreach (var clause in switchCase.Clauses)
                {
                    switch (clause)
                    {
                        case ISingleValueCaseClauseOperation single:
                            Conditions.Add(single.Value);
                            break;
                        case IRelationalCaseClauseOperation relational:
                            Conditions.Add(relational.Value);
                            break;
                        case IPatternCaseClauseOperation pattern:
                            Conditions.Add(pattern.Pattern);
                            AddIfPresent(pattern.Guard);
                            break;
                    }
                }
            }

            /// <summary>Earlier statements of the block; guard clauses (<c>if (…) return;</c>) and finished loops also guard what follows.</summary>
            private void AddEarlierStatements(IBlockOperation block, IOperation current)
            {
                var index = block.Operations.IndexOf(current);
                for (var i = 0; i < index; i++)
                {
                    var earlier = block.Operations[i];
                    EarlierStatements.Add(earlier);
                    switch (earlier)
                    {
                        case IConditionalOperation { WhenFalse: null } guard when Exits(guard.WhenTrue):
                            Conditions.Add(guard.Condition);
                            break;
                        case IWhileLoopOperation { Condition: { } condition }:
                            Conditions.Add(condition);
                            break;
                    }
                }
            }

            private static bool Exits(IOperation? branch)
            {
                var last = branch is IBlockOperation block ? block.Operations.LastOrDefault() : branch;
                return last is IReturnOperation or IBranchOperation or IThrowOperation or IExpressionStatementOperation { Operation: IThrowOperation };
            }
        }

        /// <summary>What the conditions on the way to a transition show, following variables back to their assignments with <see cref="WriteLog"/>.</summary>
        private sealed class Evidence
        {
            public static readonly ImmutableHashSet<string> ElectionWords = Set(
                "elect", "election", "elections", "failover", "takeover", "campaign", "candidacy", "candidate", "promote", "promotion", "vote", "votes", "ballot",
                "timeout", "timedout", "heartbeat", "heartbeats", "missed", "leaderless", "expired", "dead", "down", "lost", "suspect", "suspected");

            private static readonly ImmutableHashSet<string> QuorumWords = Set("quorum", "quorate", "majority", "majorities");

            /// <summary>Bool names that mean "we won the vote".</summary>
            private static readonly ImmutableHashSet<string> WonWords = Set("elected", "won");

            private static readonly ImmutableHashSet<string> EnoughWords = Set("enough", "sufficient", "required", "needed", "min", "minimum", "threshold");

            private static readonly ImmutableHashSet<string> VoteWords = Set(
                "vote", "votes", "voted", "ack", "acks", "acked", "acknowledged", "acknowledgements", "acknowledgments", "grant", "grants", "granted",
                "ballot", "ballots", "promise", "promises", "reply", "replies", "response", "responses", "confirmation", "confirmations",
                "accepts", "accepted", "approvals", "tally");

            private static readonly ImmutableHashSet<string> SizeWords = Set(
                "member", "members", "membership", "node", "nodes", "peer", "peers", "replica", "replicas", "cluster", "server", "servers",
                "voter", "voters", "participant", "participants", "acceptors", "electorate", "size");

            private static readonly ImmutableHashSet<string> CountWords = Set("count", "length", "total");

            /// <summary>An arbiter outside this node decided: a lock or lease acquired from a coordinator, an etcd-style campaign.</summary>
            private static readonly ImmutableHashSet<string> ArbiterWords = Set("acquire", "acquired", "acquiring", "campaign");

            private static readonly ImmutableHashSet<string> LeaderLooksDeadWords = Set(
                "alive", "dead", "down", "missed", "miss", "missing", "suspect", "suspected", "failed", "fail", "fails", "failure", "unreachable",
                "unresponsive", "silent", "lost", "gone", "crashed", "offline", "timeout", "timedout", "expired", "heartbeat", "heartbeats",
                "socket", "connection", "unavailable");

            private static readonly ImmutableHashSet<string> OwnStateWords = Set(
                "role", "state", "status", "mode", "leader", "candidate", "follower", "term", "disposed", "running", "started", "stopped",
                "stopping", "enabled", "active", "cancellation", "cancel", "cancelled", "canceled", "requested", "token", "shutdown");

            private static readonly ImmutableHashSet<string> LeaderNames = Set("leader", "leaders", "primary", "master");

            private readonly ConsensusSymbols _symbols;
            private readonly WriteLog _writes;

            // Filled at the type's end, on one thread: the paths to a transition share most of their conditions.
            private Dictionary<IOperation, ConditionKind>? _classified;

            public Evidence(ConsensusSymbols symbols, WriteLog writes)
            {
                _symbols = symbols;
                _writes = writes;
            }

            /// <summary>The frame shows a majority or an outside arbiter, or is a leader-changed callback.</summary>
            public bool Covers(Frame frame) =>
                frame.InHandler
                || frame.Conditions.Any(c => ShowsMajority(c) || ShowsArbiter(c))
                || frame.EarlierStatements.Any(AsksArbiter);

            public ConditionKind Classify(IOperation condition)
            {
                _classified ??= new Dictionary<IOperation, ConditionKind>();
                if (!_classified.TryGetValue(condition, out var kind))
                {
                    _classified[condition] = kind = ClassifyOnce(condition);
                }

                return kind;
            }

            private ConditionKind ClassifyOnce(IOperation condition)
            {
                if (Reach(condition).Any(LooksDead))
                {
                    return ConditionKind.LeaderLooksDead;
                }

                var names = condition.DescendantsAndSelf().Where(o => !IsConstant(o)).Select(NameOf).Where(n => n is not null).ToList();
                return names.All(name => IdentifierWords.Any(name, OwnStateWords)) ? ConditionKind.OwnState : ConditionKind.Unreadable;
            }

            public static bool IsFailureException(ITypeSymbol? exceptionType) =>
                exceptionType is not null && IdentifierWords.Any(exceptionType.Name, LeaderLooksDeadWords);

            // ---- Majority ----------------------------------------------------------------------------------------

            private bool ShowsMajority(IOperation condition)
            {
                foreach (var operation in Reach(condition))
                {
                    switch (operation)
                    {
                        case var _ when IsQuorumFlag(operation):
                            return true;
                        case IBinaryOperation binary when IsComparison(binary.OperatorKind) && ComparesMajority(binary):
                            return true;
                        case IIsPatternOperation pattern when IsSingleNodePattern(pattern):
                            return true;
                        case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: IInvocationOperation { TargetMethod.Name: "Any" } any }
                            when any.Arguments.Length <= 1 && SideOf(any).Size:
                            return true; // !_peers.Any(): alone in the cluster
                    }
                }

                return false;
            }

            /// <summary>HasQuorum(), _quorumReached, IsMajority, WonElection(), HasEnoughVotes(), _quorum.IsSatisfied: a bool that says a majority agreed.</summary>
            private static bool IsQuorumFlag(IOperation operation)
            {
                if (!IsBoolResult(operation) || NameOf(operation) is not { } name)
                {
                    return false;
                }

                var words = IdentifierWords.Of(name);
                if (words.Any(QuorumWords.Contains) || words.Any(WonWords.Contains) || (words.Any(EnoughWords.Contains) && words.Any(VoteWords.Contains)))
                {
                    return true;
                }

                var receiver = operation switch
                {
                    IInvocationOperation invocation => invocation.Instance,
                    IPropertyReferenceOperation property => property.Instance,
                    IFieldReferenceOperation field => field.Instance,
                    _ => null,
                };
                var owner = MemberOf(operation)?.ContainingType?.Name;
                return IdentifierWords.Any(receiver is null ? null : NameOf(receiver), QuorumWords) || IdentifierWords.Any(owner, QuorumWords);
            }

            private bool ComparesMajority(IBinaryOperation comparison)
            {
                var left = SideOf(comparison.LeftOperand);
                var right = SideOf(comparison.RightOperand);
                if (left.Quorum || right.Quorum)
                {
                    return true; // votes >= _quorum, acks >= RequiredAcks
                }

                if ((left.Votes && right.Size) || (right.Votes && left.Size))
                {
                    return true; // votes > _peers.Count / 2, granted * 2 > ClusterSize
                }

                if (BinaryOperators.Orderings.Contains(comparison.OperatorKind) && ((left.Votes && IsThreshold(comparison.RightOperand)) || (right.Votes && IsThreshold(comparison.LeftOperand))))
                {
                    return true; // votes >= _needed: a vote count against a threshold; whether it is a majority is DR2001's question
                }

                if ((left.Half || right.Half) && (left.Counted || right.Counted))
                {
                    return true; // any n / 2 form: DR2001 judges the arithmetic
                }

                return IsSingleNode(comparison.OperatorKind, left, comparison.RightOperand) || IsSingleNode(Flip(comparison.OperatorKind), right, comparison.LeftOperand);
            }

            /// <summary>A variable threshold, or a constant of at least 2 (one vote is never a majority of a cluster).</summary>
            private static bool IsThreshold(IOperation operand) =>
                operand.ConstantValue is not { HasValue: true, Value: { } value } || (IsInteger(value, out var constant) && constant >= 2);

            /// <summary>clusterSize == 1, _peers.Count == 0, Members.Count &lt;= 1: a single-node cluster is its own majority.</summary>
            private static bool IsSingleNode(BinaryOperatorKind kind, Side size, IOperation other)
            {
                if (!size.Size || other.ConstantValue is not { HasValue: true, Value: { } value } || !IsInteger(value, out var constant))
                {
                    return false;
                }

                return kind switch
                {
                    BinaryOperatorKind.Equals or BinaryOperatorKind.LessThanOrEqual => constant is 0 or 1,
                    BinaryOperatorKind.LessThan => constant is 1 or 2,
                    _ => false,
                };
            }

            private bool IsSingleNodePattern(IIsPatternOperation pattern) =>
                SideOf(pattern.Value).Size
                && pattern.Pattern is IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: { } value } }
                && IsInteger(value, out var constant) && constant is 0 or 1;

            private Side SideOf(IOperation operand)
            {
                var side = new Side();
                foreach (var operation in Reach(operand))
                {
                    if (IsHalf(operation))
                    {
                        side.Half = true;
                    }

                    if (NameOf(operation) is not { } name)
                    {
                        continue;
                    }

                    var words = IdentifierWords.Of(name);
                    side.Quorum |= words.Any(QuorumWords.Contains) || (words.Any(EnoughWords.Contains) && words.Any(VoteWords.Contains));
                    side.Votes |= words.Any(VoteWords.Contains);
                    side.Members |= words.Any(SizeWords.Contains);
                    side.Counted |= words.Any(CountWords.Contains);
                }

                side.Size = side.Members || (side.Counted && !side.Votes);
                side.Counted |= side.Votes || side.Size;
                return side;
            }

            /// <summary>n / 2, n / 2.0, n &gt;&gt; 1, votes * 2, n * 0.5, with the language's own operators.</summary>
            private static bool IsHalf(IOperation operation) => operation switch
            {
                IBinaryOperation { OperatorMethod: null, OperatorKind: BinaryOperatorKind.Divide, RightOperand: var right } => IsConstant(right, 2),
                IBinaryOperation { OperatorMethod: null, OperatorKind: BinaryOperatorKind.RightShift, RightOperand: var right } => IsConstant(right, 1),
                IBinaryOperation { OperatorMethod: null, OperatorKind: BinaryOperatorKind.Multiply } multiply =>
                    IsConstant(multiply.LeftOperand, 2) || IsConstant(multiply.RightOperand, 2) || IsConstant(multiply.LeftOperand, 0.5) || IsConstant(multiply.RightOperand, 0.5),
                _ => false,
            };

            // ---- Arbiters and libraries --------------------------------------------------------------------------

            /// <summary>
            /// The condition reads a consensus library (DotNext, Akka.Cluster, Kubernetes leader election), an acquired
            /// lock/lease, or the leader as another object reports it (<c>response.IsLeader</c>, <c>view.Leader == _self</c>):
            /// this node mirrors a decision made elsewhere.
            /// </summary>
            private bool ShowsArbiter(IOperation condition) =>
                Reach(condition).Any(operation =>
                    (MemberOf(operation) is { } member && _symbols.IsLibraryMember(member))
                    || (operation.Type is { } type && _symbols.IsLibraryType(type))
                    || IdentifierWords.Any(NameOf(operation), ArbiterWords)
                    || MirrorsReportedLeader(operation));

            private static bool MirrorsReportedLeader(IOperation operation) => operation switch
            {
                IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } equality =>
                    !IsNull(equality.LeftOperand) && !IsNull(equality.RightOperand)
                    && (equality.LeftOperand.DescendantsAndSelf().Any(IsReportedLeader) || equality.RightOperand.DescendantsAndSelf().Any(IsReportedLeader)),
                _ => IsReportedLeader(operation) && operation.Type?.SpecialType == SpecialType.System_Boolean,
            };

            /// <summary>A leader-named member of another object: <c>response.IsLeader</c>, <c>_view.Leader</c>.</summary>
            private static bool IsReportedLeader(IOperation operation)
            {
                var instance = operation switch
                {
                    IPropertyReferenceOperation property => property.Instance,
                    IFieldReferenceOperation field => field.Instance,
                    _ => null,
                };
                return instance is not null and not IInstanceReferenceOperation && IdentifierWords.Any(NameOf(operation), LeaderNames);
            }

            /// <summary>An earlier statement asked an arbiter: <c>await _cluster.WaitForLeadershipAsync()</c>, <c>await election.CampaignAsync()</c>, <c>AcquireLock()</c>.</summary>
            private bool AsksArbiter(IOperation statement) =>
                statement.DescendantsAndSelf().OfType<IInvocationOperation>().Any(invocation =>
                    _symbols.IsLibraryMember(invocation.TargetMethod)
                    || IdentifierWords.Any(invocation.TargetMethod.Name, ArbiterWords)
                    || IdentifierWords.Of(invocation.TargetMethod.Name).Contains("leadership"));

            // ---- Leader looks dead -------------------------------------------------------------------------------

            private static bool LooksDead(IOperation operation)
            {
                switch (operation)
                {
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                        return (IsNull(binary.RightOperand) && NamesLeader(binary.LeftOperand)) || (IsNull(binary.LeftOperand) && NamesLeader(binary.RightOperand));
                    case IIsPatternOperation { Pattern: IConstantPatternOperation { Value: var value } } isPattern when IsNull(value) && NamesLeader(isPattern.Value):
                        return true;
                }

                var name = NameOf(operation);
                return IdentifierWords.Any(name, LeaderLooksDeadWords) || IntervalVocabulary.Matches(name);
            }

            private static bool NamesLeader(IOperation operation) =>
                ClockSymbols.WalkDownImplicitConversions(operation) is { } walked && IdentifierWords.Any(NameOf(walked), LeaderNames);

            // ---- Following values ----------------------------------------------------------------------------------

            /// <summary>The operation and what it is made of, including the values assigned to the locals and own fields it reads.</summary>
            private IEnumerable<IOperation> Reach(IOperation operation)
            {
                var visited = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
                var pending = new Stack<(IOperation Operation, int Depth)>();
                pending.Push((operation, 0));
                while (pending.Count > 0)
                {
                    var (next, depth) = pending.Pop();
                    foreach (var descendant in next.DescendantsAndSelf())
                    {
                        yield return descendant;
                        if (depth < MaxWriteDepth && _writes.TrackedSymbol(descendant) is { } variable && visited.Add(variable))
                        {
                            foreach (var write in _writes.WritesTo(variable))
                            {
                                if (write is not null)
                                {
                                    pending.Push((write, depth + 1));
                                }
                            }
                        }
                    }
                }
            }

            private static string? NameOf(IOperation operation) => operation switch
            {
                ILocalReferenceOperation local => local.Local.Name,
                IParameterReferenceOperation parameter => parameter.Parameter.Name,
                IFieldReferenceOperation field => field.Field.Name,
                IPropertyReferenceOperation property => property.Property.Name,
                IEventReferenceOperation @event => @event.Event.Name,
                IInvocationOperation invocation => invocation.TargetMethod.Name,
                IMethodReferenceOperation method => method.Method.Name,
                _ => null,
            };

            private static ISymbol? MemberOf(IOperation operation) => operation switch
            {
                IFieldReferenceOperation field => field.Field,
                IPropertyReferenceOperation property => property.Property,
                IEventReferenceOperation @event => @event.Event,
                IInvocationOperation invocation => invocation.TargetMethod,
                _ => null,
            };

            private static bool IsBoolResult(IOperation operation)
            {
                if (operation.Type?.SpecialType == SpecialType.System_Boolean)
                {
                    return true;
                }

                // await HasQuorumAsync(): Task<bool> / ValueTask<bool>
                return operation is IInvocationOperation { TargetMethod.ReturnType: INamedTypeSymbol { IsGenericType: true, TypeArguments: { Length: 1 } arguments } }
                    && arguments[0].SpecialType == SpecialType.System_Boolean;
            }

            private static bool IsConstant(IOperation operation) =>
                operation is ILiteralOperation || operation is IFieldReferenceOperation { Field.HasConstantValue: true } || operation.ConstantValue.HasValue;

            private static bool IsConstant(IOperation operation, double expected) =>
                ClockSymbols.WalkDownImplicitConversions(operation)?.ConstantValue is { HasValue: true, Value: { } value }
                && value is int or long or uint or ulong or short or ushort or byte or sbyte or double or float or decimal
                && Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) == expected;

            private static bool IsNull(IOperation operation) =>
                ClockSymbols.WalkDownImplicitConversions(operation) is { ConstantValue: { HasValue: true, Value: null } };

            private static bool IsInteger(object value, out long result)
            {
                switch (value)
                {
                    case int i:
                        result = i;
                        return true;
                    case long l:
                        result = l;
                        return true;
                    case uint u:
                        result = u;
                        return true;
                    default:
                        result = 0;
                        return false;
                }
            }

            private static bool IsComparison(BinaryOperatorKind kind) =>
                kind is BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.LessThan
                    or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals;

            private static BinaryOperatorKind Flip(BinaryOperatorKind kind) => kind switch
            {
                BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThan,
                BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThanOrEqual,
                BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThan,
                BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThanOrEqual,
                _ => kind,
            };

            private static ImmutableHashSet<string> Set(params string[] words) => ImmutableHashSet.Create(StringComparer.Ordinal, words);

            /// <summary>What one side of a comparison is made of.</summary>
            private sealed class Side
            {
                public bool Quorum { get; set; }

                public bool Votes { get; set; }

                public bool Members { get; set; }

                /// <summary>A cluster size: members/nodes/peers/..., or a count that is not a vote count.</summary>
                public bool Size { get; set; }

                public bool Counted { get; set; }

                public bool Half { get; set; }
            }
        }

        /// <summary>
        /// Library types looked up once per compilation by metadata name: consensus libraries whose state or events
        /// decide leadership (DotNext Raft, Akka.Cluster, Kubernetes leader election), and test attributes.
        /// </summary>
        private sealed class ConsensusSymbols
        {
            /// <summary>Base types answered once: every type of the compilation asks about its bases, and most share a few.</summary>
            private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _baseMayTransition = new(SymbolEqualityComparer.Default);

            public bool MayTransition(INamedTypeSymbol type) => LeaderTransitions.MayTransition(type, BaseMayTransition);

            private bool BaseMayTransition(INamedTypeSymbol baseType) =>
                _baseMayTransition.TryGetValue(baseType, out var known) ? known : _baseMayTransition.GetOrAdd(baseType, MayTransition(baseType));

            private static readonly string[] LibraryTypeNames =
            {
                "DotNext.Net.Cluster.ICluster",
                "DotNext.Net.Cluster.IClusterMember",
                "DotNext.Net.Cluster.Consensus.Raft.IRaftCluster",
                "Akka.Cluster.Cluster",
                "k8s.LeaderElection.LeaderElector",
            };

            private static readonly string[] LeaderEventTypeNames =
            {
                "Akka.Cluster.ClusterEvent+LeaderChanged",
                "Akka.Cluster.ClusterEvent+RoleLeaderChanged",
            };

            private static readonly string[] TestAttributeNames =
            {
                "Xunit.FactAttribute",
                "Xunit.TheoryAttribute",
                "NUnit.Framework.TestAttribute",
                "NUnit.Framework.TestCaseAttribute",
                "NUnit.Framework.TestFixtureAttribute",
                "Microsoft.VisualStudio.TestTools.UnitTesting.TestMethodAttribute",
                "Microsoft.VisualStudio.TestTools.UnitTesting.TestClassAttribute",
                "TUnit.Core.TestAttribute",
            };

            private static readonly ImmutableHashSet<string> TestFrameworkAssemblies = ImmutableHashSet.Create(
                StringComparer.OrdinalIgnoreCase,
                "xunit.core", "xunit.v3.core", "nunit.framework", "Microsoft.VisualStudio.TestPlatform.TestFramework", "MSTest.TestFramework", "TUnit.Core");

            private static readonly ImmutableHashSet<string> LeaderEventWords = ImmutableHashSet.Create(StringComparer.Ordinal, "leader", "leadership", "leading");

            private static readonly ImmutableHashSet<string> ChangeWords = ImmutableHashSet.Create(
                StringComparer.Ordinal, "changed", "change", "changes", "elected", "acquired", "granted", "started", "became", "gained", "won", "promoted", "assigned");

            private readonly ImmutableArray<INamedTypeSymbol> _libraryTypes;
            private readonly ImmutableArray<INamedTypeSymbol> _leaderEventTypes;
            private readonly ImmutableArray<INamedTypeSymbol> _testAttributes;

            private ConsensusSymbols(Compilation compilation)
            {
                _libraryTypes = Lookup(compilation, LibraryTypeNames);
                _leaderEventTypes = Lookup(compilation, LeaderEventTypeNames);
                _testAttributes = Lookup(compilation, TestAttributeNames);
            }

            /// <summary>Null for a test project: tests put nodes into any state they need.</summary>
            public static ConsensusSymbols? Create(Compilation compilation) =>
                compilation.ReferencedAssemblyNames.Any(assembly => TestFrameworkAssemblies.Contains(assembly.Name)) ? null : new ConsensusSymbols(compilation);

            /// <summary>LeaderChanged, LeadershipChanged, OnLeaderElected, OnStartedLeading, ...</summary>
            public static bool IsLeaderEvent(IEventSymbol? @event) => @event is not null && IdentifierWords.Any(@event.Name, LeaderEventWords);

            /// <summary>OnLeaderChanged, OnBecameLeader, HandleLeadershipAcquired, OnStartedLeading, OnElected: looks like a leader callback.</summary>
            public static bool IsCallbackName(string name)
            {
                var words = IdentifierWords.Of(name);
                return words.Count > 1
                    && words[0] is "on" or "handle"
                    && ((words.Any(LeaderEventWords.Contains) && words.Any(ChangeWords.Contains)) || words.Contains("elected"));
            }

            public bool IsLibraryMember(ISymbol member) => member.ContainingType is { } type && IsLibraryType(type);

            public bool IsLibraryType(ITypeSymbol type) =>
                !_libraryTypes.IsEmpty && _libraryTypes.Any(library => IsOrDerivesFrom(type, library));

            /// <summary>Akka's LeaderChanged/RoleLeaderChanged, or a type named like LeaderChangedEventArgs/LeadershipChangeEventArgs.</summary>
            public bool IsLeaderEventType(ITypeSymbol? type) =>
                type is not null
                && (_leaderEventTypes.Any(t => SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, t))
                    || (IdentifierWords.Any(type.Name, LeaderEventWords) && IdentifierWords.Any(type.Name, ChangeWords)));

            /// <summary>A lambda subscribed to a leader event, passed to a leader callback registration, or taking a leader-changed message.</summary>
            public bool IsLeaderHandler(IAnonymousFunctionOperation lambda)
            {
                if (lambda.Symbol.Parameters.Any(p => IsLeaderEventType(p.Type)))
                {
                    return true;
                }

                var current = lambda.Parent;
                while (current is IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation)
                {
                    current = current.Parent;
                }

                return current switch
                {
                    IEventAssignmentOperation { Adds: true, EventReference: IEventReferenceOperation subscribed } => IsLeaderEvent(subscribed.Event),
                    IArgumentOperation { Parent: IInvocationOperation registration } => IsCallbackName(registration.TargetMethod.Name)
                        || (IdentifierWords.Any(registration.TargetMethod.Name, LeaderEventWords) && IdentifierWords.Any(registration.TargetMethod.Name, ChangeWords)),
                    _ => false,
                };
            }

            public bool IsTest(ISymbol member) =>
                !_testAttributes.IsEmpty
                && member.GetAttributes().Any(attribute => _testAttributes.Any(test => IsOrDerivesFrom(attribute.AttributeClass, test)));

            public bool IsTestType(INamedTypeSymbol type) => IsTest(type) || (!_testAttributes.IsEmpty && type.GetMembers().Any(IsTest));

            private static ImmutableArray<INamedTypeSymbol> Lookup(Compilation compilation, IEnumerable<string> names) =>
                names.Select(compilation.GetTypeByMetadataName).Where(t => t is not null).Select(t => t!).ToImmutableArray();

            private static bool IsOrDerivesFrom(ITypeSymbol? type, INamedTypeSymbol candidate)
            {
                for (var current = type; current is not null; current = current.BaseType)
                {
                    if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, candidate))
                    {
                        return true;
                    }
                }

                return type is not null && type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, candidate));
            }
        }
    }
}
