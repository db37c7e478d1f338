using System;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DistributedReview.Benchmarks;

/// <summary>
/// One of our analyzers with every callback metered: the bytes it allocates and the CPU time it uses on its own
/// thread, and the calls made. These are the steady figures the telemetry lacks. The telemetry is wall-clock, so it
/// also counts time the thread waits: for a collection that another thread runs (server GC) or for a core the
/// machine gave to someone else. Thread CPU time counts neither. And a collection's pause is charged to whichever
/// callback allocates the byte that starts it, so a rule's share of the pauses follows its share of the bytes.
/// Used with <c>--alloc</c> only, because the meter itself adds a little time to every callback.
/// </summary>
public sealed class MeteredAnalyzer : DiagnosticAnalyzer
{
    private readonly DiagnosticAnalyzer _inner;
    private long _bytes;
    private long _cpuNanoseconds;
    private long _calls;

    public MeteredAnalyzer(DiagnosticAnalyzer inner) => _inner = inner;

    public DiagnosticAnalyzer Inner => _inner;

    /// <summary>Bytes allocated inside the callbacks since the last <see cref="Reset"/>.</summary>
    public long Bytes => _bytes;

    /// <summary>
    /// Thread CPU time inside the callbacks since the last <see cref="Reset"/>, less what the meter itself costs
    /// (<see cref="ThreadCpu.MeterCost"/> a call); NaN where the thread's CPU clock cannot be read.
    /// </summary>
    public double CpuMilliseconds => ThreadCpu.IsAvailable ? Math.Max(0, _cpuNanoseconds - _calls * ThreadCpu.MeterCost) / 1e6 : double.NaN;

    public long Calls => _calls;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => _inner.SupportedDiagnostics;

    public override void Initialize(AnalysisContext context) => _inner.Initialize(new Analysis(context, this));

    public void Reset()
    {
        _bytes = 0;
        _cpuNanoseconds = 0;
        _calls = 0;
    }

    private Action<T> Meter<T>(Action<T> action) => argument =>
    {
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var cpu = ThreadCpu.Nanoseconds();
        try
        {
            action(argument);
        }
        finally
        {
            _cpuNanoseconds += ThreadCpu.Nanoseconds() - cpu;
            _bytes += GC.GetAllocatedBytesForCurrentThread() - bytes;
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

/// <summary>The calling thread's CPU time (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>), and what reading it costs.</summary>
public static class ThreadCpu
{
    private const int ClockThreadCpuTime = 3;

    static ThreadCpu()
    {
        try
        {
            IsAvailable = OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTime, out _) == 0;
        }
        catch (DllNotFoundException)
        {
            IsAvailable = false;
        }
        catch (EntryPointNotFoundException)
        {
            IsAvailable = false;
        }

        MeterCost = IsAvailable ? Calibrate() : 0;
    }

    public static bool IsAvailable { get; }

    /// <summary>Nanoseconds one pair of readings adds to a metered interval: subtracted once per metered call.</summary>
    public static long MeterCost { get; }

    public static long Nanoseconds()
    {
        if (!IsAvailable)
        {
            return 0;
        }

        ClockGetTime(ClockThreadCpuTime, out var time);
        return time.Seconds * 1_000_000_000 + time.Nanoseconds;
    }

    /// <summary>The median, over rounds, of what an empty interval measures.</summary>
    private static long Calibrate()
    {
        const int Rounds = 21;
        const int Calls = 20_000;
        var perCall = new long[Rounds];
        for (var round = 0; round < Rounds; round++)
        {
            long total = 0;
            for (var i = 0; i < Calls; i++)
            {
                var start = Nanoseconds();
                total += Nanoseconds() - start;
            }

            perCall[round] = total / Calls;
        }

        Array.Sort(perCall);
        return perCall[Rounds / 2];
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
