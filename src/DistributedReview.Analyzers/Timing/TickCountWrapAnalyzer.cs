using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview.Timing
{
    /// <summary>
    /// DR1003: <c>Environment.TickCount</c> used where its wrap to <c>int.MinValue</c> after 24.9 days breaks it:
    /// compared with a deadline computed from it, subtracted after widening to long/double, masked with
    /// <c>int.MaxValue</c>, or subtracted in a checked context. Whether a variable holds a TickCount value is only
    /// known at the end of the type (fields are assigned anywhere in it), so candidates are judged at symbol end.
    /// </summary>
    public sealed class TickCountWrapAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.TickCountWrap);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(compilationStart =>
            {
                if (TickCountSymbols.Create(compilationStart.Compilation) is { } ticks && ClockSymbols.Create(compilationStart.Compilation) is { } clocks)
                {
                    compilationStart.RegisterSymbolStartAction(typeStart => AnalyzeType(typeStart, ticks, clocks), SymbolKind.NamedType);
                }
            });
        }

        /// <summary><c>Environment.TickCount</c> and <c>TickCount64</c>: a type that never names them holds no TickCount value.</summary>
        private static readonly string[] TickCountNames = { "TickCount" };

        private static void AnalyzeType(SymbolStartAnalysisContext context, TickCountSymbols ticks, ClockSymbols clocks)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (!SourceMentions.Any(type, TickCountNames, context.CancellationToken) || clocks.IsClockImplementation(type))
            {
                return;
            }

            var writes = WriteLog.Start(context, TickValues.IsTickType);
            var candidates = new Pending<(IBinaryOperation Operation, string MemberName)>();
            context.RegisterOperationAction(
                operationContext =>
                {
                    // Nested types run their own analysis; count each expression once.
                    if (operationContext.Operation is IBinaryOperation binary
                        && SymbolEqualityComparer.Default.Equals(operationContext.ContainingSymbol.ContainingType, type)
                        && ShapeOf(binary, ticks) != Shape.None
                        && !IsInsideUncheckedExpression(binary.Syntax)
                        && binary.DescendantsAndSelf().Any(o => ticks.IsTickCountRead(o) || writes.TrackedSymbol(o) is not null))
                    {
                        candidates.Add((binary, operationContext.ContainingSymbol.Name));
                    }
                },
                OperationKind.Binary);

            context.RegisterSymbolEndAction(endContext =>
            {
                var values = new TickValues(ticks, writes.TrackedSymbol, writes.WritesTo);
                var findings = candidates
                    .Select(candidate => (candidate.Operation, candidate.MemberName, Shape: Judge(candidate.Operation, ticks, values)))
                    .Where(finding => finding.Shape != Shape.None)
                    .ToList();
                foreach (var finding in findings)
                {
                    // A mask inside a reported comparison or subtraction is the same finding; report the outer one.
                    if (finding.Shape == Shape.Mask && findings.Any(other => other.Operation != finding.Operation && Contains(other.Operation.Syntax, finding.Operation.Syntax)))
                    {
                        continue;
                    }

                    Confidence.Report(
                        endContext.ReportDiagnostic,
                        endContext.Options,
                        Rules.TickCountWrap,
                        finding.Operation.Syntax.GetLocation(),
                        ConfidenceOf(finding.Operation, finding.Shape, finding.MemberName, ticks, values),
                        messageArgs: Display.Of(finding.Operation.Syntax));
                }
            });
        }

        /// <summary>
        /// Base 90 for a deadline comparison, a widened subtraction or a checked subtraction; 80 for a mask (a masked
        /// value is not always subtracted later). Each TickCount-holding variable involved that is a field or
        /// auto-property: -10 when private (every write is in view), -20 otherwise (worst one counts). No
        /// <c>Environment.TickCount</c> read in the expression itself, only variables: -5. Interval words in a
        /// variable's or the member's name (deadline, timeout, lease, heartbeat, ...): +5.
        /// </summary>
        private static int ConfidenceOf(IBinaryOperation operation, Shape shape, string memberName, TickCountSymbols ticks, TickValues values)
        {
            var confidence = shape == Shape.Mask ? 80 : 90;
            var variables = values.TickVariablesIn(operation);
            if (variables.Any(v => v is not ILocalSymbol && v.DeclaredAccessibility != Accessibility.Private))
            {
                confidence -= 20;
            }
            else if (variables.Any(v => v is not ILocalSymbol))
            {
                confidence -= 10;
            }

            if (!operation.DescendantsAndSelf().Any(ticks.IsTickCountRead))
            {
                confidence -= 5;
            }

            if (IntervalVocabulary.Matches(memberName) || variables.Any(v => IntervalVocabulary.Matches(v.Name)))
            {
                confidence += 5;
            }

            return Confidence.Clamp(confidence);
        }

        /// <summary>What a candidate expression is, before knowing where its operands came from.</summary>
        internal enum Shape
        {
            None,
            Comparison,
            WidenedSubtraction,
            CheckedSubtraction,
            Mask,
        }

        internal static Shape ShapeOf(IBinaryOperation binary, TickCountSymbols ticks)
        {
            if (binary.OperatorMethod is not null)
            {
                return Shape.None;
            }

            switch (binary.OperatorKind)
            {
                case BinaryOperatorKind.LessThan:
                case BinaryOperatorKind.LessThanOrEqual:
                case BinaryOperatorKind.GreaterThan:
                case BinaryOperatorKind.GreaterThanOrEqual:
                    return Shape.Comparison;
                case BinaryOperatorKind.Subtract when TickValues.IsWide(binary.Type):
                    return Shape.WidenedSubtraction;
                case BinaryOperatorKind.Subtract when binary.IsChecked:
                    return Shape.CheckedSubtraction;
                case BinaryOperatorKind.And when ticks.MaskedOperand(binary) is not null:
                    return Shape.Mask;
                default:
                    return Shape.None;
            }
        }

        /// <summary>The shape, when both sides really are TickCount instants (or the masked value is one).</summary>
        private static Shape Judge(IBinaryOperation binary, TickCountSymbols ticks, TickValues values)
        {
            var shape = ShapeOf(binary, ticks);
            switch (shape)
            {
                case Shape.Comparison:
                case Shape.WidenedSubtraction:
                case Shape.CheckedSubtraction:
                    return values.Of(binary.LeftOperand) == TickOrigin.Instant && values.Of(binary.RightOperand) == TickOrigin.Instant ? shape : Shape.None;
                case Shape.Mask:
                    return values.Of(ticks.MaskedOperand(binary)) == TickOrigin.Instant && !IsSeedOrHashInput(binary, ticks) ? shape : Shape.None;
                default:
                    return Shape.None;
            }
        }

        /// <summary><c>unchecked(...)</c> around the expression: the author has thought about the wrap.</summary>
        private static bool IsInsideUncheckedExpression(SyntaxNode node)
        {
            for (var current = node; current is not null and not StatementSyntax and not MemberDeclarationSyntax; current = current.Parent)
            {
                if (current.IsKind(SyntaxKind.UncheckedExpression))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary><c>new Random(TickCount &amp; int.MaxValue)</c>, <c>HashCode.Combine(...)</c>, mixing with * % ^ | &lt;&lt;: not a time.</summary>
        private static bool IsSeedOrHashInput(IOperation mask, TickCountSymbols ticks)
        {
            var current = mask;
            var parent = mask.Parent;
            while (parent is IConversionOperation or IParenthesizedOperation)
            {
                current = parent;
                parent = parent.Parent;
            }

            switch (parent)
            {
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply or BinaryOperatorKind.Remainder or BinaryOperatorKind.ExclusiveOr or BinaryOperatorKind.Or or BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift }:
                    return true;
                case IArgumentOperation { Parent: IObjectCreationOperation { Type: var created } }:
                    return ticks.IsRandom(created);
                case IArgumentOperation { Parent: IInvocationOperation invocation }:
                    return ticks.IsHashCode(invocation.TargetMethod.ContainingType);
                default:
                    return false;
            }
        }

        private static bool Contains(SyntaxNode outer, SyntaxNode inner) =>
            outer.SyntaxTree == inner.SyntaxTree && outer.Span.Contains(inner.Span);

        /// <summary><c>System.Environment.TickCount</c> and the types that mark a seed or hash, looked up once per compilation.</summary>
        internal sealed class TickCountSymbols
        {
            private readonly INamedTypeSymbol? _random;
            private readonly INamedTypeSymbol? _hashCode;

            private TickCountSymbols(IPropertySymbol tickCount, IPropertySymbol? tickCount64, INamedTypeSymbol? random, INamedTypeSymbol? hashCode)
            {
                TickCount = tickCount;
                TickCount64 = tickCount64;
                _random = random;
                _hashCode = hashCode;
            }

            public IPropertySymbol TickCount { get; }

            /// <summary><c>Environment.TickCount64</c>: .NET Core 3.0+; null on netstandard2.0 and .NET Framework.</summary>
            public IPropertySymbol? TickCount64 { get; }

            public static TickCountSymbols? Create(Compilation compilation)
            {
                var environment = compilation.GetTypeByMetadataName("System.Environment");
                var tickCount = StaticProperty(environment, "TickCount");
                if (tickCount is null || tickCount.Type.SpecialType != SpecialType.System_Int32)
                {
                    return null;
                }

                return new TickCountSymbols(
                    tickCount,
                    StaticProperty(environment, "TickCount64"),
                    compilation.GetTypeByMetadataName("System.Random"),
                    compilation.GetTypeByMetadataName("System.HashCode"));
            }

            public bool IsTickCountRead(IOperation? operation) =>
                operation is IPropertyReferenceOperation { Property: var property } && SymbolEqualityComparer.Default.Equals(property.OriginalDefinition, TickCount);

            /// <summary>For <c>x &amp; int.MaxValue</c> (either order): x; otherwise null.</summary>
            public IOperation? MaskedOperand(IBinaryOperation binary)
            {
                if (binary.OperatorKind != BinaryOperatorKind.And || binary.OperatorMethod is not null)
                {
                    return null;
                }

                return IsIntMaxValue(binary.RightOperand) ? binary.LeftOperand
                    : IsIntMaxValue(binary.LeftOperand) ? binary.RightOperand
                    : null;
            }

            public bool IsRandom(ITypeSymbol? type)
            {
                for (var current = type; current is not null && _random is not null; current = current.BaseType)
                {
                    if (SymbolEqualityComparer.Default.Equals(current, _random))
                    {
                        return true;
                    }
                }

                return false;
            }

            public bool IsHashCode(ITypeSymbol? type) => _hashCode is not null && SymbolEqualityComparer.Default.Equals(type, _hashCode);

            private static bool IsIntMaxValue(IOperation operation) =>
                operation.ConstantValue is { HasValue: true, Value: var value }
                && value switch
                {
                    int i => i == int.MaxValue,
                    uint u => u == int.MaxValue,
                    long l => l == int.MaxValue,
                    _ => false,
                };

            private static IPropertySymbol? StaticProperty(INamedTypeSymbol? type, string name) =>
                type?.GetMembers(name).OfType<IPropertySymbol>().FirstOrDefault(p => p.IsStatic && p.Parameters.IsEmpty);
        }

        /// <summary>What a value is, as far as this rule cares.</summary>
        internal enum TickOrigin
        {
            Unknown,

            /// <summary>An <c>Environment.TickCount</c> reading, possibly moved by a duration: a start, now, or a deadline.</summary>
            Instant,

            /// <summary>The difference of two instants: an elapsed or remaining time, unaffected by the wrap.</summary>
            Interval,

            /// <summary>The variable being resolved, met again in one of its own writes (<c>next = next + period</c>).</summary>
            Pending,
        }

        /// <summary>
        /// Resolves what values and variables hold: TickCount instants, intervals between them, or something else.
        /// Variables are followed through their writes, which the caller supplies (the analyzer from the
        /// <see cref="WriteLog"/>, the code fix from the document). A variable never written, or with any write that
        /// is not an instant (a reset to 0, <c>+=</c>, <c>ref</c>), is unknown.
        /// </summary>
        internal sealed class TickValues
        {
            private readonly TickCountSymbols _ticks;
            private readonly Func<IOperation?, ISymbol?> _trackedSymbol;
            private readonly Func<ISymbol, ImmutableArray<IOperation?>> _writesTo;
            private readonly Dictionary<ISymbol, TickOrigin> _resolved = new(SymbolEqualityComparer.Default);
            private readonly HashSet<ISymbol> _resolving = new(SymbolEqualityComparer.Default);

            public TickValues(TickCountSymbols ticks, Func<IOperation?, ISymbol?> trackedSymbol, Func<ISymbol, ImmutableArray<IOperation?>> writesTo)
            {
                _ticks = ticks;
                _trackedSymbol = trackedSymbol;
                _writesTo = writesTo;
            }

            /// <summary>The numeric types a TickCount value can be kept in.</summary>
            public static bool IsTickType(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_UInt32 || IsWide(type);

            /// <summary>Types in which a subtraction of two TickCount readings no longer wraps back to the right answer.</summary>
            public static bool IsWide(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Int64 or SpecialType.System_UInt64
                or SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Decimal;

            public ISymbol? TrackedSymbol(IOperation? operation) => _trackedSymbol(operation);

            public TickOrigin Of(IOperation? value)
            {
                value = StripNumericConversions(value);
                if (value is null)
                {
                    return TickOrigin.Unknown;
                }

                if (_ticks.IsTickCountRead(value))
                {
                    return TickOrigin.Instant;
                }

                if (value is IBinaryOperation { OperatorMethod: null } binary)
                {
                    return IsTickType(binary.Type) ? OfBinary(binary) : TickOrigin.Unknown;
                }

                return _trackedSymbol(value) is { } variable ? OfVariable(variable) : TickOrigin.Unknown;
            }

            /// <summary>The one origin every write to the variable agrees on.</summary>
            public TickOrigin OfVariable(ISymbol symbol)
            {
                if (_resolved.TryGetValue(symbol, out var known))
                {
                    return known;
                }

                if (!_resolving.Add(symbol))
                {
                    return TickOrigin.Pending;
                }

                TickOrigin? agreed = null;
                foreach (var write in _writesTo(symbol))
                {
                    var origin = write is null ? TickOrigin.Unknown : Of(write);
                    if (origin == TickOrigin.Pending)
                    {
                        continue; // decided by the other writes
                    }

                    agreed = agreed is null || agreed == origin ? origin : TickOrigin.Unknown;
                }

                _resolving.Remove(symbol);
                var result = agreed ?? TickOrigin.Unknown;
                _resolved[symbol] = result;
                return result;
            }

            /// <summary>Variables in the expression that hold TickCount instants.</summary>
            public ImmutableArray<ISymbol> TickVariablesIn(IOperation operation) =>
                operation.DescendantsAndSelf()
                    .Select(_trackedSymbol)
                    .OfType<ISymbol>()
                    .Where(symbol => OfVariable(symbol) == TickOrigin.Instant)
                    .Distinct(SymbolEqualityComparer.Default)
                    .ToImmutableArray();

            /// <summary>Through parentheses and numeric conversions, which keep the reading (possibly widened).</summary>
            public static IOperation? StripNumericConversions(IOperation? operation)
            {
                while (true)
                {
                    switch (operation)
                    {
                        case IParenthesizedOperation parenthesized:
                            operation = parenthesized.Operand;
                            break;
                        case IConversionOperation { Conversion.IsUserDefined: false } conversion when IsTickType(conversion.Type) && IsTickType(conversion.Operand.Type):
                            operation = conversion.Operand;
                            break;
                        default:
                            return operation;
                    }
                }
            }

            private TickOrigin OfBinary(IBinaryOperation binary)
            {
                switch (binary.OperatorKind)
                {
                    case BinaryOperatorKind.Add:
                    {
                        var left = Of(binary.LeftOperand);
                        var right = Of(binary.RightOperand);
                        if (left == TickOrigin.Instant || right == TickOrigin.Instant)
                        {
                            // instant + duration is a later instant; instant + instant means nothing
                            return left is TickOrigin.Instant or TickOrigin.Pending && right is TickOrigin.Instant or TickOrigin.Pending ? TickOrigin.Unknown : TickOrigin.Instant;
                        }

                        return left == TickOrigin.Pending || right == TickOrigin.Pending ? TickOrigin.Pending
                            : left == TickOrigin.Interval || right == TickOrigin.Interval ? TickOrigin.Interval
                            : TickOrigin.Unknown;
                    }

                    case BinaryOperatorKind.Subtract:
                    {
                        var left = Of(binary.LeftOperand);
                        var right = Of(binary.RightOperand);
                        if (right == TickOrigin.Pending)
                        {
                            return TickOrigin.Unknown;
                        }

                        return left switch
                        {
                            TickOrigin.Instant => right == TickOrigin.Instant ? TickOrigin.Interval : TickOrigin.Instant,
                            TickOrigin.Pending => right == TickOrigin.Instant ? TickOrigin.Unknown : TickOrigin.Pending,
                            TickOrigin.Interval => right == TickOrigin.Instant ? TickOrigin.Unknown : TickOrigin.Interval,
                            _ => TickOrigin.Unknown,
                        };
                    }

                    case BinaryOperatorKind.And when _ticks.MaskedOperand(binary) is { } masked:
                    {
                        var origin = Of(masked);
                        return origin is TickOrigin.Instant or TickOrigin.Pending ? origin : TickOrigin.Unknown;
                    }

                    default:
                        return TickOrigin.Unknown;
                }
            }
        }
    }
}
