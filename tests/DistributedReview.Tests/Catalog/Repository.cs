using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace DistributedReview.Tests.Catalog;

/// <summary>The repository this test assembly was built from (the <c>RepositoryRoot</c> assembly metadata).</summary>
public static class Repository
{
    public static string Root { get; } = typeof(Repository).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .SingleOrDefault(a => a.Key == "RepositoryRoot")?.Value
        ?? throw new InvalidOperationException("The test assembly has no RepositoryRoot metadata (see the test csproj).");

    /// <summary>An absolute path from a repository-relative one written with '/'.</summary>
    public static string PathOf(string relativePath) =>
        Path.GetFullPath(Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar)));

    /// <summary>A path relative to the repository root, with '/', for messages.</summary>
    public static string Relative(string fullPath) =>
        Path.GetRelativePath(Root, fullPath).Replace(Path.DirectorySeparatorChar, '/');
}
