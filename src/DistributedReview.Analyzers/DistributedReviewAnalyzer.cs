using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using DistributedReview.Clustering;
using DistributedReview.Concurrency;
using DistributedReview.Consensus;
using DistributedReview.Partitions;
using DistributedReview.Timing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DistributedReview
{
    /// <summary>
    /// The one analyzer the package ships. Every rule analyzer runs inside it (<see cref="SharedPass"/>), so the
    /// compiler calls one analyzer for each operation, block and type instead of fifteen: the driver's work for each
    /// analyzer it calls (finding its actions for a symbol, timing and guarding each callback) cost more than the rules'
    /// own cheap tests (issue 7). Each rule analyzer keeps its own subscriptions and state; the tests still run them one
    /// at a time.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class DistributedReviewAnalyzer : DiagnosticAnalyzer
    {
        private readonly ImmutableArray<DiagnosticAnalyzer> _rules;

        public DistributedReviewAnalyzer()
            : this(CreateRuleAnalyzers())
        {
        }

        /// <summary>The given rule analyzers in one pass: the benchmark wraps them to time each one.</summary>
        internal DistributedReviewAnalyzer(IEnumerable<DiagnosticAnalyzer> rules)
        {
            _rules = rules.ToImmutableArray();
            SupportedDiagnostics = _rules.SelectMany(rule => rule.SupportedDiagnostics).Distinct().ToImmutableArray();
        }

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

        /// <summary>Every rule analyzer of the package, one instance each.</summary>
        internal static ImmutableArray<DiagnosticAnalyzer> CreateRuleAnalyzers() => ImmutableArray.Create<DiagnosticAnalyzer>(
            new WallClockAnalyzer(),
            new TickCountWrapAnalyzer(),
            new StopwatchTicksAnalyzer(),
            new WallClockLastWriteWinsAnalyzer(),
            new QuorumAnalyzer(),
            new LeaderWithoutQuorumAnalyzer(),
            new SharedStoreAnalyzer(),
            new NonAtomicConcurrentDictionaryUpdateAnalyzer(),
            new NonAtomicSharedUpdateAnalyzer(),
            new UnboundedRemoteWaitAnalyzer(),
            new RetryWithoutBackoffAnalyzer(),
            new SwallowedNetworkFailureAnalyzer(),
            new UncheckedDistributedLockAnalyzer(),
            new AkkaAutoDowningAnalyzer(),
            new OrleansDevelopmentClusteringAnalyzer());

        public override void Initialize(AnalysisContext context)
        {
            // Every rule analyzer asks for these same two settings; they are the package's, set once here.
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            SharedPass.Run(context, _rules);
        }
    }
}
