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
    /// "Where did this value come from?" for one type: records every write to locals and to the type's own fields
    /// and auto-properties while the type is analysed, so a rule can ask at symbol end what a variable can hold.
    /// A write whose value cannot be seen (ref/out, compound assignment, deconstruction) is recorded as opaque.
    /// Values stored into a collection held in such a variable (<c>lastSeen[node] = now</c>, <c>TryAdd</c>,
    /// <c>AddOrUpdate</c>) are recorded as the collection's element writes; <c>TryGetValue(k, out v)</c> records
    /// the call as the value written to <c>v</c>.
    /// The log is read at symbol end: until then it only keeps the type's operation blocks (one callback per member
    /// body). A question about a local walks the member that declares it; any other question walks the whole type, once.
    /// Most types are never asked about, so they cost no walk at all.
    /// </summary>
    internal sealed class WriteLog
    {
        private readonly INamedTypeSymbol _type;
        private readonly Func<ITypeSymbol, bool> _isTrackedType;
        private readonly List<(ImmutableArray<IOperation> Blocks, ISymbol Owner)> _members = new();
        private readonly object _gate = new();

        // Filled under the gate when first asked; most types are never asked, so nothing else is allocated. A local is
        // only written in the member that declares it, so asking about one walks that member alone.
        private Writes? _typeWrites;
        private Dictionary<int, Writes>? _memberWrites;
        private Dictionary<ISymbol, Writes>? _localWrites;
        private Dictionary<IPropertySymbol, bool>? _autoProperties;
        private Dictionary<ITypeSymbol, bool>? _trackedTypes;

        private WriteLog(INamedTypeSymbol type, Func<ITypeSymbol, bool> isTrackedType)
        {
            _type = type;
            _isTrackedType = isTrackedType;
        }

        /// <summary>Starts logging writes, within <paramref name="context"/>'s type, to variables of the given types. Ask at symbol end.</summary>
        public static WriteLog Start(SymbolStartAnalysisContext context, Func<ITypeSymbol, bool> isTrackedType)
        {
            var log = new WriteLog((INamedTypeSymbol)context.Symbol, isTrackedType);
            context.RegisterOperationBlockAction(block =>
            {
                lock (log._gate)
                {
                    log._members.Add((block.OperationBlocks, block.OwningSymbol));
                }
            });
            return log;
        }

        /// <summary>
        /// The operation blocks seen in the type, with the member (or accessor, or initialized field) that owns them;
        /// nested types' members are included. Read at symbol end, so rules that walk bodies need no block action of their own.
        /// </summary>
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

        /// <summary>Values written to <paramref name="symbol"/>; a null entry is a write whose value is unknown.</summary>
        public ImmutableArray<IOperation?> WritesTo(ISymbol symbol) =>
            WritesFor(symbol).Variables.TryGetValue(symbol, out var writes) ? writes.ToImmutableArray() : ImmutableArray<IOperation?>.Empty;

        /// <summary>Values stored into the collection held in <paramref name="symbol"/>; null entries are unknown values.</summary>
        public ImmutableArray<IOperation?> ElementWritesTo(ISymbol symbol) =>
            WritesFor(symbol).Elements.TryGetValue(symbol, out var writes) ? writes.ToImmutableArray() : ImmutableArray<IOperation?>.Empty;

        /// <summary>The writes that can reach <paramref name="symbol"/>: its declaring member's for a local, the whole type's otherwise.</summary>
        private Writes WritesFor(ISymbol symbol)
        {
            lock (_gate)
            {
                if (_typeWrites is null && symbol is ILocalSymbol local)
                {
                    // Rules ask about the same locals many times: the member is looked up once per local.
                    _localWrites ??= new Dictionary<ISymbol, Writes>(SymbolEqualityComparer.Default);
                    if (_localWrites.TryGetValue(local, out var known))
                    {
                        return known;
                    }

                    if (DeclaringMember(local, _members) is { } member)
                    {
                        _memberWrites ??= new Dictionary<int, Writes>();
                        if (!_memberWrites.TryGetValue(member, out var memberWrites))
                        {
                            _memberWrites[member] = memberWrites = Collect(_members[member].Blocks);
                        }

                        return _localWrites[local] = memberWrites;
                    }
                }

                return _typeWrites ??= Collect(_members.SelectMany(member => member.Blocks));
            }
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

        private Writes Collect(IEnumerable<IOperation> blocks)
        {
            var writes = new Writes();
            foreach (var block in blocks)
            {
                foreach (var operation in block.DescendantsAndSelf())
                {
                    OnWrite(operation, writes);
                }
            }

            return writes;
        }

        /// <summary>The collection variable an element read (<c>map[key]</c>, <c>map.TryGetValue(...)</c>, <c>map.GetValueOrDefault(...)</c>) reads from.</summary>
        public ISymbol? CollectionRead(IOperation? operation) => ClockSymbols.WalkDownImplicitConversions(operation) switch
        {
            IPropertyReferenceOperation { Property.IsIndexer: true, Instance: var instance } => TrackedCollection(instance),
            IInvocationOperation { TargetMethod: { Name: "GetValueOrDefault", IsExtensionMethod: true }, Arguments: { Length: > 0 } arguments } => TrackedCollection(arguments[0].Value),
            IInvocationOperation { TargetMethod.Name: "TryGetValue" or "GetValueOrDefault", Instance: var instance } => TrackedCollection(instance),
            _ => null,
        };

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

        private void OnWrite(IOperation operation, Writes writes)
        {
            // Dispatch on the kind (one integer compare) rather than on interface type tests: most operations write nothing.
            switch (operation.Kind)
            {
                case OperationKind.SimpleAssignment:
                    var assignment = (ISimpleAssignmentOperation)operation;
                    if (assignment.Target is IPropertyReferenceOperation { Property.IsIndexer: true } indexer)
                    {
                        RecordElement(writes, TrackedCollection(indexer.Instance), assignment.Value);
                    }
                    else
                    {
                        Record(writes, WrittenVariable(assignment.Target), assignment.Value);
                    }

                    break;
                case OperationKind.Invocation:
                    var invocation = (IInvocationOperation)operation;
                    if (invocation.Instance is { } instance && TrackedCollection(instance) is { } collection)
                    {
                        RecordElementArguments(writes, collection, invocation);
                    }

                    break;
                case OperationKind.VariableDeclarator:
                    if (((IVariableDeclaratorOperation)operation).Initializer is { } initializer)
                    {
                        Record(writes, ((IVariableDeclaratorOperation)operation).Symbol, initializer.Value);
                    }

                    break;
                case OperationKind.FieldInitializer:
                    var fieldInitializer = (IFieldInitializerOperation)operation;
                    foreach (var field in fieldInitializer.InitializedFields)
                    {
                        Record(writes, field.OriginalDefinition, fieldInitializer.Value);
                    }

                    break;
                case OperationKind.PropertyInitializer:
                    var propertyInitializer = (IPropertyInitializerOperation)operation;
                    foreach (var property in propertyInitializer.InitializedProperties)
                    {
                        Record(writes, property.OriginalDefinition, propertyInitializer.Value);
                    }

                    break;
                case OperationKind.CompoundAssignment:
                    Record(writes, WrittenVariable(((ICompoundAssignmentOperation)operation).Target), null);
                    break;
                case OperationKind.CoalesceAssignment:
                    Record(writes, WrittenVariable(((ICoalesceAssignmentOperation)operation).Target), null);
                    break;
                case OperationKind.Increment:
                case OperationKind.Decrement:
                    Record(writes, WrittenVariable(((IIncrementOrDecrementOperation)operation).Target), null);
                    break;
                case OperationKind.Argument:
                    var argument = (IArgumentOperation)operation;
                    var refKind = argument.Parameter?.RefKind;
                    if (refKind is not (RefKind.Ref or RefKind.Out))
                    {
                        break; // the common case: an argument passed by value writes nothing
                    }

                    if (refKind == RefKind.Out && argument.Parent is IInvocationOperation call && CollectionRead(call) is not null)
                    {
                        Record(writes, TrackedSymbol(DeclaredOrReferenced(argument.Value)), call);
                    }
                    else
                    {
                        Record(writes, WrittenVariable(DeclaredOrReferenced(argument.Value)), null);
                    }

                    break;
                case OperationKind.DeconstructionAssignment:
                    foreach (var target in ((IDeconstructionAssignmentOperation)operation).Target.DescendantsAndSelf())
                    {
                        Record(writes, WrittenVariable(DeclaredOrReferenced(target)), null);
                    }

                    break;
            }
        }

        private void Record(Writes writes, ISymbol? symbol, IOperation? value)
        {
            if (symbol is not null && TypeOf(symbol) is { } type && (IsTrackedType(type) || ElementType(symbol) is not null))
            {
                Add(writes.Variables, symbol, value);
            }
        }

        /// <summary>Values an Add/TryAdd/AddOrUpdate/GetOrAdd/TryUpdate-like call stores: arguments of the element type, and what value factories return.</summary>
        private void RecordElementArguments(Writes writes, ISymbol collection, IInvocationOperation invocation)
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

        private void RecordElement(Writes writes, ISymbol? collection, IOperation? value)
        {
            if (collection is not null)
            {
                Add(writes.Elements, collection, value);
            }
        }

        private static void Add(Dictionary<ISymbol, List<IOperation?>> log, ISymbol symbol, IOperation? value)
        {
            if (!log.TryGetValue(symbol, out var values))
            {
                log[symbol] = values = new List<IOperation?>();
            }

            values.Add(value);
        }

        /// <summary>A tracked variable holding a generic collection whose element (last type argument) is of a tracked type.</summary>
        private ISymbol? TrackedCollection(IOperation? instance) =>
            TrackedSymbol(instance) is { } symbol && ElementType(symbol) is not null ? symbol : null;

        private ITypeSymbol? ElementType(ISymbol symbol) =>
            TypeOf(symbol) is INamedTypeSymbol { IsGenericType: true, TypeArguments: { Length: > 0 } arguments } && IsTrackedType(arguments[arguments.Length - 1])
                ? arguments[arguments.Length - 1]
                : null;

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

        /// <summary>Cached per type: a type's variables share a few types, and the rules' tests can walk interfaces.</summary>
        private bool IsTrackedType(ITypeSymbol type)
        {
            lock (_gate)
            {
                _trackedTypes ??= new Dictionary<ITypeSymbol, bool>(SymbolEqualityComparer.Default);
                if (!_trackedTypes.TryGetValue(type, out var tracked))
                {
                    _trackedTypes[type] = tracked = _isTrackedType(type);
                }

                return tracked;
            }
        }

        private static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
        {
            ILocalSymbol local => local.Type,
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };
    
        /// <summary>Values written to variables, and stored into the collections they hold.</summary>
        private sealed class Writes
        {
            public Dictionary<ISymbol, List<IOperation?>> Variables { get; } = new(SymbolEqualityComparer.Default);

            public Dictionary<ISymbol, List<IOperation?>> Elements { get; } = new(SymbolEqualityComparer.Default);
        }
    }
}
