using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using DistributedReview.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace DistributedReview.Tests.Catalog;

/// <summary>
/// The package ships one analyzer, <see cref="DistributedReviewAnalyzer"/>, which runs every rule analyzer in one
/// pass. It must hold all of them, and report exactly what they report when each runs as an analyzer of its own.
/// </summary>
public class SharedPassTests
{
    [Fact]
    public void The_shipped_analyzer_runs_every_rule_analyzer_once()
    {
        var ruleAnalyzers = typeof(RuleIds).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t != typeof(DistributedReviewAnalyzer))
            .Select(t => t.FullName)
            .OrderBy(name => name, StringComparer.Ordinal);
        var run = DistributedReviewAnalyzer.CreateRuleAnalyzers().Select(a => a.GetType().FullName).ToList();
        Assert.Equal(ruleAnalyzers, run.OrderBy(name => name, StringComparer.Ordinal));
        Assert.Equal(run.Count, run.Distinct().Count());
        Assert.Equal(AllRuleIds(), new DistributedReviewAnalyzer().SupportedDiagnostics.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal));
    }

    [Fact]
    public async Task One_pass_reports_what_the_rule_analyzers_report_one_by_one()
    {
        // Each test input and sample on its own, as the robustness tests compile them; the references are bound once.
        var empty = await RobustnessTests.EmptyDocumentAsync(RobustnessTests.UsedReferences());
        var differences = new ConcurrentQueue<string>();
        var reported = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(TestInputs.All, async (input, _) =>
        {
            var compilation = (await empty.WithText(SourceText.From(input.Source)).Project.GetCompilationAsync())!;
            var onePass = await DiagnosticsOf(compilation, ImmutableArray.Create<DiagnosticAnalyzer>(new DistributedReviewAnalyzer()));
            var oneByOne = await DiagnosticsOf(compilation, DistributedReviewAnalyzer.CreateRuleAnalyzers());
            if (!onePass.SequenceEqual(oneByOne))
            {
                differences.Enqueue($"{input.Name}:\n  one pass:  {string.Join("\n             ", onePass)}\n  one by one: {string.Join("\n             ", oneByOne)}");
            }

            foreach (var diagnostic in onePass)
            {
                reported[diagnostic.Split(' ')[0]] = true;
            }
        });

        Assert.True(differences.IsEmpty, string.Join("\n", differences.Take(5)));
        Assert.Equal(AllRuleIds(), reported.Keys.OrderBy(id => id, StringComparer.Ordinal)); // every rule took part
    }

    private static IOrderedEnumerable<string> AllRuleIds() =>
        typeof(RuleIds).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetValue(null)!).OrderBy(id => id, StringComparer.Ordinal);

    /// <summary>Each diagnostic as "ID file(span): message", sorted; any analyzer exception fails the test.</summary>
    private static async Task<string[]> DiagnosticsOf(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, _) => throw new InvalidOperationException($"{analyzer.GetType().Name} threw", exception),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();
        return diagnostics
            .Select(d => $"{d.Id} {d.Location.SourceTree?.FilePath}{d.Location.SourceSpan}: {d.GetMessage()}")
            .OrderBy(text => text, StringComparer.Ordinal)
            .ToArray();
    }
}
