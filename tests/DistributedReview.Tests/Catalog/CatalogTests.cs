using System;
using System.Collections.Generic;
using System.Composition;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace DistributedReview.Tests.Catalog;

/// <summary>
/// Every rule the analyzers support is in the catalog: an ID from <see cref="RuleIds"/>, a descriptor from the
/// factory, a docs page with the standard sections, a release-tracking entry and links from the READMEs.
/// </summary>
public class CatalogTests
{
    private static readonly string[] Topics = { "Timing", "Consensus", "Concurrency", "Partitions", "Clustering", "Consistency" };
    private static readonly string[] Impacts = { "Important", "Critical" };

    private static readonly string[] RulePageSections =
    {
        "## What it detects",
        "## Why it matters in a distributed system",
        "## Non-compliant code",
        "## Compliant code",
        "## What the code fix does",
        "## How confidence is decided",
        "## Configuration",
        "## How to suppress",
    };

    public static TheoryData<string> SupportedIds()
    {
        var data = new TheoryData<string>();
        foreach (var id in Discovered.SupportedDiagnostics().SelectMany(a => a.Descriptors).Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal))
        {
            data.Add(id);
        }

        return data;
    }

    public static TheoryData<string> CodeFixNames()
    {
        var data = new TheoryData<string>();
        foreach (var type in Discovered.CodeFixTypes)
        {
            data.Add(type.Name);
        }

        return data;
    }

    [Fact]
    public void Analyzers_are_discovered()
    {
        Assert.NotEmpty(Discovered.AnalyzerTypes);
        Assert.NotEmpty(Discovered.CodeFixTypes);
    }

    [Fact]
    public void Each_rule_is_supported_by_exactly_one_analyzer()
    {
        var owners = Discovered.SupportedDiagnostics()
            .SelectMany(a => a.Descriptors.Select(d => (d.Id, a.Analyzer.Name)))
            .GroupBy(x => x.Id)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(x => x.Name))}")
            .ToList();
        Assert.True(owners.Count == 0, "IDs supported more than once:\n" + string.Join("\n", owners));
    }

    [Theory]
    [MemberData(nameof(SupportedIds))]
    public void Id_is_a_RuleIds_constant(string id)
    {
        Assert.Matches(@"^DR\d{4}$", id);
        var constants = typeof(RuleIds).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        Assert.Contains(id, constants);
    }

    [Theory]
    [MemberData(nameof(SupportedIds))]
    public void Descriptor_comes_from_the_factory(string id)
    {
        var descriptor = Descriptor(id);

        Assert.StartsWith(Rules.CategoryPrefix, descriptor.Category, StringComparison.Ordinal);
        Assert.StartsWith("DistributedReview.", descriptor.Category, StringComparison.Ordinal);
        var topic = descriptor.Category.Substring("DistributedReview.".Length);
        Assert.Contains(topic, Topics);

        Assert.Equal(DiagnosticSeverity.Warning, descriptor.DefaultSeverity);
        Assert.True(descriptor.IsEnabledByDefault, $"{id} is not enabled by default.");
        Assert.Equal(Rules.HelpLinkBase + id + ".md", descriptor.HelpLinkUri);

        var topicTags = descriptor.CustomTags.Where(t => t.StartsWith("Topic=", StringComparison.Ordinal)).ToList();
        var impactTags = descriptor.CustomTags.Where(t => t.StartsWith("Impact=", StringComparison.Ordinal)).ToList();
        Assert.Equal("Topic=" + topic, Assert.Single(topicTags));
        Assert.Contains(Assert.Single(impactTags).Substring("Impact=".Length), Impacts);

        Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString(CultureInfo.InvariantCulture)), $"{id} has no title.");
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString(CultureInfo.InvariantCulture)), $"{id} has no description.");

        // The confidence is the last argument: placeholder N, right after the rule's own 0..N-1.
        var format = descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture);
        var match = Regex.Match(format, @"^(?<body>.+) \(confidence \{(?<n>\d+)\}%\)$", RegexOptions.Singleline);
        Assert.True(match.Success, $"{id}'s message format does not end with ' (confidence {{N}}%)': {format}");
        var highest = Regex.Matches(match.Groups["body"].Value, @"\{(\d+)[,:}]")
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .DefaultIfEmpty(-1)
            .Max();
        Assert.Equal(highest + 1, int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture));
        var formatted = string.Format(CultureInfo.InvariantCulture, format, Enumerable.Range(0, highest + 2).Select(i => (object)("arg" + i)).ToArray());
        Assert.EndsWith($"(confidence arg{highest + 1}%)", formatted, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SupportedIds))]
    public void Rule_page_has_the_title_and_every_section(string id)
    {
        var path = Repository.PathOf($"docs/rules/{id}.md");
        Assert.True(File.Exists(path), $"docs/rules/{id}.md does not exist.");
        var lines = File.ReadAllLines(path).Select(l => l.TrimEnd()).ToList();

        Assert.Equal($"# {id}: {Descriptor(id).Title.ToString(CultureInfo.InvariantCulture)}", lines.FirstOrDefault());
        var missing = RulePageSections.Where(section => !lines.Contains(section)).ToList();
        Assert.True(missing.Count == 0, $"docs/rules/{id}.md lacks: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(SupportedIds))]
    public void Rule_is_in_the_analyzer_release_tracking(string id)
    {
        var category = Descriptor(id).Category;
        var rows = new[] { "Shipped", "Unshipped" }
            .SelectMany(kind => File.ReadAllLines(Repository.PathOf($"src/DistributedReview.Analyzers/AnalyzerReleases.{kind}.md")))
            .Select(line => line.Split('|').Select(cell => cell.Trim()).ToArray())
            .Where(cells => cells.Length >= 3 && cells[0] == id)
            .ToList();

        Assert.True(rows.Count > 0, $"{id} is in neither AnalyzerReleases.Shipped.md nor AnalyzerReleases.Unshipped.md.");
        Assert.Contains(rows, cells => cells[1] == category && cells[2] == "Warning");
    }

    [Theory]
    [MemberData(nameof(SupportedIds))]
    public void Docs_index_links_the_rule_page(string id)
    {
        var index = File.ReadAllText(Repository.PathOf("docs/README.md"));
        Assert.Contains($"(rules/{id}.md)", index, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SupportedIds))]
    public void Repository_readme_mentions_the_rule(string id)
    {
        var readme = File.ReadAllText(Repository.PathOf("README.md"));
        Assert.Contains(id, readme, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CodeFixNames))]
    public void Code_fix_is_exported_shared_and_fixes_supported_rules(string name)
    {
        var type = Discovered.CodeFixTypes.Single(t => t.Name == name);

        var export = type.GetCustomAttribute<ExportCodeFixProviderAttribute>();
        Assert.NotNull(export);
        Assert.Contains(LanguageNames.CSharp, export!.Languages);
        Assert.True(type.GetCustomAttribute<SharedAttribute>() is not null, $"{name} has no [Shared].");

        var fix = (CodeFixProvider)Activator.CreateInstance(type)!;
        var supported = Discovered.SupportedDiagnostics().SelectMany(a => a.Descriptors).Select(d => d.Id).ToHashSet();
        Assert.NotEmpty(fix.FixableDiagnosticIds);
        var unknown = fix.FixableDiagnosticIds.Where(id => !supported.Contains(id)).ToList();
        Assert.True(unknown.Count == 0, $"{name} fixes IDs no analyzer reports: {string.Join(", ", unknown)}");
        Assert.NotNull(fix.GetFixAllProvider());
    }

    private static DiagnosticDescriptor Descriptor(string id) =>
        Discovered.SupportedDiagnostics().SelectMany(a => a.Descriptors).First(d => d.Id == id);
}
