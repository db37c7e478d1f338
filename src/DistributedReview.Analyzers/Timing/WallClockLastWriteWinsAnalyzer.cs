using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview.Timing
{
    /// <summary>
    /// DR1005: last-write-wins by wall-clock timestamps. Flags a comparison of the same DateTime/DateTimeOffset
    /// member of two different instances (<c>incoming.UpdatedAt &gt; current.UpdatedAt</c>, <c>CompareTo</c>,
    /// <c>DateTime.Compare</c>) whose outcome keeps one of the two instances, in code whose names speak of
    /// replication (merge, sync, replica, peer, incoming, ...). Everything is decided inside the method body,
    /// so a plain operation action is enough.
    /// </summary>
    public sealed class WallClockLastWriteWinsAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.WallClockLastWriteWins);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(compilationStart =>
            {
                if (ClockSymbols.Create(compilationStart.Compilation) is { } clocks)
                {
                    void OnOperation(OperationAnalysisContext operationContext) => Analyze(operationContext, clocks);
                    compilationStart.RegisterOperationAction(BinaryOperators.Orderings.Filter(OnOperation), OperationKind.Binary);
                    compilationStart.RegisterOperationAction(Comparison.Calls.Filter(OnOperation), OperationKind.Invocation);
                }
            });
        }

        private static void Analyze(OperationAnalysisContext context, ClockSymbols clocks)
        {
            if (Comparison.From(context.Operation, clocks) is not { } comparison
                || context.ContainingSymbol.ContainingType is not { } type
                || clocks.IsClockImplementation(type))
            {
                return;
            }

            var memberName = MemberName(context.ContainingSymbol);
            if (Words.IsDisplay(memberName))
            {
                return; // picking the latest to show it is not a merge
            }

            // The names first: they are cheap, and without replication vocabulary nothing is reported.
            if (ReplicationConfidence(context.ContainingSymbol, memberName, comparison) is not { } confidence)
            {
                return;
            }

            var body = OperationTree.RootOf(comparison.Node);
            if (UsesLogicalVersion(comparison, body, clocks))
            {
                return;
            }

            var decision = DecisionOf(comparison, body);
            if (decision == Decision.None)
            {
                return;
            }

            confidence = Confidence.Clamp(decision == Decision.Bool ? confidence - 10 : confidence);

            Confidence.Report(
                context.ReportDiagnostic,
                context.Options,
                Rules.WallClockLastWriteWins,
                comparison.Node.Syntax.GetLocation(),
                confidence,
                messageArgs: Display.Of(comparison.Node.Syntax));
        }

        /// <summary>
        /// Where the replication vocabulary (merge, replica, sync, gossip, reconcile, conflict, peer, remote, incoming,
        /// apply, crdt, lww) is found: the containing method's name 90, the containing type's name 85, only the
        /// method's parameters (names or types) or the compared variables' names 70; none: not reported.
        /// A comparison that only produces a bool (returned, or returns true/false) rather than keeping one of the
        /// instances itself: -10, applied by the caller once the decision is known.
        /// </summary>
        private static int? ReplicationConfidence(ISymbol containingMember, string memberName, Comparison comparison)
        {
            int confidence;
            if (Words.IsReplication(memberName))
            {
                confidence = 90;
            }
            else if (ContainingTypes(containingMember).Any(t => Words.IsReplication(t.Name)))
            {
                confidence = 85;
            }
            else if (ParameterNames(containingMember).Concat(new[] { comparison.First[0].Name, comparison.Second[0].Name }).Any(Words.IsReplication))
            {
                confidence = 70;
            }
            else
            {
                return null;
            }

            return confidence;
        }

        private static string MemberName(ISymbol member) =>
            member is IMethodSymbol { AssociatedSymbol: { } associated } ? associated.Name : member.Name;

        private static IEnumerable<INamedTypeSymbol> ContainingTypes(ISymbol member)
        {
            for (var type = member.ContainingType; type is not null; type = type.ContainingType)
            {
                yield return type;
            }
        }

        private static IEnumerable<string> ParameterNames(ISymbol member)
        {
            var parameters = member switch
            {
                IMethodSymbol method => method.Parameters,
                IPropertySymbol property => property.Parameters,
                _ => ImmutableArray<IParameterSymbol>.Empty,
            };
            foreach (var parameter in parameters)
            {
                yield return parameter.Name;
                yield return parameter.Type?.Name ?? string.Empty;
            }
        }

        // ---- What the comparison decides -----------------------------------------------------------------

        private enum Decision
        {
            None,

            /// <summary>The outcome only becomes a bool (returned, or a return of true/false).</summary>
            Bool,

            /// <summary>The outcome returns, assigns, stores or copies one of the two instances.</summary>
            Kept,
        }

        private static Decision DecisionOf(Comparison comparison, IOperation body)
        {
            var root = ConditionRoot(comparison.Node);
            var decision = DecisionOfCondition(root, comparison);
            if (decision != Decision.None)
            {
                return decision;
            }

            // bool newer = incoming.UpdatedAt > current.UpdatedAt; if (newer) ...
            if (root.Parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: { Type.SpecialType: SpecialType.System_Boolean } local } })
            {
                foreach (var reference in body.Descendants().OfType<ILocalReferenceOperation>())
                {
                    if (SymbolEqualityComparer.Default.Equals(reference.Local, local))
                    {
                        var viaLocal = DecisionOfCondition(ConditionRoot(reference), comparison);
                        decision = viaLocal > decision ? viaLocal : decision;
                    }
                }
            }

            return decision;
        }

        private static Decision DecisionOfCondition(IOperation root, Comparison comparison)
        {
            switch (root.Parent)
            {
                case IConditionalOperation conditional when conditional.Condition == root:
                    return DecisionOfBranches(conditional, comparison);
                // DateTimeOffset.Compare(a.SeenAt, b.SeenAt) switch { > 0 => a, _ => b }
                case ISwitchExpressionOperation @switch when @switch.Value == root:
                    return @switch.Arms.Any(arm => Keeps(arm.Value, comparison)) ? Decision.Kept : Decision.None;
                case IReturnOperation @return when @return.ReturnedValue == root && root.Type?.SpecialType == SpecialType.System_Boolean:
                    return Decision.Bool;
                default:
                    return Decision.None;
            }
        }

        private static Decision DecisionOfBranches(IConditionalOperation conditional, Comparison comparison)
        {
            if (Keeps(conditional.WhenTrue, comparison) || Keeps(conditional.WhenFalse, comparison))
            {
                return Decision.Kept;
            }

            // if (incoming.UpdatedAt <= current.UpdatedAt) return;  _store[key] = incoming;
            if (conditional.WhenFalse is null && IsExit(conditional.WhenTrue) && conditional.Parent is IBlockOperation block)
            {
                var index = block.Operations.IndexOf(conditional);
                if (index >= 0 && block.Operations.Skip(index + 1).Any(next => Keeps(next, comparison)))
                {
                    return Decision.Kept;
                }
            }

            return ReturnsBoolConstant(conditional.WhenTrue) || ReturnsBoolConstant(conditional.WhenFalse) ? Decision.Bool : Decision.None;
        }

        /// <summary>The branch returns, assigns or passes on one of the two instances, or copies a member from one to the other.</summary>
        private static bool Keeps(IOperation? branch, Comparison comparison)
        {
            if (branch is null)
            {
                return false;
            }

            if (comparison.IsEitherInstance(branch))
            {
                return true; // incoming.UpdatedAt > current.UpdatedAt ? incoming : current
            }

            foreach (var operation in branch.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IReturnOperation { ReturnedValue: { } value } when comparison.IsEitherInstance(value):
                        return true;
                    case ISimpleAssignmentOperation assignment when comparison.IsEitherInstance(assignment.Value) || comparison.IsCopy(assignment):
                        return true;
                    case IArgumentOperation { Parameter.RefKind: RefKind.None or RefKind.In } argument
                        when comparison.IsEitherInstance(argument.Value) && !IsLogging(argument.Parent):
                        return true;
                }
            }

            return false;
        }

        /// <summary>A branch that leaves: return, continue, break or throw, possibly after other statements.</summary>
        private static bool IsExit(IOperation? branch)
        {
            var last = branch is IBlockOperation block ? block.Operations.LastOrDefault() : branch;
            return last is IReturnOperation or IBranchOperation or IThrowOperation or IExpressionStatementOperation { Operation: IThrowOperation };
        }

        private static bool ReturnsBoolConstant(IOperation? branch) =>
            branch is not null
            && branch.DescendantsAndSelf().OfType<IReturnOperation>().Any(r => r.ReturnedValue is { ConstantValue: { HasValue: true, Value: bool _ } });

        private static bool IsLogging(IOperation? call)
        {
            if (call is not IInvocationOperation { TargetMethod: var method })
            {
                return false;
            }

            var typeName = method.ContainingType?.Name ?? string.Empty;
            return method.Name.StartsWith("Log", StringComparison.Ordinal)
                || typeName.IndexOf("Logger", StringComparison.Ordinal) >= 0
                || (method.Name.StartsWith("Write", StringComparison.Ordinal) && typeName is "Console" or "Debug" or "Trace" or "TextWriter");
        }

        // ---- Logical versions ------------------------------------------------------------------------------

        /// <summary>
        /// The merge already orders writes logically: the condition reads a version-like member (version, counter,
        /// lamport, sequence, epoch, term, revision, vector clock, ...), or the method compares, combines or passes
        /// on such members of both instances in one operation (<c>a.Version &gt; b.Version</c>,
        /// <c>VectorClock.Compare(a.Clock, b.Clock)</c>, <c>Math.Max(a.Counter, b.Counter)</c>). The timestamp is then a tie-break.
        /// </summary>
        private static bool UsesLogicalVersion(Comparison comparison, IOperation body, ClockSymbols clocks)
        {
            if (ConditionRoot(comparison.Node).DescendantsAndSelf().Any(operation => IsVersionRead(operation, clocks)))
            {
                return true;
            }

            foreach (var operation in body.Descendants())
            {
                IEnumerable<IOperation?> operands = operation switch
                {
                    IBinaryOperation binary => new[] { binary.LeftOperand, binary.RightOperand },
                    IInvocationOperation invocation => invocation.Arguments.Select(a => a.Value).Prepend(invocation.Instance),
                    _ => Array.Empty<IOperation?>(),
                };
                var versions = operands.Select(Walk).Where(operand => IsVersionRead(operand, clocks)).ToList();
                if (versions.Any(v => comparison.IsFirst(MemberInstance(v))) && versions.Any(v => comparison.IsSecond(MemberInstance(v))))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsVersionRead(IOperation? operation, ClockSymbols clocks) => operation switch
        {
            IFieldReferenceOperation field => IsVersionMember(field.Field, field.Field.Type, clocks),
            IPropertyReferenceOperation property => IsVersionMember(property.Property, property.Property.Type, clocks),
            _ => false,
        };

        private static bool IsVersionMember(ISymbol member, ITypeSymbol? type, ClockSymbols clocks) =>
            type is not null && !IsInstantLike(type, clocks) && (Words.IsVersion(member.Name) || Words.IsVersion(type.Name));

        private static IOperation? MemberInstance(IOperation? operation) => operation switch
        {
            IFieldReferenceOperation field => field.Instance,
            IPropertyReferenceOperation property => property.Instance,
            _ => null,
        };

        // ---- Helpers -----------------------------------------------------------------------------------------

        /// <summary>Climbs from a comparison through !, &amp;&amp;, || and parentheses to the whole condition.</summary>
        private static IOperation ConditionRoot(IOperation operation)
        {
            var current = operation;
            while (current.Parent is IParenthesizedOperation
                or IConversionOperation { IsImplicit: true }
                or IUnaryOperation { OperatorKind: UnaryOperatorKind.Not }
                or IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr })
            {
                current = current.Parent;
            }

            return current;
        }

        private static IOperation? Walk(IOperation? operation) => ClockSymbols.WalkDownImplicitConversions(operation);

        /// <summary>DateTime, DateTimeOffset or a nullable of either.</summary>
        private static bool IsInstantLike(ITypeSymbol type, ClockSymbols clocks)
        {
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T, TypeArguments.Length: 1 } nullable)
            {
                type = nullable.TypeArguments[0];
            }

            return clocks.IsInstantType(type);
        }

        /// <summary>
        /// One comparison of the same timestamp member of two instances. An instance is identified by the chain of
        /// symbols that reaches it (<c>incoming</c>, <c>this</c>, <c>_entries[..]</c>, <c>pair.Value</c>).
        /// </summary>
        private sealed class Comparison
        {
            private Comparison(IOperation node, ImmutableArray<ISymbol> first, ImmutableArray<ISymbol> second)
            {
                Node = node;
                First = first;
                Second = second;
            }

            /// <summary>The squiggled comparison: the binary operator, or <c>CompareTo(...) &gt; 0</c>, or the call alone.</summary>
            public IOperation Node { get; }

            public ImmutableArray<ISymbol> First { get; }

            public ImmutableArray<ISymbol> Second { get; }

            /// <summary>The calls that compare instants: <c>a.CompareTo(b)</c>, <c>DateTime.Compare(a, b)</c>.</summary>
            public static readonly CallNames Calls = CallNames.Exactly("CompareTo", "Compare");

            public static Comparison? From(IOperation operation, ClockSymbols clocks)
            {
                switch (operation)
                {
                    // Instants compare through DateTime's or DateTimeOffset's operators (lifted for nullables): the
                    // operator settles the common case, a comparison of numbers, without looking at the operands.
                    case IBinaryOperation { OperatorMethod: { } method } binary when BinaryOperators.Orderings.Contains(binary.OperatorKind) && clocks.IsInstantType(method.ContainingType):
                        return Create(binary, binary.LeftOperand, binary.RightOperand, clocks);

                    // a.UpdatedAt.CompareTo(b.UpdatedAt)
                    case IInvocationOperation { TargetMethod: { Name: "CompareTo", IsStatic: false, Parameters.Length: 1 } method, Instance: { } instance } invocation
                        when clocks.IsInstantType(method.ContainingType) && clocks.IsInstantType(method.Parameters[0].Type) && invocation.Arguments.Length == 1:
                        return Create(ComparisonAround(invocation), instance, invocation.Arguments[0].Value, clocks);

                    // DateTime.Compare(a.UpdatedAt, b.UpdatedAt)
                    case IInvocationOperation { TargetMethod: { Name: "Compare", IsStatic: true, Parameters.Length: 2 } method } invocation
                        when clocks.IsInstantType(method.ContainingType) && invocation.Arguments.Length == 2:
                        return Create(ComparisonAround(invocation), invocation.Arguments[0].Value, invocation.Arguments[1].Value, clocks);

                    default:
                        return null;
                }
            }

            public bool IsFirst(IOperation? instance) => Matches(PathOf(instance), First);

            public bool IsSecond(IOperation? instance) => Matches(PathOf(instance), Second);

            public bool IsEitherInstance(IOperation? value)
            {
                var path = PathOf(value);
                return Matches(path, First) || Matches(path, Second);
            }

            /// <summary><c>current.Value = incoming.Value</c>: one instance's state overwritten by the other's.</summary>
            public bool IsCopy(ISimpleAssignmentOperation assignment)
            {
                var target = Walk(assignment.Target);
                var value = Walk(assignment.Value);
                if (MemberOf(target) is not { } targetMember || MemberOf(value) is not { } valueMember
                    || !SymbolEqualityComparer.Default.Equals(targetMember.OriginalDefinition, valueMember.OriginalDefinition))
                {
                    return false;
                }

                return (IsFirst(MemberInstance(target)) && IsSecond(MemberInstance(value)))
                    || (IsSecond(MemberInstance(target)) && IsFirst(MemberInstance(value)));
            }

            private static Comparison? Create(IOperation node, IOperation? left, IOperation? right, ClockSymbols clocks)
            {
                left = Walk(left);
                right = Walk(right);
                if (TimestampOf(left, clocks) is not { } leftMember || TimestampOf(right, clocks) is not { } rightMember
                    || !SymbolEqualityComparer.Default.Equals(leftMember.OriginalDefinition, rightMember.OriginalDefinition)
                    || PathOf(MemberInstance(left)) is not { } first || PathOf(MemberInstance(right)) is not { } second
                    || Matches(first, second))
                {
                    return null;
                }

                return new Comparison(node, first, second);
            }

            /// <summary>An instance field or property of type DateTime/DateTimeOffset (or a nullable of one).</summary>
            private static ISymbol? TimestampOf(IOperation? operation, ClockSymbols clocks) => operation switch
            {
                IFieldReferenceOperation { Field: { IsStatic: false } field, Instance: not null } when IsInstantLike(field.Type, clocks) => field,
                IPropertyReferenceOperation { Property: { IsStatic: false, Parameters.IsEmpty: true } property, Instance: not null } when IsInstantLike(property.Type, clocks) => property,
                _ => null,
            };

            private static ISymbol? MemberOf(IOperation? operation) => operation switch
            {
                IFieldReferenceOperation field => field.Field,
                IPropertyReferenceOperation property => property.Property,
                _ => null,
            };

            /// <summary><c>a.CompareTo(b) &gt; 0</c>: the relational operator around the call is the comparison.</summary>
            private static IOperation ComparisonAround(IOperation call)
            {
                var current = call;
                while (current.Parent is IParenthesizedOperation or IConversionOperation { IsImplicit: true })
                {
                    current = current.Parent;
                }

                return current.Parent is IBinaryOperation binary
                    && (BinaryOperators.Orderings.Contains(binary.OperatorKind) || binary.OperatorKind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals)
                    && (binary.LeftOperand == current ? binary.RightOperand : binary.LeftOperand).ConstantValue.HasValue
                    ? binary
                    : call;
            }

            /// <summary>The symbols leading to an instance; null when it is not a variable, this, or a member chain of those.</summary>
            private static ImmutableArray<ISymbol>? PathOf(IOperation? operation)
            {
                switch (Walk(operation))
                {
                    case ILocalReferenceOperation local:
                        return ImmutableArray.Create<ISymbol>(local.Local);
                    case IParameterReferenceOperation parameter:
                        return ImmutableArray.Create<ISymbol>(parameter.Parameter);
                    case IInstanceReferenceOperation { Type: { } type }:
                        return ImmutableArray.Create<ISymbol>(type);
                    case IFieldReferenceOperation field:
                        return Extend(field.Field.IsStatic ? ImmutableArray<ISymbol>.Empty : PathOf(field.Instance), field.Field);
                    case IPropertyReferenceOperation property:
                        // Indexer arguments are ignored: _entries[a] and _entries[b] count as one instance (never reported).
                        return Extend(property.Property.IsStatic ? ImmutableArray<ISymbol>.Empty : PathOf(property.Instance), property.Property);
                    default:
                        return null;
                }
            }

            private static ImmutableArray<ISymbol>? Extend(ImmutableArray<ISymbol>? path, ISymbol member) =>
                path is { } known ? known.Add(member.OriginalDefinition) : null;

            private static bool Matches(ImmutableArray<ISymbol>? path, ImmutableArray<ISymbol> other) =>
                path is { } known && known.Length == other.Length && known.Zip(other, (a, b) => SymbolEqualityComparer.Default.Equals(a, b)).All(same => same);
        }

        /// <summary>Identifier words (camelCase, PascalCase, snake_case) matched against the rule's vocabulary.</summary>
        private static class Words
        {
            private static readonly string[] Replication =
            {
                "merge", "replic", "sync", "resync", "gossip", "reconcil", "conflict", "peer", "remote", "incoming",
                "apply", "applie", "crdt", "lww",
            };

            private static readonly string[] Version =
            {
                "version", "counter", "lamport", "sequence", "seq", "epoch", "term", "generation", "revision", "clock",
                "vector", "hlc", "logical", "etag", "vclock",
            };

            private static readonly string[] DisplayWords =
            {
                "display", "report", "render", "format", "print", "show", "view", "dashboard", "ui", "summary", "describe",
            };

            public static bool IsReplication(string? name) =>
                IdentifierWords.Of(name).Any(word => Replication.Any(prefix => word.StartsWith(prefix, StringComparison.Ordinal)))
                || (name ?? string.Empty).IndexOf("lastwritewins", StringComparison.OrdinalIgnoreCase) >= 0;

            public static bool IsVersion(string? name) =>
                IdentifierWords.Of(name).Any(word => Version.Any(prefix => word.StartsWith(prefix, StringComparison.Ordinal)));

            public static bool IsDisplay(string? name) =>
                name == nameof(ToString) || IdentifierWords.Of(name).Any(word => DisplayWords.Contains(word));
        }
    }
}
