using System;
using System.Collections.Concurrent;
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
    /// </summary>
    internal sealed class WriteLog
    {
        private readonly INamedTypeSymbol _type;
        private readonly Func<ITypeSymbol, bool> _isTrackedType;
        private readonly ConcurrentDictionary<ISymbol, ConcurrentQueue<IOperation?>> _writes = new(SymbolEqualityComparer.Default);

        private WriteLog(INamedTypeSymbol type, Func<ITypeSymbol, bool> isTrackedType)
        {
            _type = type;
            _isTrackedType = isTrackedType;
        }

        /// <summary>Starts logging writes, within <paramref name="context"/>'s type, to variables of the given types.</summary>
        public static WriteLog Start(SymbolStartAnalysisContext context, Func<ITypeSymbol, bool> isTrackedType)
        {
            var log = new WriteLog((INamedTypeSymbol)context.Symbol, isTrackedType);
            context.RegisterOperationAction(log.OnWrite, WriteKinds);
            return log;
        }

        /// <summary>Values written to <paramref name="symbol"/>; a null entry is a write whose value is unknown.</summary>
        public ImmutableArray<IOperation?> WritesTo(ISymbol symbol) =>
            _writes.TryGetValue(symbol, out var writes) ? writes.ToImmutableArray() : ImmutableArray<IOperation?>.Empty;

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

        private static readonly OperationKind[] WriteKinds =
        {
            OperationKind.SimpleAssignment, OperationKind.VariableDeclarator, OperationKind.FieldInitializer,
            OperationKind.PropertyInitializer, OperationKind.CompoundAssignment, OperationKind.CoalesceAssignment,
            OperationKind.Increment, OperationKind.Decrement, OperationKind.Argument, OperationKind.DeconstructionAssignment,
        };

        private void OnWrite(OperationAnalysisContext context)
        {
            switch (context.Operation)
            {
                case ISimpleAssignmentOperation assignment:
                    Record(TrackedSymbol(assignment.Target), assignment.Value);
                    break;
                case IVariableDeclaratorOperation { Initializer: { } initializer } declarator:
                    Record(declarator.Symbol, initializer.Value);
                    break;
                case IFieldInitializerOperation initializer:
                    foreach (var field in initializer.InitializedFields)
                    {
                        Record(field.OriginalDefinition, initializer.Value);
                    }

                    break;
                case IPropertyInitializerOperation initializer:
                    foreach (var property in initializer.InitializedProperties)
                    {
                        Record(property.OriginalDefinition, initializer.Value);
                    }

                    break;
                case ICompoundAssignmentOperation compound:
                    Record(TrackedSymbol(compound.Target), null);
                    break;
                case ICoalesceAssignmentOperation coalesce:
                    Record(TrackedSymbol(coalesce.Target), null);
                    break;
                case IIncrementOrDecrementOperation increment:
                    Record(TrackedSymbol(increment.Target), null);
                    break;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument:
                    Record(TrackedSymbol(DeclaredOrReferenced(argument.Value)), null);
                    break;
                case IDeconstructionAssignmentOperation deconstruction:
                    foreach (var target in deconstruction.Target.DescendantsAndSelf())
                    {
                        Record(TrackedSymbol(DeclaredOrReferenced(target)), null);
                    }

                    break;
            }
        }

        private void Record(ISymbol? symbol, IOperation? value)
        {
            if (symbol is not null && TypeOf(symbol) is { } type && _isTrackedType(type))
            {
                _writes.GetOrAdd(symbol, _ => new ConcurrentQueue<IOperation?>()).Enqueue(value);
            }
        }

        private static IOperation DeclaredOrReferenced(IOperation operation) =>
            operation is IDeclarationExpressionOperation declaration ? declaration.Expression : operation;

        private bool IsOwnMember(ISymbol member, IOperation? instance) =>
            SymbolEqualityComparer.Default.Equals(member.ContainingType?.OriginalDefinition, _type)
            && (member.IsStatic || instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance });

        private static bool IsAutoProperty(IPropertySymbol property) =>
            property.Parameters.IsEmpty
            && property.ContainingType.GetMembers().OfType<IFieldSymbol>()
                .Any(field => SymbolEqualityComparer.Default.Equals(field.AssociatedSymbol, property.OriginalDefinition));

        private static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
        {
            ILocalSymbol local => local.Type,
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };
    }
}
