using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview.Partitions
{
    /// <summary>
    /// DR4004: a distributed lock whose acquisition is not checked before the protected work runs. RedLock.net's
    /// <c>CreateLock</c>/<c>CreateLockAsync</c> return an <c>IRedLock</c> whether or not the lock was acquired
    /// (<c>IsAcquired</c> says); Medallion's <c>TryAcquire*</c> return null when it was not. The result is followed
    /// into the local it is declared in (plain, <c>using</c> or <c>await using</c>) and through the rest of its block,
    /// or the using statement's body; a result that goes anywhere else (returned, passed on, stored in a field,
    /// captured by a lambda) is left alone: the check may be there.
    /// </summary>
    public sealed class UncheckedDistributedLockAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: <see cref="RedLock"/> or <see cref="Medallion"/>.</summary>
        public const string LibraryProperty = "Library";
        public const string RedLock = "RedLock";
        public const string Medallion = "Medallion";

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.UncheckedDistributedLock);

        /// <summary>The calls that take a lock (<see cref="LockSymbols.LibraryOf"/>): RedLock's <c>CreateLock*</c>, Medallion's <c>TryAcquire*</c>.</summary>
        private static readonly CallNames LockCalls = CallNames.Of(new[] { "CreateLock", "CreateLockAsync" }, prefixes: new[] { "TryAcquire" });

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(compilationStart =>
            {
                if (LockSymbols.Create(compilationStart.Compilation) is { } symbols)
                {
                    compilationStart.RegisterOperationAction(LockCalls.Filter(operationContext => AnalyzeInvocation(operationContext, symbols)), OperationKind.Invocation);
                }
            });
        }

        private static void AnalyzeInvocation(OperationAnalysisContext context, LockSymbols symbols)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (symbols.LibraryOf(invocation) is not { } library)
            {
                return;
            }

            if (Acquisition.Of(invocation, library) is not { } acquisition || acquisition.Verdict() is not { } confidence)
            {
                return;
            }

            Confidence.Report(
                context.ReportDiagnostic,
                context.Options,
                Rules.UncheckedDistributedLock,
                invocation.Syntax.GetLocation(),
                confidence,
                ImmutableDictionary<string, string?>.Empty.Add(LibraryProperty, library),
                Display.Of(invocation.Syntax));
        }

        /// <summary>The lock types, looked up once per compilation; null when neither library is referenced.</summary>
        private sealed class LockSymbols
        {
            private readonly INamedTypeSymbol? _redLock;
            private readonly INamedTypeSymbol? _handle;
            private readonly INamedTypeSymbol? _task;
            private readonly INamedTypeSymbol? _valueTask;
            private readonly IFieldSymbol? _infiniteTimeSpan;

            private LockSymbols(Compilation compilation, INamedTypeSymbol? redLock, INamedTypeSymbol? handle)
            {
                _redLock = redLock;
                _handle = handle;
                _task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
                _valueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
                _infiniteTimeSpan = compilation.GetTypeByMetadataName("System.Threading.Timeout")?.GetMembers("InfiniteTimeSpan").OfType<IFieldSymbol>().FirstOrDefault();
            }

            public static LockSymbols? Create(Compilation compilation)
            {
                var redLock = compilation.GetTypeByMetadataName("RedLockNet.IRedLock");
                var handle = compilation.GetTypeByMetadataName("Medallion.Threading.IDistributedSynchronizationHandle");
                return redLock is null && handle is null ? null : new LockSymbols(compilation, redLock, handle);
            }

            /// <summary>
            /// RedLock for <c>CreateLock*</c> returning an <c>IRedLock</c>; Medallion for <c>TryAcquire*</c> returning a
            /// synchronization handle (locks, reader-writer locks, semaphores, providers' extension methods), unless it
            /// waits forever (<c>Timeout.InfiniteTimeSpan</c>), which never returns null.
            /// </summary>
            public string? LibraryOf(IInvocationOperation invocation)
            {
                // Names first: the return type is looked at only for the few calls that can acquire a lock.
                var method = invocation.TargetMethod;
                if (_redLock is not null && method.Name is "CreateLock" or "CreateLockAsync" && NetworkCalls.IsOrInherits(Unwrapped(method.ReturnType), _redLock))
                {
                    return RedLock;
                }

                if (_handle is not null && method.Name.StartsWith("TryAcquire", StringComparison.Ordinal) && NetworkCalls.IsOrInherits(Unwrapped(method.ReturnType), _handle)
                    && !invocation.Arguments.Any(WaitsForever))
                {
                    return Medallion;
                }

                return null;
            }

            private bool WaitsForever(IArgumentOperation argument) =>
                _infiniteTimeSpan is not null
                && ClockSymbols.WalkDownImplicitConversions(argument.Value) is IFieldReferenceOperation { Field: var field }
                && SymbolEqualityComparer.Default.Equals(field, _infiniteTimeSpan);

            private ITypeSymbol? Unwrapped(ITypeSymbol type) =>
                type is INamedTypeSymbol { TypeArguments.Length: 1 } generic
                && (SymbolEqualityComparer.Default.Equals(generic.OriginalDefinition, _task) || SymbolEqualityComparer.Default.Equals(generic.OriginalDefinition, _valueTask))
                    ? generic.TypeArguments[0]
                    : type;
        }

        /// <summary>One acquiring call, where its result goes, and what the code after it does.</summary>
        private sealed class Acquisition
        {
            private readonly string _library;
            private readonly ILocalSymbol? _local;
            private readonly ImmutableArray<IOperation> _protected;

            private Acquisition(string library, ILocalSymbol? local, ImmutableArray<IOperation> protectedStatements)
            {
                _library = library;
                _local = local;
                _protected = protectedStatements;
            }

            /// <summary>
            /// Where the result goes: into a local declared by a statement of a block or by a using statement, or into a
            /// using statement or an expression statement without any variable. Null for anything else.
            /// </summary>
            public static Acquisition? Of(IInvocationOperation invocation, string library)
            {
                IOperation current = invocation;
                while (current.Parent is { } parent)
                {
                    switch (parent)
                    {
                        case IConversionOperation { IsImplicit: true }:
                        case IAwaitOperation:
                        case IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configured when configured.Instance == current:
                            current = parent;
                            continue;

                        // using (factory.CreateLock(...)) { ... }: never checked
                        case IUsingOperation @using when @using.Resources == current:
                            return new Acquisition(library, null, StatementsOf(@using.Body));

                        // factory.CreateLock(...); or _ = factory.CreateLock(...);
                        case IExpressionStatementOperation statement:
                            return AfterIn(statement, library, null);
                        case ISimpleAssignmentOperation { Target: IDiscardOperation } discard when discard.Value == current && discard.Parent is IExpressionStatementOperation statement:
                            return AfterIn(statement, library, null);

                        case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                            return Declared(declarator, library);

                        default:
                            return null;
                    }
                }

                return null;
            }

            /// <summary>
            /// Confidence, or null when the acquisition is checked before any work (or nothing is protected). No variable
            /// to check: 95. A local never checked: 90. A local checked only after some of the work ran: 75.
            /// </summary>
            public int? Verdict()
            {
                var firstWork = FirstWork();
                if (firstWork is null)
                {
                    return null;
                }

                if (_local is null)
                {
                    return 95;
                }

                var uses = UsesOfLocal();
                if (uses.Escapes)
                {
                    return null;
                }

                if (uses.FirstCheck is null)
                {
                    return 90;
                }

                return uses.FirstCheck.Value <= firstWork.Value ? null : 75;
            }

            private static Acquisition? Declared(IVariableDeclaratorOperation declarator, string library)
            {
                if (declarator.Parent is not IVariableDeclarationOperation { Parent: IVariableDeclarationGroupOperation group })
                {
                    return null;
                }

                return group.Parent switch
                {
                    IBlockOperation => AfterIn(group, library, declarator.Symbol),
                    IUsingDeclarationOperation usingDeclaration => AfterIn(usingDeclaration, library, declarator.Symbol),
                    IUsingOperation @using when @using.Resources == group => new Acquisition(library, declarator.Symbol, StatementsOf(@using.Body)),
                    _ => null,
                };
            }

            /// <summary>The statements after <paramref name="statement"/> in its block: the lock is held (or not) for all of them.</summary>
            private static Acquisition? AfterIn(IOperation statement, string library, ILocalSymbol? local)
            {
                if (statement.Parent is not IBlockOperation block)
                {
                    return null;
                }

                var index = block.Operations.IndexOf(statement);
                return index < 0 ? null : new Acquisition(library, local, block.Operations.RemoveRange(0, index + 1));
            }

            private static ImmutableArray<IOperation> StatementsOf(IOperation body) =>
                body is IBlockOperation block ? block.Operations : ImmutableArray.Create(body);

            private IEnumerable<IOperation> ProtectedOperations() => _protected.SelectMany(NetworkCalls.OutsideNestedFunctions);

            /// <summary>
            /// Where the first piece of work ends (a call, an object creation, an await, a write to anything but a
            /// local): roughly when it has run, since arguments run before their call. Logging and calls on the lock
            /// itself are not work.
            /// </summary>
            private int? FirstWork()
            {
                int? first = null;
                foreach (var operation in ProtectedOperations())
                {
                    if (IsWork(operation) && (first is null || operation.Syntax.Span.End < first.Value))
                    {
                        first = operation.Syntax.Span.End;
                    }
                }

                return first;
            }

            private bool IsWork(IOperation operation) => operation switch
            {
                IInvocationOperation invocation => !IsLogging(invocation.TargetMethod) && !IsOnLock(invocation.Instance),
                IObjectCreationOperation or IAwaitOperation or IDynamicInvocationOperation => true,
                IAssignmentOperation { Target: not (ILocalReferenceOperation or IDiscardOperation) } => true,
                IIncrementOrDecrementOperation { Target: not ILocalReferenceOperation } => true,
                _ => false,
            };

            private bool IsOnLock(IOperation? instance) =>
                _local is not null && ClockSymbols.WalkDownImplicitConversions(instance) is ILocalReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Local, _local);

            private static bool IsLogging(IMethodSymbol method)
            {
                var typeName = method.ContainingType?.Name ?? string.Empty;
                return method.Name.StartsWith("Log", StringComparison.Ordinal)
                    || typeName.IndexOf("Logger", StringComparison.Ordinal) >= 0
                    || typeName is "Console" or "Debug" or "Trace";
            }

            /// <summary>How the local is used after the acquisition: where it is first checked, and whether it escapes.</summary>
            private (int? FirstCheck, bool Escapes) UsesOfLocal()
            {
                int? firstCheck = null;
                foreach (var statement in _protected)
                {
                    foreach (var operation in statement.DescendantsAndSelf())
                    {
                        if (operation is not ILocalReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Local, _local))
                        {
                            continue;
                        }

                        if (IsInNestedFunction(reference, statement))
                        {
                            return (null, Escapes: true);
                        }

                        switch (UseOf(reference, out var checkedAt))
                        {
                            case Use.Escape:
                                return (null, Escapes: true);
                            case Use.Check when firstCheck is null || checkedAt < firstCheck.Value:
                                firstCheck = checkedAt;
                                break;
                        }
                    }
                }

                return (firstCheck, Escapes: false);
            }

            private enum Use
            {
                Neutral,
                Check,
                Escape,
            }

            /// <summary>
            /// RedLock: reading <c>IsAcquired</c> or <c>Status</c> is a check; other members (<c>Resource</c>, <c>Dispose</c>)
            /// are neutral. Medallion: a null test (<c>== null</c>, <c>is null</c>, <c>is {}</c>, <c>?.</c>, <c>??</c>) is a
            /// check, and so is a dereference (it throws before the work runs). Anything else hands the lock on.
            /// </summary>
            private Use UseOf(ILocalReferenceOperation reference, out int checkedAt)
            {
                IOperation use = reference;
                while (use.Parent is IConversionOperation { IsImplicit: true } conversion)
                {
                    use = conversion;
                }

                checkedAt = CheckPosition(use);
                var parent = use.Parent;
                if (_library == RedLock)
                {
                    switch (parent)
                    {
                        case IPropertyReferenceOperation { Property.Name: "IsAcquired" or "Status" } property when property.Instance == use:
                        case IConditionalAccessOperation { WhenNotNull: IPropertyReferenceOperation { Property.Name: "IsAcquired" or "Status" } } access when access.Operation == use:
                            return Use.Check;
                        case IMemberReferenceOperation member when member.Instance == use:
                        case IInvocationOperation invocation when invocation.Instance == use:
                        case IConditionalAccessOperation access when access.Operation == use:
                        case IUsingOperation:
                            return Use.Neutral;
                        default:
                            return Use.Escape;
                    }
                }

                switch (parent)
                {
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison when IsNull(comparison.LeftOperand) || IsNull(comparison.RightOperand):
                    case IIsPatternOperation pattern when pattern.Value == use:
                    case IIsTypeOperation isType when isType.ValueOperand == use:
                    case IConditionalAccessOperation access when access.Operation == use:
                    case ICoalesceOperation coalesce when coalesce.Value == use:
                    case IMemberReferenceOperation member when member.Instance == use:
                    case IInvocationOperation invocation when invocation.Instance == use:
                        return Use.Check;
                    case IUsingOperation:
                        return Use.Neutral;
                    default:
                        return Use.Escape;
                }
            }

            /// <summary>
            /// When a check takes effect: at the start of the condition it is part of (so calls in the same condition
            /// count as guarded), otherwise where the check ends.
            /// </summary>
            private static int CheckPosition(IOperation use)
            {
                for (IOperation? current = use, parent = use.Parent; parent is not null; current = parent, parent = parent.Parent)
                {
                    switch (parent)
                    {
                        case IConditionalOperation conditional when conditional.Condition == current:
                            return current.Syntax.SpanStart;
                        case IWhileLoopOperation loop when loop.Condition == current:
                            return current.Syntax.SpanStart;
                        case IBlockOperation:
                            return use.Syntax.Span.End;
                    }
                }

                return use.Syntax.Span.End;
            }

            private static bool IsNull(IOperation operand) =>
                ClockSymbols.WalkDownImplicitConversions(operand) is { ConstantValue: { HasValue: true, Value: null } };

            private static bool IsInNestedFunction(IOperation operation, IOperation stopAt)
            {
                for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
                {
                    if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
                    {
                        return true;
                    }

                    if (parent == stopAt)
                    {
                        break;
                    }
                }

                return false;
            }
        }
    }
}
