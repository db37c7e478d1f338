using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Concurrency
{
    /// <summary>
    /// DR3003: <c>x++</c>, <c>x += n</c>, <c>x = x op n</c> on state that other threads update at the same time: a field
    /// of this type that is elsewhere passed by ref to <c>Interlocked</c>/<c>Volatile</c> or declared <c>volatile</c>, or a
    /// variable captured by a lambda that runs concurrently (<c>Parallel.For/ForEach/ForAsync/ForEachAsync/Invoke</c>,
    /// <c>Task.Run</c>, <c>Task.Factory.StartNew</c>). Atomic accesses are seen anywhere in the type, so updates are
    /// collected per type and judged at its end.
    /// </summary>
    public sealed class NonAtomicSharedUpdateAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.NonAtomicSharedUpdate);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                if (ThreadingSymbols.Create(start.Compilation) is { } symbols)
                {
                    start.RegisterSymbolStartAction(typeStart => AnalyzeType(typeStart, symbols), SymbolKind.NamedType);
                }
            });
        }

        /// <summary>
        /// The calls the rule learns from: <c>Interlocked</c>'s and <c>Volatile</c>'s methods that take a field by
        /// reference, and the concurrent runners (<see cref="ThreadingSymbols.RunnerOf"/>).
        /// </summary>
        private static readonly CallNames AtomicOrRunnerCalls = CallNames.Exactly(
            "Add", "And", "CompareExchange", "Decrement", "Exchange", "Increment", "Or", "Read", "Write",
            "For", "ForEach", "ForAsync", "ForEachAsync", "Invoke", "Run", "StartNew");

        private static void AnalyzeType(SymbolStartAnalysisContext context, ThreadingSymbols symbols)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            var atomicFields = new Pending<(IFieldSymbol Field, int Confidence)>();
            var candidates = new Pending<(IOperation Update, ISymbol Member)>();
            var runsConcurrently = false;

            context.RegisterOperationAction(
                AtomicOrRunnerCalls.Filter(operationContext =>
                {
                    if (TypeScopedAnalysis.IsOwnOperation(operationContext, type))
                    {
                        var invocation = (IInvocationOperation)operationContext.Operation;
                        RecordAtomicAccess(invocation, symbols, atomicFields);
                        runsConcurrently = runsConcurrently || symbols.RunnerOf(invocation.TargetMethod) != Runner.None;
                    }
                }),
                OperationKind.Invocation);

            context.RegisterOperationAction(
                operationContext =>
                {
                    // The shape only: what the update writes (and that variable's attributes) is asked at the end, of the
                    // few updates the type's evidence leaves.
                    if (SharedUpdate.HasUpdateShape(operationContext.Operation) && TypeScopedAnalysis.IsOwnOperation(operationContext, type))
                    {
                        candidates.Add((operationContext.Operation, operationContext.ContainingSymbol));
                    }
                },
                OperationKind.Increment,
                OperationKind.Decrement,
                OperationKind.CompoundAssignment,
                OperationKind.SimpleAssignment);

            context.RegisterSymbolEndAction(endContext =>
            {
                foreach (var (update, member) in candidates)
                {
                    // Evidence first, the update's shape after: a lambda can only run concurrently when the type calls a
                    // runner, and without one only a volatile field or one used atomically elsewhere can be reported.
                    if (!runsConcurrently && atomicFields.IsEmpty && !SharedUpdate.WritesVolatileField(update)
                        || SharedUpdate.VariableOf(update, symbols) is not { } variable)
                    {
                        continue;
                    }

                    // A local or parameter is shared only through a lambda run concurrently: without one, nothing to report.
                    var concurrent = runsConcurrently ? SharedUpdate.ConcurrentConfidence(update, variable, symbols) : 0;
                    if (concurrent == 0 && variable is not IFieldSymbol)
                    {
                        continue;
                    }

                    // Whether a lock guards the update is asked last: most fields updated with ++ are never shared.
                    var confidence = System.Math.Max(concurrent, AtomicConfidence(variable, atomicFields));
                    if (confidence > 0 && !IsInConstructorBody(update, member) && !SharedUpdate.IsGuarded(update, symbols))
                    {
                        Confidence.Report(
                            endContext.ReportDiagnostic,
                            endContext.Options,
                            Rules.NonAtomicSharedUpdate,
                            update.Syntax.GetLocation(),
                            confidence,
                            messageArgs: Display.Of(update.Syntax));
                    }
                }
            });
        }

        /// <summary>
        /// The evidence that a field is shared: elsewhere in the type it is passed by ref to <c>Interlocked</c> (90) or
        /// <c>Volatile.Read/Write</c> (85), or it is declared <c>volatile</c> (75: the author expected other threads, but
        /// <c>volatile</c> only orders reads and writes, it does not make <c>++</c> atomic). Not a field: 0.
        /// </summary>
        private static int AtomicConfidence(ISymbol variable, Pending<(IFieldSymbol Field, int Confidence)> atomicFields)
        {
            if (variable is not IFieldSymbol field)
            {
                return 0;
            }

            var confidence = field.IsVolatile ? 75 : 0;
            foreach (var access in atomicFields)
            {
                if (SymbolEqualityComparer.Default.Equals(access.Field, field.OriginalDefinition))
                {
                    confidence = System.Math.Max(confidence, access.Confidence);
                }
            }

            return confidence;
        }

        private static void RecordAtomicAccess(IInvocationOperation invocation, ThreadingSymbols symbols, Pending<(IFieldSymbol Field, int Confidence)> atomicFields)
        {
            var owner = invocation.TargetMethod.ContainingType;
            if (owner?.Name is not ("Interlocked" or "Volatile"))
            {
                return; // the name first: every call of the type comes here
            }

            var confidence = SymbolEqualityComparer.Default.Equals(owner, symbols.Interlocked) ? 90
                : SymbolEqualityComparer.Default.Equals(owner, symbols.Volatile) ? 85
                : 0;
            if (confidence == 0)
            {
                return;
            }

            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is { RefKind: not RefKind.None } && argument.Value is IFieldReferenceOperation reference)
                {
                    atomicFields.Add((reference.Field.OriginalDefinition, confidence));
                }
            }
        }

        /// <summary>A constructor runs before the object is shared; lambdas created in it run later and are judged.</summary>
        private static bool IsInConstructorBody(IOperation operation, ISymbol member) =>
            member is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor }
            && !SharedUpdate.Ancestors(operation).Any(a => a is IAnonymousFunctionOperation or ILocalFunctionOperation);

        /// <summary>The threading types the rule recognises, looked up once per compilation.</summary>
        internal sealed class ThreadingSymbols
        {
            private ThreadingSymbols(Compilation compilation, INamedTypeSymbol interlocked)
            {
                Interlocked = interlocked;
                Volatile = compilation.GetTypeByMetadataName("System.Threading.Volatile");
                Parallel = compilation.GetTypeByMetadataName("System.Threading.Tasks.Parallel");
                Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
                TaskFactory = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskFactory");
                GenericTaskFactory = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskFactory`1");
                ThreadStatic = compilation.GetTypeByMetadataName("System.ThreadStaticAttribute");
                LockTypes = new[]
                    {
                        "System.Threading.Monitor", "System.Threading.SemaphoreSlim", "System.Threading.SpinLock", "System.Threading.WaitHandle",
                        "System.Threading.ReaderWriterLockSlim", "System.Threading.Lock",
                    }
                    .Select(compilation.GetTypeByMetadataName)
                    .Where(t => t is not null)
                    .Select(t => t!)
                    .ToImmutableArray();
            }

            public INamedTypeSymbol Interlocked { get; }

            public INamedTypeSymbol? Volatile { get; }

            public INamedTypeSymbol? Parallel { get; }

            public INamedTypeSymbol? Task { get; }

            public INamedTypeSymbol? TaskFactory { get; }

            public INamedTypeSymbol? GenericTaskFactory { get; }

            public INamedTypeSymbol? ThreadStatic { get; }

            /// <summary>Types whose Enter/Wait/WaitOne calls take a lock: Monitor, SemaphoreSlim, SpinLock, WaitHandle (Mutex), ReaderWriterLockSlim, Lock.</summary>
            public ImmutableArray<INamedTypeSymbol> LockTypes { get; }

            public static ThreadingSymbols? Create(Compilation compilation) =>
                compilation.GetTypeByMetadataName("System.Threading.Interlocked") is { } interlocked ? new ThreadingSymbols(compilation, interlocked) : null;

            public bool IsAcquire(IInvocationOperation invocation)
            {
                // The name first: the lock types and their bases are walked only for calls named like an acquisition.
                var method = invocation.TargetMethod;
                return (method.Name.StartsWith("Enter", System.StringComparison.Ordinal) || method.Name.StartsWith("TryEnter", System.StringComparison.Ordinal)
                        || method.Name is "Wait" or "WaitAsync" or "WaitOne")
                    && LockTypes.Any(t => SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, t) || InheritsFrom(method.ContainingType, t));
            }

            /// <summary>Which concurrent runner takes this delegate: Parallel's loops and Invoke, Task.Run, TaskFactory.StartNew.</summary>
            public Runner RunnerOf(IMethodSymbol method)
            {
                // The name first: every call of a type is asked, and the declaring type is compared only for these names.
                var owner = method.Name switch
                {
                    "For" or "ForEach" or "ForAsync" or "ForEachAsync" or "Invoke" or "Run" or "StartNew" => method.ContainingType?.OriginalDefinition,
                    _ => null,
                };
                if (owner is null)
                {
                    return Runner.None;
                }

                if (SymbolEqualityComparer.Default.Equals(owner, Parallel))
                {
                    return method.Name switch
                    {
                        "For" or "ForEach" or "ForAsync" or "ForEachAsync" => Runner.ParallelLoop,
                        "Invoke" => Runner.ParallelInvoke,
                        _ => Runner.None,
                    };
                }

                return (SymbolEqualityComparer.Default.Equals(owner, Task) && method.Name == "Run")
                    || ((SymbolEqualityComparer.Default.Equals(owner, TaskFactory) || SymbolEqualityComparer.Default.Equals(owner, GenericTaskFactory)) && method.Name == "StartNew")
                    ? Runner.Task
                    : Runner.None;
            }

            private static bool InheritsFrom(INamedTypeSymbol? type, INamedTypeSymbol baseType)
            {
                for (var current = type?.BaseType; current is not null; current = current.BaseType)
                {
                    if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        internal enum Runner
        {
            None,
            ParallelLoop,
            ParallelInvoke,
            Task,
        }

        /// <summary>What makes an update a read-modify-write of shared state, and what protects it.</summary>
        internal static class SharedUpdate
        {
            /// <summary>
            /// An update of a field, local or parameter by its shape alone, the cheap test made for every update:
            /// <see cref="VariableOf"/> says which are updates, reading the variable and searching the value.
            /// </summary>
            public static bool HasUpdateShape(IOperation operation) => TargetOfShape(operation) is IFieldReferenceOperation or ILocalReferenceOperation or IParameterReferenceOperation;

            /// <summary><c>x++</c>, <c>x op= n</c> or <c>x = ...</c> where x is a volatile field.</summary>
            public static bool WritesVolatileField(IOperation operation) => TargetOfShape(operation) is IFieldReferenceOperation { Field.IsVolatile: true };

            /// <summary>What <c>x++</c>, <c>x--</c>, <c>x op= n</c> or <c>x = y</c> (y not a plain read of a variable) writes.</summary>
            private static IOperation? TargetOfShape(IOperation operation) => operation switch
            {
                IIncrementOrDecrementOperation { Target: var target } => target,
                ICompoundAssignmentOperation { Target: var target } => target,
                ISimpleAssignmentOperation { Target: var target, Value: not (ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation) } => target,
                _ => null,
            };

            /// <summary>
            /// The variable read and written by <paramref name="operation"/> when it is <c>x++</c>, <c>x--</c>, <c>x op= n</c>
            /// (not <c>??=</c>) or <c>x = ... x ...</c>; x a field of this object or a static field (not
            /// <c>[ThreadStatic]</c>), a local or a by-value parameter. Otherwise null.
            /// </summary>
            public static ISymbol? VariableOf(IOperation operation, ThreadingSymbols symbols)
            {
                switch (operation)
                {
                    case IIncrementOrDecrementOperation { Target: var target }:
                        return Variable(target, symbols);
                    case ICompoundAssignmentOperation { Target: var target }:
                        return Variable(target, symbols);
                    case ISimpleAssignmentOperation { Target: var target, Value: var value }
                        when value is not ILocalReferenceOperation and not IParameterReferenceOperation and not IFieldReferenceOperation
                            && Variable(target, symbols) is { } variable
                            && value.DescendantsAndSelf().Any(d => IsReferenceTo(d, variable))
                            && !value.DescendantsAndSelf().Any(d => d is IInvocationOperation invocation
                                && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, symbols.Interlocked)):
                        return variable;
                    default:
                        return null;
                }
            }

            /// <summary>
            /// A read or write of <paramref name="variable"/>, which <see cref="Variable"/> accepted: the same symbol, a field
            /// through <c>this</c>. Its attributes were looked at once, not again at every reference.
            /// </summary>
            public static bool IsReferenceTo(IOperation operation, ISymbol variable) => operation switch
            {
                IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } } field =>
                    SymbolEqualityComparer.Default.Equals(field.Field.OriginalDefinition, variable),
                ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, variable),
                IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter, variable),
                _ => false,
            };

            private static ISymbol? Variable(IOperation? target, ThreadingSymbols symbols) => target switch
            {
                IFieldReferenceOperation { Field: { IsConst: false, IsReadOnly: false } field, Instance: null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } }
                    when !field.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, symbols.ThreadStatic)) => field.OriginalDefinition,
                ILocalReferenceOperation { Local: { IsRef: false } local } => local,
                IParameterReferenceOperation { Parameter: { RefKind: RefKind.None } parameter } => parameter,
                _ => null,
            };

            public static System.Collections.Generic.IEnumerable<IOperation> Ancestors(IOperation operation)
            {
                for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
                {
                    yield return parent;
                }
            }

            /// <summary>
            /// Under a <c>lock</c>, or after a <c>Monitor.Enter</c>, <c>SemaphoreSlim.Wait(Async)</c>, <c>Mutex.WaitOne</c>,
            /// <c>SpinLock.Enter</c>, <c>ReaderWriterLockSlim.Enter*Lock</c> or <c>Lock.Enter(Scope)</c> earlier in an
            /// enclosing block. A lock outside a concurrently run lambda does not protect its body.
            /// </summary>
            public static bool IsGuarded(IOperation update, ThreadingSymbols symbols)
            {
                var child = update;
                foreach (var ancestor in Ancestors(update))
                {
                    switch (ancestor)
                    {
                        case ILockOperation:
                            return true;
                        case IBlockOperation block:
                            foreach (var statement in block.Operations)
                            {
                                if (statement == child)
                                {
                                    break;
                                }

                                if (statement.DescendantsAndSelf().Any(d => d is IInvocationOperation invocation && symbols.IsAcquire(invocation)))
                                {
                                    return true;
                                }
                            }

                            break;
                        case IUsingOperation { Resources: var resource }
                            when resource.DescendantsAndSelf().Any(d => d is IInvocationOperation invocation && symbols.IsAcquire(invocation)):
                            return true;
                        case IAnonymousFunctionOperation lambda when RunnerInvocation(lambda, symbols) is not null:
                            return false;
                    }

                    child = ancestor;
                }

                return false;
            }

            /// <summary>
            /// How sure the variable is shared between concurrently running code, from the lambdas around the update that
            /// capture it: the body of a Parallel loop (90); a Parallel.Invoke action when another action also updates it
            /// (85); Task.Run/StartNew started in a loop (80) or while the method itself still updates it (75), with no
            /// await or Wait in between. Not captured by such a lambda: 0.
            /// </summary>
            public static int ConcurrentConfidence(IOperation update, ISymbol variable, ThreadingSymbols symbols)
            {
                var confidence = 0;
                foreach (var lambda in Ancestors(update).OfType<IAnonymousFunctionOperation>())
                {
                    if (IsDeclaredInside(variable, lambda.Syntax.Span) || RunnerInvocation(lambda, symbols) is not { } invocation)
                    {
                        continue;
                    }

                    var lambdaConfidence = symbols.RunnerOf(invocation.TargetMethod) switch
                    {
                        Runner.ParallelLoop => 90,
                        Runner.ParallelInvoke when invocation.Descendants().Any(d => !lambda.Syntax.Span.Contains(d.Syntax.Span) && (IsUpdateOf(d, variable, symbols) || IsAtomicAccessOf(d, variable, symbols))) => 85,
                        Runner.Task when !IsAwaitedInPlace(invocation) && StartedInLoop(invocation) => 80,
                        Runner.Task when !IsAwaitedInPlace(invocation) && UpdatedMeanwhile(invocation, variable, symbols) => 75,
                        _ => 0,
                    };
                    confidence = System.Math.Max(confidence, lambdaConfidence);
                }

                return confidence;
            }

            /// <summary>The Parallel/Task invocation that <paramref name="lambda"/> is given to as an argument, if any.</summary>
            private static IInvocationOperation? RunnerInvocation(IAnonymousFunctionOperation lambda, ThreadingSymbols symbols)
            {
                var parent = lambda.Parent;
                // Parallel.Invoke(params Action[]) puts the lambdas in an implicit array.
                while (parent is IDelegateCreationOperation or IConversionOperation or IArrayInitializerOperation or IArrayCreationOperation)
                {
                    parent = parent.Parent;
                }

                return parent is IArgumentOperation { Parent: IInvocationOperation invocation } && symbols.RunnerOf(invocation.TargetMethod) != Runner.None ? invocation : null;
            }

            private static bool IsDeclaredInside(ISymbol variable, TextSpan span) =>
                variable is ILocalSymbol or IParameterSymbol
                && variable.DeclaringSyntaxReferences.Any(reference => span.Contains(reference.Span));

            private static bool IsUpdateOf(IOperation operation, ISymbol variable, ThreadingSymbols symbols) =>
                operation is IIncrementOrDecrementOperation or ICompoundAssignmentOperation or ISimpleAssignmentOperation
                && SymbolEqualityComparer.Default.Equals(VariableOf(operation, symbols), variable);

            /// <summary><c>await Task.Run(...)</c>, <c>.ConfigureAwait(false)</c>, <c>.Wait()</c>, <c>.Result</c>: the caller waits right there.</summary>
            private static bool IsAwaitedInPlace(IInvocationOperation invocation)
            {
                var parent = invocation.Parent;
                while (parent is IConversionOperation or IInvocationOperation { TargetMethod.Name: "ConfigureAwait" or "GetAwaiter" })
                {
                    parent = parent.Parent;
                }

                return parent is IAwaitOperation or IInvocationOperation { TargetMethod.Name: "Wait" or "GetResult" } or IPropertyReferenceOperation { Property.Name: "Result" };
            }

            /// <summary><c>Interlocked.*(ref x, ...)</c> or <c>Volatile.*(ref x)</c>: another writer that expects concurrency.</summary>
            private static bool IsAtomicAccessOf(IOperation operation, ISymbol variable, ThreadingSymbols symbols) =>
                operation is IArgumentOperation { Parameter.RefKind: not RefKind.None, Parent: IInvocationOperation invocation } argument
                && (SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, symbols.Interlocked)
                    || SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, symbols.Volatile))
                && IsReferenceTo(argument.Value, variable);

            private static bool StartedInLoop(IInvocationOperation invocation)
            {
                foreach (var ancestor in Ancestors(invocation))
                {
                    if (ancestor is IAnonymousFunctionOperation or ILocalFunctionOperation)
                    {
                        return false;
                    }

                    if (ancestor is ILoopOperation loop)
                    {
                        // The next iteration starts the next task; unless this one is awaited first.
                        return !WaitsBetween(invocation, invocation.Syntax.Span.End, loop.Syntax.Span.End);
                    }
                }

                return false;
            }

            /// <summary>The method that starts the task also updates the variable after starting it, before waiting for it.</summary>
            private static bool UpdatedMeanwhile(IInvocationOperation invocation, ISymbol variable, ThreadingSymbols symbols)
            {
                var root = Ancestors(invocation).LastOrDefault() ?? invocation;
                return root.Descendants().Any(d =>
                    d.Syntax.SpanStart > invocation.Syntax.Span.End
                    && IsUpdateOf(d, variable, symbols)
                    && !Ancestors(d).Any(a => a is IAnonymousFunctionOperation or ILocalFunctionOperation)
                    && !WaitsBetween(invocation, invocation.Syntax.Span.End, d.Syntax.SpanStart));
            }

            private static bool WaitsBetween(IInvocationOperation invocation, int start, int end)
            {
                var root = Ancestors(invocation).LastOrDefault() ?? invocation;
                return root.Descendants().Any(d =>
                    d.Syntax.SpanStart >= start && d.Syntax.Span.End <= end
                    && (d is IAwaitOperation
                        || d is IInvocationOperation { TargetMethod.Name: "Wait" or "WaitAll" or "GetResult" }
                        || d is IPropertyReferenceOperation { Property.Name: "Result" }));
            }
        }
    }
}
