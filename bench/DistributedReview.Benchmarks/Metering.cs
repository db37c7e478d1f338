using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DistributedReview.Benchmarks;

/// <summary>
/// One of our rule analyzers with every callback metered. With <c>full</c>, the bytes it allocates and the CPU time it
/// uses on its own thread: the steady figures the telemetry lacks. The telemetry is wall-clock, so it also counts time
/// the thread waits: for a collection that another thread runs (server GC) or for a core the machine gave to someone
/// else. Thread CPU time counts neither. And a collection's pause is charged to whichever callback allocates the byte
/// that starts it, so a rule's share of the pauses follows its share of the bytes. Reading the thread clock is a system
/// call, so this meter is for <c>--alloc</c> only. Without <c>full</c>, only wall-clock time, read from
/// <see cref="Stopwatch"/> as the telemetry reads it: how each rule's time is told apart inside the package's one analyzer.
/// </summary>
public sealed class MeteredAnalyzer : DiagnosticAnalyzer
{
    private readonly DiagnosticAnalyzer _inner;
    private readonly bool _full;
    private long _ticks;
    private long _bytes;
    private TimeSpan _paused;
    private long _cpuNanoseconds;
    private long _calls;
    private readonly Dictionary<string, (long Nanoseconds, long Calls, long Ticks, TimeSpan Paused)> _byKind = new(StringComparer.Ordinal);

    public MeteredAnalyzer(DiagnosticAnalyzer inner, bool full)
    {
        _inner = inner;
        _full = full;
    }

    public DiagnosticAnalyzer Inner => _inner;

    /// <summary>Bytes allocated inside the callbacks since the last <see cref="Reset"/>.</summary>
    public long Bytes => _bytes;

    /// <summary>
    /// Thread CPU time inside the callbacks since the last <see cref="Reset"/>, less what the meter itself costs
    /// (<see cref="ThreadCpu.MeterCost"/> a call); NaN where the thread's CPU clock cannot be read.
    /// </summary>
    public double CpuMilliseconds => ThreadCpu.IsAvailable ? Math.Max(0, _cpuNanoseconds - _calls * ThreadCpu.MeterCost) / 1e6 : double.NaN;

    public long Calls => _calls;

    /// <summary>Wall-clock time inside the callbacks since the last <see cref="Reset"/>, as the telemetry measures it.</summary>
    public double Milliseconds => _ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>
    /// Garbage-collection pauses that happened inside the callbacks since the last <see cref="Reset"/>: the whole of each
    /// pause is in <see cref="Milliseconds"/> (and in the telemetry), whoever allocated the heap it collects.
    /// </summary>
    public double PausedMilliseconds => _paused.TotalMilliseconds;

    /// <summary>
    /// Thread CPU (ms, less the meter's cost), wall-clock time (ms, as the telemetry counts it) and calls for each kind
    /// of callback: where a rule's time goes, and where its wall time is not its CPU time.
    /// </summary>
    public string Breakdown() => string.Join(", ", _byKind.OrderByDescending(k => k.Value.Nanoseconds).Select(k =>
        $"{k.Key} {Math.Max(0, k.Value.Nanoseconds - k.Value.Calls * ThreadCpu.MeterCost) / 1e6:F1} ms CPU, {k.Value.Ticks * 1000.0 / Stopwatch.Frequency:F1} ms wall ({k.Value.Paused.TotalMilliseconds:F1} ms in GC pauses)/{k.Value.Calls:N0}"));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => _inner.SupportedDiagnostics;

    public override void Initialize(AnalysisContext context) => _inner.Initialize(new Analysis(context, this));

    public void Reset()
    {
        _ticks = 0;
        _bytes = 0;
        _paused = TimeSpan.Zero;
        _cpuNanoseconds = 0;
        _calls = 0;
        _byKind.Clear();
    }

    /// <summary>
    /// Wall time, bytes and pauses are cheap to read (no system call), so without <c>full</c> the meter hardly adds to
    /// what it measures; the thread's CPU clock, read only with <c>full</c>, is a system call.
    /// </summary>
    private Action<T> Meter<T>(Action<T> action, string kind) => argument =>
    {
        var paused = GC.GetTotalPauseDuration();
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var cpu = _full ? ThreadCpu.Nanoseconds() : 0;
        var start = Stopwatch.GetTimestamp();
        try
        {
            action(argument);
        }
        finally
        {
            var ticks = Stopwatch.GetTimestamp() - start;
            _ticks += ticks;
            var pausedInside = GC.GetTotalPauseDuration() - paused;
            if (_full)
            {
                var used = ThreadCpu.Nanoseconds() - cpu;
                _cpuNanoseconds += used;
                var key = argument is OperationAnalysisContext operation ? $"{kind} {operation.Operation.Kind}" : kind;
                _byKind[key] = _byKind.TryGetValue(key, out var sum) ? (sum.Nanoseconds + used, sum.Calls + 1, sum.Ticks + ticks, sum.Paused + pausedInside) : (used, 1, ticks, pausedInside);
            }

            _bytes += GC.GetAllocatedBytesForCurrentThread() - bytes;
            _paused += pausedInside;
            _calls++;
        }
    };

