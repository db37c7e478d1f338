using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DistributedReview.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Sdk;

namespace DistributedReview.Tests.Catalog;

/// <summary>What one run found: the compiler errors of the input and the analyzer diagnostics in the files under test.</summary>
public sealed record AnalysisResult(IReadOnlyList<Diagnostic> CompilerErrors, ImmutableArray<Diagnostic> Diagnostics);

/// <summary>
/// Runs every analyzer over a project and applies every code fix offered for what they report, failing on any
/// analyzer or fix exception and, for code that compiled, on any fix that leaves compiler errors. Shared by the
/// robustness and unusual-code tests.
/// </summary>
public static class FixRunner
{
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = Discovered.CreateAnalyzers();

    public static ImmutableArray<CodeFixProvider> Fixes { get; } = Discovered.CreateCodeFixes();

    /// <summary>
    /// Every analyzer over <paramref name="project"/>, in one pass with the compiler's own diagnostics when
    /// <paramref name="withCompilerErrors"/> (one binding of the code instead of two). Keeps the analyzer
    /// diagnostics located in <paramref name="trees"/> (all trees when null).
    /// </summary>
    /// <param name="concurrent">Run the analyzers concurrently within the one analysis (as the IDE does); the robustness
    /// runs, already one per core, run them sequentially, which costs less CPU per analysis.</param>
    public static async Task<AnalysisResult> AnalyzeAsync(Project project, bool withCompilerErrors, IReadOnlyCollection<SyntaxTree>? trees = null, bool concurrent = true, CancellationToken cancellationToken = default)
    {
        var compilation = (await project.GetCompilationAsync(cancellationToken))!;
        var exceptions = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            project.AnalyzerOptions,
            onAnalyzerException: (exception, analyzer, _) => exceptions.Enqueue($"{analyzer.GetType().Name}: {exception}"),
            concurrentAnalysis: concurrent,
            logAnalyzerExecutionTime: false);
        var withAnalyzers = compilation.WithAnalyzers(Analyzers, options);
        var all = withCompilerErrors
            ? await withAnalyzers.GetAllDiagnosticsAsync(cancellationToken)
            : await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken);
        var failures = exceptions.Concat(all.Where(d => d.Id is "AD0001" or "AD0002").Select(d => d.ToString())).ToList();
        if (failures.Count > 0)
        {
            throw new XunitException("Analyzer threw:\n" + string.Join("\n", failures));
        }

        var ids = AnalyzerIds.Value;
        var errors = all.Where(d => d.Severity == DiagnosticSeverity.Error && !ids.Contains(d.Id)).ToList();
        var diagnostics = all
            .Where(d => ids.Contains(d.Id) && (trees is null || trees.Contains(d.Location.SourceTree!)))
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
        return new AnalysisResult(errors, diagnostics);
    }

    /// <summary>
    /// Registers every fix for every diagnostic and computes the changes of each action offered, then with
    /// <paramref name="fixAll"/> the Fix All of each fix in each document where it has two or more diagnostics. With <paramref name="mustCompile"/> every
    /// change must leave the project without compiler errors. <paramref name="skip"/> leaves out a (fix, diagnostic)
    /// pair already exercised elsewhere. Returns the number of actions applied.
    /// </summary>
    public static async Task<int> ApplyFixesAsync(
        Solution solution,
        ImmutableArray<Diagnostic> diagnostics,
        bool mustCompile,
        bool fixAll,
        Func<CodeFixProvider, Diagnostic, Document, bool>? skip = null)
    {
        var applied = 0;
        var verified = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fix in Fixes)
        {
            var fixable = diagnostics.Where(d => fix.FixableDiagnosticIds.Contains(d.Id)).ToImmutableArray();
            foreach (var diagnostic in fixable)
            {
                var document = solution.GetDocument(diagnostic.Location.SourceTree)!;
                if (skip?.Invoke(fix, diagnostic, document) == true)
                {
                    continue;
                }

                var offered = new List<CodeAction>();
                await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => offered.Add(action), CancellationToken.None));
                foreach (var action in offered)
                {
                    await ApplyAsync(solution, action, $"'{action.Title}' ({fix.GetType().Name}) for {diagnostic}", mustCompile, verified);
                    applied++;
                }
            }

            if (fixAll && fix.GetFixAllProvider() is { } provider)
            {
                // Fix All of a single diagnostic is that diagnostic's fix, applied above.
                foreach (var group in fixable.GroupBy(d => d.Location.SourceTree).Where(g => g.Count() > 1))
                {
                    var document = solution.GetDocument(group.Key)!;
                    var known = group.ToImmutableArray();
                    var context = new FixAllContext(document, fix, FixAllScope.Document, null, fix.FixableDiagnosticIds, new KnownDiagnostics(known), CancellationToken.None);
                    if (await provider.GetFixAsync(context) is { } action)
                    {
                        await ApplyAsync(solution, action, $"Fix All of {fix.GetType().Name} in {document.Name}", mustCompile, verified);
                        applied++;
                    }
                }
            }
        }

        return applied;
    }

    /// <summary>
    /// Computes the action's changes; with <paramref name="mustCompile"/> compiles the changed project (once per
    /// distinct result: Fix All of a single diagnostic usually equals the fix itself).
    /// </summary>
    private static async Task ApplyAsync(Solution solution, CodeAction action, string what, bool mustCompile, HashSet<string> verified)
    {
        foreach (var operation in (await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>())
        {
            var changed = operation.ChangedSolution;
            if (!mustCompile)
            {
                continue;
            }

            var changes = changed.GetChanges(solution);
            var texts = new List<string>();
            foreach (var id in changes.GetProjectChanges().SelectMany(p => p.GetChangedDocuments()).OrderBy(id => id.Id))
            {
                texts.Add((await changed.GetDocument(id)!.GetTextAsync()).ToString());
            }

            if (!verified.Add(string.Join("\0", texts)))
            {
                continue;
            }

            var project = changed.GetProject(solution.ProjectIds[0])!;
            var errors = TestWorkspace.CompilerErrors((await project.GetCompilationAsync())!);
            if (errors.Count > 0)
            {
                throw new XunitException($"{what} turns compiling code into code with errors:\n{string.Join("\n", errors)}\n--- fixed ---\n{string.Join("\n--- next changed file ---\n", texts)}");
            }
        }
    }

    private static readonly Lazy<HashSet<string>> AnalyzerIds = new(() =>
        Analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToHashSet(StringComparer.Ordinal));

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
