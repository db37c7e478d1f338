using System;
using System.Collections.Generic;
using System.IO;
using Xunit;

namespace DistributedReview.EndToEnd.Tests;

/// <summary>
/// A scratch folder outside the repo holding the freshly packed DistributedReview package in a local feed, and
/// consumer projects that restore it from there only, into a packages folder of their own: never a cached copy.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    private readonly string _packages;

    public PackedPackage()
    {
        RepoRoot = FindRepoRoot();
        Root = Path.Combine(Path.GetTempPath(), "distributed-review-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Root);
        var feed = Path.Combine(Root, "feed");
        _packages = Path.Combine(Root, "packages");

        // Builds into the scratch folder (ArtifactsPath), so the test neither reuses nor disturbs the repo's bin/obj.
        Pack = DotNet.Run(
            RepoRoot,
            null,
            "pack",
            Path.Combine(RepoRoot, "src", "DistributedReview.Package", "DistributedReview.Package.csproj"),
            "-c",
            "Release",
            "-o",
            feed,
            "-nodeReuse:false",
            "-p:UseSharedCompilation=false",
            "-p:UseArtifactsOutput=true",
            "-p:ArtifactsPath=" + Path.Combine(Root, "artifacts"));
        var packages = Directory.Exists(feed) ? Directory.GetFiles(feed, "DistributedReview.*.nupkg") : Array.Empty<string>();
        if (packages.Length == 1)
        {
            Version = Path.GetFileNameWithoutExtension(packages[0])["DistributedReview.".Length..];
        }

        // Guards: nothing above the scratch folder (a stray Directory.Build.props in /tmp, a user-level package
        // source or fallback folder) takes part in the consumers' builds.
        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(Root, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <clear />
              </fallbackPackageFolders>
              <config>
                <add key="globalPackagesFolder" value="{_packages}" />
              </config>
            </configuration>
            """);
    }

    public string RepoRoot { get; }

    public string Root { get; }

    public CommandResult Pack { get; }

    /// <summary>The version in the packed file's name, e.g. 0.1.0; null when packing failed.</summary>
    public string? Version { get; }

    public void AssertPacked()
    {
        Assert.False(
            Root.StartsWith(RepoRoot, StringComparison.Ordinal),
            $"The scratch folder {Root} must be outside the repo {RepoRoot}, or the repo's props and nuget.config apply.");
        Assert.True(Pack.ExitCode == 0 && Version is not null, $"Packing failed or did not produce exactly one DistributedReview.*.nupkg.{Environment.NewLine}{Pack}");
    }

    /// <summary>Creates a class library referencing the package, with one file of code; returns its project file.</summary>
    public string CreateConsumer(string name, string fileName, string code)
    {
        var directory = Path.Combine(Root, name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, fileName), code);
        var project = Path.Combine(directory, name + ".csproj");
        File.WriteAllText(project, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="DistributedReview" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        return project;
    }

    /// <summary>Runs dotnet in a consumer's folder. NUGET_PACKAGES would override the nuget.config's packages folder.</summary>
    public CommandResult RunInConsumer(string project, params string[] arguments) =>
        DotNet.Run(
            Path.GetDirectoryName(project)!,
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = _packages, ["NUGET_FALLBACK_PACKAGES"] = null },
            arguments);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Leave the scratch folder behind rather than fail a finished run; it lives in the temp folder.
        }
    }

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DistributedReview.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No DistributedReview.sln above {AppContext.BaseDirectory}.");
    }
}
