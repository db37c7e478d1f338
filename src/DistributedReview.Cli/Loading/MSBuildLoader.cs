using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Build.Locator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.MSBuild;

namespace DistributedReview.Cli.Loading
{
    /// <summary>
    /// Loads solutions and projects with MSBuildWorkspace (the design-time build runs in Roslyn's BuildHost process), so
    /// the analyzers see the projects' real references. MSBuildLocator must be registered before any MSBuild type is
    /// loaded, so the workspace code lives in <see cref="OpenAsync"/>, which is never inlined into the caller.
    /// </summary>
    internal static class MSBuildLoader
    {
        private static readonly object Gate = new();

        public static async Task<LoadedTarget> LoadAsync(LoadPlan plan, bool restore, Progress progress, CancellationToken cancellationToken)
        {
            RegisterMSBuild();
            if (restore)
            {
                await RestoreIfNeededAsync(plan, progress, cancellationToken).ConfigureAwait(false);
            }

            return await OpenAsync(plan, progress, cancellationToken).ConfigureAwait(false);
        }

        private static void RegisterMSBuild()
        {
            lock (Gate)
            {
                if (MSBuildLocator.IsRegistered)
                {
                    return;
                }

                try
                {
                    MSBuildLocator.RegisterDefaults();
                }
                catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or DirectoryNotFoundException)
                {
                    throw new ReviewException("no .NET SDK with MSBuild was found to load projects (" + e.Message + "); install the .NET SDK, or review the files with --no-msbuild.");
                }
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static async Task<LoadedTarget> OpenAsync(LoadPlan plan, Progress progress, CancellationToken cancellationToken)
        {
            var workspace = MSBuildWorkspace.Create();
            var failures = new List<string>();
            workspace.WorkspaceFailed += (_, args) =>
            {
                if (args.Diagnostic.Kind == WorkspaceDiagnosticKind.Failure)
                {
                    lock (failures)
                    {
                        failures.Add(args.Diagnostic.Message);
                    }
                }
            };

            var loadProgress = new LoadProgress(progress);
            try
            {
                foreach (var path in plan.MSBuildPaths)
                {
                    var extension = Path.GetExtension(path);
                    if (extension.Equals(".sln", StringComparison.OrdinalIgnoreCase) || extension.Equals(".slnx", StringComparison.OrdinalIgnoreCase))
                    {
                        await workspace.OpenSolutionAsync(path, loadProgress, cancellationToken).ConfigureAwait(false);
                    }
                    else if (!workspace.CurrentSolution.Projects.Any(p => p.FilePath is { } f && Paths.SamePath(f, path)))
                    {
                        await workspace.OpenProjectAsync(path, loadProgress, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                workspace.Dispose();
                var detail = failures.Count > 0 ? failures[0] : e.Message;
                throw new ReviewException($"could not load '{plan.Scope.Relative(plan.MSBuildPaths[0])}' with MSBuild: {OneLine(detail)}");
            }

            var solution = workspace.CurrentSolution;
            var csharp = solution.Projects.Where(p => p.Language == LanguageNames.CSharp).ToList();
            if (csharp.Count == 0 || csharp.All(p => !p.Documents.Any()))
            {
                workspace.Dispose();
                var detail = failures.Count > 0 ? ": " + OneLine(failures[0]) : ": it has no C# projects with source files";
                throw new ReviewException($"could not load '{plan.Scope.Relative(plan.MSBuildPaths[0])}' with MSBuild{detail}");
            }

            foreach (var failure in failures.Distinct(StringComparer.Ordinal))
            {
                progress.Warn("MSBuild: " + OneLine(failure));
            }

            // Name the projects the review covers (not, say, analyzer projects loaded only as references).
            var inScope = csharp.Where(p =>
                    p.Documents.Concat(p.AdditionalDocuments).Any(d => plan.Scope.Contains(d.FilePath, p))
                    || (plan.Scope.Kind == TargetKind.Configuration && p.FilePath is { } file && Paths.IsUnder(Path.GetDirectoryName(file)!, plan.Scope.FullPath)))
                .ToList();
            var loaded = (inScope.Count > 0 ? inScope : csharp)
                .Where(p => p.FilePath is not null)
                .Select(p => Path.GetFileName(p.FilePath!) + (p.Name.IndexOf('(') is var open and > 0 ? " " + p.Name.Substring(open) : string.Empty))
                .Distinct(StringComparer.Ordinal)
                .OrderBy(n => n, StringComparer.Ordinal)
                .ToList();
            var description = $"MSBuild (design-time build of {Describe(loaded)}): semantic analysis with the projects' real references";
            return new LoadedTarget(workspace, solution, AnalysisMode.MSBuild, description, plan.Scope);
        }

        private static string Describe(IReadOnlyList<string> projects) =>
            projects.Count <= 4 ? string.Join(", ", projects) : $"{string.Join(", ", projects.Take(3))} and {projects.Count - 3} more projects";

        private static string OneLine(string text)
        {
            var line = Regex.Replace(text, @"\s+", " ").Trim();
            return line.Length > 400 ? line.Substring(0, 400) + "..." : line;
        }

        /// <summary>
        /// A design-time build needs restored projects (obj/project.assets.json); a project never restored is restored
        /// once with 'dotnet restore', as 'dotnet build' would.
        /// </summary>
        private static async Task RestoreIfNeededAsync(LoadPlan plan, Progress progress, CancellationToken cancellationToken)
        {
            foreach (var path in plan.MSBuildPaths)
            {
                if (!ProjectsOf(path).Any(NeedsRestore))
                {
                    continue;
                }

                progress.Report($"Restoring {plan.Scope.Relative(path)} (it was never restored)...");
                var start = new ProcessStartInfo("dotnet")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                start.ArgumentList.Add("restore");
                start.ArgumentList.Add(path);
                start.ArgumentList.Add("--verbosity");
                start.ArgumentList.Add("quiet");
                start.ArgumentList.Add("-nologo");
                using var process = Process.Start(start) ?? throw new ReviewException("could not start 'dotnet restore'.");
                var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
                var errors = process.StandardError.ReadToEndAsync(cancellationToken);
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                if (process.ExitCode != 0)
                {
                    var text = ((await output.ConfigureAwait(false)) + (await errors.ConfigureAwait(false))).Trim();
                    throw new ReviewException($"'dotnet restore {plan.Scope.Relative(path)}' failed: {OneLine(text)}");
                }
            }
        }

        private static bool NeedsRestore(string project) =>
            File.Exists(project) && !File.Exists(Path.Combine(Path.GetDirectoryName(project)!, "obj", "project.assets.json"));

        private static IEnumerable<string> ProjectsOf(string path)
        {
            var extension = Path.GetExtension(path);
            if (!extension.Equals(".sln", StringComparison.OrdinalIgnoreCase) && !extension.Equals(".slnx", StringComparison.OrdinalIgnoreCase))
            {
                return new[] { path };
            }

            var folder = Path.GetDirectoryName(path)!;
            return Regex.Matches(File.ReadAllText(path), "\"([^\"]+\\.csproj)\"")
                .Select(m => Path.GetFullPath(Path.Combine(folder, m.Groups[1].Value.Replace('\\', Path.DirectorySeparatorChar))))
                .ToList();
        }

        private sealed class LoadProgress : IProgress<ProjectLoadProgress>
        {
            private readonly Progress _progress;

            public LoadProgress(Progress progress) => _progress = progress;

            public void Report(ProjectLoadProgress value)
            {
                if (value.Operation == ProjectLoadOperation.Resolve)
                {
                    var framework = value.TargetFramework is { Length: > 0 } tfm ? $" ({tfm})" : string.Empty;
                    _progress.Report($"Loaded {Path.GetFileName(value.FilePath)}{framework} in {value.ElapsedTime.TotalSeconds:0.0} s");
                }
            }
        }
    }
}
