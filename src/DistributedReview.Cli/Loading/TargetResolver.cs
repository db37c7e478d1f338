using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;

namespace DistributedReview.Cli.Loading
{
    /// <summary>How a target is loaded: projects through MSBuild, or loose files against reference assemblies.</summary>
    internal sealed record LoadPlan(
        Scope Scope,
        ImmutableArray<string> MSBuildPaths,
        ImmutableArray<string> LooseSources,
        ImmutableArray<string> LooseConfigurations,
        string? LooseFallbackReason)
    {
        public bool UsesMSBuild => !MSBuildPaths.IsEmpty;
    }

    /// <summary>Turns the command's target argument into a <see cref="LoadPlan"/>, or a clear error.</summary>
    internal static class TargetResolver
    {
        public const string SupportedTargets =
            "a solution (.sln, .slnx), a C# project (.csproj), a folder, a .cs file or a configuration file (*.hocon, *.conf, appsettings*.json)";

        public static LoadPlan Resolve(string? target, string currentDirectory, bool noMSBuild)
        {
            currentDirectory = Paths.Normalize(currentDirectory);
            if (string.IsNullOrWhiteSpace(target))
            {
                return ResolveCurrentFolder(currentDirectory, noMSBuild);
            }

            var fullPath = Paths.Normalize(Path.Combine(currentDirectory, target));
            if (Directory.Exists(fullPath))
            {
                return ResolveFolder(fullPath, BaseFor(fullPath, currentDirectory, isFolder: true), noMSBuild);
            }

            if (!File.Exists(fullPath))
            {
                throw new ReviewException($"no such file or folder: '{target}'.");
            }

            var baseDirectory = BaseFor(fullPath, currentDirectory, isFolder: false);
            var extension = Path.GetExtension(fullPath).ToLowerInvariant();
            switch (extension)
            {
                case ".sln":
                case ".slnx":
                    return Projects(new Scope(TargetKind.Solution, fullPath, baseDirectory), fullPath, noMSBuild);
                case ".csproj":
                    return Projects(new Scope(TargetKind.Project, fullPath, baseDirectory), fullPath, noMSBuild);
                case ".vbproj":
                case ".fsproj":
                    throw new ReviewException($"'{target}' is not a C# project: distributed-review reviews C# code.");
            }

            if (Paths.IsCSharpFile(fullPath) || Paths.IsConfigurationFile(fullPath))
            {
                var kind = Paths.IsCSharpFile(fullPath) ? TargetKind.File : TargetKind.Configuration;
                var scope = new Scope(kind, fullPath, baseDirectory);
                var project = noMSBuild ? null : EnclosingProject(Path.GetDirectoryName(fullPath)!);
                if (project is not null)
                {
                    return new LoadPlan(scope, ImmutableArray.Create(project), ImmutableArray<string>.Empty, ImmutableArray<string>.Empty, null);
                }

                // Outside a project: a .cs file compiles with the other .cs files of its folder, so its types bind.
                var sources = kind == TargetKind.File
                    ? SourceFiles(Path.GetDirectoryName(fullPath)!, recursive: false)
                    : ImmutableArray<string>.Empty;
                var configurations = kind == TargetKind.Configuration ? ImmutableArray.Create(fullPath) : ImmutableArray<string>.Empty;
                return new LoadPlan(scope, ImmutableArray<string>.Empty, sources, configurations, noMSBuild ? "--no-msbuild" : "not inside a C# project");
            }

            throw new ReviewException(
                $"distributed-review does not review '{Path.GetFileName(fullPath)}': give it {SupportedTargets}.");
        }

        private static LoadPlan ResolveCurrentFolder(string currentDirectory, bool noMSBuild)
        {
            var solutions = Directory.EnumerateFiles(currentDirectory, "*.sln").Concat(Directory.EnumerateFiles(currentDirectory, "*.slnx"))
                .OrderBy(p => p, StringComparer.Ordinal).ToList();
            if (solutions.Count > 1)
            {
                throw new ReviewException($"the current folder has several solutions ({string.Join(", ", solutions.Select(Path.GetFileName))}): name the one to review.");
            }

            if (solutions.Count == 1)
            {
                return Projects(new Scope(TargetKind.Solution, solutions[0], currentDirectory), solutions[0], noMSBuild);
            }

            var projects = Directory.EnumerateFiles(currentDirectory, "*.csproj").OrderBy(p => p, StringComparer.Ordinal).ToList();
            if (projects.Count > 1)
            {
                throw new ReviewException($"the current folder has several projects ({string.Join(", ", projects.Select(Path.GetFileName))}): name the one to review.");
            }

            if (projects.Count == 1)
            {
                return Projects(new Scope(TargetKind.Project, projects[0], currentDirectory), projects[0], noMSBuild);
            }

            return ResolveFolder(currentDirectory, currentDirectory, noMSBuild);
        }

