using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DistributedReview
{
    /// <summary>
    /// An analyzer for rules that share one pass over each type (issue 7: a pass per rule cost each rule its own
    /// subscriptions and walks). The shipped analyzer runs every rule of its family; the tests construct it with one
    /// rule to look at that rule alone, and a rule it is not constructed with is neither run nor reported.
    /// </summary>
    public abstract class RuleFamilyAnalyzer : DiagnosticAnalyzer
    {
        private protected RuleFamilyAnalyzer(DiagnosticDescriptor[] rules) => SupportedDiagnostics = ImmutableArray.Create(rules);

        public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

        private protected bool Runs(DiagnosticDescriptor rule) => SupportedDiagnostics.Contains(rule);
    }
}