    /// <summary>
    /// An operation action metered; a rule's filtered action (call names, operators) keeps its filter outside the meter,
    /// so that in the per-rule pass the shared dispatcher still calls the rule only for its names and operators, as in
    /// the package.
    /// </summary>
    private Action<OperationAnalysisContext> MeterOperation(Action<OperationAnalysisContext> action) =>
        FilteredAction.Of(action) is { } filtered ? filtered.With(Meter(filtered.Action, "operation")) : Meter(action, "operation");

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
            _context.RegisterCompilationStartAction(_m.Meter<CompilationStartAnalysisContext>(start => action(new CompilationStart(start, _m)), "compilation start"));

        public override void RegisterCompilationAction(Action<CompilationAnalysisContext> action) => _context.RegisterCompilationAction(_m.Meter(action, "compilation"));

        public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => _context.RegisterSemanticModelAction(_m.Meter(action, "semantic model"));

        public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) => _context.RegisterSymbolAction(_m.Meter(action, "symbol"), symbolKinds);

        public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind) =>
            _context.RegisterSymbolStartAction(_m.Meter<SymbolStartAnalysisContext>(start => action(new SymbolStart(start, _m)), "type start"), symbolKind);

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) =>
            throw new NotSupportedException("Code-block-start actions are not metered.");

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => _context.RegisterCodeBlockAction(_m.Meter(action, "code block"));

        public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => _context.RegisterSyntaxTreeAction(_m.Meter(action, "syntax tree"));

        public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action) => _context.RegisterAdditionalFileAction(_m.Meter(action, "additional file"));

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) =>
            _context.RegisterSyntaxNodeAction(_m.Meter(action, "syntax node"), syntaxKinds);

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) =>
            _context.RegisterOperationAction(_m.MeterOperation(action), operationKinds);

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) =>
            throw new NotSupportedException("Operation-block-start actions are not metered.");

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => _context.RegisterOperationBlockAction(_m.Meter(action, "operation block"));
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

        public override void RegisterCompilationEndAction(Action<CompilationAnalysisContext> action) => _context.RegisterCompilationEndAction(_m.Meter(action, "compilation end"));

        public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => _context.RegisterSemanticModelAction(_m.Meter(action, "semantic model"));

        public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) => _context.RegisterSymbolAction(_m.Meter(action, "symbol"), symbolKinds);

        public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind) =>
            _context.RegisterSymbolStartAction(_m.Meter<SymbolStartAnalysisContext>(start => action(new SymbolStart(start, _m)), "type start"), symbolKind);

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) =>
            throw new NotSupportedException("Code-block-start actions are not metered.");

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => _context.RegisterCodeBlockAction(_m.Meter(action, "code block"));

        public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => _context.RegisterSyntaxTreeAction(_m.Meter(action, "syntax tree"));

        public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action) => _context.RegisterAdditionalFileAction(_m.Meter(action, "additional file"));

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) =>
            _context.RegisterSyntaxNodeAction(_m.Meter(action, "syntax node"), syntaxKinds);

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) =>
            _context.RegisterOperationAction(_m.MeterOperation(action), operationKinds);

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) =>
            throw new NotSupportedException("Operation-block-start actions are not metered.");

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => _context.RegisterOperationBlockAction(_m.Meter(action, "operation block"));
    }

    /// <summary>
    /// A rule's type start, metered. Inside the package's shared pass it passes the pass's one record of the type's
    /// writes on to the rule, as the package does: otherwise each metered rule would keep and walk a record of its own.
    /// </summary>
    private sealed class SymbolStart : SymbolStartAnalysisContext, SharedPass.ISharedTypeWrites
    {
        private readonly SymbolStartAnalysisContext _context;
        private readonly MeteredAnalyzer _m;
        private TypeWrites? _writes;

        public SymbolStart(SymbolStartAnalysisContext context, MeteredAnalyzer meter)
            : base(context.Symbol, context.Compilation, context.Options, context.CancellationToken)
        {
            _context = context;
            _m = meter;
        }

        public TypeWrites Writes => _writes ??= _context is SharedPass.ISharedTypeWrites shared ? shared.Writes : TypeWrites.Start(this);

        public override void RegisterSymbolEndAction(Action<SymbolAnalysisContext> action) => _context.RegisterSymbolEndAction(_m.Meter(action, "type end"));

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) =>
            throw new NotSupportedException("Code-block-start actions are not metered.");

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => _context.RegisterCodeBlockAction(_m.Meter(action, "code block"));

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) =>
            _context.RegisterSyntaxNodeAction(_m.Meter(action, "syntax node"), syntaxKinds);

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) =>
            throw new NotSupportedException("Operation-block-start actions are not metered.");

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => _context.RegisterOperationBlockAction(_m.Meter(action, "operation block"));

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) =>
            _context.RegisterOperationAction(_m.MeterOperation(action), operationKinds);
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
