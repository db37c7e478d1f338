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
    /// <summary>
    /// Per input: 12 cut-offs and 8 token deletions, fewer once the corpus outgrows the budget, so the test stays
    /// fast as rules and their tests are added (a variant costs ~15 ms of CPU, each fix applied ~100 ms).
    /// </summary>
    private const int VariantsPerInput = 20;
    private const int VariantBudget = 800;
    private const int FailuresShown = 5;

    /// <summary>One input taking this long is reported as a hang (an analyzer or fix looping on broken code).</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = Discovered.CreateAnalyzers();
    private static readonly ImmutableArray<CodeFixProvider> Fixes = Discovered.CreateCodeFixes();

    private readonly ITestOutputHelper _output;

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
        var perInput = Math.Clamp(VariantBudget / Math.Max(1, TestInputs.All.Count), 5, VariantsPerInput);
        var cuts = perInput * 3 / 5;
        var variants = TestInputs.All
            .SelectMany(input => Variants(input, cuts, perInput - cuts, random))
            .DistinctBy(v => v.Source)
            .ToList();
        var empty = await EmptyDocumentAsync();

        var diagnostics = 0;
        var actions = 0;
        var failures = await RunAllAsync(variants, async variant =>
        {
            var result = await AnalyzeAndFixAsync(empty.WithText(SourceText.From(variant.Source)), complete: false);
            Interlocked.Add(ref diagnostics, result.Diagnostics);
            Interlocked.Add(ref actions, result.Actions);
        });

        _output.WriteLine($"{TestInputs.All.Count} inputs, {variants.Count} distinct variants ({cuts} cut-offs and {perInput - cuts} token deletions per input): {diagnostics} diagnostics, {actions} code actions applied, {Timing(stopwatch)}.");
        AssertNoFailures(failures, variants.Count);
    }

    [Fact]
    public async Task Fixes_and_Fix_All_on_complete_inputs_do_not_throw_or_add_compiler_errors()
    {
        var stopwatch = Stopwatch.StartNew();
        var actions = 0;
        var empty = await EmptyDocumentAsync();
        var failures = await RunAllAsync(TestInputs.All, async input =>
        {
            var result = await AnalyzeAndFixAsync(empty.WithText(SourceText.From(input.Source)), complete: true);
            Interlocked.Add(ref actions, result.Actions);
        });

        _output.WriteLine($"{TestInputs.All.Count} complete inputs: {actions} code actions applied, {Timing(stopwatch)}.");
        AssertNoFailures(failures, TestInputs.All.Count);
    }

    /// <summary>The input cut off at evenly spaced points, then with one random token deleted.</summary>
    private static IEnumerable<TestInput> Variants(TestInput input, int cuts, int deletions, Random random)
    {
        var source = input.Source;
        var variants = new List<TestInput>();
        for (var i = 1; i <= cuts; i++)
        {
            var length = source.Length * i / (cuts + 1);
            variants.Add(new TestInput($"{input.Name} cut at {length}", source.Substring(0, length)));
        }

        var tokens = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToList();
        for (var i = 0; i < deletions && tokens.Count > 0; i++)
        {
            var token = tokens[random.Next(tokens.Count)];
            variants.Add(new TestInput($"{input.Name} without '{token.Text}' at {token.SpanStart}", source.Remove(token.SpanStart, token.Span.Length)));
        }

        return variants;
    }

    /// <summary>
    /// Runs every analyzer, then applies every fix offered for each diagnostic. For a <paramref name="complete"/>
    /// input also Fix All in the document per fix, and an input that compiles must still compile after each fix.
    /// </summary>
    private static async Task<(int Diagnostics, int Actions)> AnalyzeAndFixAsync(Document document, bool complete)
    {
        var tree = await document.GetSyntaxTreeAsync();
        var compiles = complete && TestWorkspace.CompilerErrors((await document.Project.GetCompilationAsync())!).Count == 0;
        var diagnostics = (await Analysis.RunAsync(document.Project, Analyzers))
            .Where(d => d.Location.SourceTree == tree)
            .ToImmutableArray();
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

            if (complete && !fixable.IsEmpty && fix.GetFixAllProvider() is { } fixAll)
            {
                var context = new FixAllContext(document, fix, FixAllScope.Document, null, fix.FixableDiagnosticIds, new KnownDiagnostics(fixable), CancellationToken.None);
                if (await fixAll.GetFixAsync(context) is { } action)
                {
                    await ApplyAsync(document, action, $"Fix All of {fix.GetType().Name}", compiles);
                    applied++;
                }
            }
        }

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
    private static async Task<Document> EmptyDocumentAsync()
    {
        var document = TestWorkspace.CreateDocument(string.Empty, TestOptions.Default);
        await document.Project.GetCompilationAsync();
        return document;
    }

    private static string Timing(Stopwatch stopwatch) =>
        $"{stopwatch.Elapsed.TotalSeconds:F1} s (test process CPU so far {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F1} s)";

    /// <summary>Runs <paramref name="body"/> on every input, one per core; returns each failure (or hang) with its input.</summary>
    private static async Task<ConcurrentQueue<string>> RunAllAsync(IEnumerable<TestInput> inputs, Func<TestInput, Task> body)
    {
        var failures = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(inputs, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (input, _) =>
        {
            try
            {
                await body(input).WaitAsync(Hang);
            }
            catch (Exception exception)
            {
                failures.Enqueue($"{input.Name}:\n{exception}\n--- source ---\n{input.Source}");
            }
        });

        return failures;
    }

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
