using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DistributedReview.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using Xunit.Abstractions;

namespace DistributedReview.Tests.Catalog;

/// <summary>
/// Every analyzer (run together) and every code fix survive code as it is typed: the repository's test inputs
/// and samples cut off part-way and with a token deleted. Complete inputs that compile still compile after any fix.
/// </summary>
public class RobustnessTests
{
    private const int Cuts = 12;
    private const int Deletions = 8;
    private const int FailuresShown = 5;

    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = Discovered.CreateAnalyzers();
    private static readonly ImmutableArray<CodeFixProvider> Fixes = Discovered.CreateCodeFixes();

    private readonly ITestOutputHelper _output;
    public static long AnalysisTicks, FixTicks;

    public RobustnessTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Inputs_are_found()
    {
        Assert.NotEmpty(TestInputs.FromTestSources());
        Assert.NotEmpty(TestInputs.FromSamples());
    }

    [Fact]
    public async Task Analyzers_and_fixes_survive_half_typed_code()
    {
        var stopwatch = Stopwatch.StartNew();
        var random = new Random(1234);
        var variants = TestInputs.All
            .SelectMany(input => Variants(input, random))
            .DistinctBy(v => v.Source)
            .ToList();
        var empty = await EmptyDocumentAsync(TestOptions.Default);

        var failures = new ConcurrentQueue<string>();
        var diagnostics = 0;
        var actions = 0;
        await ForEachAsync(variants, async variant =>
        {
            try
            {
                var result = await AnalyzeAndFixAsync(empty.WithText(SourceText.From(variant.Source)), assertNoNewErrors: false);
                Interlocked.Add(ref diagnostics, result.Diagnostics);
                Interlocked.Add(ref actions, result.Actions);
            }
            catch (Exception exception)
            {
                failures.Enqueue($"{variant.Name}:\n{exception}\n--- source ---\n{variant.Source}");
            }
        });

        _output.WriteLine($"{TestInputs.All.Count} inputs, {variants.Count} variants (cut off, token deleted): {diagnostics} diagnostics, {actions} code actions applied, {stopwatch.Elapsed.TotalSeconds:F1} s. analysis {AnalysisTicks/(double)Stopwatch.Frequency:F1}s fixes {FixTicks/(double)Stopwatch.Frequency:F1}s");
        AssertNoFailures(failures, variants.Count);
    }

    [Fact]
    public async Task Fixes_on_complete_inputs_do_not_throw_or_add_compiler_errors()
    {
        var stopwatch = Stopwatch.StartNew();
        var runs = 0;
        var actions = 0;
        var failures = new ConcurrentQueue<string>();
        foreach (var options in new[] { TestOptions.Default, new TestOptions { Target = TargetFramework.NetStandard20 } })
        {
            var empty = await EmptyDocumentAsync(options);
            await ForEachAsync(TestInputs.All, async input =>
            {
                try
                {
                    var result = await AnalyzeAndFixAsync(empty.WithText(SourceText.From(input.Source)), assertNoNewErrors: true);
                    Interlocked.Add(ref actions, result.Actions);
                    Interlocked.Increment(ref runs);
                }
                catch (Exception exception)
                {
                    failures.Enqueue($"{input.Name} ({options.Target}):\n{exception}\n--- source ---\n{input.Source}");
                }
            });
        }

        _output.WriteLine($"{TestInputs.All.Count} complete inputs on 2 targets: {runs} runs, {actions} code actions applied, {stopwatch.Elapsed.TotalSeconds:F1} s. analysis {AnalysisTicks/(double)Stopwatch.Frequency:F1}s fixes {FixTicks/(double)Stopwatch.Frequency:F1}s");
        AssertNoFailures(failures, TestInputs.All.Count * 2);
    }

    /// <summary>The input cut off at evenly spaced points, then with one random token deleted.</summary>
    private static IEnumerable<TestInput> Variants(TestInput input, Random random)
    {
        var source = input.Source;
        var variants = new List<TestInput>();
        for (var i = 1; i <= Cuts; i++)
        {
            var length = source.Length * i / (Cuts + 1);
            variants.Add(new TestInput($"{input.Name} cut at {length}", source.Substring(0, length)));
        }

        var tokens = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToList();
        for (var i = 0; i < Deletions && tokens.Count > 0; i++)
        {
            var token = tokens[random.Next(tokens.Count)];
            variants.Add(new TestInput($"{input.Name} without '{token.Text}' at {token.SpanStart}", source.Remove(token.SpanStart, token.Span.Length)));
        }

        return variants;
    }

