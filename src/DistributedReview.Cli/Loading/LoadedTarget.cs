using System;
using Microsoft.CodeAnalysis;

namespace DistributedReview.Cli.Loading
{
    internal enum AnalysisMode
    {
        /// <summary>Projects loaded with MSBuild: semantic analysis with the projects' real references.</summary>
        MSBuild,

        /// <summary>Loose files compiled against .NET reference assemblies: library types are not resolved.</summary>
        ReferenceAssemblies,
    }

    /// <summary>A target loaded into a Roslyn solution, ready for the analyzers.</summary>
    internal sealed class LoadedTarget : IDisposable
    {
        public LoadedTarget(Workspace workspace, Solution solution, AnalysisMode mode, string modeDescription, Scope scope)
        {
            Workspace = workspace;
            Solution = solution;
            Mode = mode;
            ModeDescription = modeDescription;
            Scope = scope;
        }

        public Workspace Workspace { get; }

        public Solution Solution { get; set; }

        public AnalysisMode Mode { get; }

        /// <summary>One sentence for the report, e.g. which projects MSBuild loaded.</summary>
        public string ModeDescription { get; }

        public Scope Scope { get; }

        public void Dispose() => Workspace.Dispose();
    }
}
