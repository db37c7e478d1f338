using System;
using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DistributedReview.Benchmarks;

/// <summary>
/// One of our analyzers with every callback metered: the bytes it allocates on its own thread and the calls made.
/// Allocation is the steady figure the telemetry lacks: a collection's pause is charged to whichever callback
/// allocates the byte that starts it, so a rule's share of the pauses follows its share of the bytes allocated.
/// Used with <c>--alloc</c> only, because the meter itself adds a little time to every callback.
/// </summary>
public sealed class MeteredAnalyzer : DiagnosticAnalyzer
{
    private readonly DiagnosticAnalyzer _inner;
    private long _bytes;
    private long _calls;

    public MeteredAnalyzer(DiagnosticAnalyzer inner) => _inner = inner;

    public DiagnosticAnalyzer Inner => _inner;

    /// <summary>Bytes allocated inside the callbacks since the last <see cref="Reset"/>.</summary>
    public long Bytes => _bytes;

    public long Calls => _calls;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => _inner.SupportedDiagnostics;

    public override void Initialize(AnalysisContext context) => _inner.Initialize(new Analysis(context, this));

    public void Reset()
    {
        _bytes = 0;
        _calls = 0;
    }

    private Action<T> Meter<T>(Action<T> action) => argument =>
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            action(argument);
        }
        finally
        {
            _bytes += GC.GetAllocatedBytesForCurrentThread() - before;
            _calls++;
        }
    };

    private sealed class Analysis : AnalysisContext
    {
        private readonly AnalysisContext _context;
        private readonly MeteredAnalyzer _m;

        public Analysis(AnalysisContext context, MeteredAnalyzer meter)
        {
            _context = context;
            _m = meter;
        }

        public override void EnableConcurrentExecution() => _context.EnableConcurrentExecution();

        public override void ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags analysisMode) => _context.ConfigureGeneratedCodeAnalysis(analysisMode);

        public override void RegisterCompilationStartAction(Action<CompilationStartAnalysisContext> action) =>
            _context.RegisterCompilationStartAction(_m.Meter<CompilationStartAnalysisContext>(start => action(new CompilationStart(start, _m))));

        public override void RegisterCompilationAction(Action<CompilationAnalysisContext> action) => _context.RegisterCompilationAction(_m.Meter(action));

        public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => _context.RegisterSemanticModelAction(_m.Meter(action));

        public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) => _context.RegisterSymbolAction(_m.Meter(action), symbolKinds);

        public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind) =>
            _context.RegisterSymbolStartAction(_m.Meter<SymbolStartAnalysisContext>(start => action(new SymbolStart(start, _m))), symbolKind);

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) =>
            throw new NotSupportedException("Code-block-start actions are not metered.");

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => _context.RegisterCodeBlockAction(_m.Meter(action));

        public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => _context.RegisterSyntaxTreeAction(_m.Meter(action));

        public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action) => _context.RegisterAdditionalFileAction(_m.Meter(action));

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) =>
            _context.RegisterSyntaxNodeAction(_m.Meter(action), syntaxKinds);

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) =>
            _context.RegisterOperationAction(_m.Meter(action), operationKinds);

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) =>
            throw new NotSupportedException("Operation-block-start actions are not metered.");

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => _context.RegisterOperationBlockAction(_m.Meter(action));
    }

    private sealed class CompilationStart : CompilationStartAnalysisContext
    {
        private readonly CompilationStartAnalysisContext _context;
        private readonly MeteredAnalyzer _m;

        public CompilationStart(CompilationStartAnalysisContext context, MeteredAnalyzer meter)
            : base(context.Compilation, context.Options, context.CancellationToken)
        {
            _context = context;
            _m = meter;
        }

        public override void RegisterCompilationEndAction(Action<CompilationAnalysisContext> action) => _context.RegisterCompilationEndAction(_m.Meter(action));

        public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => _context.RegisterSemanticModelAction(_m.Meter(action));

        public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) => _context.RegisterSymbolAction(_m.Meter(action), symbolKinds);

        public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind) =>
            _context.RegisterSymbolStartAction(_m.Meter<SymbolStartAnalysisContext>(start => action(new SymbolStart(start, _m))), symbolKind);

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) =>
            throw new NotSupportedException("Code-block-start actions are not metered.");

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => _context.RegisterCodeBlockAction(_m.Meter(action));

        public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => _context.RegisterSyntaxTreeAction(_m.Meter(action));

        public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action) => _context.RegisterAdditionalFileAction(_m.Meter(action));

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) =>
            _context.RegisterSyntaxNodeAction(_m.Meter(action), syntaxKinds);

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) =>
            _context.RegisterOperationAction(_m.Meter(action), operationKinds);

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) =>
            throw new NotSupportedException("Operation-block-start actions are not metered.");

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => _context.RegisterOperationBlockAction(_m.Meter(action));
    }

    private sealed class SymbolStart : SymbolStartAnalysisContext
    {
        private readonly SymbolStartAnalysisContext _context;
        private readonly MeteredAnalyzer _m;

        public SymbolStart(SymbolStartAnalysisContext context, MeteredAnalyzer meter)
            : base(context.Symbol, context.Compilation, context.Options, context.CancellationToken)
        {
            _context = context;
            _m = meter;
        }

        public override void RegisterSymbolEndAction(Action<SymbolAnalysisContext> action) => _context.RegisterSymbolEndAction(_m.Meter(action));

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) =>
            throw new NotSupportedException("Code-block-start actions are not metered.");

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => _context.RegisterCodeBlockAction(_m.Meter(action));

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) =>
            _context.RegisterSyntaxNodeAction(_m.Meter(action), syntaxKinds);

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) =>
            throw new NotSupportedException("Operation-block-start actions are not metered.");

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => _context.RegisterOperationBlockAction(_m.Meter(action));

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) =>
            _context.RegisterOperationAction(_m.Meter(action), operationKinds);
    }
}
