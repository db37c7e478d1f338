using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DistributedReview.Consensus
{
    /// <summary>
    /// DR2001 (<see cref="QuorumOffByOne"/>) and DR2002 (<see cref="QuorumOfVisibleNodes"/>) from one pass: both judge
    /// the majority expressions of a type, which <see cref="MajorityCollector"/> finds and follows once for the two.
    /// </summary>
    public class QuorumAnalyzer : RuleFamilyAnalyzer
    {
        public QuorumAnalyzer()
            : this(Rules.QuorumOffByOne, Rules.QuorumOfVisibleNodes)
        {
        }

        /// <summary>Only the given rules: the tests look at one rule at a time.</summary>
        internal QuorumAnalyzer(params DiagnosticDescriptor[] rules)
            : base(rules)
        {
        }

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            var offByOne = Runs(Rules.QuorumOffByOne);
            var visibleNodes = Runs(Rules.QuorumOfVisibleNodes);
            MajorityCollector.Register(context, (typeEnd, collector, majorities) =>
            {
                if (offByOne)
                {
                    QuorumOffByOne.Report(typeEnd, majorities);
                }

                if (visibleNodes)
                {
                    QuorumOfVisibleNodes.Report(typeEnd, collector, majorities);
                }
            });
        }
    }
}
