using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace DistributedReview.Cli.Tests;

/// <summary>JSON and SARIF validated against their shape.</summary>
public sealed class FormatTests
{
    [Fact]
    public async Task Json_report_has_the_documented_shape()
    {
        using var folder = new TempFolder(("PeerStats.cs", Code.PeerStats), ("HeartbeatMonitor.cs", Code.HeartbeatMonitor), ("akka.hocon", Code.AutoDowning));
        var run = await CliRun.RunAsync(folder.Root, ".", "--format", "json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        Assert.Equal("distributed-review", root.GetProperty("tool").GetString());
        Assert.Equal(3, root.GetProperty("scope").GetProperty("fileCount").GetInt32());
        Assert.Equal("reference-assemblies", root.GetProperty("analysis").GetProperty("mode").GetString());
        Assert.Equal(2, root.GetProperty("summary").GetProperty("critical").GetInt32());
        Assert.Equal(1, root.GetProperty("summary").GetProperty("important").GetInt32());
        foreach (var finding in root.GetProperty("findings").EnumerateArray())
        {
            Assert.Matches("^DR[0-9]{4}$", finding.GetProperty("ruleId").GetString());
            Assert.Contains(finding.GetProperty("impact").GetString(), new[] { "Critical", "Important" });
            Assert.InRange(finding.GetProperty("confidence").GetInt32(), 1, 99);
            Assert.DoesNotContain("\\", finding.GetProperty("path").GetString()!, StringComparison.Ordinal);
            Assert.True(finding.GetProperty("line").GetInt32() > 0);
            foreach (var text in new[] { "title", "problem", "consequences", "fix", "helpUri" })
            {
                Assert.False(string.IsNullOrWhiteSpace(finding.GetProperty(text).GetString()), text);
            }

            Assert.Contains(finding.GetProperty("fixAvailable").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        }

        foreach (var section in new[] { "clustering", "consensus", "coordination", "stores", "cap", "network" })
        {
            Assert.False(string.IsNullOrEmpty(root.GetProperty("architecture").GetProperty(section).GetProperty("current").GetString()), section);
        }

        Assert.Equal(2, root.GetProperty("recommendations").GetProperty("high").GetArrayLength());
        Assert.Equal(1, root.GetProperty("recommendations").GetProperty("medium").GetArrayLength());
    }

    [Fact]
    public async Task Sarif_report_is_sarif_2_1_0_as_code_scanning_reads_it()
    {
        using var folder = new TempFolder(("src/PeerStats.cs", Code.PeerStats), ("src/HeartbeatMonitor.cs", Code.HeartbeatMonitor));
        var output = Path.Combine(folder.Root, "review.sarif");
        var run = await CliRun.RunAsync(folder.Root, "src", "--format", "sarif", "--output", "review.sarif");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Output);
        using var json = JsonDocument.Parse(File.ReadAllText(output));
        var root = json.RootElement;
        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        Assert.Equal("https://json.schemastore.org/sarif-2.1.0.json", root.GetProperty("$schema").GetString());
        var run0 = Assert.Single(root.GetProperty("runs").EnumerateArray());
        var driver = run0.GetProperty("tool").GetProperty("driver");
        Assert.Equal("DistributedReview", driver.GetProperty("name").GetString());
        var rules = driver.GetProperty("rules").EnumerateArray().ToList();
        Assert.True(rules.Count >= 19);
        Assert.All(rules, r =>
        {
            Assert.Matches("^DR[0-9]{4}$", r.GetProperty("id").GetString());
            Assert.StartsWith("https://", r.GetProperty("helpUri").GetString(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(r.GetProperty("shortDescription").GetProperty("text").GetString()));
        });

        var results = run0.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        Assert.All(results, r =>
        {
            var ruleId = r.GetProperty("ruleId").GetString();
            Assert.Equal(ruleId, rules[r.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString());
            Assert.Contains(r.GetProperty("level").GetString(), new[] { "error", "warning" });
            Assert.Contains("(confidence ", r.GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);
            var location = Assert.Single(r.GetProperty("locations").EnumerateArray()).GetProperty("physicalLocation");
            Assert.StartsWith("src/", location.GetProperty("artifactLocation").GetProperty("uri").GetString(), StringComparison.Ordinal);
            Assert.True(location.GetProperty("region").GetProperty("startLine").GetInt32() > 0);
            Assert.True(location.GetProperty("region").GetProperty("startColumn").GetInt32() > 0);
        });
        Assert.Equal("error", results.Single(r => r.GetProperty("ruleId").GetString() == "DR3002").GetProperty("level").GetString());
        Assert.Equal("warning", results.Single(r => r.GetProperty("ruleId").GetString() == "DR1001").GetProperty("level").GetString());
    }
}
