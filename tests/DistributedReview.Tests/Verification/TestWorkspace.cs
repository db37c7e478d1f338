using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Tests.Verification;

/// <summary>Reference-assembly sets the tests compile against; none come from the machine or the network.</summary>
public enum TargetFramework
{
    /// <summary>.NET 8: has <c>Stopwatch.GetElapsedTime</c>, <c>TimeProvider</c>, <c>Environment.TickCount64</c>.</summary>
    Net80,

    /// <summary>netstandard2.0: none of the above.</summary>
    NetStandard20,

    /// <summary>.NET Framework 4.7.2.</summary>
    Net472,
}

/// <summary>How a test's source is compiled and configured.</summary>
public sealed record TestOptions
{
    public static readonly TestOptions Default = new();

    public TargetFramework Target { get; init; } = TargetFramework.Net80;

    /// <summary>Lines of the <c>[*.cs]</c> section of an .editorconfig, e.g. <c>distributed_review.min_confidence = 90</c>.</summary>
    public string? EditorConfig { get; init; }

    public LanguageVersion LanguageVersion { get; init; } = LanguageVersion.Latest;

    public OutputKind OutputKind { get; init; } = OutputKind.DynamicallyLinkedLibrary;

    public NullableContextOptions Nullable { get; init; } = NullableContextOptions.Enable;

    /// <summary>Further files in the same project (stand-ins for library types, partial declarations).</summary>
    public ImmutableArray<string> AdditionalSources { get; init; } = ImmutableArray<string>.Empty;
}

/// <summary>Builds an in-memory project holding the code under test, as the IDE would see it.</summary>
public static class TestWorkspace
{
    public const string TestFilePath = "/src/Test0.cs";

    public static Document CreateDocument(string source, TestOptions options)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(
                projectId,
                VersionStamp.Default,
                "TestProject",
                "TestProject",
                LanguageNames.CSharp,
                filePath: "/src/TestProject.csproj",
                compilationOptions: new CSharpCompilationOptions(options.OutputKind, nullableContextOptions: options.Nullable, allowUnsafe: true),
                parseOptions: new CSharpParseOptions(options.LanguageVersion),
                metadataReferences: References(options.Target)));

        var documentId = DocumentId.CreateNewId(projectId);
        solution = solution.AddDocument(documentId, "Test0.cs", SourceText.From(source), filePath: TestFilePath);
        for (var i = 0; i < options.AdditionalSources.Length; i++)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId), $"Test{i + 1}.cs", SourceText.From(options.AdditionalSources[i]), filePath: $"/src/Test{i + 1}.cs");
        }

        if (options.EditorConfig is { } editorConfig)
        {
            solution = solution.AddAnalyzerConfigDocument(
                DocumentId.CreateNewId(projectId),
                ".editorconfig",
                SourceText.From("root = true\n\n[*.cs]\n" + editorConfig + "\n"),
                filePath: "/src/.editorconfig");
        }

        return solution.GetDocument(documentId)!;
    }

    public static IEnumerable<MetadataReference> References(TargetFramework target) => target switch
    {
        TargetFramework.NetStandard20 => NetStandard20.References.All,
        TargetFramework.Net472 => Net472.References.All,
        _ => Net80.References.All,
    };

    /// <summary>Compiler errors of the whole project, formatted for a failure message.</summary>
    public static IReadOnlyList<string> CompilerErrors(Compilation compilation) =>
        compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.ToString())
            .ToList();
}
