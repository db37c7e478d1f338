using System;
using System.Threading.Tasks;
using Xunit;

namespace DistributedReview.Cli.Tests;

/// <summary>`distributed-review` with no target reviews what the current folder holds.</summary>
public sealed class DefaultTargetTests
{
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
          </PropertyGroup>
        </Project>
        """;

    [Fact]
    public async Task No_target_reviews_the_project_in_the_current_folder_with_msbuild()
    {
        using var folder = new TempFolder(("Monitor.csproj", Project), ("HeartbeatMonitor.cs", Code.HeartbeatMonitor));
        var run = await CliRun.RunAsync(folder.Root);
        Assert.True(run.ExitCode == 0, run.Errors);
        Assert.Contains("Reviewed: `Monitor.csproj` (project, ", run.Output, StringComparison.Ordinal);
        Assert.Contains("Analysis: MSBuild", run.Output, StringComparison.Ordinal);
        Assert.Contains("(DR1001)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_target_in_a_folder_without_a_project_reviews_the_folder_against_reference_assemblies()
    {
        using var folder = new TempFolder(("HeartbeatMonitor.cs", Code.HeartbeatMonitor));
        var run = await CliRun.RunAsync(folder.Root);
        Assert.True(run.ExitCode == 0, run.Errors);
        Assert.Contains("(DR1001)", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Analysis: MSBuild", run.Output, StringComparison.Ordinal);
    }
}