    /// <summary>
    /// Runs every analyzer, then every fix offered for each diagnostic (and Fix All in the document per fix).
    /// With <paramref name="assertNoNewErrors"/>, an input that compiles must still compile after each fix.
    /// </summary>
    private static async Task<(int Diagnostics, int Actions)> AnalyzeAndFixAsync(Document document, bool assertNoNewErrors)
    {
        var tree = await document.GetSyntaxTreeAsync();
        var compiles = assertNoNewErrors && TestWorkspace.CompilerErrors((await document.Project.GetCompilationAsync())!).Count == 0;
        var sw = Stopwatch.StartNew();
        var diagnostics = (await Analysis.RunAsync(document.Project, Analyzers))
            .Where(d => d.Location.SourceTree == tree)
            .ToImmutableArray();
        Interlocked.Add(ref AnalysisTicks, sw.ElapsedTicks); sw.Restart();
        var applied = 0;
        foreach (var fix in Fixes)
        {
            var fixable = diagnostics.Where(d => fix.FixableDiagnosticIds.Contains(d.Id)).ToImmutableArray();
            foreach (var diagnostic in fixable)
            {
                var offered = new List<CodeAction>();
                await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => offered.Add(action), CancellationToken.None));
                foreach (var action in offered)
                {
                    await ApplyAsync(document, action, $"'{action.Title}' for {diagnostic}", compiles);
                    applied++;
                }
            }

            if (!fixable.IsEmpty && fix.GetFixAllProvider() is { } fixAll)
            {
                var context = new FixAllContext(document, fix, FixAllScope.Document, null, fix.FixableDiagnosticIds, new KnownDiagnostics(fixable), CancellationToken.None);
                if (await fixAll.GetFixAsync(context) is { } action)
                {
                    await ApplyAsync(document, action, $"Fix All of {fix.GetType().Name}", compiles);
                    applied++;
                }
            }
        }

        Interlocked.Add(ref FixTicks, sw.ElapsedTicks);
        return (diagnostics.Length, applied);
    }

    private static async Task ApplyAsync(Document document, CodeAction action, string what, bool mustCompile)
    {
        foreach (var operation in (await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>())
        {
            var changed = operation.ChangedSolution.GetDocument(document.Id)!;
            var text = await changed.GetTextAsync();
            if (mustCompile)
            {
                var errors = TestWorkspace.CompilerErrors((await changed.Project.GetCompilationAsync())!);
                if (errors.Count > 0)
                {
                    throw new Xunit.Sdk.XunitException($"{what} turns compiling code into code with errors:\n{string.Join("\n", errors)}\n--- fixed ---\n{text}");
                }
            }
        }
    }

    /// <summary>The one project every run forks from (with <see cref="Document.WithText"/>), its references bound once.</summary>
    private static async Task<Document> EmptyDocumentAsync(TestOptions options)
    {
        var document = TestWorkspace.CreateDocument(string.Empty, options);
        await document.Project.GetCompilationAsync();
        return document;
    }

    private static Task ForEachAsync<T>(IEnumerable<T> items, Func<T, Task> body) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (item, _) => await body(item));

    private void AssertNoFailures(ConcurrentQueue<string> failures, int runs)
    {
        foreach (var failure in failures.Take(FailuresShown))
        {
            _output.WriteLine("FAILED " + failure + "\n");
        }

        Assert.True(
            failures.IsEmpty,
            $"{failures.Count} of {runs} runs failed; the first {Math.Min(FailuresShown, failures.Count)}:\n\n" + string.Join("\n\n", failures.Take(FailuresShown)));
    }

    /// <summary>Fix All's view of the diagnostics: the ones already computed for the document.</summary>
    private sealed class KnownDiagnostics : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<Diagnostic> _diagnostics;

        public KnownDiagnostics(ImmutableArray<Diagnostic> diagnostics) => _diagnostics = diagnostics;

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);
    }
}
