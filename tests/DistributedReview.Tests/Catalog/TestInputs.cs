using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DistributedReview.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DistributedReview.Tests.Catalog;

/// <summary>A piece of C# to run the analyzers on, named by where it came from (<c>path:line</c>).</summary>
public sealed record TestInput(string Name, string Source);

/// <summary>
/// Realistic C# inputs already in the repository: the raw-string test inputs of this test project (markup
/// stripped) and the sample projects' files.
/// </summary>
public static class TestInputs
{
    private const string TestProjectFolder = "tests/DistributedReview.Tests";

    private static readonly Lazy<IReadOnlyList<TestInput>> LazyAll = new(() =>
        FromTestSources().Concat(FromSamples()).DistinctBy(i => i.Source).ToList());

    /// <summary>Every input below, each distinct text once.</summary>
    public static IReadOnlyList<TestInput> All => LazyAll.Value;

    /// <summary>C# in the raw string literals of this project's test sources (not the Catalog folder).</summary>
    public static IEnumerable<TestInput> FromTestSources()
    {
        var catalog = Repository.PathOf(TestProjectFolder + "/Catalog") + Path.DirectorySeparatorChar;
        foreach (var file in CSharpFiles(TestProjectFolder).Where(f => !f.StartsWith(catalog, StringComparison.Ordinal)))
        {
            var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(file), path: file);
            foreach (var token in tree.GetRoot().DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken) || token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken))
                {
                    var text = token.ValueText;
                    if (text.Contains("class ", StringComparison.Ordinal) || text.Contains(';', StringComparison.Ordinal))
                    {
                        var line = token.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                        yield return new TestInput($"{Repository.Relative(file)}:{line}", WithoutMarkup(text));
                    }
                }
            }
        }
    }

    /// <summary>Every C# file of the samples.</summary>
    public static IEnumerable<TestInput> FromSamples() =>
        CSharpFiles("samples").Select(file => new TestInput(Repository.Relative(file), File.ReadAllText(file)));

    /// <summary>The .cs files under a repository folder, in a stable order, without bin/ and obj/.</summary>
    public static IEnumerable<string> CSharpFiles(string relativeFolder)
    {
        var folder = Repository.PathOf(relativeFolder);
        if (!Directory.Exists(folder))
        {
            return Enumerable.Empty<string>();
        }

        return Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(folder, f).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .OrderBy(f => f, StringComparer.Ordinal);
    }

    private static string WithoutMarkup(string text)
    {
        try
        {
            return Markup.Parse(text, "X").Source;
        }
        catch (Exception)
        {
            return text;
        }
    }
}
