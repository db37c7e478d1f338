using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview.Timing
{
    /// <summary>
    /// DR1001: an elapsed interval computed from two wall-clock reads of this process
    /// (<c>DateTime.UtcNow - start</c>, <c>.Subtract(start)</c>, <c>.Ticks - startTicks</c>).
    /// Where <c>start</c> came from is only known at the end of the type (fields are assigned anywhere in it),
    /// so intervals are collected per type and judged at symbol end.
    /// </summary>
    internal static class WallClockInterval
    {
        /// <summary>Registers, for one type, what the rule needs; <paramref name="writes"/> follows instants and <c>long</c> ticks.</summary>
        public static void AnalyzeType(SymbolStartAnalysisContext context, ClockSymbols clocks, WriteLog writes)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            var intervals = new Pending<Interval>();
            void OnOperation(OperationAnalysisContext operationContext)
            {
                if (TypeScopedAnalysis.IsOwnOperation(operationContext, type)
                    && Interval.From(operationContext.Operation, operationContext.ContainingSymbol, clocks, writes) is { } interval
                    && !IsOnlyLogged(operationContext.Operation))
                {
                    intervals.Add(interval);
                }
            }

            context.RegisterOperationAction(ClockSymbols.Subtractions.Filter(OnOperation), OperationKind.Binary);
            context.RegisterOperationAction(ClockSymbols.SubtractCalls.Filter(OnOperation), OperationKind.Invocation);

            context.RegisterSymbolEndAction(endContext =>
            {
                var origins = new WallClockOrigins(clocks, writes);
                foreach (var interval in intervals)
                {
                    endContext.CancellationToken.ThrowIfCancellationRequested();
                    if (origins.Of(interval.Now) == interval.Expected && origins.Of(interval.Start) == interval.Expected)
                    {
                        Confidence.Report(
                            endContext.ReportDiagnostic,
                            endContext.Options,
                            Rules.WallClockInterval,
                            interval.Operation.Syntax.GetLocation(),
                            ConfidenceOf(interval, clocks),
                            messageArgs: Display.Of(interval.Operation.Syntax));
                    }
                }
            });
        }

        /// <summary>
        /// Both reads in one method: 95. Start kept in a field or auto-property of the type: 80 when private (every
        /// write is in view), 70 otherwise. 'now' taken from a variable rather than read in place: -5.
        /// Interval words in the names (lease, heartbeat, timeout, ...): +5.
        /// </summary>
        private static int ConfidenceOf(Interval interval, ClockSymbols clocks)
        {
            var confidence = Confidence.ForValueKeptIn(interval.StartSymbol);

            if (!clocks.IsWallClockRead(interval.NowRead))
            {
                confidence -= 5;
            }

            if (IntervalVocabulary.Matches(interval.StartSymbol.Name) || IntervalVocabulary.Matches(interval.ContainingMemberName))
            {
                confidence += 5;
            }

            return Confidence.Clamp(confidence);
        }

        /// <summary>A duration that only goes into a log line is not used to decide anything.</summary>
        private static bool IsOnlyLogged(IOperation operation)
        {
            var current = operation;
            for (var parent = operation.Parent; parent is not null; current = parent, parent = parent.Parent)
            {
                switch (parent)
                {
                    case IConversionOperation:
                    case IInterpolationOperation:
                    case IInterpolatedStringOperation:
                    case IArgumentOperation:
                    case IArrayInitializerOperation:
                    case IArrayCreationOperation:
                    case IBinaryOperation { Type.SpecialType: SpecialType.System_String }:
                    case IPropertyReferenceOperation property when property.Instance == current:
                        continue;
                    case IInvocationOperation invocation when invocation.Instance == current:
                        if (invocation.TargetMethod.Name == nameof(ToString))
                        {
                            continue;
                        }

                        return false;
                    case IInvocationOperation invocation when current is IArgumentOperation:
                        return IsLoggingMethod(invocation.TargetMethod);
                    default:
                        return false;
                }
            }

            return false;
        }

        private static bool IsLoggingMethod(IMethodSymbol method)
        {
            var typeName = method.ContainingType?.Name ?? string.Empty;
            return method.Name.StartsWith("Log", StringComparison.Ordinal)
                || typeName.IndexOf("Logger", StringComparison.Ordinal) >= 0
                || (method.Name.StartsWith("Write", StringComparison.Ordinal)
                    && typeName is "Console" or "Debug" or "Trace" or "TextWriter" or "StreamWriter");
        }

        /// <summary>One candidate subtraction: 'now' minus 'start', where start is kept in a variable.</summary>
        private sealed class Interval
        {
            private Interval(IOperation operation, IOperation now, IOperation start, ISymbol startSymbol, WallClockOrigin expected, string containingMemberName)
            {
                Operation = operation;
                Now = now;
                Start = start;
                StartSymbol = startSymbol;
                Expected = expected;
                ContainingMemberName = containingMemberName;
            }

            public IOperation Operation { get; }

            public IOperation Now { get; }

            /// <summary>The instant read on the 'now' side (the Ticks property's receiver for tick differences).</summary>
            public IOperation? NowRead => Expected == WallClockOrigin.Ticks && Now is IPropertyReferenceOperation ticks ? ticks.Instance : Now;

            public IOperation Start { get; }

            public ISymbol StartSymbol { get; }

            public WallClockOrigin Expected { get; }

            public string ContainingMemberName { get; }

            public static Interval? From(IOperation operation, ISymbol containingMember, ClockSymbols clocks, WriteLog writes)
            {
                switch (operation)
                {
                    // now - start (DateTime - DateTime or DateTimeOffset - DateTimeOffset, both giving a TimeSpan)
                    case IBinaryOperation binary when clocks.IsInstantSubtraction(binary):
                        return Create(binary, binary.LeftOperand, binary.RightOperand, WallClockOrigin.Instant, containingMember, writes);

                    // now.Subtract(start), the overload taking an instant
                    case IInvocationOperation { Instance: { } instance } invocation when clocks.IsInstantSubtraction(invocation.TargetMethod):
                        return Create(invocation, instance, invocation.Arguments[0].Value, WallClockOrigin.Instant, containingMember, writes);

                    // now.Ticks - startTicks
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract, OperatorMethod: null, Type.SpecialType: SpecialType.System_Int64 } binary:
                        return Create(binary, binary.LeftOperand, binary.RightOperand, WallClockOrigin.Ticks, containingMember, writes);

                    default:
                        return null;
                }
            }

            private static Interval? Create(IOperation operation, IOperation now, IOperation start, WallClockOrigin expected, ISymbol containingMember, WriteLog writes)
            {
                now = ClockSymbols.WalkDownImplicitConversions(now)!;
                start = ClockSymbols.WalkDownImplicitConversions(start)!;
                var startSymbol = writes.TrackedSymbol(start)
                    ?? writes.CollectionRead(start)
                    ?? (start is IPropertyReferenceOperation { Property.Name: "Ticks" } ticks && expected == WallClockOrigin.Ticks ? writes.TrackedSymbol(ticks.Instance) ?? writes.CollectionRead(ticks.Instance) : null);
                if (startSymbol is null)
                {
                    return null;
                }

                return new Interval(operation, now, start, startSymbol, expected, containingMember.Name);
            }
        }
    }
}
