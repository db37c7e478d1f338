using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview.Consensus
{
    /// <summary>
    /// Statements that make the local node leader (DR2003): a leader flag of this type set to <c>true</c>
    /// (<c>IsLeader = true</c>), a role/state/status enum of this type set to its Leader/Primary/Master member
    /// (<c>_state = RaftState.Leader</c>), or a become-leader method called on <c>this</c> (<c>BecomeLeader()</c>,
    /// <c>PromoteToLeader()</c>, <c>TakeLeadership()</c>, <c>Promote…()</c>, <c>StepUp()</c>). The members are the
    /// program's own, so their names are the only evidence of what they mean; Primary/Master, Promote… and StepUp
    /// also need cluster vocabulary around them, because they mean other things elsewhere (a primary address).
    /// </summary>
    internal static class LeaderTransitions
    {
        /// <summary>How sure the name is about leadership.</summary>
        internal enum Certainty
        {
            /// <summary>"leader" in a type with cluster vocabulary.</summary>
            Named,

            /// <summary>"leader", but nothing else in the type speaks of a cluster.</summary>
            NoClusterContext,

            /// <summary>Primary/Master, Promote…, StepUp: names with other meanings, in a type with cluster vocabulary.</summary>
            Weak,
        }

        internal sealed class Transition
        {
            public Transition(IOperation statement, IOperation expression, Certainty certainty, IOperation? valueCondition)
            {
                Statement = statement;
                Expression = expression;
                Certainty = certainty;
                ValueCondition = valueCondition;
            }

            /// <summary>The expression statement (or return) that performs the transition: where the squiggle goes.</summary>
            public IOperation Statement { get; }

            /// <summary>The assignment or call as written, with its <c>await</c>: quoted in the message.</summary>
            public IOperation Expression { get; }

            public Certainty Certainty { get; }

            /// <summary>The condition of <c>c ? Role.Leader : Role.Follower</c>, which guards the transition like an <c>if</c>.</summary>
            public IOperation? ValueCondition { get; }
        }

        private static readonly ImmutableHashSet<string> FlagFillers = ImmutableHashSet.Create(
            StringComparer.Ordinal, "is", "am", "i", "im", "we", "are", "m", "s", "currently", "current", "now", "local", "self", "this", "node", "my", "me", "the", "own");

        private static readonly ImmutableHashSet<string> RoleWords = ImmutableHashSet.Create(StringComparer.Ordinal, "role", "state", "status");

        private static readonly ImmutableHashSet<string> LeaderWords = ImmutableHashSet.Create(StringComparer.Ordinal, "leader", "leadership", "leading");

        private static readonly ImmutableHashSet<string> WeakLeaderWords = ImmutableHashSet.Create(StringComparer.Ordinal, "primary", "master");

        /// <summary>Verbs that start a become-leader method name: BecomeLeader, TakeLeadership, SwitchToLeader, ...</summary>
        private static readonly ImmutableHashSet<string> TransitionVerbs = ImmutableHashSet.Create(
            StringComparer.Ordinal, "become", "promote", "take", "assume", "claim", "transition", "switch", "make", "seize");

        /// <summary>Words that make a leader-ish method name about something else: StartLeaderElection, BecomeLeaderIfQuorum.</summary>
        private static readonly ImmutableHashSet<string> NotATransition = ImmutableHashSet.Create(
            StringComparer.Ordinal, "election", "elect", "vote", "votes", "candidate", "follower", "heartbeat", "lease", "quorum", "majority", "if", "when", "request", "check");

        /// <summary>Enum members next to a Primary/Master that say the enum is a replication role.</summary>
        private static readonly ImmutableHashSet<string> ReplicaRoleMembers = ImmutableHashSet.Create(
            StringComparer.OrdinalIgnoreCase, "Follower", "Candidate", "Secondary", "Replica", "Standby", "Slave", "Backup");

        private static readonly ImmutableHashSet<string> ClusterWords = ImmutableHashSet.Create(
            StringComparer.Ordinal,
            "cluster", "node", "nodes", "peer", "peers", "replica", "replicas", "replication", "election", "elect", "elected", "failover",
            "raft", "paxos", "consensus", "heartbeat", "heartbeats", "quorum", "majority", "vote", "votes", "term", "follower", "candidate", "shard", "partition", "coordinator", "membership", "gossip", "lease");

        /// <summary>
        /// What every transition statement spells, in some case: a leader flag or method (lead), a Leader/Primary/Master
        /// role value or flag, Promote..., StepUp. A type whose source spells none of them makes no transition.
        /// </summary>
        public static readonly string[] TransitionSpellings = { "lead", "primary", "master", "promote", "step" };

        /// <summary>
        /// Cheap symbol check before a type is analysed: it (or a base type) has a leader flag, a role enum with a
        /// leader member, or a become-leader method. Most types have none and cost nothing more.
        /// </summary>
        public static bool MayTransition(INamedTypeSymbol type, Func<INamedTypeSymbol, bool> baseMayTransition) =>
            DeclaresTransitionMember(type) || (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType && baseMayTransition(baseType));

        /// <summary>The type's own members (not inherited ones) include a role flag, role enum or transition method.</summary>
        private static bool DeclaresTransitionMember(INamedTypeSymbol type)
        {
            // Names first: GetMembers() would wrap every member of every type in a public symbol, accessors and
            // backing fields included, while most types have no member whose name could matter.
            foreach (var name in type.MemberNames)
            {
                // The common case, without splitting names into words: a role enum's member is named with a role
                // word, anything else with a leadership word.
                var parts = PartsIn(name);
                if (parts == 0)
                {
                    continue;
                }

                var mayLead = (parts & LeadershipMask) != 0;
                foreach (var member in type.GetMembers(name))
                {
                    if (!mayLead && TypeOf(member) is not ({ TypeKind: TypeKind.Enum } or { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T }))
                    {
                        continue;
                    }

                    switch (member)
                    {
                        case IMethodSymbol { MethodKind: MethodKind.Ordinary } method when MethodCertainty(method.Name, clusterContext: true) is not null:
                            return true;
                        case IFieldSymbol or IPropertySymbol when TypeOf(member) is { } memberType
                            && (memberType.SpecialType == SpecialType.System_Boolean ? FlagCertainty(member.Name, true) is not null : IsRoleEnumMember(member, memberType)):
                            return true;
                    }
                }
            }

            return false;
        }

        private static readonly string[] RoleParts = { "role", "stat" };

        private static readonly string[] LeadershipParts = { "lead", "primary", "master", "promote", "stepup" };

        /// <summary>The parts a name is searched for, bit <c>i</c> of <see cref="PartsIn"/> for part <c>i</c>.</summary>
        private static readonly string[] Parts = RoleParts.Concat(LeadershipParts).ToArray();

        /// <summary>
        /// The bits of <see cref="RoleParts"/>: every name with a <see cref="RoleWords"/> word contains "role" or "stat"
        /// (state, status) in some case, so they are the cheap test before <see cref="IsRoleEnumMember"/>, which splits
        /// the name into words. The other bits are <see cref="LeadershipParts"/>'.
        /// </summary>
        private static readonly int RoleMask = (1 << RoleParts.Length) - 1;

        private static readonly int LeadershipMask = ((1 << Parts.Length) - 1) & ~RoleMask;

        /// <summary>
        /// The parts that start with a pair of letters, indexed by the pair's lower-case ASCII codes (seven bits
        /// each): the parts start with five common letters, but with only five of the 676 pairs.
        /// </summary>
        private static readonly byte[] PartsStartingWith = Enumerable.Range(0, Parts.Length).Aggregate(new byte[128 * 128], (starts, i) =>
        {
            starts[(Parts[i][0] << 7) | Parts[i][1]] |= (byte)(1 << i);
            return starts;
        });

        /// <summary>
        /// Which of <see cref="Parts"/> <paramref name="name"/> contains, in any case, as bits: one pass over the name
        /// instead of a case-insensitive search per part (this runs on every member name of every type). A name with
        /// other characters, whose case folding is not ASCII's, is searched the general way.
        /// </summary>
        private static int PartsIn(string name)
        {
            var found = 0;
            for (var i = 0; i + 1 < name.Length; i++)
            {
                var c = name[i];
                var next = name[i + 1];
                if ((c | next) >= 0x80)
                {
                    return Enumerable.Range(0, Parts.Length)
                        .Where(p => name.IndexOf(Parts[p], StringComparison.OrdinalIgnoreCase) >= 0)
                        .Aggregate(0, (bits, p) => bits | (1 << p));
                }

                // The parts are letters: folding a non-letter cannot make it one.
                for (var candidates = (int)PartsStartingWith[((c | 0x20) << 7) | (next | 0x20)]; candidates != 0; candidates &= candidates - 1)
                {
                    var part = TrailingZeros(candidates);
                    if (MatchesAt(name, i, Parts[part]))
                    {
                        found |= 1 << part;
                    }
                }
            }

            return found;
        }

        private static int TrailingZeros(int bits)
        {
            var count = 0;
            while ((bits & 1) == 0)
            {
                bits >>= 1;
                count++;
            }

            return count;
        }

        private static bool MatchesAt(string name, int start, string part)
        {
            if (start + part.Length > name.Length)
            {
                return false;
            }

            for (var j = 1; j < part.Length; j++)
            {
                if ((name[start + j] | 0x20) != part[j])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The type (or a base type) speaks of clusters: its name or one of its members' names has cluster vocabulary.</summary>
        public static bool HasClusterContext(INamedTypeSymbol type)
        {
            for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                if (IdentifierWords.Any(current.Name, ClusterWords) || current.MemberNames.Any(name => IdentifierWords.Any(name, ClusterWords)))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A method whose name says it makes this node leader; its body is the transition, judged where it is called.</summary>
        public static bool IsTransitionMethodName(string name) => MethodCertainty(name, clusterContext: true) is not null;

        /// <summary>The transition an assignment or invocation performs, when it is one and stands as a statement.</summary>
        public static Transition? From(IOperation operation, INamedTypeSymbol type, bool clusterContext)
        {
            Certainty? certainty;
            IOperation? valueCondition = null;
            switch (operation)
            {
                case ISimpleAssignmentOperation assignment:
                    certainty = OfAssignment(assignment, type, clusterContext, out valueCondition);
                    break;
                case IInvocationOperation invocation when IsOnThis(invocation, type):
                    certainty = MethodCertainty(invocation.TargetMethod.Name, clusterContext);
                    break;
                default:
                    return null;
            }

            if (certainty is null || StatementOf(operation, out var expression) is not { } statement)
            {
                return null;
            }

            return new Transition(statement, expression, certainty.Value, valueCondition);
        }

        private static Certainty? OfAssignment(ISimpleAssignmentOperation assignment, INamedTypeSymbol type, bool clusterContext, out IOperation? valueCondition)
        {
            valueCondition = null;
            if (OwnMember(assignment.Target, type) is not { } member || TypeOf(member) is not { } memberType)
            {
                return null;
            }

            if (memberType.SpecialType == SpecialType.System_Boolean)
            {
                var certainty = FlagCertainty(member.Name, clusterContext);
                return certainty is not null && IsValue(assignment.Value, v => v.ConstantValue is { HasValue: true, Value: true }, out valueCondition)
                    ? certainty
                    : null;
            }

            if (!IsRoleEnumMember(member, memberType) || EnumOf(memberType) is not { } enumType)
            {
                return null;
            }

            IFieldSymbol? leaderMember = null;
            if (!IsValue(assignment.Value, v => (leaderMember = LeaderMemberOf(v, enumType)) is not null, out valueCondition) || leaderMember is null)
            {
                return null;
            }

            if (string.Equals(leaderMember.Name, "Leader", StringComparison.OrdinalIgnoreCase))
            {
                return clusterContext ? Certainty.Named : Certainty.NoClusterContext;
            }

            // Primary/Master: a replication role when the enum also has Secondary/Follower/... or the type speaks of clusters.
            return clusterContext || enumType.MemberNames.Any(ReplicaRoleMembers.Contains) ? Certainty.Weak : null;
        }

        /// <summary>A bool named isLeader/leader/amLeader/IsLeaderNode (strong) or isPrimary/isMaster (weak).</summary>
        private static Certainty? FlagCertainty(string name, bool clusterContext)
        {
            var words = IdentifierWords.Of(name).Where(word => !FlagFillers.Contains(word)).ToList();
            if (words.Count != 1)
            {
                return null;
            }

            if (LeaderWords.Contains(words[0]))
            {
                return clusterContext ? Certainty.Named : Certainty.NoClusterContext;
            }

            return WeakLeaderWords.Contains(words[0]) && clusterContext ? Certainty.Weak : null;
        }

        /// <summary>BecomeLeader(Async), PromoteToLeader, TakeLeadership, SwitchToLeader (strong); Promote…, BecomePrimary, StepUp (weak).</summary>
        private static Certainty? MethodCertainty(string name, bool clusterContext)
        {
            var words = IdentifierWords.Of(name);
            if (words.Count > 1 && words[words.Count - 1] == "async")
            {
                words.RemoveAt(words.Count - 1);
            }

            if (words.Count == 0 || words.Any(NotATransition.Contains))
            {
                return null;
            }

            var rest = words.Skip(1).ToList();
            if (TransitionVerbs.Contains(words[0]) && rest.Any(LeaderWords.Contains))
            {
                return clusterContext ? Certainty.Named : Certainty.NoClusterContext;
            }

            if (words[0] is "start" or "begin" && rest.Count == 1 && rest[0] == "leading")
            {
                return clusterContext ? Certainty.Named : Certainty.NoClusterContext;
            }

            var weak = words[0] == "promote"
                || (TransitionVerbs.Contains(words[0]) && rest.Any(WeakLeaderWords.Contains))
                || (words.Count == 2 && words[0] == "step" && words[1] == "up");
            return weak && clusterContext ? Certainty.Weak : null;
        }

        /// <summary>An enum-typed field or property named like a role/state/status whose enum has a Leader/Primary/Master member.</summary>
        private static bool IsRoleEnumMember(ISymbol member, ITypeSymbol memberType) =>
            EnumOf(memberType) is { } enumType
            && IdentifierWords.Any(member.Name, RoleWords)
            && enumType.MemberNames.Any(IsLeaderMemberName);

        private static bool IsLeaderMemberName(string name) =>
            string.Equals(name, "Leader", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "Primary", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "Master", StringComparison.OrdinalIgnoreCase);

        private static IFieldSymbol? LeaderMemberOf(IOperation value, INamedTypeSymbol enumType) =>
            value is IFieldReferenceOperation { Field: { IsConst: true } field }
            && SymbolEqualityComparer.Default.Equals(field.ContainingType, enumType)
            && IsLeaderMemberName(field.Name)
                ? field
                : null;

        /// <summary>The value is the leader value, or a conditional expression with the leader value in one branch (its condition then guards).</summary>
        private static bool IsValue(IOperation value, Func<IOperation, bool> isLeaderValue, out IOperation? condition)
        {
            condition = null;
            var walked = ClockSymbols.WalkDownImplicitConversions(value);
            if (walked is null)
            {
                return false;
            }

            if (isLeaderValue(walked))
            {
                return true;
            }

            if (walked is IConditionalOperation { WhenFalse: { } whenFalse } conditional
                && (IsLeaderBranch(conditional.WhenTrue, isLeaderValue) || IsLeaderBranch(whenFalse, isLeaderValue)))
            {
                condition = conditional.Condition;
                return true;
            }

            return false;
        }

        private static bool IsLeaderBranch(IOperation branch, Func<IOperation, bool> isLeaderValue) =>
            ClockSymbols.WalkDownImplicitConversions(branch) is { } walked && isLeaderValue(walked);

        /// <summary>A field or property of this type (or a base type) on <c>this</c>, or static: the local node's own state.</summary>
        private static ISymbol? OwnMember(IOperation target, INamedTypeSymbol type)
        {
            switch (ClockSymbols.WalkDownImplicitConversions(target))
            {
                case IFieldReferenceOperation field when IsOwn(field.Field, field.Instance, type):
                    return field.Field;
                case IPropertyReferenceOperation { Property.IsIndexer: false } property when IsOwn(property.Property, property.Instance, type):
                    return property.Property;
                default:
                    return null;
            }
        }

        private static bool IsOnThis(IInvocationOperation invocation, INamedTypeSymbol type) =>
            invocation.TargetMethod is { MethodKind: MethodKind.Ordinary } method && IsOwn(method, invocation.Instance, type);

        private static bool IsOwn(ISymbol member, IOperation? instance, INamedTypeSymbol type) =>
            instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }
            || (instance is null && member.IsStatic && InheritsFrom(type, member.ContainingType));

        private static bool InheritsFrom(INamedTypeSymbol type, INamedTypeSymbol? candidate)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, candidate?.OriginalDefinition))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The statement the transition stands in: an expression statement or a return, through <c>await</c>,
        /// <c>ConfigureAwait</c> and <c>_ =</c>. A transition used as a value (<c>if (TryBecomeLeader())</c>) is not one.
        /// </summary>
        private static IOperation? StatementOf(IOperation operation, out IOperation expression)
        {
            var current = operation;
            while (current.Parent is IAwaitOperation or IParenthesizedOperation or IConversionOperation { IsImplicit: true }
                || (current.Parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configureAwait && configureAwait.Instance == current)
                || (current.Parent is ISimpleAssignmentOperation { Target: IDiscardOperation } discard && discard.Value == current))
            {
                current = current.Parent;
            }

            expression = current;
            return current.Parent is IExpressionStatementOperation or IReturnOperation ? current.Parent : null;
        }

        private static INamedTypeSymbol? EnumOf(ITypeSymbol type) => type switch
        {
            INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType => enumType,
            INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T, TypeArguments: { Length: 1 } arguments }
                when arguments[0] is INamedTypeSymbol { TypeKind: TypeKind.Enum } underlying => underlying,
            _ => null,
        };

        private static ITypeSymbol? TypeOf(ISymbol member) => member switch
        {
            IFieldSymbol field => field.Type,
            IPropertySymbol { Parameters.IsEmpty: true } property => property.Type,
            _ => null,
        };


    }
}
