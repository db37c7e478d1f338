using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview
{
    /// <summary>
    /// The writes of one type, shared by every rule's <see cref="WriteLog"/> of that type: the type's operation blocks
    /// are kept once, and a member is walked for its writes once, whichever rules ask. Writes to variables of every
    /// type are recorded here; each rule's log shows only the variables its rule follows (issue 7: nine rules each
    /// walked the same members for their own few types).
    /// A write whose value cannot be seen (ref/out, compound assignment, deconstruction) is recorded as opaque.
    /// Values stored into a generic collection held in a variable (<c>lastSeen[node] = now</c>, <c>TryAdd</c>,
    /// <c>AddOrUpdate</c>) are recorded as the collection's element writes; <c>TryGetValue(k, out v)</c> records
    /// the call as the value written to <c>v</c>, for the rules that follow that collection's elements.
    /// </summary>
    internal sealed class TypeWrites
    {
        private readonly INamedTypeSymbol _type;
        private readonly List<(ImmutableArray<IOperation> Blocks, ISymbol Owner)> _members = new();
        private readonly object _gate = new();

        // Filled under the gate when first asked; most types are never asked, so nothing else is allocated. A local is
        // only written in the member that declares it, so asking about one walks that member alone. Any other variable
        // is written only where its name is spelled, so asking about one walks the members that spell it, each once:
        // _typeWrites holds the writes of the members walked so far, complete for every name in _namesWalked.
        private Writes? _typeWrites;
        private HashSet<string>? _namesWalked;
        private HashSet<int>? _membersWalked;
        private Dictionary<int, Writes>? _memberWrites;
        private Dictionary<ISymbol, Writes>? _localWrites;
        private Dictionary<IPropertySymbol, bool>? _autoProperties;

        private TypeWrites(INamedTypeSymbol type) => _type = type;

        /// <summary>Keeps <paramref name="context"/>'s type's operation blocks, with one block action, until asked at symbol end.</summary>
        public static TypeWrites Start(SymbolStartAnalysisContext context)
        {
            var writes = new TypeWrites((INamedTypeSymbol)context.Symbol);
            context.RegisterOperationBlockAction(block =>
            {
                lock (writes._gate)
                {
                    writes._members.Add((block.OperationBlocks, block.OwningSymbol));
                }
            });
            return writes;
        }

        /// <summary>The operation blocks seen in the type, with their owners; nested types' members are included.</summary>
        public IReadOnlyList<(ImmutableArray<IOperation> Blocks, ISymbol Owner)> Members
        {
            get
            {
                lock (_gate)
                {
                    return _members.ToList();
                }
            }
        }

        /// <summary>The values written to <paramref name="symbol"/>, or null when none is seen.</summary>
        public IReadOnlyList<Write>? VariableWritesTo(ISymbol symbol)
        {
            // Looked up under the gate: a later question adds other variables' writes to the same record.
            lock (_gate)
            {
                return WritesFor(symbol).Variables.TryGetValue(symbol, out var writes) ? writes : null;
            }
        }

        /// <summary>The values stored into the collection held in <paramref name="symbol"/>, or null when none is seen.</summary>
        public IReadOnlyList<Write>? ElementWritesTo(ISymbol symbol)
        {
            lock (_gate)
            {
                return WritesFor(symbol).Elements.TryGetValue(symbol, out var writes) ? writes : null;
            }
        }

        /// <summary>
        /// The writes that can reach <paramref name="symbol"/>: its declaring member's for a local, those of the members
        /// that spell its name otherwise. Only <paramref name="symbol"/>'s entries are complete, and they do not change
        /// once found: every member that writes it has been walked.
        /// </summary>
        private Writes WritesFor(ISymbol symbol)
        {
            lock (_gate)
            {
                if (symbol is ILocalSymbol local)
                {
                    // Rules ask about the same locals many times: the member is looked up once per local.
                    _localWrites ??= new Dictionary<ISymbol, Writes>(SymbolEqualityComparer.Default);
                    if (_localWrites.TryGetValue(local, out var known))
                    {
                        return known;
                    }

                    if (DeclaringMember(local, _members) is { } member)
                    {
                        if (_membersWalked?.Contains(member) == true)
                        {
                            return _localWrites[local] = _typeWrites!; // walked already, for a name it spells
                        }

                        _memberWrites ??= new Dictionary<int, Writes>();
                        if (!_memberWrites.TryGetValue(member, out var memberWrites))
                        {
                            _memberWrites[member] = memberWrites = Collect(_members[member].Blocks, new Writes());
                        }

                        return _localWrites[local] = memberWrites;
                    }
                }

                return WritesSpelling(symbol.Name);
            }
        }

        /// <summary>
        /// The writes of the members that may spell <paramref name="name"/> (<see cref="SourceMentions.MaySpell"/>): an
        /// assignment, ref or out argument, deconstruction or collection update names what it writes. Initializers are
        /// always walked: a field's initializer does not spell the field.
        /// </summary>
        private Writes WritesSpelling(string name)
        {
            _typeWrites ??= new Writes();
            _namesWalked ??= new HashSet<string>(StringComparer.Ordinal);
            _membersWalked ??= new HashSet<int>();
            if (_namesWalked.Add(name))
            {
                for (var i = 0; i < _members.Count; i++)
                {
                    var (blocks, owner) = _members[i];
                    if (!_membersWalked.Contains(i)
                        && (owner is not IMethodSymbol || blocks.Any(block => SourceMentions.MaySpell(block.Syntax, name))))
                    {
                        _membersWalked.Add(i);
                        Collect(blocks, _typeWrites);
                    }
                }
            }

            return _typeWrites;
        }

        /// <summary>The position in <paramref name="members"/> of the member whose body declares <paramref name="local"/>, if any.</summary>
        public static int? DeclaringMember(ILocalSymbol local, IReadOnlyList<(ImmutableArray<IOperation> Blocks, ISymbol Owner)> members)
        {
            if (local.Locations.FirstOrDefault() is not { IsInSource: true } location)
            {
                return null;
            }

            for (var i = 0; i < members.Count; i++)
            {
                foreach (var block in members[i].Blocks)
                {
                    if (block.Syntax.SyntaxTree == location.SourceTree && block.Syntax.Span.Contains(location.SourceSpan))
                    {
                        return i;
                    }
                }
            }

            return null;
        }

        /// <summary>
        /// The variable an expression reads, when its writes are all visible here: a local, or a field or
        /// auto-property of this type accessed on <c>this</c> or statically.
        /// </summary>
        public ISymbol? TrackedSymbol(IOperation? operation)
        {
            switch (ClockSymbols.WalkDownImplicitConversions(operation))
            {
                case ILocalReferenceOperation local:
                    return local.Local;
                case IFieldReferenceOperation field when IsOwnMember(field.Field, field.Instance):
                    return field.Field.OriginalDefinition;
                case IPropertyReferenceOperation property when IsOwnMember(property.Property, property.Instance) && IsAutoProperty(property.Property):
                    return property.Property.OriginalDefinition;
                default:
                    return null;
            }
        }

        /// <summary>
        /// The collection variable an element read (<c>map[key]</c>, <c>map.TryGetValue(...)</c>,
        /// <c>map.GetValueOrDefault(...)</c>) reads from, when it holds a generic type.
        /// </summary>
        public ISymbol? CollectionRead(IOperation? operation) => ClockSymbols.WalkDownImplicitConversions(operation) switch
        {
            IPropertyReferenceOperation { Property.IsIndexer: true, Instance: var instance } => Collection(instance),
            IInvocationOperation { TargetMethod: { Name: "GetValueOrDefault", IsExtensionMethod: true }, Arguments: { Length: > 0 } arguments } => Collection(arguments[0].Value),
            IInvocationOperation { TargetMethod.Name: "TryGetValue" or "GetValueOrDefault", Instance: var instance } => Collection(instance),
            _ => null,
        };

        /// <summary>The element type of a generic collection held in <paramref name="symbol"/>: its last type argument.</summary>
        public static ITypeSymbol? ElementType(ISymbol symbol) =>
            TypeOf(symbol) is INamedTypeSymbol { IsGenericType: true, TypeArguments: { Length: > 0 } arguments } ? arguments[arguments.Length - 1] : null;

        public static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
        {
            ILocalSymbol local => local.Type,
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };

        /// <summary>A tracked variable holding a generic collection.</summary>
        private ISymbol? Collection(IOperation? instance) =>
            TrackedSymbol(instance) is { } symbol && ElementType(symbol) is not null ? symbol : null;

        /// <summary>
        /// The variable a write goes to. Unlike reads, a write to this type's own field or property through another
        /// instance (<c>other._last = saved</c>) or an object initializer counts too: it is part of what the member holds.
        /// </summary>
        private ISymbol? WrittenVariable(IOperation? target) =>
            TrackedSymbol(target) ?? ClockSymbols.WalkDownImplicitConversions(target) switch
            {
                IFieldReferenceOperation field when IsOwnType(field.Field) => field.Field.OriginalDefinition,
                IPropertyReferenceOperation { Property.IsIndexer: false } property when IsOwnType(property.Property) => property.Property.OriginalDefinition,
                _ => null,
            };

        private bool IsOwnType(ISymbol member) => SymbolEqualityComparer.Default.Equals(member.ContainingType?.OriginalDefinition, _type);

        private Writes Collect(IEnumerable<IOperation> blocks, Writes writes)
        {
            foreach (var block in blocks)
            {
                foreach (var operation in block.DescendantsAndSelf())
                {
                    OnWrite(operation, writes);
                }
            }

            return writes;
        }

        private void OnWrite(IOperation operation, Writes writes)
        {
            // Dispatch on the kind (one integer compare) rather than on interface type tests: most operations write nothing.
            switch (operation.Kind)
            {
                case OperationKind.SimpleAssignment:
                    var assignment = (ISimpleAssignmentOperation)operation;
                    if (assignment.Target is IPropertyReferenceOperation { Property.IsIndexer: true } indexer)
                    {
                        RecordElement(writes, Collection(indexer.Instance), assignment.Value);
                    }
                    else
                    {
                        Record(writes, WrittenVariable(assignment.Target), new Write(assignment.Value));
                    }

                    break;
                case OperationKind.Invocation:
                    var invocation = (IInvocationOperation)operation;
                    if (invocation.Instance is { } instance && Collection(instance) is { } collection)
                    {
                        RecordElementArguments(writes, collection, invocation);
                    }

                    break;
                case OperationKind.VariableDeclarator:
                    if (((IVariableDeclaratorOperation)operation).Initializer is { } initializer)
                    {
                        Record(writes, ((IVariableDeclaratorOperation)operation).Symbol, new Write(initializer.Value));
                    }

                    break;
                case OperationKind.FieldInitializer:
                    var fieldInitializer = (IFieldInitializerOperation)operation;
                    foreach (var field in fieldInitializer.InitializedFields)
                    {
                        Record(writes, field.OriginalDefinition, new Write(fieldInitializer.Value));
                    }

                    break;
                case OperationKind.PropertyInitializer:
                    var propertyInitializer = (IPropertyInitializerOperation)operation;
                    foreach (var property in propertyInitializer.InitializedProperties)
                    {
                        Record(writes, property.OriginalDefinition, new Write(propertyInitializer.Value));
                    }

                    break;
                case OperationKind.CompoundAssignment:
                    Record(writes, WrittenVariable(((ICompoundAssignmentOperation)operation).Target), Write.Opaque);
                    break;
                case OperationKind.CoalesceAssignment:
                    Record(writes, WrittenVariable(((ICoalesceAssignmentOperation)operation).Target), Write.Opaque);
                    break;
                case OperationKind.Increment:
                case OperationKind.Decrement:
                    Record(writes, WrittenVariable(((IIncrementOrDecrementOperation)operation).Target), Write.Opaque);
                    break;
                case OperationKind.Argument:
                    var argument = (IArgumentOperation)operation;
                    var refKind = argument.Parameter?.RefKind;
                    if (refKind is not (RefKind.Ref or RefKind.Out))
                    {
                        break; // the common case: an argument passed by value writes nothing
                    }

                    var target = DeclaredOrReferenced(argument.Value);
                    if (refKind == RefKind.Out && argument.Parent is IInvocationOperation call && CollectionRead(call) is { } read)
                    {
                        // TryGetValue(k, out v): v holds the call for a rule that follows the collection's elements, and
                        // is an unknown write for any other rule.
                        if (TrackedSymbol(target) is { } variable)
                        {
                            Record(writes, variable, new Write(call, read, onlyUnfollowed: false));
                        }
                        else
                        {
                            Record(writes, WrittenVariable(target), new Write(null, read, onlyUnfollowed: true));
                        }
                    }
                    else
                    {
                        Record(writes, WrittenVariable(target), Write.Opaque);
                    }

                    break;
                case OperationKind.DeconstructionAssignment:
                    foreach (var deconstructed in ((IDeconstructionAssignmentOperation)operation).Target.DescendantsAndSelf())
                    {
                        Record(writes, WrittenVariable(DeclaredOrReferenced(deconstructed)), Write.Opaque);
                    }

                    break;
            }
        }

        private static void Record(Writes writes, ISymbol? symbol, Write write)
        {
            if (symbol is not null && TypeOf(symbol) is not null)
            {
                Add(writes.Variables, symbol, write);
            }
        }

        /// <summary>Values an Add/TryAdd/AddOrUpdate/GetOrAdd/TryUpdate-like call stores: arguments of the element type, and what value factories return.</summary>
        private static void RecordElementArguments(Writes writes, ISymbol collection, IInvocationOperation invocation)
        {
            if (ElementType(collection) is not { } elementType)
            {
                return;
            }

            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref)
                {
                    continue;
                }

                if (SymbolEqualityComparer.Default.Equals(argument.Parameter?.Type, elementType))
                {
                    RecordElement(writes, collection, argument.Value);
                }
                else if (ClockSymbols.WalkDownImplicitConversions(argument.Value) is IDelegateCreationOperation { Target: IAnonymousFunctionOperation factory }
                    && factory.Symbol.ReturnType is { } returnType && SymbolEqualityComparer.Default.Equals(returnType, elementType))
                {
                    foreach (var returned in factory.Body.DescendantsAndSelf().OfType<IReturnOperation>())
                    {
                        RecordElement(writes, collection, returned.ReturnedValue);
                    }
                }
            }
        }

        private static void RecordElement(Writes writes, ISymbol? collection, IOperation? value)
        {
            if (collection is not null)
            {
                Add(writes.Elements, collection, new Write(value));
            }
        }

        private static void Add(Dictionary<ISymbol, List<Write>> log, ISymbol symbol, Write write)
        {
            if (!log.TryGetValue(symbol, out var values))
            {
                log[symbol] = values = new List<Write>();
            }

            values.Add(write);
        }

        private static IOperation DeclaredOrReferenced(IOperation operation) =>
            operation is IDeclarationExpressionOperation declaration ? declaration.Expression : operation;

        private bool IsOwnMember(ISymbol member, IOperation? instance) =>
            SymbolEqualityComparer.Default.Equals(member.ContainingType?.OriginalDefinition, _type)
            && (member.IsStatic || instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance });

        /// <summary>Cached per property: the answer walks the type's members, and the same property is read many times.</summary>
        private bool IsAutoProperty(IPropertySymbol property)
        {
            if (!property.Parameters.IsEmpty)
            {
                return false;
            }

            lock (_gate)
            {
                _autoProperties ??= new Dictionary<IPropertySymbol, bool>(SymbolEqualityComparer.Default);
                if (!_autoProperties.TryGetValue(property, out var isAuto))
                {
                    _autoProperties[property] = isAuto = property.ContainingType.GetMembers().OfType<IFieldSymbol>()
                        .Any(field => SymbolEqualityComparer.Default.Equals(field.AssociatedSymbol, property.OriginalDefinition));
                }

                return isAuto;
            }
        }

        /// <summary>
        /// One write: its value (null when unknown). A value read from a collection's elements (<c>TryGetValue</c>'s out
        /// argument) is the call only for a rule that follows that collection's elements; to any other rule it is an
        /// unknown write, or no write at all when the variable is one the rule could not have followed there.
        /// </summary>
        internal readonly struct Write
        {
            public static readonly Write Opaque = new(null);

            public Write(IOperation? value, ISymbol? readFrom = null, bool onlyUnfollowed = false)
            {
                Value = value;
                ReadFrom = readFrom;
                OnlyUnfollowed = onlyUnfollowed;
            }

            public IOperation? Value { get; }

            /// <summary>The collection the value was read from, for an out argument of <c>TryGetValue</c>.</summary>
            public ISymbol? ReadFrom { get; }

            /// <summary>The write counts only for rules that do not follow <see cref="ReadFrom"/>'s elements.</summary>
            public bool OnlyUnfollowed { get; }
        }

        /// <summary>Values written to variables, and stored into the collections they hold.</summary>
        internal sealed class Writes
        {
            public Dictionary<ISymbol, List<Write>> Variables { get; } = new(SymbolEqualityComparer.Default);

            public Dictionary<ISymbol, List<Write>> Elements { get; } = new(SymbolEqualityComparer.Default);
        }
    }
}
