using System;
using System.IO;
using Xunit;
using Xunit.Abstractions;

namespace DistributedReview.EndToEnd.Tests;

/// <summary>What a user does with the package: reference it, build, fail CI on findings, apply the fixes.</summary>
public sealed class PackageTests : IClassFixture<PackedPackage>
{
    private const string HelpLink = "https://github.com/DistributedReview/DistributedReview/blob/main/docs/rules/DR1001.md";

    private const string WallClockInterval = """
        using System;

        namespace Consumer;

        public static class Timing
        {
            public static TimeSpan Measure(Action work)
            {
                var start = DateTime.UtcNow;
                work();
                return DateTime.UtcNow - start;
            }
        }
        """;

    private readonly PackedPackage _package;
    private readonly ITestOutputHelper _log;

    public PackageTests(PackedPackage package, ITestOutputHelper log)
    {
        _package = package;
        _log = log;
        _package.AssertPacked();
        _log.WriteLine($"pack: {_package.Pack.Elapsed.TotalSeconds:F1}s (once per run), version {_package.Version}, in {_package.Root}");
    }

    [Fact]
    public void Build_warns_with_the_docs_link_and_warnaserror_fails_it()
    {
        var project = _package.CreateConsumer("Warnings", "Timing.cs", WallClockInterval);

        var build = Build(project);
        Expect(build.ExitCode == 0, "the build succeeds", build);
        Expect(build.Output.Contains("warning DR1001", StringComparison.Ordinal), "the build reports warning DR1001", build);

        // The compiler's console format ends the message with the descriptor's help link in parentheses, so no
        // SARIF (-p:ErrorLog) is needed to see it.
        Expect(build.Output.Contains(HelpLink, StringComparison.Ordinal), "the warning links to docs/rules/DR1001.md", build);

        var strict = Build(project, "-warnaserror");
        Expect(strict.ExitCode != 0, "-warnaserror fails the build", strict);
        Expect(strict.Output.Contains("error DR1001", StringComparison.Ordinal), "-warnaserror reports error DR1001", strict);
    }

    [Fact]
    public void Format_applies_the_code_fix_and_the_warning_is_gone()
    {
        var project = _package.CreateConsumer("Fix", "Timing.cs", WallClockInterval);
        var source = Path.Combine(Path.GetDirectoryName(project)!, "Timing.cs");

        var format = Run(project, "format", "analyzers", project, "--diagnostics", "DR1001", "--severity", "warn");
        Expect(format.ExitCode == 0, "dotnet format succeeds", format);

        // dotnet format exits 0 even when it finds no fix ("Unable to fix DR1001. No associated code fix found."):
        // the file's content is the evidence.

        var fixedCode = File.ReadAllText(source);
        _log.WriteLine(fixedCode);
        foreach (var expected in new[] { "using System.Diagnostics;", "var start = Stopwatch.GetTimestamp();", "return Stopwatch.GetElapsedTime(start);" })
        {
            Expect(fixedCode.Contains(expected, StringComparison.Ordinal), $"the fixed file contains '{expected}':{Environment.NewLine}{fixedCode}", format);
        }

        var build = Build(project);
        Expect(build.ExitCode == 0, "the fixed project builds", build);
        Expect(!build.Output.Contains("DR1001", StringComparison.Ordinal), "the fixed project has no DR1001", build);
    }

    private static void Expect(bool condition, string what, CommandResult result) =>
        Assert.True(condition, $"Expected: {what}.{Environment.NewLine}{result}");

    /// <summary>
    /// A full rebuild (an up-to-date compile would report nothing), with no MSBuild node or compiler server left
    /// running afterwards, and the plain console logger that redirected output gets anyway.
    /// </summary>
    private CommandResult Build(string project, params string[] extra) =>
        Run(project, ["build", project, "--no-incremental", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-tl:off", .. extra]);

    private CommandResult Run(string project, params string[] arguments)
    {
        var result = _package.RunInConsumer(project, arguments);
        _log.WriteLine($"{result.Command}: exit code {result.ExitCode} after {result.Elapsed.TotalSeconds:F1}s");
        return result;
    }
}
