using System;
using System.Threading.Tasks;
using Xunit;

namespace DistributedReview.Cli.Tests;

public sealed class ExitCodeTests
{
    [Theory]
    [InlineData("none", 0)]
    [InlineData("critical", 0)]
    [InlineData("important", 1)]
    [InlineData("any", 1)]
    public async Task Fail_on_with_an_important_finding(string failOn, int expected)
    {
        using var folder = new TempFolder(("HeartbeatMonitor.cs", Code.HeartbeatMonitor));
        var run = await CliRun.RunAsync(folder.Root, ".", "--fail-on", failOn);
        Assert.Equal(expected, run.ExitCode);
    }

    [Fact]
    public async Task Fail_on_critical_with_a_critical_finding()
    {
        using var folder = new TempFolder(("PeerStats.cs", Code.PeerStats));
        Assert.Equal(1, (await CliRun.RunAsync(folder.Root, ".", "--fail-on", "critical")).ExitCode);
        Assert.Equal(0, (await CliRun.RunAsync(folder.Root, ".")).ExitCode);
    }

    [Fact]
    public async Task Missing_path_is_a_clear_error()
    {
        using var folder = new TempFolder();
        var run = await CliRun.RunAsync(folder.Root, "no/such/Thing.cs");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("distributed-review: error: no such file or folder: 'no/such/Thing.cs'.", run.Errors.Trim());
        Assert.Equal(string.Empty, run.Output);
    }

    [Fact]
    public async Task Unsupported_file_type_is_a_clear_error()
    {
        using var folder = new TempFolder(("notes.txt", "hello"));
        var run = await CliRun.RunAsync(folder.Root, "notes.txt");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("distributed-review: error: distributed-review does not review 'notes.txt'", run.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--format", "xml")]
    [InlineData("--fail-on", "sometimes")]
    [InlineData("--min-confidence", "150")]
    [InlineData("--bogus")]
    [InlineData("--output")]
    public async Task Bad_options_are_usage_errors(params string[] args)
    {
        using var folder = new TempFolder(("HeartbeatMonitor.cs", Code.HeartbeatMonitor));
        var run = await CliRun.RunAsync(folder.Root, args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Run 'distributed-review --help' for usage.", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_prints_usage()
    {
        var run = await CliRun.RunAsync(Repo.Root, "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Usage: distributed-review [target] [options]", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unloadable_project_is_a_clear_error()
    {
        using var folder = new TempFolder(("Broken.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup>"), ("Code.cs", Code.Clean));
        var run = await CliRun.RunAsync(folder.Root, "Broken.csproj", "--no-restore");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("distributed-review: error: could not load 'Broken.csproj' with MSBuild", run.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Errors, StringComparison.Ordinal);
    }
}
