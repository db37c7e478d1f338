using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DistributedReview.Cli.Loading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace DistributedReview.Cli.Review
{
    /// <summary>
    /// --fix: applies every code fix the package offers for the findings in scope, rule by rule with Fix All where the
    /// fixer supports it, re-analysing after each step (fixes can move or remove other findings), then writes the changed
    /// files to disk.
    /// </summary>
    internal sealed class FixApplier
    {
        private const int MaxSteps = 60;
        private readonly Reviewer _reviewer;
        private readonly Progress _progress;

        public FixApplier(Reviewer reviewer, Progress progress)
        {
            _reviewer = reviewer;
            _progress = progress;
        }

        public async Task<ImmutableArray<FixedFile>> FixAsync(LoadedTarget target, CancellationToken cancellationToken)
        {
            var original = target.Solution;
            var solution = original;
            var fixableIds = new HashSet<string>(_reviewer.Fixers.SelectMany(f => f.FixableDiagnosticIds), StringComparer.Ordinal);
            var unfixable = new HashSet<(string Id, string Path, int Start)>();
            Dictionary<(string Path, string Id), int>? before = null;
            Dictionary<(string Path, string Id), int> after;
            var steps = 0;
            while (true)
            {
                var analysis = await _reviewer.AnalyzeAsync(solution, target.Scope, cancellationToken).ConfigureAwait(false);
                after = Counts(analysis);
                before ??= after;
                if (steps >= MaxSteps)
                {
                    break;
                }

                var candidates = analysis.Diagnostics
                    .Where(d => d.Document is not null && fixableIds.Contains(d.Diagnostic.Id) && !unfixable.Contains(Key(d.Diagnostic)))
                    .OrderBy(d => d.Document!.FilePath, StringComparer.Ordinal)
                    .ThenBy(d => d.Diagnostic.Location.SourceSpan.Start)
                    .ToList();
                var applied = false;
                foreach (var (diagnostic, document) in candidates)
                {
                    var fix = await _reviewer.FirstFixWithProviderAsync(document!, diagnostic, cancellationToken).ConfigureAwait(false);
                    var changed = fix is { } found
                        ? await ApplyAsync(document!, diagnostic, found.Action, found.Provider, analysis, cancellationToken).ConfigureAwait(false)
                        : null;
                    if (changed is null || changed == solution)
                    {
                        unfixable.Add(Key(diagnostic));
                        continue;
                    }

                    _progress.Report($"Fixed {diagnostic.Id} in {target.Scope.Relative(document!.FilePath!)}: {fix!.Value.Action.Title}");
                    solution = changed;
                    applied = true;
                    steps++;
                    break;
                }

                if (!applied)
                {
                    break;
                }
            }

            var changedDocuments = solution.GetChanges(original).GetProjectChanges()
                .SelectMany(p => p.GetChangedDocuments().Select(id => solution.GetDocument(id)!))
                .Where(d => d.FilePath is not null)
                .GroupBy(d => Paths.Normalize(d.FilePath!), StringComparer.Ordinal)
                .Select(g => g.First())
                .OrderBy(d => d.FilePath, StringComparer.Ordinal)
                .ToList();
            var fixedFiles = new List<FixedFile>();
            foreach (var document in changedDocuments)
            {
                var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
                var path = Paths.Normalize(document.FilePath!);
                var encoding = text.Encoding ?? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
                try
                {
                    File.WriteAllText(path, text.ToString(), encoding);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new ReviewException($"could not write the fixed file '{target.Scope.Relative(path)}': {e.Message}");
                }

                var rules = before
                    .Where(b => b.Key.Path == path)
                    .Select(b => (RuleId: b.Key.Id, Count: b.Value - (after.TryGetValue(b.Key, out var left) ? left : 0)))
                    .Where(r => r.Count > 0)
                    .OrderBy(r => r.RuleId, StringComparer.Ordinal)
                    .ToImmutableArray();
                fixedFiles.Add(new FixedFile(path, rules));
            }

            target.Solution = solution;
            return fixedFiles.ToImmutableArray();
        }

        private static async Task<Solution?> ApplyAsync(
            Document document,
            Diagnostic diagnostic,
            CodeAction action,
            CodeFixProvider provider,
            AnalysisOutput analysis,
            CancellationToken cancellationToken)
        {
            var toApply = action;
            if (provider.GetFixAllProvider() is { } fixAll && action.EquivalenceKey is { } key)
            {
                var sameRule = analysis.Diagnostics
                    .Where(d => d.Document is not null && d.Diagnostic.Id == diagnostic.Id && d.Document.Project.Id == document.Project.Id)
                    .ToList();
                if (sameRule.Count > 1)
                {
                    try
                    {
                        var context = new FixAllContext(document, provider, FixAllScope.Project, key, new[] { diagnostic.Id }, new Diagnostics(sameRule), cancellationToken);
                        toApply = await fixAll.GetFixAsync(context).ConfigureAwait(false) ?? action;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        toApply = action;
                    }
                }
            }

            try
            {
                var operations = await toApply.GetOperationsAsync(cancellationToken).ConfigureAwait(false);
                return operations.OfType<ApplyChangesOperation>().LastOrDefault()?.ChangedSolution is { } changed
                    ? changed
                    : null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return null;
            }
        }

        private static (string Id, string Path, int Start) Key(Diagnostic diagnostic) =>
            (diagnostic.Id, diagnostic.Location.GetLineSpan().Path, diagnostic.Location.SourceSpan.Start);

        private static Dictionary<(string Path, string Id), int> Counts(AnalysisOutput analysis) =>
            analysis.Diagnostics
                .Select(d => (Path: Paths.Normalize(d.Diagnostic.Location.GetLineSpan().Path), d.Diagnostic.Id, d.Diagnostic.Location.SourceSpan))
                .Distinct()
                .GroupBy(d => (d.Path, d.Id))
                .ToDictionary(g => g.Key, g => g.Count());

        private sealed class Diagnostics : FixAllContext.DiagnosticProvider
        {
            private readonly List<(Diagnostic Diagnostic, Document? Document)> _diagnostics;

            public Diagnostics(List<(Diagnostic Diagnostic, Document? Document)> diagnostics) => _diagnostics = diagnostics;

            public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
                Task.FromResult(_diagnostics.Where(d => d.Document?.Id == document.Id).Select(d => d.Diagnostic));

            public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
                Task.FromResult(Enumerable.Empty<Diagnostic>());

            public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
                Task.FromResult(_diagnostics.Where(d => d.Document?.Project.Id == project.Id).Select(d => d.Diagnostic));
        }
    }
}
