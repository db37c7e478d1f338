using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DistributedReview.Benchmarks;

/// <summary>
/// <c>--compare PATH [--with PATH]</c>: this build's package (or the one <c>--with</c> names) against another build's
/// <c>DistributedReview.Analyzers.dll</c>, in one process, their passes interleaved. Between processes this machine's speed moves by up to half (the same bind pass
/// took 5.7 s of thread CPU in one process and 8.3 s in another), far more than one change to the package saves; two
/// passes a few seconds apart in one process share the machine's mood. Each pass analyses a fresh compilation of the
/// corpus with one package, metered as a whole (thread CPU of its callbacks, less the meter's calibrated cost), and
/// the two packages take turns going first. The figure is the median, over runs, of this build's CPU over the other's
/// in the same run.
/// </summary>
internal static class Compare
{
    public static async Task<int> Run(string baselinePath, string? candidatePath, Func<int, Compilation> compilationFor, AnalyzerOptions options, int runs, int warmUps)
    {
        if (!ThreadCpu.IsAvailable)
        {
            Console.Error.WriteLine("--compare needs the thread CPU clock (Linux).");
            return 1;
        }

        var baseline = new MeteredAnalyzer(LoadPackage(baselinePath), full: true);
        // This build's package is loaded the same way, from its own context: in an A/A comparison, the copy in the
        // default context ran 4-25% slower than the same code loaded beside it.
        var current = new MeteredAnalyzer(LoadPackage(candidatePath ?? typeof(DistributedReviewAnalyzer).Assembly.Location), full: true);
        var cpu = new Dictionary<MeteredAnalyzer, List<double>> { [baseline] = new(), [current] = new() };
        var ratios = new List<double>();
        Console.Error.WriteLine($"Comparing with {baselinePath}: {warmUps} warm-ups, {runs} runs, the two packages alternating.");
        for (var run = 1 - warmUps; run <= runs; run++)
        {
            // Alternate which goes first, so neither always meets a heap the other just filled.
            var order = run % 2 == 0 ? new[] { baseline, current } : new[] { current, baseline };
            var findings = new Dictionary<MeteredAnalyzer, string>();
            foreach (var package in order)
            {
                var (milliseconds, found) = await Analyse(package, compilationFor(run), options);
                findings[package] = found;
                if (run > 0)
                {
                    cpu[package].Add(milliseconds);
                }
            }

            if (findings[baseline] != findings[current])
            {
                Console.Error.WriteLine($"  run {run}: the findings differ.\n    baseline: {findings[baseline]}\n    candidate: {findings[current]}");
            }

            if (run > 0)
            {
                var ratio = cpu[current][^1] / cpu[baseline][^1];
                ratios.Add(ratio);
                Console.Error.WriteLine($"  run {run}: baseline {cpu[baseline][^1]:F0} ms, candidate {cpu[current][^1]:F0} ms of thread CPU: {ratio:F3}; findings {findings[current]}");
                Console.Error.WriteLine($"    baseline by callback kind: {baseline.Breakdown()}");
                Console.Error.WriteLine($"    candidate by callback kind: {current.Breakdown()}");
            }
        }

        Console.WriteLine($"Baseline {baselinePath}: median {Program.Median(cpu[baseline]):F0} ms of thread CPU; candidate: median {Program.Median(cpu[current]):F0} ms.");
        Console.WriteLine($"Candidate / baseline, run by run: {string.Join(", ", ratios.Select(r => r.ToString("F3")))}; median {Program.Median(ratios):F3}.");
        return 0;
    }

    private static async Task<(double CpuMilliseconds, string Findings)> Analyse(MeteredAnalyzer package, Compilation compilation, AnalyzerOptions options)
    {
        package.Reset();
        _ = compilation.GetSpecialType(SpecialType.System_Object); // references bound first, as in the main benchmark
        var withAnalyzers = compilation.WithAnalyzers(
            ImmutableArray.Create<DiagnosticAnalyzer>(package),
            new CompilationWithAnalyzersOptions(options, onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        var findings = string.Join(" ", diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}:{g.Count()}"));
        return (package.CpuMilliseconds, findings);
    }

    /// <summary>
    /// A build's package, from a load context of its own. Only its own assembly is loaded from its folder; Roslyn and
    /// the runtime come from this process, so both packages are hosted by the same compiler.
    /// </summary>
    private static DiagnosticAnalyzer LoadPackage(string path)
    {
        var fullPath = Path.GetFullPath(path);
        var assembly = new PackageContext(fullPath).LoadFromAssemblyPath(fullPath);
        var type = assembly.GetType("DistributedReview.DistributedReviewAnalyzer", throwOnError: true)!;
        return (DiagnosticAnalyzer)Activator.CreateInstance(type)!;
    }

    private sealed class PackageContext : AssemblyLoadContext
    {
        private readonly string _path;

        public PackageContext(string path)
            : base(path)
        {
            _path = path;
        }

        protected override Assembly? Load(AssemblyName name) =>
            string.Equals(name.Name, Path.GetFileNameWithoutExtension(_path), StringComparison.Ordinal) ? LoadFromAssemblyPath(_path) : null;
    }
}
