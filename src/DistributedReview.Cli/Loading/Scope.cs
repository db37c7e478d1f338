using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace DistributedReview.Cli.Loading
{
    internal enum TargetKind
    {
        Solution,
        Project,
        Folder,
        File,
        Configuration,
    }

    /// <summary>What the review covers: findings and file counts outside it are left out of the report.</summary>
    internal sealed class Scope
    {
        public Scope(TargetKind kind, string fullPath, string baseDirectory)
        {
            Kind = kind;
            FullPath = Paths.Normalize(fullPath);
            BaseDirectory = Paths.Normalize(baseDirectory);
        }

        public TargetKind Kind { get; }

        /// <summary>The target as given, made absolute.</summary>
        public string FullPath { get; }

        /// <summary>Paths in the report are relative to this folder (the current folder when the target is inside it).</summary>
        public string BaseDirectory { get; }

        public string Display => Kind == TargetKind.Folder ? Relative(FullPath).TrimEnd('/') + "/" : Relative(FullPath);

        public string Relative(string path) => Paths.Relative(BaseDirectory, path);

        /// <summary>
        /// Whether a file of <paramref name="project"/> is in scope: for a solution every project's files, for a
        /// project that project's, for a folder or file its path; never build output (bin/, obj/).
        /// </summary>
        public bool Contains(string? path, Project project)
        {
            if (path is null || !Path.IsPathRooted(path))
            {
                return false;
            }

            path = Paths.Normalize(path);
            var projectDirectory = project.FilePath is { } projectFile ? Path.GetDirectoryName(Paths.Normalize(projectFile)) : null;
            if (projectDirectory is not null && Paths.IsBuildOutput(projectDirectory, path))
            {
                return false;
            }

            return Kind switch
            {
                TargetKind.Solution => true,
                TargetKind.Project => project.FilePath is { } file && Paths.SamePath(file, FullPath),
                TargetKind.Folder => Paths.IsUnder(FullPath, path) && !Paths.IsBuildOutput(FullPath, path),
                _ => Paths.SamePath(path, FullPath),
            };
        }
    }

    internal static class Paths
    {
        public static readonly StringComparison Comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()
            ? StringComparison.OrdinalIgnoreCase
            : StringComparison.Ordinal;

        public static string Normalize(string path) => Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) is { Length: > 0 } trimmed
            ? trimmed
            : Path.GetFullPath(path);

        public static bool SamePath(string a, string b) => string.Equals(Normalize(a), Normalize(b), Comparison);

        public static bool IsUnder(string folder, string path)
        {
            folder = Normalize(folder);
            path = Normalize(path);
            return string.Equals(folder, path, Comparison)
                || path.StartsWith(folder + Path.DirectorySeparatorChar, Comparison);
        }

        /// <summary>A path in a bin/ or obj/ folder below <paramref name="root"/>.</summary>
        public static bool IsBuildOutput(string root, string path)
        {
            if (!IsUnder(root, path))
            {
                return false;
            }

            var relative = Path.GetRelativePath(root, path);
            return relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)
                .Reverse().Skip(1)
                .Any(segment => segment.Equals("bin", StringComparison.OrdinalIgnoreCase) || segment.Equals("obj", StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>A forward-slash path relative to <paramref name="baseDirectory"/> ("." for the folder itself).</summary>
        public static string Relative(string baseDirectory, string path)
        {
            var relative = Path.GetRelativePath(baseDirectory, Normalize(path)).Replace('\\', '/');
            return relative.Length == 0 ? "." : relative;
        }

        public static bool IsConfigurationFile(string path)
        {
            var name = Path.GetFileName(path);
            var extension = Path.GetExtension(path);
            return extension.Equals(".hocon", StringComparison.OrdinalIgnoreCase)
                || extension.Equals(".conf", StringComparison.OrdinalIgnoreCase)
                || (name.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase) && extension.Equals(".json", StringComparison.OrdinalIgnoreCase));
        }

        public static bool IsCSharpFile(string path) => Path.GetExtension(path).Equals(".cs", StringComparison.OrdinalIgnoreCase);
    }
}
