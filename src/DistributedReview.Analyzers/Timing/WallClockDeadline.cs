using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview.Timing
{
    /// <summary>
    /// DR1002: a deadline, lease or timeout computed in this process from a wall-clock read plus a duration and
    /// checked against the wall clock (<c>var deadline = DateTime.UtcNow + ttl; ... DateTime.UtcNow &lt; deadline</c>,
    /// <c>_lastHeartbeat &lt; DateTime.UtcNow.AddSeconds(-30)</c>). Where the values came from is only known at the end
    /// of the type, so comparisons are collected per type and judged at symbol end.
    /// </summary>
    internal static class WallClockDeadline
    {
        /// <summary>Registers, for one type, what the rule needs; <paramref name="writes"/> follows instants.</summary>
        public static void AnalyzeType(SymbolStartAnalysisContext context, ClockSymbols clocks, WriteLog writes)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            var comparisons = new Pending<(IBinaryOperation Comparison, string MemberName)>();
            context.RegisterOperationAction(
                BinaryOperators.Orderings.Filter(operationContext =>
                {
                    if (TypeScopedAnalysis.IsOwnOperation(operationContext, type)
                        && operationContext.Operation is IBinaryOperation { OperatorMethod: { } method } comparison
                        && BinaryOperators.Orderings.Contains(comparison.OperatorKind)
                        && clocks.IsInstantType(method.ContainingType))
                    {
                        comparisons.Add((comparison, operationContext.ContainingSymbol.Name));
                    }
                }),
                OperationKind.Binary);

            context.RegisterSymbolEndAction(endContext =>
            {
                var origins = new WallClockOrigins(clocks, writes);
                foreach (var (comparison, memberName) in comparisons)
                {
                    endContext.CancellationToken.ThrowIfCancellationRequested();
                    if (ConfidenceOf(comparison, memberName, origins, clocks) is { } confidence)
                    {
                        Confidence.Report(
                            endContext.ReportDiagnostic,
                            endContext.Options,
                            Rules.WallClockDeadline,
                            comparison.Syntax.GetLocation(),
                            confidence,
                            messageArgs: Display.Of(comparison.Syntax));
                    }
                }
            });
        }

        /// <summary>
        /// Null unless one side is a wall-clock instant and the other that instant shifted by a duration, with at least
        /// one of them kept in a variable. The variable that carries the state decides the base: a local 95, a private
        /// field or auto-property 80, anything else 70 (writes elsewhere cannot be seen). No wall-clock read in place
        /// on either side (both from variables): -5. Lease/deadline/timeout/heartbeat/expiry words in the variable's
        /// or the member's name: +5.
        /// </summary>
        private static int? ConfidenceOf(IBinaryOperation comparison, string memberName, WallClockOrigins origins, ClockSymbols clocks)
        {
            var left = origins.Of(comparison.LeftOperand);
            if (left is not (WallClockOrigin.Shifted or WallClockOrigin.Instant))
            {
                return null; // the other side is not followed: no pair can form
            }

            var right = origins.Of(comparison.RightOperand);
            IOperation shifted, instant;
            if (left == WallClockOrigin.Shifted && right == WallClockOrigin.Instant)
            {
                (shifted, instant) = (comparison.LeftOperand, comparison.RightOperand);
            }
            else if (left == WallClockOrigin.Instant && right == WallClockOrigin.Shifted)
            {
                (shifted, instant) = (comparison.RightOperand, comparison.LeftOperand);
            }
            else
            {
                return null;
            }

            var shiftBase = ShiftBase(shifted);
            var state = origins.SourceVariable(shifted) ?? origins.SourceVariable(instant) ?? origins.SourceVariable(shiftBase);
            if (state is null)
            {
                return null; // both sides read the clock in place: nothing is kept, nothing to go stale
            }

            var confidence = Confidence.ForValueKeptIn(state);

            if (!clocks.IsWallClockRead(ClockSymbols.WalkDownImplicitConversions(instant)) && !clocks.IsWallClockRead(ClockSymbols.WalkDownImplicitConversions(shiftBase)))
            {
                confidence -= 5;
            }

            if (IntervalVocabulary.Matches(state.Name) || IntervalVocabulary.Matches(memberName))
            {
                confidence += 5;
            }

            return Confidence.Clamp(confidence);
        }

        /// <summary>The instant an inline shift starts from: <c>x</c> in <c>x + ttl</c> or <c>x.AddSeconds(n)</c>.</summary>
        private static IOperation? ShiftBase(IOperation shifted) => ClockSymbols.WalkDownImplicitConversions(shifted) switch
        {
            IBinaryOperation binary => binary.LeftOperand,
            IInvocationOperation { Instance: { } instance } => instance,
            _ => null,
        };
    }
}
