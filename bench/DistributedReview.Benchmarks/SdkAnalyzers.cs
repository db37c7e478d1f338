using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DistributedReview.Benchmarks;

/// <summary>
/// <c>--sdk-analyzers</c>: a yardstick from outside the project. The .NET SDK's own code-quality analyzers
/// (<c>Microsoft.CodeAnalysis.NetAnalyzers</c>, the CA rules every .NET build runs unless switched off) are loaded from
/// the SDK this program runs on and analyse the same corpus in the same pass as the package, each with its rules at
/// their enabled-by-default state, which is what a build with the SDK's default analysis mode runs. Every figure is
/// the telemetry's, as a share of the same run's bind time: what a professional analyzer costs per rule, measured
/// where ours is.
/// </summary>
internal static class SdkAnalyzers
{
    public static async Task<int> Run(Func<int, Compilation> compilationFor, Func<int, double> bindMilliseconds, AnalyzerOptions options, int runs, int warmUps)
    {
        if (AnalyzersFolder() is not { } directory)
        {
            Console.Error.WriteLine("--sdk-analyzers: no Sdks/Microsoft.NET.Sdk/analyzers folder found beside this runtime.");
            return 1;
        }

        var sdk = Load(directory);
        var package = new DistributedReviewAnalyzer();
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(package).AddRange(sdk);
        var enabledIds = sdk.ToDictionary(a => a, a => a.SupportedDiagnostics.Where(d => d.IsEnabledByDefault).Select(d => d.Id).Distinct().ToList());
        Console.Error.WriteLine($"SDK analyzers from {directory}: {sdk.Length} for C#, {enabledIds.Count(e => e.Value.Count > 0)} with a rule enabled by default ({enabledIds.Values.SelectMany(ids => ids).Distinct().Count()} rules).");

        var times = analyzers.Select(_ => new List<double>()).ToList();
        var percents = analyzers.Select(_ => new List<double>()).ToList();
        var totals = new List<double>();
        var findings = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var run = 1 - warmUps; run <= runs; run++)
        {
            var bind = bindMilliseconds(run);
            var compilation = compilationFor(run);
            _ = compilation.GetSpecialType(SpecialType.System_Object); // references bound first, as in the main benchmark
            var withAnalyzers = compilation.WithAnalyzers(
                analyzers,
                new CompilationWithAnalyzersOptions(options, onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
            var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
            var runTimes = new double[analyzers.Length];
            for (var i = 0; i < analyzers.Length; i++)
            {
                runTimes[i] = (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzers[i], CancellationToken.None)).ExecutionTime.TotalMilliseconds;
            }

            var sdkTotal = runTimes.Skip(1).Sum();
            Console.Error.WriteLine($"  run {run}{(run <= 0 ? " (warm-up)" : "")}: bind {bind:F0} ms; package {runTimes[0]:F0} ms = {100 * runTimes[0] / bind:F2}%; SDK analyzers {sdkTotal:F0} ms = {100 * sdkTotal / bind:F2}%");
            if (run <= 0)
            {
                continue;
            }

            for (var i = 0; i < analyzers.Length; i++)
            {
                times[i].Add(runTimes[i]);
                percents[i].Add(100 * runTimes[i] / bind);
            }

            totals.Add(100 * sdkTotal / bind);
            if (run == 1)
            {
                foreach (var group in diagnostics.GroupBy(d => d.Id))
                {
                    findings[group.Key] = group.Count();
                }
            }
        }

        // Each SDK analyzer's share of bind time (the median over runs), with the rules it has enabled.
        var rows = sdk
            .Select((analyzer, i) => (Analyzer: analyzer, Ids: enabledIds[analyzer], Percent: Program.Median(percents[i + 1]), Ms: Program.Median(times[i + 1])))
            .Where(row => row.Ids.Count > 0 && row.Ms > 0)
            .OrderByDescending(row => row.Percent)
            .ToList();
        var perRule = rows.Select(row => row.Percent / row.Ids.Count).OrderBy(p => p).ToList();
        string Share(double percent) => percent.ToString("F3", CultureInfo.InvariantCulture) + "%";
        Console.WriteLine();
        Console.WriteLine($"SDK analyzers: {rows.Count} analyzers ran ({rows.Sum(r => r.Ids.Count)} rules enabled by default), together {Share(Program.Median(totals))} of bind time (median of {runs} runs); the package in the same pass: {Share(Program.Median(percents[0]))}.");
        Console.WriteLine($"Per SDK analyzer: median {Share(Program.Median(rows.Select(r => r.Percent).ToList()))}, {rows.Count(r => r.Percent > 0.2)} of {rows.Count} above 0.2%, {rows.Count(r => r.Percent > 0.053)} above 0.053% (1% over 19 rules).");
        Console.WriteLine($"Per SDK rule (an analyzer's share over its enabled rules): median {Share(Program.Median(perRule))}, {perRule.Count(p => p > 0.2)} of {perRule.Count} analyzers above 0.2% a rule.");
        Console.WriteLine();
        Console.WriteLine("| SDK analyzer | Rules enabled by default | Findings | Time (ms) | % of bind |");
        Console.WriteLine("|---|---|---:|---:|---:|");
        foreach (var row in rows.Take(25))
        {
            Console.WriteLine($"| {row.Analyzer.GetType().Name} | {string.Join(", ", row.Ids)} | {row.Ids.Sum(id => findings.TryGetValue(id, out var n) ? n : 0)} | {row.Ms:F1} | {Share(row.Percent)} |");
        }

        return 0;
    }

    /// <summary>The analyzers folder of the newest SDK beside this runtime (<c>dotnet/sdk/*/Sdks/Microsoft.NET.Sdk/analyzers</c>).</summary>
    private static string? AnalyzersFolder()
    {
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var sdks = Path.Combine(root, "sdk");
        return !Directory.Exists(sdks) ? null : Directory.GetDirectories(sdks)
            .Select(path => (Path: Path.Combine(path, "Sdks", "Microsoft.NET.Sdk", "analyzers"), Version: Version.TryParse(Path.GetFileName(path).Split('-')[0], out var v) ? v : null))
            .Where(sdk => sdk.Version is not null && File.Exists(Path.Combine(sdk.Path, "Microsoft.CodeAnalysis.NetAnalyzers.dll")))
            .OrderByDescending(sdk => sdk.Version)
            .Select(sdk => sdk.Path)
            .FirstOrDefault();
    }

    private static ImmutableArray<DiagnosticAnalyzer> Load(string directory) =>
        new[] { "Microsoft.CodeAnalysis.NetAnalyzers.dll", "Microsoft.CodeAnalysis.CSharp.NetAnalyzers.dll" }
            .Select(file => new AnalyzerFileReference(Path.Combine(directory, file), new Loader()))
            .SelectMany(reference => reference.GetAnalyzers(LanguageNames.CSharp))
            .ToImmutableArray();

    /// <summary>Loads the SDK's analyzer assemblies into this process, bound to this process's Roslyn.</summary>
    private sealed class Loader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}
