using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Cli.Loading
{
    /// <summary>
    /// Files outside any project: one in-memory project compiled against the .NET 8 reference assemblies shipped in the
    /// tool (never the machine's), with the usual implicit global usings. Library types (Redis, Orleans, Akka...) do not
    /// resolve, so rules that recognise them by metadata name stay quiet; the report says so.
    /// </summary>
    internal static class LooseLoader
    {
        /// <summary>Where the implicit usings document lives: outside every scope, so it is neither counted nor reported.</summary>
        private const string GlobalUsingsPath = "/distributed-review/GlobalUsings.g.cs";

        private const string GlobalUsings =
            "global using global::System;\n"
            + "global using global::System.Collections.Generic;\n"
            + "global using global::System.IO;\n"
            + "global using global::System.Linq;\n"
            + "global using global::System.Net.Http;\n"
            + "global using global::System.Threading;\n"
            + "global using global::System.Threading.Tasks;\n";

        public static LoadedTarget Load(LoadPlan plan)
        {
            var workspace = new AdhocWorkspace();
            var projectId = ProjectId.CreateNewId();
            var root = plan.Scope.Kind == TargetKind.Folder ? plan.Scope.FullPath : Path.GetDirectoryName(plan.Scope.FullPath)!;
            var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
                projectId,
                VersionStamp.Default,
                "loose",
                "loose",
                LanguageNames.CSharp,
                filePath: null,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true),
                parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
                metadataReferences: Net80.References.All));

            solution = solution.AddDocument(DocumentId.CreateNewId(projectId), "GlobalUsings.g.cs", SourceText.From(GlobalUsings), filePath: GlobalUsingsPath);
            foreach (var source in plan.LooseSources)
            {
                solution = solution.AddDocument(DocumentId.CreateNewId(projectId), Path.GetFileName(source), Read(source), filePath: source);
            }

            foreach (var configuration in plan.LooseConfigurations)
            {
                solution = solution.AddAdditionalDocument(DocumentId.CreateNewId(projectId), Path.GetFileName(configuration), Read(configuration), filePath: configuration);
            }

            foreach (var editorConfig in EditorConfigs(root))
            {
                solution = solution.AddAnalyzerConfigDocument(DocumentId.CreateNewId(projectId), ".editorconfig", Read(editorConfig), filePath: editorConfig);
            }

            var description = $"loose files ({plan.LooseFallbackReason}) compiled against the .NET 8 reference assemblies: "
                + "library types (StackExchange.Redis, Orleans, Akka.NET, gRPC, RedLock.net, Medallion) are not resolved, so the rules that need them stay quiet; "
                + "review the project or solution for full semantic analysis";
            return new LoadedTarget(workspace, solution, AnalysisMode.ReferenceAssemblies, description, plan.Scope);
        }

        public static SourceText Read(string path)
        {
            using var stream = File.OpenRead(path);
            return SourceText.From(stream, Encoding.UTF8, canBeEmbedded: false);
        }

        /// <summary>The .editorconfig files that apply to <paramref name="folder"/>, up to the first with root = true.</summary>
        private static IEnumerable<string> EditorConfigs(string folder)
        {
            var found = new List<string>();
            for (var directory = new DirectoryInfo(folder); directory is not null; directory = directory.Parent)
            {
                var path = Path.Combine(directory.FullName, ".editorconfig");
                if (!File.Exists(path))
                {
                    continue;
                }

                found.Add(path);
                if (File.ReadLines(path).Any(l => l.Replace(" ", string.Empty).Equals("root=true", System.StringComparison.OrdinalIgnoreCase)))
                {
                    break;
                }
            }

            return found.ToImmutableArray();
        }
    }
}