        private static LoadPlan ResolveFolder(string folder, string baseDirectory, bool noMSBuild)
        {
            var scope = new Scope(TargetKind.Folder, folder, baseDirectory);
            if (!noMSBuild)
            {
                // A project's own folder: the project (the seed's "module").
                var own = Directory.EnumerateFiles(folder, "*.csproj").ToList();
                if (own.Count == 1)
                {
                    return Projects(new Scope(TargetKind.Project, own[0], baseDirectory), own[0], noMSBuild);
                }

                // A feature folder inside a project: that project, scoped to the folder.
                if (EnclosingProject(folder) is { } enclosing)
                {
                    return new LoadPlan(scope, ImmutableArray.Create(enclosing), ImmutableArray<string>.Empty, ImmutableArray<string>.Empty, null);
                }

                // A folder holding projects: all of them.
                var projects = EnumerateFiles(folder, "*.csproj", recursive: true).ToImmutableArray();
                if (!projects.IsEmpty)
                {
                    return new LoadPlan(scope, projects, ImmutableArray<string>.Empty, ImmutableArray<string>.Empty, null);
                }
            }

            var sources = SourceFiles(folder, recursive: true);
            var configurations = EnumerateFiles(folder, "*", recursive: true).Where(Paths.IsConfigurationFile).ToImmutableArray();
            if (sources.IsEmpty && configurations.IsEmpty)
            {
                throw new ReviewException($"nothing to review in '{Paths.Relative(baseDirectory, folder)}': no .cs, *.hocon, *.conf or appsettings*.json files.");
            }

            return new LoadPlan(scope, ImmutableArray<string>.Empty, sources, configurations, noMSBuild ? "--no-msbuild" : "no C# project in or above the folder");
        }

        private static LoadPlan Projects(Scope scope, string path, bool noMSBuild)
        {
            if (!noMSBuild)
            {
                return new LoadPlan(scope, ImmutableArray.Create(path), ImmutableArray<string>.Empty, ImmutableArray<string>.Empty, null);
            }

            // --no-msbuild on a project or solution: its folder's files, against reference assemblies.
            var folder = Path.GetDirectoryName(path)!;
            var looseScope = new Scope(TargetKind.Folder, folder, scope.BaseDirectory);
            return new LoadPlan(
                looseScope,
                ImmutableArray<string>.Empty,
                SourceFiles(folder, recursive: true),
                EnumerateFiles(folder, "*", recursive: true).Where(Paths.IsConfigurationFile).ToImmutableArray(),
                "--no-msbuild");
        }

        /// <summary>The nearest C# project at or above <paramref name="folder"/> (the first by name when a folder has several).</summary>
        private static string? EnclosingProject(string folder)
        {
            for (var directory = new DirectoryInfo(folder); directory is not null; directory = directory.Parent)
            {
                var project = directory.EnumerateFiles("*.csproj").Select(f => f.FullName).OrderBy(p => p, StringComparer.Ordinal).FirstOrDefault();
                if (project is not null)
                {
                    return project;
                }

                // A repository or solution root ends the search: projects above it are someone else's.
                if (directory.EnumerateDirectories(".git").Any() || directory.EnumerateFiles(".git").Any() || directory.EnumerateFiles("*.sln").Any() || directory.EnumerateFiles("*.slnx").Any())
                {
                    return null;
                }
            }

            return null;
        }

        private static ImmutableArray<string> SourceFiles(string folder, bool recursive) =>
            EnumerateFiles(folder, "*.cs", recursive).ToImmutableArray();

        private static IEnumerable<string> EnumerateFiles(string folder, string pattern, bool recursive)
        {
            var options = new EnumerationOptions { RecurseSubdirectories = recursive, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
            return Directory.EnumerateFiles(folder, pattern, options)
                .Where(p => !Paths.IsBuildOutput(folder, p))
                .OrderBy(p => p, StringComparer.Ordinal);
        }

        private static string BaseFor(string fullPath, string currentDirectory, bool isFolder) =>
            Paths.IsUnder(currentDirectory, fullPath) ? currentDirectory : (isFolder ? fullPath : Path.GetDirectoryName(fullPath)!);
    }
}
