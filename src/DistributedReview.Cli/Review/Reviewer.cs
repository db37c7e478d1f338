using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DistributedReview.Cli.Loading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Cli.Review
{
    /// <summary>Runs the package's analyzers over the projects that hold the scope, and keeps the findings inside it.</summary>
    internal sealed class Reviewer
    {
        public const int DefaultMinConfidence = 50;
        private const string ConfidenceProperty = "Confidence";
        private static readonly Regex ConfidenceSuffix = new(@"\s*\(confidence \d+%\)\s*$", RegexOptions.Compiled);

        private readonly ImmutableArray<DiagnosticAnalyzer> _analyzers = RuleCatalog.CreateAnalyzers();
        private readonly ImmutableArray<CodeFixProvider> _fixers = RuleCatalog.CreateCodeFixes();
        private readonly Progress _progress;

        public Reviewer(Progress progress) => _progress = progress;

        public ImmutableArray<CodeFixProvider> Fixers => _fixers;

        /// <summary>
        /// Makes a loaded solution ready for review: the projects' own DistributedReview analyzer references are dropped
        /// (the tool runs its own set, once), configuration files in scope that the project does not list become
        /// additional files, and a minimum confidence below the default is passed to the analyzers as a global option.
        /// </summary>
        public static Solution Prepare(Solution solution, Scope scope, int? minConfidence)
        {
            foreach (var projectId in solution.ProjectIds)
            {
                var project = solution.GetProject(projectId)!;
                if (project.Language != LanguageNames.CSharp)
                {
                    continue;
                }

                foreach (var reference in project.AnalyzerReferences)
                {
                    if (reference is AnalyzerFileReference file && Path.GetFileName(file.FullPath).StartsWith("DistributedReview.", StringComparison.OrdinalIgnoreCase))
                    {
                        solution = solution.RemoveAnalyzerReference(projectId, reference);
                    }
                }

                if (project.FilePath is { } projectFile)
                {
                    solution = AddConfigurationFiles(solution, projectId, Path.GetDirectoryName(projectFile)!, scope);
                }

                if (minConfidence is { } minimum && minimum < DefaultMinConfidence)
                {
                    var directory = project.FilePath is { } path ? Path.GetDirectoryName(path)! : Path.GetTempPath();
                    solution = solution.AddAnalyzerConfigDocument(
                        DocumentId.CreateNewId(projectId),
                        "distributed-review.globalconfig",
                        SourceText.From("is_global = true\ndistributed_review.min_confidence = " + minimum.ToString(CultureInfo.InvariantCulture) + "\n"),
                        filePath: Path.Combine(directory, "distributed-review.globalconfig"));
                }
            }

            return solution;
        }

        private static Solution AddConfigurationFiles(Solution solution, ProjectId projectId, string projectDirectory, Scope scope)
        {
            var project = solution.GetProject(projectId)!;
            var known = new HashSet<string>(project.AdditionalDocuments.Select(d => d.FilePath).OfType<string>().Select(Paths.Normalize), StringComparer.Ordinal);
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true };
            var candidates = scope.Kind == TargetKind.Configuration
                ? new[] { scope.FullPath }
                : Directory.EnumerateFiles(projectDirectory, "*", options).Where(Paths.IsConfigurationFile);
            foreach (var file in candidates.OrderBy(f => f, StringComparer.Ordinal))
            {
                var path = Paths.Normalize(file);
                if (!known.Contains(path) && File.Exists(path) && scope.Contains(path, project) && Paths.IsUnder(projectDirectory, path))
                {
                    solution = solution.AddAdditionalDocument(DocumentId.CreateNewId(projectId), Path.GetFileName(path), LooseLoader.Read(path), filePath: path);
                }
            }

            return solution;
        }

        public async Task<ReviewResult> ReviewAsync(LoadedTarget target, int? minConfidence, ImmutableArray<FixedFile> fixedFiles, CancellationToken cancellationToken)
        {
            var analysis = await AnalyzeAsync(target.Solution, target.Scope, cancellationToken).ConfigureAwait(false);
            var minimum = minConfidence ?? DefaultMinConfidence;
            var findings = new List<Finding>();
            foreach (var (diagnostic, document) in analysis.Diagnostics)
            {
                var finding = await ToFindingAsync(diagnostic, document, cancellationToken).ConfigureAwait(false);
                if (finding is not null && finding.Confidence >= minimum)
                {
                    findings.Add(finding);
                }
            }

            var ordered = findings
                .GroupBy(f => (f.Rule.Id, f.Path, f.Line, f.Column, f.Message))
                .Select(g => g.First())
                .OrderByDescending(f => f.IsCritical)
                .ThenBy(f => target.Scope.Relative(f.Path), StringComparer.Ordinal)
                .ThenBy(f => f.Line)
                .ThenBy(f => f.Column)
                .ThenBy(f => f.Rule.Id, StringComparer.Ordinal)
                .ToImmutableArray();
            var architecture = ArchitectureAnalysis.Derive(analysis.Evidence, ordered);
            return new ReviewResult(ordered, analysis.Files.Length, analysis.Files, architecture, fixedFiles, minimum);
        }

        /// <summary>The in-scope diagnostics of the DistributedReview rules, each with its document (null for additional files).</summary>
        public async Task<AnalysisOutput> AnalyzeAsync(Solution solution, Scope scope, CancellationToken cancellationToken)
        {
            var diagnostics = new List<(Diagnostic, Document?)>();
            var files = new SortedSet<string>(StringComparer.Ordinal);
            var evidence = new Evidence();
            var projects = solution.Projects
                .Where(p => p.Language == LanguageNames.CSharp)
                .Where(p => p.Documents.Any(d => scope.Contains(d.FilePath, p)) || p.AdditionalDocuments.Any(d => scope.Contains(d.FilePath, p)))
                .ToList();
            var analyzed = 0;
            foreach (var project in projects)
            {
                _progress.Report($"Compiling {project.Name}...");
                var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
                if (compilation is null)
                {
                    continue;
                }

                var inScopeDocuments = project.Documents.Where(d => scope.Contains(d.FilePath, project) && !IsGenerated(d.FilePath)).ToList();
                var inScopeConfigurations = project.AdditionalDocuments.Where(d => scope.Contains(d.FilePath, project) && Paths.IsConfigurationFile(d.FilePath!)).ToList();
                foreach (var document in inScopeDocuments)
                {
                    files.Add(Paths.Normalize(document.FilePath!));
                }

                foreach (var configuration in inScopeConfigurations)
                {
                    files.Add(Paths.Normalize(configuration.FilePath!));
                    var text = await configuration.GetTextAsync(cancellationToken).ConfigureAwait(false);
                    evidence.AddConfiguration(configuration.FilePath!, text.ToString());
                }

                evidence.AddAssemblies(compilation.ReferencedAssemblyNames.Select(a => a.Name));
                foreach (var document in inScopeDocuments)
                {
                    if (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is { } root)
                    {
                        evidence.AddIdentifiers(root.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
                    }
                }

                var exceptions = new ConcurrentQueue<string>();
                var options = new CompilationWithAnalyzersOptions(
                    project.AnalyzerOptions,
                    (exception, analyzer, _) => exceptions.Enqueue($"{analyzer.GetType().Name} failed: {exception.GetType().Name}: {exception.Message}"),
                    concurrentAnalysis: true,
                    logAnalyzerExecutionTime: false,
                    reportSuppressedDiagnostics: false);
                var withAnalyzers = compilation.WithAnalyzers(_analyzers, options);
                var all = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
                foreach (var message in exceptions.Distinct(StringComparer.Ordinal))
                {
                    _progress.Warn(message);
                }

                foreach (var diagnostic in all)
                {
                    if (diagnostic.IsSuppressed || !RuleCatalog.Rules.ContainsKey(diagnostic.Id) || diagnostic.Severity == DiagnosticSeverity.Hidden)
                    {
                        continue;
                    }

                    var path = diagnostic.Location.GetLineSpan().Path;
                    if (!scope.Contains(path, project))
                    {
                        continue;
                    }

                    var document = diagnostic.Location.SourceTree is { } tree ? project.GetDocument(tree) : null;
                    diagnostics.Add((diagnostic, document));
                }

                analyzed += inScopeDocuments.Count + inScopeConfigurations.Count;
                _progress.Report($"Analysed {project.Name}: {inScopeDocuments.Count + inScopeConfigurations.Count} files in scope ({analyzed} so far)");
            }

            return new AnalysisOutput(diagnostics.ToImmutableArray(), files.ToImmutableArray(), evidence);
        }

        private async Task<Finding?> ToFindingAsync(Diagnostic diagnostic, Document? document, CancellationToken cancellationToken)
        {
            if (!RuleCatalog.Rules.TryGetValue(diagnostic.Id, out var rule))
            {
                return null;
            }

            var span = diagnostic.Location.GetLineSpan();
            var confidence = diagnostic.Properties.TryGetValue(ConfidenceProperty, out var text)
                && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
            var message = ConfidenceSuffix.Replace(diagnostic.GetMessage(CultureInfo.InvariantCulture), string.Empty);
            var fix = document is null ? null : await FirstFixAsync(document, diagnostic, cancellationToken).ConfigureAwait(false);
            return new Finding(
                rule,
                Paths.Normalize(span.Path),
                span.StartLinePosition.Line + 1,
                span.StartLinePosition.Character + 1,
                span.EndLinePosition.Line + 1,
                span.EndLinePosition.Character + 1,
                confidence,
                message,
                fix?.Title);
        }

        /// <summary>The first code fix offered for <paramref name="diagnostic"/>, with its fixer; null when none is.</summary>
        public async Task<CodeAction?> FirstFixAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken) =>
            (await FirstFixWithProviderAsync(document, diagnostic, cancellationToken).ConfigureAwait(false))?.Action;

        public async Task<(CodeAction Action, CodeFixProvider Provider)?> FirstFixWithProviderAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            foreach (var fixer in _fixers.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                var actions = new List<CodeAction>();
                var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
                try
                {
                    await fixer.RegisterCodeFixesAsync(context).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _progress.Warn($"{fixer.GetType().Name} failed on {diagnostic.Id}: {e.Message}");
                    continue;
                }

                if (actions.Count > 0)
                {
                    return (actions[0], fixer);
                }
            }

            return null;
        }

        private static bool IsGenerated(string? path) =>
            path is not null && (path.EndsWith(".g.cs", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".designer.cs", StringComparison.OrdinalIgnoreCase));
    }

    internal sealed record AnalysisOutput(ImmutableArray<(Diagnostic Diagnostic, Document? Document)> Diagnostics, ImmutableArray<string> Files, Evidence Evidence);
}
