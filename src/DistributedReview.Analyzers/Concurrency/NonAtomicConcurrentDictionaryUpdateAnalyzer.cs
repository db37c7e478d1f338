using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview.Concurrency
{
    /// <summary>
    /// DR3002: an entry of a <c>ConcurrentDictionary</c> read and written back in two steps. Reported on the indexer
    /// write when it is <c>d[k] op= x</c> or <c>d[k]++</c>/<c>--</c>; when its value reads the same entry (<c>d[k]</c>,
    /// or a local that came from <c>d[k]</c>, <c>TryGetValue(k, out v)</c> or <c>GetOrAdd(k, ...)</c>); or when it is
    /// guarded by <c>ContainsKey(k)</c>/<c>TryGetValue(k, ...)</c> (check-then-act). "Same entry" means the same
    /// receiver and the same key, compared by symbol (locals, parameters, fields and properties of the same instance)
    /// or constant value. Writes under a <c>lock</c>, or in a method that takes a <c>Monitor</c> or
    /// <c>SemaphoreSlim</c> before the write, are left alone, as are plain overwrites whose value does not come
    /// from the entry.
    /// </summary>
    public sealed class NonAtomicConcurrentDictionaryUpdateAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.NonAtomicConcurrentDictionaryUpdate);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                if (start.Compilation.GetTypeByMetadataName("System.Collections.Concurrent.ConcurrentDictionary`2") is not { } dictionary)
                {
                    return;
                }

                var symbols = new Symbols(
                    dictionary,
                    start.Compilation.GetTypeByMetadataName("System.Threading.Monitor"),
                    start.Compilation.GetTypeByMetadataName("System.Threading.SemaphoreSlim"));
                start.RegisterOperationAction(
                    c => Analyze(c, symbols),
                    OperationKind.SimpleAssignment,
                    OperationKind.CompoundAssignment,
                    OperationKind.Increment,
                    OperationKind.Decrement);
            });
        }

        private static void Analyze(OperationAnalysisContext context, Symbols symbols)
        {
            var write = context.Operation;
            var target = write switch
            {
                IAssignmentOperation assignment => assignment.Target,
                IIncrementOrDecrementOperation increment => increment.Target,
                _ => null,
            };
            if (target is not IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1, Instance: not null } entry
                || !symbols.IsDictionary(entry.Property.ContainingType))
            {
                return;
            }

            // The lock last: it searches the whole body, and most writes are plain overwrites, ruled out before.
            var body = OperationTree.RootOf(write);
            var confidence = write is ISimpleAssignmentOperation simple ? ConfidenceOfWrite(simple, entry, body, symbols) : 90;
            if (confidence is not { } found || IsUnderLock(write, symbols))
            {
                return;
            }

            Confidence.Report(
                context.ReportDiagnostic,
                context.Options,
                Rules.NonAtomicConcurrentDictionaryUpdate,
                write.Syntax.GetLocation(),
                Confidence.Clamp(found - (IsPrivateLocal(entry.Instance, body) ? 30 : 0)),
                messageArgs: Display.Of(write.Syntax));
        }

        /// <summary>
        /// Confidence for <c>d[k] = value</c>, from how the value relates to the entry: it reads the entry itself (90), a
        /// local that came from the entry (85), or the write is guarded by a check for the key: absent (80, two threads
        /// both add and one value is lost) or present (75, the write can resurrect a removed key). Null: not reported.
        /// </summary>
        private static int? ConfidenceOfWrite(ISimpleAssignmentOperation write, IPropertyReferenceOperation entry, IOperation body, Symbols symbols)
        {
            if (write.Value.DescendantsAndSelf().Any(o => IsEntryRead(o, entry, symbols)))
            {
                return 90;
            }

            // Following locals walks the whole body: only when the value reads one.
            if (write.Value.DescendantsAndSelf().Any(o => o is ILocalReferenceOperation))
            {
                var fromEntry = LocalsFromEntry(entry, body, symbols);
                if (write.Value.DescendantsAndSelf().Any(o => o is ILocalReferenceOperation local && fromEntry.Contains(local.Local)))
                {
                    return 85;
                }
            }

            return GuardConfidence(write, entry, symbols);
        }

        /// <summary>Locals holding a value read from the entry, directly or through other locals.</summary>
        private static HashSet<ILocalSymbol> LocalsFromEntry(IPropertyReferenceOperation entry, IOperation body, Symbols symbols)
        {
            var locals = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            var operations = body.Descendants().ToList();
            foreach (var call in operations.OfType<IInvocationOperation>())
            {
                if (IsEntryCall(call, entry, symbols, "TryGetValue") && call.Arguments.Length == 2 && LocalOf(call.Arguments[1].Value) is { } local)
                {
                    locals.Add(local);
                }
            }

            for (var changed = true; changed;)
            {
                changed = false;
                foreach (var operation in operations)
                {
                    (ILocalSymbol? local, IOperation? value) = operation switch
                    {
                        IVariableDeclaratorOperation { Initializer.Value: { } initial } declarator => (declarator.Symbol, initial),
                        ISimpleAssignmentOperation { Target: ILocalReferenceOperation assigned } assignment => (assigned.Local, assignment.Value),
                        _ => ((ILocalSymbol?)null, (IOperation?)null),
                    };
                    if (local is not null && value is not null && !locals.Contains(local)
                        && value.DescendantsAndSelf().Any(o => IsEntryRead(o, entry, symbols)
                            || (o is IInvocationOperation call && IsEntryCall(call, entry, symbols, "GetOrAdd"))
                            || (o is ILocalReferenceOperation read && locals.Contains(read.Local))))
                    {
                        changed = locals.Add(local);
                    }
                }
            }

            return locals;
        }

        private static int? GuardConfidence(IOperation write, IPropertyReferenceOperation entry, Symbols symbols)
        {
            for (IOperation? child = write, parent = write.Parent; parent is not null and not IAnonymousFunctionOperation and not ILocalFunctionOperation; child = parent, parent = parent.Parent)
            {
                if (parent is IConditionalOperation conditional && conditional.Condition != child)
                {
                    var inTrueBranch = child == conditional.WhenTrue;
                    if (KeyCheck(conditional.Condition, entry, symbols, inTrueBranch) is { } checksAbsent)
                    {
                        // if (d.TryGetValue(k, out var v)) d[k] = g(v); else d[k] = a: one finding per if, on the update.
                        var otherBranch = inTrueBranch ? conditional.WhenFalse : conditional.WhenTrue;
                        if (otherBranch is not null && otherBranch.DescendantsAndSelf().Any(o => IsEntryWrite(o, entry, symbols)))
                        {
                            return null;
                        }

                        return checksAbsent == inTrueBranch ? 80 : 75;
                    }
                }

                // if (d.ContainsKey(k)) return; ... d[k] = v;
                if (parent is IBlockOperation block)
                {
                    foreach (var statement in block.Operations.TakeWhile(s => s != child))
                    {
                        if (statement is IConditionalOperation { WhenFalse: null } guard && Exits(guard.WhenTrue)
                            && KeyCheck(guard.Condition, entry, symbols, inTrueBranch: true) is { } exitsWhenAbsent)
                        {
                            return exitsWhenAbsent ? 75 : 80;
                        }
                    }
                }
            }

            return null;
        }

        /// <summary>
        /// True when <paramref name="condition"/> holds only if the key is absent, false when only if present, null when it
        /// does not check the key. <c>&amp;&amp;</c> operands count only for the branch where the whole condition held.
        /// </summary>
        private static bool? KeyCheck(IOperation condition, IPropertyReferenceOperation entry, Symbols symbols, bool inTrueBranch)
        {
            condition = Unwrapped(condition) ?? condition;
            switch (condition)
            {
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                    return KeyCheck(not.Operand, entry, symbols, !inTrueBranch) is { } inner ? !inner : null;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction when inTrueBranch:
                    return KeyCheck(conjunction.LeftOperand, entry, symbols, true) ?? KeyCheck(conjunction.RightOperand, entry, symbols, true);
                case IInvocationOperation call when IsEntryCall(call, entry, symbols, "ContainsKey") || IsEntryCall(call, entry, symbols, "TryGetValue"):
                    return false;
                default:
                    return null;
            }
        }

        private static bool Exits(IOperation branch) => branch switch
        {
            IReturnOperation or IThrowOperation or IBranchOperation { BranchKind: BranchKind.Break or BranchKind.Continue } => true,
            IExpressionStatementOperation { Operation: IThrowOperation } => true,
            IBlockOperation block => block.Operations.LastOrDefault() is { } last && Exits(last),
            _ => false,
        };

        private static bool IsUnderLock(IOperation write, Symbols symbols)
        {
            if (AncestorsOf(write).Any(a => a is ILockOperation))
            {
                return true;
            }

            var start = write.Syntax.SpanStart;
            return OperationTree.RootOf(write).Descendants().OfType<IInvocationOperation>().Any(call =>
                call.Syntax.SpanStart < start
                && (SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, symbols.Monitor) && call.TargetMethod.Name is "Enter" or "TryEnter"
                    || SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, symbols.Semaphore) && call.TargetMethod.Name is "Wait" or "WaitAsync"));
        }

        /// <summary>A local dictionary never captured, passed on or stored elsewhere cannot be shared between threads.</summary>
        private static bool IsPrivateLocal(IOperation? receiver, IOperation body)
        {
            if (Unwrapped(receiver) is not ILocalReferenceOperation { Local: var local })
            {
                return false;
            }

            return body.Descendants().OfType<ILocalReferenceOperation>()
                .Where(r => SymbolEqualityComparer.Default.Equals(r.Local, local))
                .All(r => !AncestorsOf(r).Any(a => a is IAnonymousFunctionOperation or ILocalFunctionOperation)
                    && r.Parent switch
                    {
                        IPropertyReferenceOperation member => member.Instance == r,
                        IInvocationOperation call => call.Instance == r,
                        ISimpleAssignmentOperation assignment => assignment.Target == r,
                        _ => false,
                    });
        }

        private static bool IsEntryRead(IOperation operation, IPropertyReferenceOperation entry, Symbols symbols) =>
            operation is IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } read
            && read != entry
            && !(read.Parent is IAssignmentOperation assignment && assignment.Target == read)
            && symbols.IsDictionary(read.Property.ContainingType)
            && SameValue(read.Instance, entry.Instance)
            && SameValue(read.Arguments[0].Value, entry.Arguments[0].Value);

        private static bool IsEntryWrite(IOperation operation, IPropertyReferenceOperation entry, Symbols symbols) =>
            operation is IAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } written }
            && symbols.IsDictionary(written.Property.ContainingType)
            && SameValue(written.Instance, entry.Instance)
            && SameValue(written.Arguments[0].Value, entry.Arguments[0].Value);

        private static bool IsEntryCall(IInvocationOperation call, IPropertyReferenceOperation entry, Symbols symbols, string name) =>
            call.TargetMethod.Name == name
            && call.Arguments.Length > 0
            && symbols.IsDictionary(call.TargetMethod.ContainingType)
            && SameValue(call.Instance, entry.Instance)
            && SameValue(call.Arguments[0].Value, entry.Arguments[0].Value);

        private static ILocalSymbol? LocalOf(IOperation? operation) => Unwrapped(operation) switch
        {
            ILocalReferenceOperation reference => reference.Local,
            IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared } => declared.Local,
            _ => null,
        };

        /// <summary>The same receiver or key: equal constants, or the same local, parameter, field or property of the same instance.</summary>
        private static bool SameValue(IOperation? first, IOperation? second)
        {
            first = Unwrapped(first);
            second = Unwrapped(second);
            if (first is null || second is null)
            {
                return false;
            }

            if (first.ConstantValue.HasValue || second.ConstantValue.HasValue)
            {
                return first.ConstantValue.HasValue && second.ConstantValue.HasValue && Equals(first.ConstantValue.Value, second.ConstantValue.Value);
            }

            return (first, second) switch
            {
                (ILocalReferenceOperation a, ILocalReferenceOperation b) => SymbolEqualityComparer.Default.Equals(a.Local, b.Local),
                (IParameterReferenceOperation a, IParameterReferenceOperation b) => SymbolEqualityComparer.Default.Equals(a.Parameter, b.Parameter),
                (IFieldReferenceOperation a, IFieldReferenceOperation b) => SymbolEqualityComparer.Default.Equals(a.Field, b.Field) && SameInstance(a.Instance, b.Instance),
                (IPropertyReferenceOperation a, IPropertyReferenceOperation b) => a.Arguments.IsEmpty && b.Arguments.IsEmpty
                    && SymbolEqualityComparer.Default.Equals(a.Property, b.Property) && SameInstance(a.Instance, b.Instance),
                (IInstanceReferenceOperation, IInstanceReferenceOperation) => true,
                _ => false,
            };
        }

        private static bool SameInstance(IOperation? first, IOperation? second) =>
            (first is null && second is null) || SameValue(first, second);

        private static IOperation? Unwrapped(IOperation? operation)
        {
            while (operation is IConversionOperation or IParenthesizedOperation)
            {
                operation = operation is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)operation).Operand;
            }

            return operation;
        }

        private static IEnumerable<IOperation> AncestorsOf(IOperation operation)
        {
            for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
            {
                yield return parent;
            }
        }

        private sealed class Symbols
        {
            private readonly INamedTypeSymbol dictionary;

            public Symbols(INamedTypeSymbol dictionary, INamedTypeSymbol? monitor, INamedTypeSymbol? semaphore)
            {
                this.dictionary = dictionary;
                Monitor = monitor;
                Semaphore = semaphore;
            }

            public INamedTypeSymbol? Monitor { get; }

            public INamedTypeSymbol? Semaphore { get; }

            public bool IsDictionary(INamedTypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, dictionary);
        }
    }
}
