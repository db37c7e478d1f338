using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Consensus
{
    internal enum MajorityShape
    {
        /// <summary><c>n / 2 + 1</c>, <c>(n &gt;&gt; 1) + 1</c>: a correct majority.</summary>
        PlusOne,

        /// <summary><c>count OP half</c>, the half written in place or kept in a variable first.</summary>
        Comparison,

        /// <summary><c>count * 2 OP n</c>.</summary>
        DoubledComparison,

        /// <summary>A half kept as the number of nodes needed: <c>quorum = n / 2</c>, <c>int Majority =&gt; n / 2;</c>.</summary>
        QuorumValue,
    }

    /// <summary>What the DR2001 fix does with a finding.</summary>
    internal enum QuorumFix
    {
        None,

        /// <summary><c>&gt;=</c> becomes <c>&gt;</c> (and <c>&lt;</c> becomes <c>&lt;=</c>, mirrored forms likewise).</summary>
        FlipComparison,

        /// <summary>The half becomes <c>n / 2 + 1</c>.</summary>
        ReplaceHalf,
    }

    /// <summary>One majority expression found in a type, with the evidence that it is a quorum.</summary>
    internal sealed class Majority
    {
        public MajorityShape Shape { get; set; }

        /// <summary>For comparisons: how the half is used.</summary>
        public HalfUse Use { get; set; }

        /// <summary>What DR2001 squiggles: the comparison, or the half kept as a quorum.</summary>
        public IOperation Operation { get; set; } = null!;

        /// <summary>The size the majority is taken of: what DR2002 squiggles.</summary>
        public IOperation Size { get; set; } = null!;

        /// <summary>The half involved; null for doubled counts.</summary>
        public Half? Half { get; set; }

        /// <summary>The target, the threshold variable or the enclosing member is named quorum/majority/required votes/...</summary>
        public bool QuorumNamed { get; set; }

        /// <summary>The count compared is named votes/acks/replies/grants/... (or reachable/alive/...).</summary>
        public bool CountNamed { get; set; }

        /// <summary>The size is named members/nodes/replicas/peers/cluster/...</summary>
        public bool SizeNamed { get; set; }

        /// <summary>The half was kept in a non-private field, property or method first: code elsewhere can use or write it.</summary>
        public bool KeptInNonPrivateMember { get; set; }

        public QuorumFix Fix { get; set; }

        /// <summary>Not a strict majority: half (or, for even sizes, exactly half) is accepted.</summary>
        public bool IsOffByOne => Shape == MajorityShape.QuorumValue
            || (Shape is MajorityShape.Comparison or MajorityShape.DoubledComparison && Use != HalfUse.Exceeds);
    }

    /// <summary>What the names and the origin of an operand say about what it counts.</summary>
    internal sealed class OperandFacts
    {
        /// <summary>The names seen: the operand's own, what it counts, and those of the values written to it.</summary>
        public List<string> Names { get; } = new();

        /// <summary>Evidence from the expression itself (names, a <c>Where(n =&gt; n.IsAlive)</c> filter) that only visible nodes are counted.</summary>
        public Visibility DirectVisibility { get; set; }

        /// <summary>The same evidence, found only by following what was written to a variable.</summary>
        public Visibility IndirectVisibility { get; set; }

        public Visibility Visibility => DirectVisibility > IndirectVisibility ? DirectVisibility : IndirectVisibility;

        public bool Any(Func<string, bool> predicate) => Names.Any(predicate);
    }

    /// <summary>
    /// Collects a type's majority arithmetic while the type is analysed, and at its end says which expressions are
    /// majorities and with what evidence. Halves are followed into the variables that keep them (locals, fields,
    /// auto-properties, computed properties and methods returning them), and every read of such a threshold is
    /// classified, so <c>var quorum = n / 2; if (acks &gt;= quorum)</c> is seen as a whole. Writes come from
    /// <see cref="WriteLog"/>; reads and returned values are collected here.
    /// </summary>
    internal sealed class MajorityCollector
    {
        private const int MaxFollowedVariables = 8;

        private static readonly string[] PassThroughCalls =
        {
            "Where", "Select", "ToList", "ToArray", "ToHashSet", "ToImmutableArray", "ToImmutableList", "ToImmutableHashSet",
            "Distinct", "AsEnumerable", "OfType", "Cast", "FindAll", "Except", "Count", "LongCount",
        };

        private static readonly string[] FilterCalls = { "Where", "Count", "LongCount", "FindAll" };

        private readonly INamedTypeSymbol _type;
        private readonly MajoritySymbols _symbols;
        private readonly WriteLog _writes;
        private readonly Pending<HalfSite> _halves = new();
        private readonly Pending<Site> _doubled = new();
        // Filled at the type's end, on one thread, and only when a majority expression needs them: a local's reads
        // from the member declaring it, a member's reads and returns from the bodies that may spell its name.
        private readonly Dictionary<ISymbol, List<IOperation>> _returns = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<ISymbol, List<Site>> _memberReads = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<ISymbol, List<Site>> _localReads = new(SymbolEqualityComparer.Default);
        private readonly HashSet<ISymbol> _localsWalked = new(SymbolEqualityComparer.Default);
        private readonly HashSet<int> _walkedForMembers = new();
        private readonly HashSet<ISymbol> _membersFollowed = new(SymbolEqualityComparer.Default);
        private List<(ImmutableArray<IOperation> Blocks, ISymbol Owner)>? _walkedBlocks;
        private Dictionary<IOperation, OperandFacts>? _described;
        private CancellationToken _cancellationToken;

        private MajorityCollector(INamedTypeSymbol type, MajoritySymbols symbols, WriteLog writes)
        {
            _type = type;
            _symbols = symbols;
            _writes = writes;
        }

        private enum FlowKind
        {
            None,
            PlusOne,
            Comparison,

            /// <summary>Kept in a variable or member of this type, whose reads can be followed.</summary>
            Kept,

            /// <summary>Given to something only its name is known of: a parameter, another object's property.</summary>
            Named,
        }

        /// <summary>
        /// Calls <paramref name="analyzeType"/> at the end of every type, with the type's majority expressions, in
        /// compilations that have <c>System.Math</c>.
        /// </summary>
        public static void Register(AnalysisContext context, Action<SymbolAnalysisContext, MajorityCollector, IReadOnlyList<Majority>> analyzeType)
        {
            context.RegisterCompilationStartAction(compilationStart =>
            {
                if (MajoritySymbols.Create(compilationStart.Compilation) is not { } symbols)
                {
                    return;
                }

                compilationStart.RegisterSymbolStartAction(
                    typeStart =>
                    {
                        var collector = new MajorityCollector((INamedTypeSymbol)typeStart.Symbol, symbols, WriteLog.Start(typeStart, symbols.IsFollowedType));
                        typeStart.RegisterOperationAction(MajorityExpressions.HalvingOrComparing.Filter(collector.OnOperation), OperationKind.Binary);
                        typeStart.RegisterOperationAction(MajorityExpressions.RoundingCalls.Filter(collector.OnOperation), OperationKind.Invocation);
                        typeStart.RegisterSymbolEndAction(typeEnd => analyzeType(typeEnd, collector, collector.Analyze(typeEnd.CancellationToken)));
                    },
                    SymbolKind.NamedType);
            });
        }

        /// <summary>What the operand's names and origin say it counts.</summary>
        public OperandFacts Describe(IOperation? operand)
        {
            // Asked at the type's end, on one thread, and often twice for one operand (a majority's size, by both rules).
            _described ??= new Dictionary<IOperation, OperandFacts>();
            if (operand is not null && _described.TryGetValue(operand, out var known))
            {
                return known;
            }

            var facts = new OperandFacts();
            Collect(operand, facts, new HashSet<ISymbol>(SymbolEqualityComparer.Default), indirect: false);
            if (operand is not null)
            {
                _described[operand] = facts;
            }

            return facts;
        }

        /// <summary>Halves and doubled counts, from the driver's own walk: only binary operations and calls are looked at.</summary>
        private void OnOperation(OperationAnalysisContext context)
        {
            // The shapes first, whether the member is this type's own (not a nested type's) last: few operations are halves.
            var operation = context.Operation;
            if (MajorityExpressions.AsHalf(operation, _symbols) is { } half && !MajorityExpressions.IsInsideRounding(half, _symbols))
            {
                if (TypeScopedAnalysis.IsOwnOperation(context, _type))
                {
                    _halves.Add(new HalfSite(half, OwnerOf(context.ContainingSymbol)));
                }
            }
            else if (operation is IBinaryOperation binary && MajorityExpressions.AsDoubledComparison(binary) is not null && TypeScopedAnalysis.IsOwnOperation(context, _type))
            {
                _doubled.Add(new Site(binary, OwnerOf(context.ContainingSymbol)));
            }
        }

        /// <summary>A property's accessors count as the property.</summary>
        private static ISymbol OwnerOf(ISymbol member) => member is IMethodSymbol { AssociatedSymbol: IPropertySymbol property } ? property : member;

        /// <summary>Where <paramref name="variable"/> is read in this type (numbers only), walking no more than needed.</summary>
        private List<Site>? ReadsOf(ISymbol variable)
        {
            var blocks = OwnBlocks();
            if (variable is ILocalSymbol local)
            {
                // A local is read only in the member that declares it.
                if (_localsWalked.Add(local) && TypeWrites.DeclaringMember(local, blocks) is { } member)
                {
                    WalkForLocal(blocks[member], local);
                }

                return _localReads.TryGetValue(local, out var localReads) ? localReads : null;
            }

            WalkFor(variable);
            return _memberReads.TryGetValue(variable, out var reads) ? reads : null;
        }

        /// <summary>What a member of this type returns: values it can hold, like a variable's writes.</summary>
        private List<IOperation>? ReturnsOf(ISymbol variable)
        {
            switch (variable)
            {
                case ILocalSymbol or IFieldSymbol:
                    return null; // only methods, properties and local functions return values
                case IMethodSymbol { MethodKind: MethodKind.LocalFunction }:
                    WalkFor(variable); // its returns are in the member that declares it, which spells its name
                    break;
                default:
                    WalkOwn(variable); // a method's or property's returns are in its own bodies
                    break;
            }

            return _returns.TryGetValue(variable, out var returned) ? returned : null;
        }

        /// <summary>The bodies of this type's own members (nested types are analysed with their own type), kept by the write log.</summary>
        private List<(ImmutableArray<IOperation> Blocks, ISymbol Owner)> OwnBlocks() =>
            _walkedBlocks ??= _writes.Members
                .Where(member => SymbolEqualityComparer.Default.Equals(member.Owner.ContainingType, _type))
                .Select(member => (member.Blocks, OwnerOf(member.Owner)))
                .ToList();

        /// <summary>
        /// Walks, once each, the members that can read <paramref name="variable"/> or return its value: those whose
        /// source may spell its name (<see cref="SourceMentions.MaySpell"/>; a read names what it reads, a local
        /// function is declared by name), and its own bodies, which do not spell it.
        /// </summary>
        private void WalkFor(ISymbol variable)
        {
            if (!_membersFollowed.Add(variable))
            {
                return;
            }

            var blocks = OwnBlocks();
            for (var i = 0; i < blocks.Count; i++)
            {
                if (!_walkedForMembers.Contains(i)
                    && (SymbolEqualityComparer.Default.Equals(blocks[i].Owner, variable) || blocks[i].Blocks.Any(block => SourceMentions.MaySpell(block.Syntax, variable.Name))))
                {
                    _walkedForMembers.Add(i);
                    Walk(blocks[i]);
                }
            }
        }

        /// <summary>Walks, once each, the bodies of <paramref name="member"/> itself.</summary>
        private void WalkOwn(ISymbol member)
        {
            var blocks = OwnBlocks();
            for (var i = 0; i < blocks.Count; i++)
            {
                if (SymbolEqualityComparer.Default.Equals(blocks[i].Owner, member) && _walkedForMembers.Add(i))
                {
                    Walk(blocks[i]);
                }
            }
        }

        /// <summary>Records one member's reads of this type's members, and what it returns.</summary>
        private void Walk((ImmutableArray<IOperation> Blocks, ISymbol Owner) member)
        {
            foreach (var block in member.Blocks)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                foreach (var operation in block.DescendantsAndSelf())
                {
                    if (operation is IReturnOperation { Kind: OperationKind.Return, ReturnedValue: { Type: { } type } returned } ret
                        && _symbols.IsFollowedType(type) && ReturnOwner(ret, member.Owner) is { } owner)
                    {
                        AddTo(_returns, owner, returned);
                    }

                    if (ReadOf(operation) is { } variable && variable is not ILocalSymbol)
                    {
                        AddTo(_memberReads, variable, new Site(operation, member.Owner));
                    }
                }
            }
        }

        /// <summary>
        /// Records the reads of <paramref name="local"/> in the member declaring it, in the order of a full walk, going
        /// down only into the operations whose source spells its name (a read names what it reads): most of a member is
        /// never visited. Implicit operations are always entered, as their syntax may be their parent's.
        /// </summary>
        private void WalkForLocal((ImmutableArray<IOperation> Blocks, ISymbol Owner) member, ILocalSymbol local)
        {
            var spellings = new List<int>();
            var pending = new Stack<IOperation>();
            foreach (var block in member.Blocks)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                spellings.Clear();
                var everywhere = !SourceMentions.TryFindSpellings(block.Syntax, local.Name, spellings);
                pending.Push(block);
                while (pending.Count > 0)
                {
                    var operation = pending.Pop();
                    if (operation.Kind == OperationKind.LocalReference && SymbolEqualityComparer.Default.Equals(ReadOf(operation), local))
                    {
                        AddTo(_localReads, local, new Site(operation, member.Owner));
                    }

                    foreach (var child in operation.ChildOperations.Reverse())
                    {
                        if (everywhere || child.IsImplicit || Spells(child.Syntax.Span))
                        {
                            pending.Push(child);
                        }
                    }
                }
            }

            bool Spells(TextSpan span)
            {
                foreach (var position in spellings)
                {
                    if (span.Contains(position))
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        private static void AddTo<T>(Dictionary<ISymbol, List<T>> map, ISymbol key, T value)
        {
            if (!map.TryGetValue(key, out var values))
            {
                map[key] = values = new List<T>();
            }

            values.Add(value);
        }

        private IReadOnlyList<Majority> Analyze(CancellationToken cancellationToken)
        {
            if (_halves.IsEmpty && _doubled.IsEmpty)
            {
                return Array.Empty<Majority>();
            }

            _cancellationToken = cancellationToken;
            var found = new List<Majority>();
            var kept = new Dictionary<ISymbol, List<Half>>(SymbolEqualityComparer.Default);
            foreach (var site in _halves)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var flow = FlowOf(site.Half.Operation, site.Owner);
                switch (flow.Kind)
                {
                    case FlowKind.PlusOne:
                        found.Add(PlusOne(site.Half, flow, site.Owner, thresholdNamed: false));
                        break;
                    case FlowKind.Comparison:
                        found.Add(Compared(site.Half, flow, site.Owner, inPlace: true));
                        break;
                    case FlowKind.Kept:
                        if (!kept.TryGetValue(flow.Variable!, out var halves))
                        {
                            kept[flow.Variable!] = halves = new List<Half>();
                        }

                        halves.Add(site.Half);
                        break;
                    case FlowKind.Named when QuorumVocabulary.IsQuorumName(flow.Name):
                        found.Add(QuorumValue(site.Half, countNamed: false, keptInNonPrivateMember: false, QuorumFix.ReplaceHalf));
                        break;
                }
            }

            foreach (var threshold in kept)
            {
                cancellationToken.ThrowIfCancellationRequested();
                AnalyzeThreshold(threshold.Key, threshold.Value, found);
            }

            foreach (var site in _doubled)
            {
                if (Doubled(site) is { } doubled)
                {
                    found.Add(doubled);
                }
            }

            return found;
        }

        /// <summary>
        /// A threshold variable that keeps a half. Named like a quorum, it declares the number of nodes needed, so the
        /// computation is what is wrong (unless every use already reads it as "more than"); otherwise it is just a
        /// half, and the comparisons that treat it as the number needed are what is wrong.
        /// </summary>
        private void AnalyzeThreshold(ISymbol threshold, List<Half> halves, List<Majority> found)
        {
            var aliases = new List<ISymbol>();
            var uses = UsesOf(threshold, aliases);
            var keptInNonPrivateMember = aliases.Any(alias => alias is IFieldSymbol or IPropertySymbol or IMethodSymbol { MethodKind: not MethodKind.LocalFunction }
                && alias.DeclaredAccessibility != Accessibility.Private);
            var quorumNamed = aliases.Any(alias => QuorumVocabulary.IsQuorumName(alias.Name))
                || uses.Any(use => use.Flow.Kind is FlowKind.Kept or FlowKind.Named && QuorumVocabulary.IsQuorumName(use.Flow.Name));

            // Without a quorum name, only a '+ 1' or a comparison makes a majority of it (a median's index makes none),
            // and 'votes >= t' only says something when t is always a half: both are settled before any use is described.
            if (!quorumNamed
                && (!uses.Any(use => use.Flow.Kind is FlowKind.PlusOne or FlowKind.Comparison) || !HoldsOnlyHalves(threshold, aliases)))
            {
                return;
            }

            // Each use, as a majority expression of each half the threshold can hold.
            var majorities = uses
                .SelectMany(use => halves.Select(half => use.Flow.Kind switch
                {
                    FlowKind.PlusOne => PlusOne(half, use.Flow, use.Read.Owner, quorumNamed),
                    FlowKind.Comparison => Compared(half, use.Flow, use.Read.Owner, inPlace: false),
                    _ => null,
                }))
                .ToList();
            var everyUseExceeds = uses.Count > 0 && majorities.All(m => m is { Shape: MajorityShape.PlusOne } or { Use: HalfUse.Exceeds });

            if (quorumNamed && !everyUseExceeds)
            {
                // Fixing the computation would change what '> quorum' and 'quorum + 1' mean: mixed uses need a person.
                var fix = majorities.Any(m => m is { Shape: MajorityShape.PlusOne } or { Use: HalfUse.Exceeds }) ? QuorumFix.None : QuorumFix.ReplaceHalf;
                var countNamed = majorities.Any(m => m is { CountNamed: true, Use: not HalfUse.Exceeds });
                foreach (var half in halves)
                {
                    found.Add(QuorumValue(half, countNamed, keptInNonPrivateMember, fix));
                }

                return;
            }

            var onlyComparedAsNeeded = majorities.All(m => m is { Shape: MajorityShape.Comparison, Use: not HalfUse.Exceeds });
            foreach (var majority in majorities)
            {
                if (majority is null)
                {
                    continue;
                }

                majority.QuorumNamed |= quorumNamed;
                majority.KeptInNonPrivateMember = keptInNonPrivateMember;
                if (majority.IsOffByOne)
                {
                    // Flipping the comparison is local to it; rewriting the half changes every use, so only when all of them want it.
                    majority.Fix = majority.Use == HalfUse.Reaches && !majority.Half!.RoundsUp ? QuorumFix.FlipComparison
                        : halves.Count == 1 && onlyComparedAsNeeded ? QuorumFix.ReplaceHalf
                        : QuorumFix.None;
                }

                found.Add(majority);
            }
        }

        /// <summary>
        /// Reads of the threshold, and of the variables that only copy it (<c>var half = n / 2; _quorum = half;</c>):
        /// those are followed into the copy's own reads. <paramref name="aliases"/> receives the threshold and its copies.
        /// </summary>
        private List<(Site Read, Flow Flow)> UsesOf(ISymbol threshold, List<ISymbol> aliases)
        {
            aliases.Add(threshold);
            var uses = new List<(Site Read, Flow Flow)>();
            if (ReadsOf(threshold) is not { } reads)
            {
                return uses;
            }

            foreach (var read in reads)
            {
                var flow = FlowOf(read.Operation, read.Owner);
                if (flow.Kind == FlowKind.Kept
                    && aliases.Count < MaxFollowedVariables
                    && !aliases.Contains(flow.Variable!, SymbolEqualityComparer.Default)
                    && HoldsOnlyHalves(flow.Variable!, aliases))
                {
                    uses.AddRange(UsesOf(flow.Variable!, aliases));
                }
                else
                {
                    uses.Add((read, flow));
                }
            }

            return uses;
        }

        /// <summary>Every value written to (or returned by) the variable is a half, or a read of one of <paramref name="aliases"/>.</summary>
        private bool HoldsOnlyHalves(ISymbol variable, List<ISymbol> aliases)
        {
            var writes = _writes.WritesTo(variable).ToList();
            if (ReturnsOf(variable) is { } returned)
            {
                writes.AddRange(returned);
            }

            // A ?: or switch expression counts when each result is a half, such a read, or a constant (0 off the leader).
            return writes.Count > 0 && writes.All(write =>
            {
                var branches = write is null ? new List<IOperation>() : MajorityExpressions.Branches(write).ToList();
                var halves = branches.Count(branch =>
                    MajorityExpressions.AsHalf(MajorityExpressions.Unwrap(branch), _symbols) is not null
                    || (MajorityExpressions.Unwrap(branch) is { } value && ReadOf(value) is { } source && aliases.Contains(source, SymbolEqualityComparer.Default)));
                return halves > 0 && halves + branches.Count(branch => branches.Count > 1 && branch.ConstantValue.HasValue) == branches.Count;
            });
        }

        private Majority PlusOne(Half half, Flow flow, ISymbol owner, bool thresholdNamed)
        {
            var destination = FlowOf(flow.Operation!, owner);
            return new Majority
            {
                Shape = MajorityShape.PlusOne,
                Operation = flow.Operation!,
                Size = half.Size,
                Half = half,
                QuorumNamed = thresholdNamed
                    || QuorumVocabulary.IsQuorumName(EnclosingMember(flow.Operation!, owner).Name)
                    || (destination.Kind is FlowKind.Kept or FlowKind.Named && QuorumVocabulary.IsQuorumName(destination.Name)),
                CountNamed = destination.Kind == FlowKind.Comparison && Describe(destination.Other).Any(QuorumVocabulary.IsResponseCountName),
                SizeNamed = Describe(half.Size).Any(QuorumVocabulary.IsMembershipName),
            };
        }

        private Majority Compared(Half half, Flow flow, ISymbol owner, bool inPlace)
        {
            var comparison = (IBinaryOperation)flow.Operation!;
            var use = MajorityExpressions.UseOf(comparison, flow.ValueOnLeft);
            var count = Describe(flow.Other);

            // peerAcks >= (peers + 1) / 2: ceil(peers / 2) other nodes plus this one are a majority.
            if (use == HalfUse.Reaches && half.AddsThisNode && count.Any(QuorumVocabulary.ExcludesSelf))
            {
                use = HalfUse.Exceeds;
            }

            return new Majority
            {
                Shape = MajorityShape.Comparison,
                Use = use,
                Operation = comparison,
                Size = half.Size,
                Half = half,
                QuorumNamed = QuorumVocabulary.IsQuorumName(EnclosingMember(comparison, owner).Name),
                CountNamed = count.Any(QuorumVocabulary.IsResponseCountName),
                SizeNamed = Describe(half.Size).Any(QuorumVocabulary.IsMembershipName),
                Fix = !inPlace ? QuorumFix.None
                    : use == HalfUse.Reaches && !half.RoundsUp ? QuorumFix.FlipComparison
                    : use != HalfUse.Exceeds ? QuorumFix.ReplaceHalf
                    : QuorumFix.None,
            };
        }

        private Majority QuorumValue(Half half, bool countNamed, bool keptInNonPrivateMember, QuorumFix fix) => new()
        {
            Shape = MajorityShape.QuorumValue,
            Operation = half.Operation,
            Size = half.Size,
            Half = half,
            QuorumNamed = true,
            CountNamed = countNamed,
            SizeNamed = Describe(half.Size).Any(QuorumVocabulary.IsMembershipName),
            KeptInNonPrivateMember = keptInNonPrivateMember,
            Fix = fix,
        };

        private Majority? Doubled(Site site)
        {
            if (site.Operation is not IBinaryOperation comparison || MajorityExpressions.AsDoubledComparison(comparison) is not { } doubled)
            {
                return null;
            }

            // The size plays the half's part: votes * 2 >= n is votes >= n / 2.0.
            var use = MajorityExpressions.UseOf(comparison, valueOnLeft: !doubled.DoubledOnLeft);
            return new Majority
            {
                Shape = MajorityShape.DoubledComparison,
                Use = use,
                Operation = comparison,
                Size = doubled.Size,
                QuorumNamed = QuorumVocabulary.IsQuorumName(EnclosingMember(comparison, site.Owner).Name),
                CountNamed = Describe(doubled.Count).Any(QuorumVocabulary.IsResponseCountName),
                SizeNamed = Describe(doubled.Size).Any(QuorumVocabulary.IsMembershipName),
                Fix = use == HalfUse.Reaches ? QuorumFix.FlipComparison : QuorumFix.None,
            };
        }

        /// <summary>
        /// Where a value goes: through parentheses, conversions and <c>Math.Max/Min</c> arguments, into <c>+ 1</c>, a
        /// comparison, a variable or member of this type (declaration, assignment, initializer, <c>return</c>), or a
        /// parameter or another object's member.
        /// </summary>
        private Flow FlowOf(IOperation value, ISymbol owner)
        {
            var current = MajorityExpressions.Outer(value);
            while (true)
            {
                if (current.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "Max" or "Min" } method } call }
                    && _symbols.IsMath(method.ContainingType))
                {
                    current = MajorityExpressions.Outer(call);
                }
                else if (MajorityExpressions.ChoiceOf(current) is { } choice)
                {
                    current = MajorityExpressions.Outer(choice); // one branch of ?: or a switch expression
                }
                else
                {
                    break;
                }
            }

            switch (current.Parent)
            {
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add
                    when MajorityExpressions.IsConstant(add.LeftOperand == current ? add.RightOperand : add.LeftOperand, 1):
                    return new Flow(FlowKind.PlusOne, add);
                case IBinaryOperation comparison when MajorityExpressions.IsComparison(comparison):
                    var valueOnLeft = comparison.LeftOperand == current;
                    return new Flow(FlowKind.Comparison, comparison, other: valueOnLeft ? comparison.RightOperand : comparison.LeftOperand, valueOnLeft: valueOnLeft);
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    return Kept(declarator.Symbol);
                case IFieldInitializerOperation { InitializedFields: { Length: 1 } fields }:
                    return Kept(fields[0].OriginalDefinition);
                case IPropertyInitializerOperation { InitializedProperties: { Length: 1 } properties }:
                    return Kept(properties[0].OriginalDefinition);
                case ISimpleAssignmentOperation assignment when assignment.Value == current:
                    return _writes.TrackedSymbol(assignment.Target) is { } variable
                        ? Kept(variable)
                        : new Flow(FlowKind.Named, name: MajorityExpressions.NameOf(assignment.Target));
                case IReturnOperation { Kind: OperationKind.Return } ret:
                    return ReturnOwner(ret, owner) is { } member ? Kept(member) : default;
                case IArgumentOperation { Parameter: { } parameter }:
                    return new Flow(FlowKind.Named, name: parameter.Name);
                default:
                    return default;
            }

            static Flow Kept(ISymbol variable) => new(FlowKind.Kept, variable: variable, name: variable.Name);
        }

        /// <summary>A read of a number kept in a local, or in a field, property or method of this type (on <c>this</c> or static).</summary>
        private ISymbol? ReadOf(IOperation operation)
        {
            if (!MajorityExpressions.IsNumber(operation.Type) || IsWriteTarget(operation))
            {
                return null;
            }

            switch (operation)
            {
                case ILocalReferenceOperation local:
                    return local.Local;
                case IFieldReferenceOperation field when IsOwn(field.Field, field.Instance):
                    return field.Field.OriginalDefinition;
                case IPropertyReferenceOperation { Property.IsIndexer: false } property when IsOwn(property.Property, property.Instance):
                    return property.Property.OriginalDefinition;
                case IInvocationOperation { TargetMethod: { MethodKind: MethodKind.LocalFunction } method }:
                    return method.OriginalDefinition;
                case IInvocationOperation invocation when IsOwn(invocation.TargetMethod, invocation.Instance):
                    return invocation.TargetMethod.OriginalDefinition;
                default:
                    return null;
            }
        }

        private static bool IsWriteTarget(IOperation operation) => operation.Parent switch
        {
            ISimpleAssignmentOperation assignment => assignment.Target == operation,
            IArgumentOperation { Parameter.RefKind: RefKind.Out } => true,
            _ => false,
        };

        private bool IsOwn(ISymbol member, IOperation? instance) =>
            SymbolEqualityComparer.Default.Equals(member.ContainingType?.OriginalDefinition, _type)
            && (member.IsStatic || instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance });

        /// <summary>The member a <c>return</c> returns from: a local function, the method or property; null inside a lambda.</summary>
        private static ISymbol? ReturnOwner(IOperation operation, ISymbol owner)
        {
            for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
            {
                switch (parent)
                {
                    case IAnonymousFunctionOperation:
                        return null;
                    case ILocalFunctionOperation localFunction:
                        return localFunction.Symbol;
                }
            }

            return owner is IMethodSymbol { MethodKind: MethodKind.Ordinary } or IPropertySymbol ? owner : null;
        }

        /// <summary>The member whose name describes the code: the enclosing local function, or the method or property.</summary>
        private static ISymbol EnclosingMember(IOperation operation, ISymbol owner)
        {
            for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent is ILocalFunctionOperation localFunction)
                {
                    return localFunction.Symbol;
                }
            }

            return owner;
        }

        /// <summary>Gathers names and visibility evidence from an operand, following variables of this type to what was written to them.</summary>
        private void Collect(IOperation? operation, OperandFacts facts, HashSet<ISymbol> followed, bool indirect)
        {
            switch (MajorityExpressions.Unwrap(operation))
            {
                case ILocalReferenceOperation local:
                    AddName(local.Local.Name, facts, indirect);
                    Follow(local.Local, facts, followed);
                    break;
                case IParameterReferenceOperation parameter:
                    AddName(parameter.Parameter.Name, facts, indirect);
                    break;
                case IFieldReferenceOperation field:
                    CollectMember(field.Field, field.Instance, facts, followed, indirect);
                    break;
                case IPropertyReferenceOperation { Property.IsIndexer: false } property:
                    CollectMember(property.Property, property.Instance, facts, followed, indirect);
                    break;
                case IInvocationOperation invocation when PassThroughCalls.Contains(invocation.TargetMethod.Name):
                    CollectFilters(invocation, facts, indirect);
                    Collect(MajorityExpressions.SourceOf(invocation), facts, followed, indirect);
                    break;
                case IInvocationOperation invocation:
                    CollectMember(invocation.TargetMethod, invocation.Instance, facts, followed, indirect);
                    break;
                case IIncrementOrDecrementOperation increment:
                    Collect(increment.Target, facts, followed, indirect);
                    break;
                case ICompoundAssignmentOperation compound:
                    Collect(compound.Target, facts, followed, indirect);
                    break;
                case IObjectCreationOperation { Arguments: { Length: > 0 } arguments }:
                    Collect(arguments[0].Value, facts, followed, indirect); // new List<Node>(alive)
                    break;
            }
        }

        private void CollectMember(ISymbol member, IOperation? instance, OperandFacts facts, HashSet<ISymbol> followed, bool indirect)
        {
            AddName(member.Name, facts, indirect);
            if (QuorumVocabulary.IsGenericCountName(member.Name))
            {
                Collect(instance, facts, followed, indirect);
            }

            if (IsOwn(member, instance))
            {
                Follow(member.OriginalDefinition, facts, followed);
            }
        }

        private void Follow(ISymbol variable, OperandFacts facts, HashSet<ISymbol> followed)
        {
            if (followed.Count >= MaxFollowedVariables || !followed.Add(variable))
            {
                return;
            }

            foreach (var write in _writes.WritesTo(variable))
            {
                Collect(write, facts, followed, indirect: true);
            }

            if (ReturnsOf(variable) is { } returned)
            {
                foreach (var value in returned)
                {
                    Collect(value, facts, followed, indirect: true);
                }
            }
        }

        /// <summary>
        /// <c>Where(n =&gt; n.IsAlive)</c>, <c>Count(n =&gt; n.Status == NodeStatus.Up)</c>, <c>Where(n =&gt; !n.IsDown)</c>,
        /// <c>Where(IsReachable)</c>, <c>Except(failed)</c>: a filter that keeps only the nodes seen to be alive.
        /// </summary>
        private static void CollectFilters(IInvocationOperation invocation, OperandFacts facts, bool indirect)
        {
            var source = MajorityExpressions.SourceOf(invocation);
            foreach (var argument in invocation.Arguments)
            {
                var value = MajorityExpressions.Unwrap(argument.Value);
                if (value == MajorityExpressions.Unwrap(source))
                {
                    continue;
                }

                var visibility = Visibility.None;
                if (invocation.TargetMethod.Name == "Except")
                {
                    visibility = QuorumVocabulary.IsDownName(MajorityExpressions.NameOf(value)) ? Visibility.Strong : Visibility.None;
                }
                else if (FilterCalls.Contains(invocation.TargetMethod.Name))
                {
                    visibility = value switch
                    {
                        IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } => VisibilityOfPredicate(lambda.Body),
                        IDelegateCreationOperation { Target: IMethodReferenceOperation method } => QuorumVocabulary.VisibilityOf(method.Method.Name),
                        _ => Visibility.None,
                    };
                }

                AddVisibility(visibility, facts, indirect);
            }
        }

        private static Visibility VisibilityOfPredicate(IOperation body)
        {
            var strongest = Visibility.None;
            foreach (var operation in body.DescendantsAndSelf())
            {
                var name = operation switch
                {
                    IPropertyReferenceOperation property => property.Property.Name,
                    IFieldReferenceOperation field => field.Field.Name,
                    IInvocationOperation call => call.TargetMethod.Name,
                    _ => null,
                };
                if (name is null)
                {
                    continue;
                }

                var visibility = IsNegated(operation, body)
                    ? (QuorumVocabulary.IsDownName(name) ? Visibility.Strong : Visibility.None)
                    : QuorumVocabulary.VisibilityOf(name) is var named and not Visibility.None ? named
                    : QuorumVocabulary.IsRecencyName(name) ? Visibility.Strong
                    : Visibility.None;

                // Status == ClusterMemberStatus.Available: as a member's state, "available" and "active" mean alive.
                if (visibility == Visibility.Weak && operation is IFieldReferenceOperation { Field.ContainingType.TypeKind: TypeKind.Enum })
                {
                    visibility = Visibility.Strong;
                }
                strongest = visibility > strongest ? visibility : strongest;
            }

            return strongest;
        }

        /// <summary>An odd number of <c>!</c>, <c>!=</c> and <c>is not</c> between the operation and the predicate's body.</summary>
        private static bool IsNegated(IOperation operation, IOperation body)
        {
            var negated = false;
            for (var current = operation; current is not null && current != body; current = current.Parent)
            {
                if (current.Parent is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } or IBinaryOperation { OperatorKind: BinaryOperatorKind.NotEquals } or INegatedPatternOperation)
                {
                    negated = !negated;
                }
            }

            return negated;
        }

        private static void AddName(string name, OperandFacts facts, bool indirect)
        {
            facts.Names.Add(name);
            AddVisibility(QuorumVocabulary.VisibilityOf(name), facts, indirect);
        }

        private static void AddVisibility(Visibility visibility, OperandFacts facts, bool indirect)
        {
            if (indirect)
            {
                facts.IndirectVisibility = visibility > facts.IndirectVisibility ? visibility : facts.IndirectVisibility;
            }
            else
            {
                facts.DirectVisibility = visibility > facts.DirectVisibility ? visibility : facts.DirectVisibility;
            }
        }

        private sealed class Site
        {
            public Site(IOperation operation, ISymbol owner)
            {
                Operation = operation;
                Owner = owner;
            }

            public IOperation Operation { get; }

            /// <summary>The member whose body holds the operation (a property for its accessors).</summary>
            public ISymbol Owner { get; }
        }

        private sealed class HalfSite
        {
            public HalfSite(Half half, ISymbol owner)
            {
                Half = half;
                Owner = owner;
            }

            public Half Half { get; }

            public ISymbol Owner { get; }
        }

        private readonly struct Flow
        {
            public Flow(FlowKind kind, IOperation? operation = null, IOperation? other = null, bool valueOnLeft = false, ISymbol? variable = null, string? name = null)
            {
                Kind = kind;
                Operation = operation;
                Other = other;
                ValueOnLeft = valueOnLeft;
                Variable = variable;
                Name = name;
            }

            public FlowKind Kind { get; }

            /// <summary>The <c>+ 1</c> addition or the comparison.</summary>
            public IOperation? Operation { get; }

            /// <summary>For a comparison: the other side, the count.</summary>
            public IOperation? Other { get; }

            public bool ValueOnLeft { get; }

            /// <summary>For <see cref="FlowKind.Kept"/>: the variable or member.</summary>
            public ISymbol? Variable { get; }

            /// <summary>The name of where the value went.</summary>
            public string? Name { get; }
        }
    }
}
