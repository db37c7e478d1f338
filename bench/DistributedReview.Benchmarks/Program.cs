using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Benchmarks;

/// <summary>
/// Analyzer cost relative to the compiler's own binding, on a large generated corpus.
/// <code>dotnet run -c Release --project bench/DistributedReview.Benchmarks [-- --files 2000 --runs 3 --only DR4002 --out results.md]</code>
/// </summary>
public static class Program
{
    /// <summary>Budgets from issue 7: the package under 1% of bind time, no rule above 0.2%.</summary>
    private const double PackageBudgetPercent = 1.0;
    private const double RuleBudgetPercent = 0.2;

    private const int WarmUpFiles = 150;

    /// <summary>The share of the measured corpus's files that are ordinary application code (<c>--ordinary</c>).</summary>
    private const double DefaultOrdinaryShare = 0.6;

    /// <summary>
    /// The warm-up corpus is written buggy far more often than the measured one, so that every path of every rule,
    /// reporting included, has run (and been compiled) before measuring: otherwise a rule's first finding in the
    /// measured run pays for compiling its reporting code.
    /// </summary>
    private const double WarmUpBugRate = 0.3;

    public static async Task<int> Main(string[] args)
    {
        var files = IntOption(args, "--files", 2000);
        var runs = Math.Max(1, IntOption(args, "--runs", 3));
        var warmUps = Math.Max(1, IntOption(args, "--warmups", 6));
        var seed = IntOption(args, "--seed", 20240611);
        var only = StringOption(args, "--only");
        var output = StringOption(args, "--out");
        var noFloor = args.Contains("--no-floor");
        var dump = StringOption(args, "--dump");
        var metered = args.Contains("--alloc");
        var separate = args.Contains("--separate");
        // The measured corpus is, by default, 60% ordinary application code: at that share every shape the rules judge
        // is still at least as dense as in a sample of real services (docs/performance.md); --ordinary 0 is the dense
        // corpus of the first eight rounds.
        var ordinaryShare = StringOption(args, "--ordinary") is { } share && double.TryParse(share, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsedShare)
            ? parsedShare
            : DefaultOrdinaryShare;

        var total = Stopwatch.StartNew();
        Console.Error.WriteLine($"Generating {files} files (seed {seed}{(ordinaryShare > 0 ? $", {ordinaryShare * 100:F0}% of them ordinary application code" : "")})...");
        var corpus = Corpus.Generate(files, seed, Corpus.BugRate, ordinaryShare);
        var lines = corpus.Sum(f => CountLines(f.Text));
        if (args.Contains("--shapes"))
        {
            return Shapes.Run(corpus, args.SkipWhile(a => a != "--shapes").Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)));
        }

        if (dump is not null)
        {
            foreach (var file in corpus)
            {
                var path = Path.Combine(dump, file.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, file.Text);
            }

            Console.Error.WriteLine($"Wrote {corpus.Count} files to {dump}.");
            return 0;
        }

        var parseOptions = new CSharpParseOptions(LanguageVersion.CSharp12);
        var trees = corpus
            .Select(f => CSharpSyntaxTree.ParseText(SourceText.From(f.Text, Encoding.UTF8), parseOptions, "/corpus/" + f.Path))
            .Concat(StandIns().Select((source, i) => CSharpSyntaxTree.ParseText(SourceText.From(source, Encoding.UTF8), parseOptions, $"/corpus/Libraries/StandIn{i}.cs")))
            .ToImmutableArray();
        var references = Net80.References.All.ToImmutableArray();
        var compilationOptions = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            concurrentBuild: false);
        CSharpCompilation NewCompilation() => CSharpCompilation.Create("Contoso.Services", trees, references, compilationOptions);
        var analyzerOptions = new AnalyzerOptions(ImmutableArray.Create<AdditionalText>(new InMemoryText("/corpus/akka.hocon", Hocon)));

        var errors = NewCompilation().GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            Console.Error.WriteLine($"The generated corpus does not compile ({errors.Count} errors):");
            foreach (var error in errors.Take(20))
            {
                Console.Error.WriteLine("  " + error);
            }

            return 1;
        }

        // Bind time: declaration and method-body binding of a fresh compilation (parsing excluded: trees are shared).
        // The warm-ups (runs up to 0) bind and analyse a small corpus, several times: the compiler ships precompiled
        // but our analyzers are JIT-compiled, and tiered compilation needs many calls before their hot paths run fully
        // optimised, as they do in an IDE or a build server that has run them before. One warm-up left about half of
        // the measured analyzer time in the first run to unoptimised code; after three, the first measured run still
        // took twice the package's thread CPU of the second (8.3% of bind CPU against 4.7%); after six, the runs agree.
        var warmUpTrees = Corpus.Generate(WarmUpFiles, seed + 1, WarmUpBugRate)
            .Select(f => CSharpSyntaxTree.ParseText(SourceText.From(f.Text, Encoding.UTF8), parseOptions, "/warmup/" + f.Path))
            .Concat(trees.Skip(corpus.Count))
            .ToImmutableArray();
        CSharpCompilation CompilationFor(int run) => run <= 0
            ? CSharpCompilation.Create("Contoso.WarmUp", warmUpTrees, references, compilationOptions)
            : NewCompilation();
        if (StringOption(args, "--compare") is { } baseline)
        {
            return await Compare.Run(baseline, StringOption(args, "--with"), CompilationFor, analyzerOptions, runs, warmUps);
        }

        if (args.Contains("--sdk-analyzers"))
        {
            return await SdkAnalyzers.Run(CompilationFor, run => Bind(run).Wall, analyzerOptions, runs, warmUps);
        }

        // Bind time is measured right before each analysis pass, and every figure is a share of the bind time of its
        // own run: this machine's speed drifts by a quarter within minutes, and a pair of adjacent passes drifts together.
        (double Wall, double Cpu) Bind(int run)
        {
            var compilation = CompilationFor(run);
            var quiet = new QuietGc();
            var cpu = ThreadCpu.Nanoseconds();
            var stopwatch = Stopwatch.StartNew();
            _ = compilation.GetDiagnostics();
            stopwatch.Stop();
            var cpuMilliseconds = (ThreadCpu.Nanoseconds() - cpu) / 1e6;
            quiet.Dispose();
            Console.Error.WriteLine($"  bind run {run}{(run <= 0 ? " (warm-up)" : "")}: {stopwatch.Elapsed.TotalMilliseconds:F0} ms, thread CPU {cpuMilliseconds:F0} ms ({quiet.Describe()})");
            return (stopwatch.Elapsed.TotalMilliseconds, cpuMilliseconds);
        }

        // The rule analyzers, each named by its rule IDs. The package runs them all in its one analyzer; --separate runs
        // each as an analyzer of its own, as the package did before (for comparison with earlier figures).
        var rules = DistributedReviewAnalyzer.CreateRuleAnalyzers()
            .Select(a => (Analyzer: a, Id: string.Join("+", a.SupportedDiagnostics.Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal))))
            .Where(a => only is null || a.Id.Contains(only, StringComparison.OrdinalIgnoreCase))
            .OrderBy(a => a.Id, StringComparer.Ordinal)
            .ToList();
        // Every measured analyzer is wrapped in a meter, so that the garbage-collection pauses inside its callbacks
        // and the bytes it allocates are known (see GcFair).
        var meters = rules.Select(r => new MeteredAnalyzer(r.Analyzer, full: metered)).ToList();
        var package = separate
            ? meters.ToImmutableArray<DiagnosticAnalyzer>()
            : ImmutableArray.Create<DiagnosticAnalyzer>(new MeteredAnalyzer(new DistributedReviewAnalyzer(rules.Select(r => r.Analyzer)), full: metered));

        // In one pass, the telemetry has one figure for the package; each rule's share is measured in a second pass of
        // the same shape, with every rule wrapped in a meter (which adds its own small cost to each rule's callbacks).
        var perRulePass = separate || args.Contains("--package-only") ? null : new DistributedReviewAnalyzer(meters);

        // With --reference, the smallest rule that looks at every call runs in the same pass: a yardstick for the rules.
        // It is metered only with --alloc: a meter's own cost would be much of what so small a rule takes.
        DiagnosticAnalyzer? reference = !args.Contains("--reference") ? null : metered ? new MeteredAnalyzer(new ReferenceRule(), full: true) : new ReferenceRule();
        var extras = reference is null ? ImmutableArray<DiagnosticAnalyzer>.Empty : ImmutableArray.Create(reference);
        var referenceTimes = new List<double>();
        var referenceCpuTimes = new List<double>();

        var discoveryCompilation = NewCompilation();
        var floors = noFloor
            ? new List<FloorAnalyzer>()
            : separate
                ? rules.Select(r => new FloorAnalyzer(r.Id, Registrations.Discover(r.Analyzer, discoveryCompilation, analyzerOptions))).ToList()
                : new List<FloorAnalyzer> { new("package", Registrations.Discover(((MeteredAnalyzer)package[0]).Inner, discoveryCompilation, analyzerOptions)) };

        Console.Error.WriteLine($"Corpus: {corpus.Count} files, {lines:N0} lines. Measuring bind time and {rules.Count} rule analyzers {(separate ? "as separate analyzers" : "in one pass")}, {floors.Count} floors ({runs} runs after {warmUps} warm-ups on {WarmUpFiles} files)...");
        var bindTimes = new List<double>();
        var bindCpuTimes = new List<double>();
        var packageTimes = new List<double>();
        var packageFairTimes = new List<double>();
        var ruleFairTimes = rules.Select(_ => new List<double>()).ToList();
        var floorTimes = new List<double>();
        var ruleTimes = rules.Select(_ => new List<double>()).ToList();
        var ruleFloors = rules.Select(_ => new List<double>()).ToList();
        var bytes = rules.Select(_ => new List<double>()).ToList();
        var cpuTimes = rules.Select(_ => new List<double>()).ToList();
        var findings = new Dictionary<string, int>(StringComparer.Ordinal);
        var exceptions = new List<string>();

        // One analysis pass on a fresh compilation; the telemetry of each analyzer, in milliseconds.
        async Task<(ImmutableArray<Diagnostic> Diagnostics, double[] Times, QuietGc Gc)> Analyse(int run, ImmutableArray<DiagnosticAnalyzer> analyzers, string label)
        {
            foreach (var meter in meters.Concat(package.OfType<MeteredAnalyzer>()).Concat(extras.OfType<MeteredAnalyzer>()))
            {
                meter.Reset();
            }

            // The references are bound first, as the compiler has done before analyzers run: otherwise the first
            // analyzer to look a type up would be charged for it.
            var analysisCompilation = CompilationFor(run);
            _ = analysisCompilation.GetSpecialType(SpecialType.System_Object);
            var withAnalyzers = analysisCompilation.WithAnalyzers(
                analyzers,
                new CompilationWithAnalyzersOptions(
                    analyzerOptions,
                    onAnalyzerException: (exception, analyzer, _) => exceptions.Add($"{analyzer.GetType().Name}: {exception.GetType().Name}: {exception.Message}"),
                    concurrentAnalysis: false,
                    logAnalyzerExecutionTime: true));
            var quiet = new QuietGc();
            var stopwatch = Stopwatch.StartNew();
            var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
            stopwatch.Stop();
            quiet.Dispose();
            var times = new double[analyzers.Length];
            for (var i = 0; i < analyzers.Length; i++)
            {
                times[i] = (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzers[i], CancellationToken.None)).ExecutionTime.TotalMilliseconds;
            }

            Console.Error.WriteLine($"  {label} run {run}{(run <= 0 ? " (warm-up)" : "")}: {stopwatch.Elapsed.TotalMilliseconds:F0} ms wall ({quiet.Describe()}), analyzers {times.Sum():F0} ms");
            return (diagnostics, times, quiet);
        }

        for (var run = 1 - warmUps; run <= runs; run++)
        {
            var bindTime = Bind(run);
            var (diagnostics, times, gc) = await Analyse(run, package.AddRange(floors).AddRange(extras), "analysis");

            var packageTime = times.Take(package.Length).Sum();
            var packageFair = package.Select((a, i) => GcFair(times[i], (MeteredAnalyzer)a, gc)).Sum();
            var packageCpuText = metered ? $", thread CPU {package.OfType<MeteredAnalyzer>().Sum(m => m.CpuMilliseconds):F0} ms = {100 * package.OfType<MeteredAnalyzer>().Sum(m => m.CpuMilliseconds) / bindTime.Cpu:F2}% of bind CPU" : "";
            var floorsTime = times.Skip(package.Length).Take(floors.Count).Sum();
            Console.Error.WriteLine($"    package {packageTime:F0} ms (GC-fair {packageFair:F0} ms{packageCpuText}), floors {floorsTime:F0} ms");
            if (reference is not null)
            {
                Console.Error.WriteLine($"    reference rule {times[^1]:F1} ms = {100 * times[^1] / bindTime.Wall:F3}% of bind{(reference is MeteredAnalyzer referenceMeter ? $", thread CPU {referenceMeter.CpuMilliseconds:F1} ms = {100 * referenceMeter.CpuMilliseconds / bindTime.Cpu:F3}% of bind CPU" : "")}");
            }
            if (metered && run == runs)
            {
                foreach (var meter in package.OfType<MeteredAnalyzer>())
                {
                    Console.Error.WriteLine($"      by callback kind: {meter.Breakdown()}");
                }
            }
            if (run == 1)
            {
                foreach (var diagnostic in diagnostics)
                {
                    findings[diagnostic.Id] = findings.TryGetValue(diagnostic.Id, out var n) ? n + 1 : 1;
                }
            }

            var ruleGc = gc;
            if (perRulePass is not null)
            {
                ruleGc = (await Analyse(run, ImmutableArray.Create<DiagnosticAnalyzer>(perRulePass), "per-rule")).Gc;
            }

            if (run > 0)
            {
                bindTimes.Add(bindTime.Wall);
                bindCpuTimes.Add(bindTime.Cpu);
                packageTimes.Add(packageTime);
                packageFairTimes.Add(packageFair);
                floorTimes.Add(floorsTime);
                if (reference is not null)
                {
                    referenceTimes.Add(times[^1]);
                    referenceCpuTimes.Add(reference is MeteredAnalyzer meter ? meter.CpuMilliseconds : double.NaN);
                }

                for (var i = 0; i < rules.Count; i++)
                {
                    ruleTimes[i].Add(separate ? times[i] : meters[i].Milliseconds);
                    ruleFairTimes[i].Add(GcFair(ruleTimes[i][^1], meters[i], ruleGc));
                    ruleFloors[i].Add(separate && floors.Count > 0 ? times[package.Length + i] : double.NaN);
                    bytes[i].Add(meters[i].Bytes / (1024.0 * 1024.0));
                    cpuTimes[i].Add(meters[i].CpuMilliseconds);
                }
            }

            if (run == runs && metered)
            {
                foreach (var meter in meters)
                {
                    Console.WriteLine($"    {meter.Inner.GetType().Name}: {meter.Breakdown()}");
                }
            }
        }

        if (exceptions.Count > 0)
        {
            Console.Error.WriteLine($"Analyzer exceptions ({exceptions.Count}):");
            foreach (var exception in exceptions.Distinct().Take(20))
            {
                Console.Error.WriteLine("  " + exception);
            }
        }

        var bind = Median(bindTimes);

        // A share of bind time: the median over runs of each run's time over that run's own bind time.
        double PercentOfBind(List<double> perRun) => Median(perRun.Select((ms, run) => 100 * ms / bindTimes[run]).ToList());
        double PercentOfBindCpu(List<double> perRun) => Median(perRun.Select((ms, run) => 100 * ms / bindCpuTimes[run]).ToList());
        var report = new StringBuilder();
        report.AppendLine($"Corpus: {corpus.Count:N0} files, {lines:N0} lines (seed {seed}{(ordinaryShare > 0 ? $"; {ordinaryShare * 100:F0}% of the files ordinary application code, --ordinary" : "")}); bind time {bind:F0} ms (median of {runs}: {string.Join(", ", bindTimes.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))}).");
        report.AppendLine($"Machine: {Environment.ProcessorCount} cores, {CpuModel()}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, Roslyn {typeof(CSharpCompilation).Assembly.GetName().Version}.");
        report.AppendLine($"Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. Runs: {runs} (after {warmUps} warm-ups on {WarmUpFiles} files), each analysis pass right after a bind pass; medians (percentages: of each run's own bind time); concurrentAnalysis: false, concurrentBuild: false.");
        report.AppendLine(separate
            ? "Rule analyzers run as separate analyzers (--separate); each row is an analyzer's telemetry."
            : "Rule analyzers run in one pass, as the package ships them; the package row is its telemetry, each rule's row is measured in a second pass with every rule metered.");
        report.AppendLine();
        report.AppendLine("| Rule | Analyzer | Findings | Time (ms) | % of bind | GC-fair (ms) | GC-fair % of bind | Floor (ms) | Ours / floor | Budget (0.2%, GC-fair) |" + (metered ? " Allocates (MB) | Thread CPU (ms) | CPU % of bind CPU |" : ""));
        report.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---|" + (metered ? "---:|---:|---:|" : ""));
        for (var i = 0; i < rules.Count; i++)
        {
            var (analyzer, id) = rules[i];
            var ms = Median(ruleTimes[i]);
            var floor = Median(ruleFloors[i]);
            var percent = PercentOfBind(ruleTimes[i]);
            var fair = PercentOfBind(ruleFairTimes[i]);
            var found = id.Split('+').Sum(x => findings.TryGetValue(x, out var n) ? n : 0);
            var allocated = metered ? $" {Median(bytes[i]):F1} | {Median(cpuTimes[i]):F1} | {PercentOfBindCpu(cpuTimes[i]):F3}% |" : "";
            report.AppendLine($"| {id} | {analyzer.GetType().Name} | {found} | {ms:F1} | {percent:F3}% | {Median(ruleFairTimes[i]):F1} | {fair:F3}% | {Format(floor)} | {Ratio(ms, floor)} | {RuleBudget(id, fair)} |{allocated}");
        }

        var packageMs = Median(packageTimes);
        var floorTotal = floors.Count > 0 ? Median(floorTimes) : double.NaN;
        var packagePercent = PercentOfBind(packageTimes);
        var packageFairPercent = PercentOfBind(packageFairTimes);
        var packageCpu = metered ? Enumerable.Range(0, bindCpuTimes.Count).Select(run => cpuTimes.Sum(rule => rule[run])).ToList() : new List<double>();
        var packageBytes = metered ? $" {bytes.Sum(Median):F1} | {Median(packageCpu):F1} | {PercentOfBindCpu(packageCpu):F3}% |" : "";
        report.AppendLine($"| **all** | **whole package** | {findings.Sum(f => f.Value)} | **{packageMs:F1}** | **{packagePercent:F3}%** | **{Median(packageFairTimes):F1}** | **{packageFairPercent:F3}%** | {Format(floorTotal)} | {Ratio(packageMs, floorTotal)} | {(packageFairPercent <= PackageBudgetPercent ? "ok (1%)" : "**over (1%)**")} |{packageBytes}");
        if (reference is not null)
        {
            var referenceCpu = metered ? $"; thread CPU {Median(referenceCpuTimes):F1} ms, {PercentOfBindCpu(referenceCpuTimes):F3}% of bind CPU" : "";
            report.AppendLine();
            report.AppendLine($"Reference rule (Thread.Sleep, one test of every call; see ReferenceRule.cs): {Median(referenceTimes):F1} ms, {PercentOfBind(referenceTimes):F3}% of bind time{referenceCpu}.");
        }
        report.AppendLine();
        report.AppendLine($"Compiler bind time: {bind:F0} ms. Package: {packageMs:F0} ms = {packagePercent:F2}% of bind time by the telemetry, {packageFairPercent:F2}% GC-fair (budget {PackageBudgetPercent}%); analyzers over {RuleBudgetPercent}% a rule (GC-fair): {rules.Count(r => PercentOfBind(ruleFairTimes[rules.IndexOf(r)]) > RuleBudgetPercent * r.Id.Split('+').Length)} of {rules.Count}.");

        Console.WriteLine();
        Console.WriteLine(report.ToString());
        if (output is not null)
        {
            File.WriteAllText(output, report.ToString());
        }

        Console.Error.WriteLine($"Done in {total.Elapsed.TotalSeconds:F0} s.");
        return 0;
    }

    private const string Hocon = """
        akka {
          actor.provider = cluster
          cluster {
            seed-nodes = ["akka.tcp://orders@10.0.0.1:4053"]
            downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
            split-brain-resolver { active-strategy = keep-majority }
          }
        }
        """;

    private static IEnumerable<string> StandIns() => new[]
    {
        DistributedReview.Tests.StandIns.StackExchangeRedis.Source,
        DistributedReview.Tests.StandIns.RedLock.Source,
        DistributedReview.Tests.StandIns.Grpc.Source,
        DistributedReview.Tests.StandIns.Medallion.Source,
        DistributedReview.Tests.StandIns.Akka.Source,
        DistributedReview.Tests.StandIns.Orleans.Source,
        DistributedReview.Tests.StandIns.DistributedCache.Source,
    };

    /// <summary>
    /// An analyzer's time with garbage collection charged by the bytes it allocated: its callbacks' time, less the
    /// pauses that happened inside them, plus its share (its bytes over the whole pass's) of every pause of the pass. The
    /// telemetry charges a whole pause to the callback whose allocation starts it, although the heap it collects is
    /// mostly the compiler's; a pass has only a few collections of 100–400 ms each, so whether one lands in a rule's
    /// callback decides its figure more than the rule's own work does.
    /// </summary>
    private static double GcFair(double milliseconds, MeteredAnalyzer meter, QuietGc pass) =>
        milliseconds - meter.PausedMilliseconds + (pass.Allocated > 0 ? pass.PausedMilliseconds * meter.Bytes / pass.Allocated : 0);

    /// <summary>0.2% a rule: an analyzer that runs a family of rules has one budget for each.</summary>
    private static string RuleBudget(string id, double percent)
    {
        var rules = id.Split('+').Length;
        var verdict = percent <= RuleBudgetPercent * rules ? "ok" : "**over**";
        return rules == 1 ? verdict : $"{(percent / rules).ToString("F3", CultureInfo.InvariantCulture)}% a rule: {verdict}";
    }

    private static string Format(double ms) => double.IsNaN(ms) ? "-" : ms.ToString("F1", CultureInfo.InvariantCulture);

    private static string Ratio(double ms, double floor) => double.IsNaN(floor) || floor <= 0 ? "-" : (ms / floor).ToString("F1", CultureInfo.InvariantCulture) + "×";

    internal static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int CountLines(string text) => text.Count(c => c == '\n') + (text.EndsWith('\n') ? 0 : 1);

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line.Substring(line.IndexOf(':') + 1).Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (UnauthorizedAccessException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    private static int IntOption(string[] args, string name, int fallback) =>
        StringOption(args, name) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private static string? StringOption(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    /// <summary>
    /// Each measured pass starts from a collected heap, and reports the collections it caused: the telemetry is
    /// wall-clock per callback, so a collection of the compiler's heap that starts inside one of our callbacks is
    /// charged to that rule: the pauses say how much of the figures can be that noise.
    /// </summary>
    private sealed class QuietGc : IDisposable
    {
        private readonly TimeSpan _pausedBefore;
        private readonly long _allocatedBefore;
        private readonly int[] _countsBefore;
        private TimeSpan _paused;
        private long _allocated;
        private int[] _counts = Array.Empty<int>();

        public QuietGc()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            _pausedBefore = GC.GetTotalPauseDuration();
            _allocatedBefore = GC.GetTotalAllocatedBytes();
            _countsBefore = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
        }

        /// <summary>Bytes the whole pass allocated, on every thread.</summary>
        public long Allocated => _allocated;

        public double PausedMilliseconds => _paused.TotalMilliseconds;

        public string Describe() =>
            $"{_allocated / (1024 * 1024):N0} MB allocated; GC: {_counts[0]}/{_counts[1]}/{_counts[2]} gen0/1/2 collections, {_paused.TotalMilliseconds:F0} ms paused";

        public void Dispose()
        {
            if (_counts.Length == 0)
            {
                _paused = GC.GetTotalPauseDuration() - _pausedBefore;
                _allocated = GC.GetTotalAllocatedBytes() - _allocatedBefore;
                _counts = Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - _countsBefore[g]).ToArray();
            }
        }
    }

    private sealed class InMemoryText : AdditionalText
    {
        private readonly SourceText _text;

        public InMemoryText(string path, string text)
        {
            Path = path;
            _text = SourceText.From(text, Encoding.UTF8);
        }

        public override string Path { get; }

        public override SourceText? GetText(CancellationToken cancellationToken = default) => _text;
    }
}
