using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace DistributedReview.Cli.Tests;

/// <summary>Files and folders outside any project: compiled against reference assemblies, no MSBuild.</summary>
public sealed class LooseReviewTests
{
    [Fact]
    public async Task Folder_review_says_which_mode_was_used_and_groups_findings_by_impact()
    {
        using var folder = new TempFolder(("Stats/PeerStats.cs", Code.PeerStats), ("Health/HeartbeatMonitor.cs", Code.HeartbeatMonitor));
        var run = await CliRun.RunAsync(folder.Root, ".");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Errors);
        Assert.Contains("Reviewed: `./` (folder, 2 files", run.Output, StringComparison.Ordinal);
        Assert.Contains("Analysis: loose files (no C# project in or above the folder) compiled against the .NET 8 reference assemblies", run.Output, StringComparison.Ordinal);
        var critical = run.Output.IndexOf("## Critical Issues", StringComparison.Ordinal);
        var important = run.Output.IndexOf("## Important Issues", StringComparison.Ordinal);
        Assert.InRange(run.Output.IndexOf("(DR3002)", StringComparison.Ordinal), critical, important);
        Assert.True(run.Output.IndexOf("(DR1001)", StringComparison.Ordinal) > important);
        Assert.Contains("**Location**: `Stats/PeerStats.cs:9`", run.Output, StringComparison.Ordinal);
        Assert.Contains("https://github.com/DistributedReview/DistributedReview/blob/main/docs/rules/DR3002.md", run.Output, StringComparison.Ordinal);
        Assert.Contains("## Recommendations Priority", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Folder_target_is_scoped_to_the_folder()
    {
        using var folder = new TempFolder(("Stats/PeerStats.cs", Code.PeerStats), ("Health/HeartbeatMonitor.cs", Code.HeartbeatMonitor));
        var run = await CliRun.RunAsync(folder.Root, "Health", "--format", "json");

        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal("Health/", json.RootElement.GetProperty("scope").GetProperty("target").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("scope").GetProperty("fileCount").GetInt32());
        var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal("DR1001", finding.GetProperty("ruleId").GetString());
        Assert.Equal("Health/HeartbeatMonitor.cs", finding.GetProperty("path").GetString());
    }

    [Fact]
    public async Task File_target_reports_only_that_file_though_its_folder_is_compiled()
    {
        using var folder = new TempFolder(("PeerStats.cs", Code.PeerStats), ("HeartbeatMonitor.cs", Code.HeartbeatMonitor));
        var run = await CliRun.RunAsync(folder.Root, "PeerStats.cs", "--format", "json");

        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal("file", json.RootElement.GetProperty("scope").GetProperty("kind").GetString());
        Assert.Equal(new[] { "DR3002" }, json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString()).ToArray());
    }

    [Fact]
    public async Task Hocon_file_review_reports_auto_downing()
    {
        using var folder = new TempFolder(("config/akka.hocon", Code.AutoDowning));
        var run = await CliRun.RunAsync(folder.Root, "config/akka.hocon", "--fail-on", "critical");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Reviewed: `config/akka.hocon` (configuration file, 1 file", run.Output, StringComparison.Ordinal);
        Assert.Contains("### [Critical] Akka.NET auto-downing (DR5001)", run.Output, StringComparison.Ordinal);
        Assert.Contains("**Location**: `config/akka.hocon:5`", run.Output, StringComparison.Ordinal);
        Assert.Contains("**Current**: Akka.Cluster (configured in akka.hocon, 1 seed nodes)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_found_gives_the_well_designed_summary()
    {
        using var folder = new TempFolder(("Timer.cs", Code.Clean));
        var run = await CliRun.RunAsync(folder.Root, "Timer.cs", "--fail-on", "any");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("# ✅ Distributed System Review Complete - Well Designed", run.Output, StringComparison.Ordinal);
        Assert.Contains("## Architecture Summary", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("## Critical Issues", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fix_rewrites_the_files_and_reports_what_changed()
    {
        using var folder = new TempFolder(("PeerStats.cs", Code.PeerStats), ("HeartbeatMonitor.cs", Code.HeartbeatMonitor));
        var run = await CliRun.RunAsync(folder.Root, ".", "--fix", "--fail-on", "any");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("## Applied Fixes", run.Output, StringComparison.Ordinal);
        Assert.Contains("- `PeerStats.cs`: DR3002", run.Output, StringComparison.Ordinal);
        Assert.Contains("- `HeartbeatMonitor.cs`: DR1001", run.Output, StringComparison.Ordinal);
        Assert.Contains("_missed.AddOrUpdate(peer, 1, (_, old) => old + 1);", File.ReadAllText(folder.PathOf("PeerStats.cs")), StringComparison.Ordinal);
        Assert.Contains("Stopwatch.GetElapsedTime(_lastHeartbeat)", File.ReadAllText(folder.PathOf("HeartbeatMonitor.cs")), StringComparison.Ordinal);

        var again = await CliRun.RunAsync(folder.Root, ".", "--fail-on", "any");
        Assert.Equal(0, again.ExitCode);
    }

    [Fact]
    public async Task Min_confidence_filters_findings()
    {
        using var folder = new TempFolder(("HeartbeatMonitor.cs", Code.HeartbeatMonitor));
        var all = await CliRun.RunAsync(folder.Root, ".", "--format", "json");
        var none = await CliRun.RunAsync(folder.Root, ".", "--format", "json", "--min-confidence", "99");

        Assert.Single(JsonDocument.Parse(all.Output).RootElement.GetProperty("findings").EnumerateArray());
        Assert.Empty(JsonDocument.Parse(none.Output).RootElement.GetProperty("findings").EnumerateArray());
    }
}
