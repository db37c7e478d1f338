using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DistributedReview.Cli.Loading;
using DistributedReview.Cli.Review;
using Xunit;

namespace DistributedReview.Cli.Tests;

/// <summary>The sample loaded once through MSBuild, as `distributed-review samples/HeartbeatService` loads it.</summary>
public sealed class SampleFixture : IAsyncLifetime
{
    internal LoadedTarget Target { get; private set; } = null!;

    internal ReviewResult Result { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var plan = TargetResolver.Resolve("samples/HeartbeatService", Repo.Root, noMSBuild: false);
        Target = await MSBuildLoader.LoadAsync(plan, restore: true, new Progress(TextWriter.Null, show: false), CancellationToken.None);
        Result = await ReviewCommand.ReviewAsync(Target, minConfidence: null, fix: false, new Progress(TextWriter.Null, false), CancellationToken.None);
    }

    /// <summary>The loaded sample reviewed with another scope (no second MSBuild load).</summary>
    internal async Task<(LoadedTarget Target, ReviewResult Result)> ReviewScopedAsync(TargetKind kind, string relativePath)
    {
        var scope = new Scope(kind, Path.Combine(Repo.Root, relativePath), Repo.Root);
        var target = new LoadedTarget(Target.Workspace, Target.Solution, Target.Mode, Target.ModeDescription, scope);
        var result = await new Reviewer(new Progress(TextWriter.Null, false)).ReviewAsync(target, null, default, CancellationToken.None);
        return (target, result);
    }

    public Task DisposeAsync()
    {
        Target?.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class SampleReviewTests : IClassFixture<SampleFixture>
{
    private readonly SampleFixture _sample;

    public SampleReviewTests(SampleFixture sample) => _sample = sample;

    [Fact]
    public void Sample_is_loaded_with_msbuild_and_scoped_to_its_project()
    {
        Assert.Equal(AnalysisMode.MSBuild, _sample.Target.Mode);
        Assert.Equal(TargetKind.Project, _sample.Target.Scope.Kind);
        Assert.Equal(23, _sample.Result.FileCount);
        Assert.All(_sample.Result.Findings, f => Assert.StartsWith("samples/HeartbeatService/", _sample.Target.Scope.Relative(f.Path)));
    }

    [Fact]
    public void Sample_report_matches_the_golden_file()
    {
        var markdown = ReviewCommand.Render(_sample.Result, _sample.Target, ReportFormat.Markdown);
        Repo.AssertGolden("HeartbeatService.md", markdown);
    }

    [Fact]
    public void Sample_findings_are_each_reported_once_with_the_expected_rules()
    {
        var ids = _sample.Result.Findings.Select(f => f.Rule.Id).OrderBy(i => i, StringComparer.Ordinal).ToArray();
        Assert.Equal(
            new[] { "DR1001", "DR1001", "DR1001", "DR1002", "DR1003", "DR1004", "DR1004", "DR1005", "DR1006", "DR2001", "DR2002", "DR2003", "DR3001", "DR3001", "DR3002", "DR3003", "DR4001", "DR4002", "DR4003", "DR4004", "DR5001", "DR5002", "DR6001" },
            ids);
        Assert.Contains(_sample.Result.Findings, f => f.Rule.Id == "DR5001" && f.Path.EndsWith("akka.hocon", StringComparison.Ordinal) && f.Line == 16);
    }

    [Fact]
    public async Task Scoped_to_one_file_reports_only_that_file()
    {
        var (target, result) = await _sample.ReviewScopedAsync(TargetKind.File, "samples/HeartbeatService/QuorumTracker.cs");
        Assert.Equal(1, result.FileCount);
        Assert.Equal(new[] { "DR2001", "DR2002" }, result.Findings.Select(f => f.Rule.Id).ToArray());
        Assert.All(result.Findings, f => Assert.Equal("samples/HeartbeatService/QuorumTracker.cs", target.Scope.Relative(f.Path)));
    }

    [Fact]
    public async Task Scoped_to_the_configuration_file_reports_auto_downing_only()
    {
        var (target, result) = await _sample.ReviewScopedAsync(TargetKind.Configuration, "samples/HeartbeatService/akka.hocon");
        Assert.Equal(1, result.FileCount);
        var finding = Assert.Single(result.Findings);
        Assert.Equal("DR5001", finding.Rule.Id);
        Assert.Contains("Akka.Cluster", result.Architecture.Clustering.Current, StringComparison.Ordinal);
        Assert.Contains("`samples/HeartbeatService/akka.hocon:16`", ReviewCommand.Render(result, target, ReportFormat.Markdown), StringComparison.Ordinal);
    }

    [Fact]
    public void Architecture_recognises_akka_cluster_and_home_grown_consensus()
    {
        var architecture = _sample.Result.Architecture;
        Assert.StartsWith("Akka.Cluster", architecture.Clustering.Current, StringComparison.Ordinal);
        Assert.StartsWith("Home-grown Raft", architecture.Consensus.Current, StringComparison.Ordinal);
        Assert.Equal("CP", architecture.CapStance);
    }
}
