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
    /// Runs several analyzers as one: each registers its actions as usual, but on contexts that collect them, and
    /// what they collect is registered once. Per compilation that is one operation action; per type one operation
    /// action, one block action and one end action; each calls the rules' own actions in turn. Registrations the rules
    /// do not make often (syntax, semantic-model, code-block, additional-file actions) go straight to the real context.
    /// A rule that registers nothing for a type (its gate ruled the type out) adds nothing to the type's actions.
    /// </summary>
    internal static class SharedPass
    {
        public static void Run(AnalysisContext context, ImmutableArray<DiagnosticAnalyzer> analyzers)
        {
            var session = new Session(context);
            foreach (var analyzer in analyzers)
            {
                analyzer.Initialize(session);
            }

            session.RegisterCollected();
        }

        /// <summary>
        /// The writes of <paramref name="context"/>'s type: one for all the rules of a shared pass, so that the type's
        /// bodies are kept, and walked for writes, once; a rule analyzer run on its own keeps its own.
        /// </summary>
        public static TypeWrites WritesOf(SymbolStartAnalysisContext context) => context is ISharedTypeWrites shared ? shared.Writes : TypeWrites.Start(context);

        /// <summary>
        /// A type-start context whose rules share one <see cref="TypeWrites"/>: the shared pass's own, or a context that
        /// wraps it and passes it on (the benchmark's per-rule meter, so that each rule is measured as the package runs it).
        /// </summary>
        internal interface ISharedTypeWrites
        {
            TypeWrites Writes { get; }
        }

        /// <summary>
        /// Multicast delegates of one kind of action, combined in registration order. The rules never throw (the
        /// robustness tests hold them to it), so one rule's action cannot keep the next from running.
        /// </summary>
        private static T Combine<T>(T? first, T second)
            where T : Delegate => (T)Delegate.Combine(first, second)!;

        /// <summary>
        /// Operation actions behind one subscription: one call for each operation, dispatched by its kind. Invocation
        /// actions filtered by <see cref="CallNames"/>, and binary-operation actions filtered by
        /// <see cref="BinaryOperators"/>, are dispatched by the called method's name or the operator, read once.
        /// </summary>
        private sealed class OperationActions
        {
            private readonly List<OperationKind> _kinds = new();
            private readonly List<Action<OperationAnalysisContext>?> _actions = new();
            private readonly List<(OperationKind Kind, ulong Keys, Action<OperationAnalysisContext> Action)> _filtered = new();

            public void Add(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> kinds)
            {
                foreach (var kind in kinds)
                {
                    var index = _kinds.IndexOf(kind);
                    if (index < 0)
                    {
                        _kinds.Add(kind);
                        _actions.Add(null);
                        index = _kinds.Count - 1;
                    }

                    if (FilteredAction.Of(action) is { Keys: not 0 } filtered && filtered.Kind == kind)
                    {
                        _filtered.Add((kind, filtered.Keys, filtered.Action));
                    }
                    else
                    {
                        _actions[index] = _actions[index] is { } earlier ? Combine(earlier, action) : action;
                    }
                }
            }

            public void RegisterOn(Action<Action<OperationAnalysisContext>, ImmutableArray<OperationKind>> register)
            {
                if (_kinds.Count == 0)
                {
                    return;
                }

                var kinds = _kinds.ToArray();
                var actions = _actions.ToArray();
                if (_filtered.Count > 0)
                {
                    Dispatch(OperationKind.Invocation, operation => CallNames.MaskOf(((IInvocationOperation)operation).TargetMethod.Name));
                    Dispatch(OperationKind.Binary, operation => BinaryOperators.BitOf(((IBinaryOperation)operation).OperatorKind));
                }

                void Dispatch(OperationKind kind, Func<IOperation, ulong> keysOf)
                {
                    var filtered = _filtered.Where(f => f.Kind == kind).Select(f => (f.Keys, f.Action)).ToArray();
                    if (filtered.Length > 0)
                    {
                        var index = _kinds.IndexOf(kind);
                        actions[index] = Filtered(actions[index], filtered, keysOf);
                    }
                }

                if (kinds.Length == 1)
                {
                    register(actions[0]!, ImmutableArray.Create(kinds[0]));
                    return;
                }

                register(
                    context =>
                    {
                        var kind = context.Operation.Kind;
                        for (var i = 0; i < kinds.Length; i++)
                        {
                            if (kinds[i] == kind)
                            {
                                actions[i]!(context);
                                return;
                            }
                        }
                    },
                    ImmutableArray.Create(kinds));
            }

            /// <summary>The unfiltered actions, then the filtered ones whose keys (names, operators) the operation has.</summary>
            private static Action<OperationAnalysisContext> Filtered(
                Action<OperationAnalysisContext>? unfiltered, (ulong Keys, Action<OperationAnalysisContext> Action)[] filtered, Func<IOperation, ulong> keysOf)
            {
                var any = filtered.Aggregate(0UL, (keys, f) => keys | f.Keys);
                return context =>
                {
                    unfiltered?.Invoke(context);
                    var keys = keysOf(context.Operation) & any;
                    if (keys == 0)
                    {
                        return;
                    }

                    foreach (var (wanted, action) in filtered)
                    {
                        if ((keys & wanted) != 0)
                        {
                            action(context);
                        }
                    }
                };
            }
        }

        /// <summary>The rules' <see cref="DiagnosticAnalyzer.Initialize"/>: compilation-start actions are collected.</summary>
        private sealed class Session : AnalysisContext
        {
            private readonly AnalysisContext _context;
            private readonly OperationActions _operations = new();
            private Action<CompilationStartAnalysisContext>? _compilationStart;

            public Session(AnalysisContext context) => _context = context;

            public void RegisterCollected()
            {
                _operations.RegisterOn(_context.RegisterOperationAction);
                if (_compilationStart is { } starts)
                {
                    _context.RegisterCompilationStartAction(start =>
                    {
                        var scope = new CompilationScope(start);
                        starts(scope);
                        scope.RegisterCollected();
                    });
                }
            }

            // Set once for the package by DistributedReviewAnalyzer: every rule asks for the same.
            public override void ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags analysisMode)
            {
            }

            public override void EnableConcurrentExecution()
            {
            }

            public override void RegisterCompilationStartAction(Action<CompilationStartAnalysisContext> action) => _compilationStart = Combine(_compilationStart, action);

            public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) => _operations.Add(action, operationKinds);

            public override void RegisterCompilationAction(Action<CompilationAnalysisContext> action) => _context.RegisterCompilationAction(action);

            public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => _context.RegisterSemanticModelAction(action);

            public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) => _context.RegisterSymbolAction(action, symbolKinds);

            public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind) => _context.RegisterSymbolStartAction(action, symbolKind);

            public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) => _context.RegisterCodeBlockStartAction(action);

            public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => _context.RegisterCodeBlockAction(action);

            public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => _context.RegisterSyntaxTreeAction(action);

            public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action) => _context.RegisterAdditionalFileAction(action);

            public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) =>
                _context.RegisterSyntaxNodeAction(action, syntaxKinds);

            public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) => _context.RegisterOperationBlockStartAction(action);

            public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => _context.RegisterOperationBlockAction(action);
        }

        /// <summary>The rules' compilation-start actions: operation actions and type-start actions are collected.</summary>
        private sealed class CompilationScope : CompilationStartAnalysisContext
        {
            private readonly CompilationStartAnalysisContext _context;
            private readonly OperationActions _operations = new();
            private Action<SymbolStartAnalysisContext>? _typeStart;

#pragma warning disable RS1012 // it registers what the rules collected, in RegisterCollected
            public CompilationScope(CompilationStartAnalysisContext context)
#pragma warning restore RS1012
                : base(context.Compilation, context.Options, context.CancellationToken)
            {
                _context = context;
            }

            public void RegisterCollected()
            {
                _operations.RegisterOn(_context.RegisterOperationAction);
                if (_typeStart is { } starts)
                {
                    _context.RegisterSymbolStartAction(
                        start =>
                        {
                            var scope = new TypeScope(start);
                            starts(scope);
                            scope.RegisterCollected();
                        },
                        SymbolKind.NamedType);
                }
            }

            public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) => _operations.Add(action, operationKinds);

            public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind)
            {
                if (symbolKind == SymbolKind.NamedType)
                {
                    _typeStart = Combine(_typeStart, action);
                }
                else
                {
                    _context.RegisterSymbolStartAction(action, symbolKind);
                }
            }

            public override void RegisterCompilationEndAction(Action<CompilationAnalysisContext> action) => _context.RegisterCompilationEndAction(action);

            public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => _context.RegisterSemanticModelAction(action);

            public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) => _context.RegisterSymbolAction(action, symbolKinds);

            public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) => _context.RegisterCodeBlockStartAction(action);

            public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => _context.RegisterCodeBlockAction(action);

            public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => _context.RegisterSyntaxTreeAction(action);

            public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action) => _context.RegisterAdditionalFileAction(action);

            public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) =>
                _context.RegisterSyntaxNodeAction(action, syntaxKinds);

            public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) => _context.RegisterOperationBlockStartAction(action);

            public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => _context.RegisterOperationBlockAction(action);
        }

        /// <summary>The rules' type-start actions: operation, block and type-end actions are collected.</summary>
        private sealed class TypeScope : SymbolStartAnalysisContext, ISharedTypeWrites
        {
            private readonly SymbolStartAnalysisContext _context;
            private readonly OperationActions _operations = new();
            private readonly List<Action<SymbolAnalysisContext>> _ends = new();
            private Action<OperationBlockAnalysisContext>? _blocks;
            private TypeWrites? _writes;

            public TypeScope(SymbolStartAnalysisContext context)
                : base(context.Symbol, context.Compilation, context.Options, context.CancellationToken)
            {
                _context = context;
            }

            /// <summary>Started by the first rule that asks; the rules' type-start actions run one after another.</summary>
            public TypeWrites Writes => _writes ??= TypeWrites.Start(this);

            public void RegisterCollected()
            {
                _operations.RegisterOn(_context.RegisterOperationAction);
                if (_blocks is { } blocks)
                {
                    _context.RegisterOperationBlockAction(blocks);
                }

                if (_ends.Count > 0)
                {
                    var ends = _ends.ToArray();
                    _context.RegisterSymbolEndAction(context =>
                    {
                        foreach (var end in ends)
                        {
                            // The judgements at a type's end are the longest callbacks; between separate analyzers the
                            // driver would stop at a cancellation here, so the shared pass does too.
                            context.CancellationToken.ThrowIfCancellationRequested();
                            end(context);
                        }
                    });
                }
            }

            public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) => _operations.Add(action, operationKinds);

            public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => _blocks = Combine(_blocks, action);

            public override void RegisterSymbolEndAction(Action<SymbolAnalysisContext> action) => _ends.Add(action);

            public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) => _context.RegisterCodeBlockStartAction(action);

            public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => _context.RegisterCodeBlockAction(action);

            public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) =>
                _context.RegisterSyntaxNodeAction(action, syntaxKinds);

            public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) => _context.RegisterOperationBlockStartAction(action);
        }
    }
}
