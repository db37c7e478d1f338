using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DistributedReview
{
    /// <summary>
    /// The set-up the timing rules share: values are followed through a whole type (fields are written in one member
    /// and read in another), so each rule analyses type by type and decides at the type's end. Types that implement a
    /// clock are skipped: reading the wall clock is their job. So are types that never read it: every value these
    /// rules follow starts at a wall-clock read in the type, and every such read is spelt with "Now".
    /// </summary>
    internal static class TypeScopedAnalysis
    {
        /// <summary>Calls <paramref name="analyzeType"/> at the start of every type that may read the wall clock and is not a clock, in compilations that have the time types.</summary>
        public static void Register(AnalysisContext context, Action<SymbolStartAnalysisContext, ClockSymbols> analyzeType)
        {
            context.RegisterCompilationStartAction(compilationStart =>
            {
                if (ClockSymbols.Create(compilationStart.Compilation) is { } clocks)
                {
                    compilationStart.RegisterSymbolStartAction(
                        typeStart =>
                        {
                            var type = (INamedTypeSymbol)typeStart.Symbol;
                            if (clocks.MayReadWallClock(type, typeStart.CancellationToken) && !clocks.IsClockImplementation(type))
                            {
                                analyzeType(typeStart, clocks);
                            }
                        },
                        SymbolKind.NamedType);
                }
            });
        }

        /// <summary>
        /// True when the operation belongs to a member of <paramref name="type"/> itself: operations of nested types are
        /// also seen by the outer type's actions, and must be counted once, by their own type.
        /// </summary>
        public static bool IsOwnOperation(OperationAnalysisContext context, INamedTypeSymbol type) =>
            SymbolEqualityComparer.Default.Equals(context.ContainingSymbol.ContainingType, type);
    }
}
