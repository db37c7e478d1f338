using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DistributedReview.Timing
{
    /// <summary>
    /// DR1001 (<see cref="WallClockInterval"/>), DR1002 (<see cref="WallClockDeadline"/>) and DR1006
    /// (<see cref="UnclampedWallClockDelay"/>) from one pass: each follows values from wall-clock reads through the
    /// variables of a type, so one write log per type serves all three. Types that implement a clock are skipped
    /// (reading the wall clock is their job), and so are types that never read it: every value these rules follow
    /// starts at a wall-clock read in the type, and every such read is spelt with "Now".
    /// </summary>
    public class WallClockAnalyzer : RuleFamilyAnalyzer
    {
        public WallClockAnalyzer()
            : this(Rules.WallClockInterval, Rules.WallClockDeadline, Rules.UnclampedWallClockDelay)
        {
        }

        /// <summary>Only the given rules: the tests look at one rule at a time.</summary>
        internal WallClockAnalyzer(params DiagnosticDescriptor[] rules)
            : base(rules)
        {
        }

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            var intervals = Runs(Rules.WallClockInterval);
            var deadlines = Runs(Rules.WallClockDeadline);
            var delays = Runs(Rules.UnclampedWallClockDelay);
            context.RegisterCompilationStartAction(compilationStart =>
            {
                if (ClockSymbols.Create(compilationStart.Compilation) is not { } clocks)
                {
                    return;
                }

                var sinks = delays ? UnclampedWallClockDelay.DelaySinks.Create(compilationStart.Compilation) : null;
                compilationStart.RegisterSymbolStartAction(
                    typeStart =>
                    {
                        var type = (INamedTypeSymbol)typeStart.Symbol;
                        if (!clocks.MayReadWallClock(type, typeStart.CancellationToken) || clocks.IsClockImplementation(type))
                        {
                            return;
                        }

                        // Instants for all three rules, long ticks for DR1001, durations (TimeSpan, int and long milliseconds) for DR1006.
                        var writes = WriteLog.Start(typeStart, t => clocks.IsInstantType(t) || t.SpecialType == SpecialType.System_Int64 || (sinks?.IsDurationType(t) ?? false));
                        if (intervals)
                        {
                            WallClockInterval.AnalyzeType(typeStart, clocks, writes);
                        }

                        if (deadlines)
                        {
                            WallClockDeadline.AnalyzeType(typeStart, clocks, writes);
                        }

                        if (sinks is not null)
                        {
                            UnclampedWallClockDelay.AnalyzeType(typeStart, clocks, sinks, writes);
                        }
                    },
                    SymbolKind.NamedType);
            });
        }
    }
}
