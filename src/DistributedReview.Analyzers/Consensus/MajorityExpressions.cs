using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview.Consensus
{
    /// <summary>How a half of a size is computed: decides which comparisons with it are wrong and how it is fixed.</summary>
    internal enum HalfForm
    {
        /// <summary><c>n / 2</c>, and <c>(peers + 1) / 2</c> when <c>peers</c> leaves this node out: half of the cluster, rounded down.</summary>
        Divide,

        /// <summary><c>n &gt;&gt; 1</c>.</summary>
        Shift,

        /// <summary><c>n / 2.0</c>, <c>(double)n / 2</c>, <c>n / 2d</c>, <c>n * 0.5</c>: exactly half.</summary>
        Exact,

        /// <summary><c>(n + 1) / 2</c>, <c>(n + 1) &gt;&gt; 1</c>: rounded up, exactly half for even n.</summary>
        IntegerCeiling,

        /// <summary><c>Math.Ceiling(n / 2.0)</c>, <c>Math.Round(n / 2.0)</c>, their MathF versions: exactly half for even n.</summary>
        Rounded,
    }

    /// <summary>How a comparison uses a half (or a threshold holding one), read as <c>count OP half</c>.</summary>
    internal enum HalfUse
    {
        /// <summary><c>count &gt; half</c>, or its negation <c>count &lt;= half</c>: more than half, a strict majority.</summary>
        Exceeds,

        /// <summary><c>count &gt;= half</c>, or its negation <c>count &lt; half</c>: the half is taken as the number needed.</summary>
        Reaches,

        /// <summary><c>count == half</c>, <c>count != half</c>: the half is taken as the number needed.</summary>
        Equals,
    }

    /// <summary>One half of a size, as recognised by <see cref="MajorityExpressions.AsHalf"/>.</summary>
    internal sealed class Half
    {
        public Half(IOperation operation, IOperation size, HalfForm form, bool addsThisNode)
        {
            Operation = operation;
            Size = size;
            Form = form;
            AddsThisNode = addsThisNode;
        }

        /// <summary>The half as written: <c>n / 2</c>, <c>Math.Ceiling(n / 2.0)</c>, ...</summary>
        public IOperation Operation { get; }

        /// <summary>The size <c>n</c>, without conversions: a variable, a property, <c>.Count</c>, <c>.Length</c>, <c>Count()</c>, ...</summary>
        public IOperation Size { get; }

        public HalfForm Form { get; }

        /// <summary><c>(peers + 1) / 2</c> where the name says <c>peers</c> leaves this node out: the <c>+ 1</c> is this node.</summary>
        public bool AddsThisNode { get; }

        /// <summary>Exactly half for even n even with <c>&gt;=</c> read as "more than": fixed by rewriting the half, not the comparison.</summary>
        public bool RoundsUp => Form is HalfForm.IntegerCeiling or HalfForm.Rounded;
    }

    /// <summary>The framework types the majority recogniser needs, looked up once per compilation by metadata name.</summary>
    internal sealed class MajoritySymbols
    {
        private MajoritySymbols(INamedTypeSymbol math, INamedTypeSymbol? mathF, INamedTypeSymbol enumerable)
        {
            Math = math;
            MathF = mathF;
            Enumerable = enumerable;
        }

        public INamedTypeSymbol Math { get; }

        /// <summary><c>System.MathF</c>: .NET Core 2.0+ only.</summary>
        public INamedTypeSymbol? MathF { get; }

        /// <summary><c>System.Collections.IEnumerable</c>: collections whose writes are followed to find what they hold.</summary>
        public INamedTypeSymbol Enumerable { get; }

        public static MajoritySymbols? Create(Compilation compilation)
        {
            var math = compilation.GetTypeByMetadataName("System.Math");
            var enumerable = compilation.GetSpecialType(SpecialType.System_Collections_IEnumerable);
            return math is null || enumerable.TypeKind == TypeKind.Error
                ? null
                : new MajoritySymbols(math, compilation.GetTypeByMetadataName("System.MathF"), enumerable);
        }

        /// <summary><c>System.Math</c> or <c>System.MathF</c>.</summary>
        public bool IsMath(ITypeSymbol? type) =>
            SymbolEqualityComparer.Default.Equals(type, Math) || (MathF is not null && SymbolEqualityComparer.Default.Equals(type, MathF));

        /// <summary>The types whose writes the consensus rules follow: numbers, and collections (for what they were filtered from).</summary>
        public bool IsFollowedType(ITypeSymbol type) =>
            MajorityExpressions.IsNumber(type)
            || (type.SpecialType != SpecialType.System_String
                && (type is IArrayTypeSymbol || SymbolEqualityComparer.Default.Equals(type, Enumerable) || type.AllInterfaces.Contains(Enumerable, SymbolEqualityComparer.Default)));
    }

    /// <summary>
    /// Recognises majority arithmetic on IOperations: halves of a size (<c>n / 2</c>, <c>n &gt;&gt; 1</c>,
    /// <c>(n + 1) / 2</c>, <c>Math.Ceiling(n / 2.0)</c>, <c>Math.Round(n / 2.0)</c>, <c>n / 2.0</c>), the comparisons that
    /// use them, and doubled counts (<c>votes * 2 &gt; n</c>). The size must be something that holds a size: a
    /// variable, parameter, field, property or call of an integer type (<c>.Count</c>, <c>.Length</c>, <c>Count()</c>,
    /// <c>LongCount()</c>), so midpoints like <c>(lo + hi) / 2</c> and <c>(n - 1) / 2</c> are not halves.
    /// </summary>
    internal static class MajorityExpressions
    {
        /// <summary>The only calls <see cref="AsHalf"/> recognises: <c>Math.Ceiling(n / 2.0)</c>, <c>Math.Round(...)</c>.</summary>
        public static readonly CallNames RoundingCalls = CallNames.Exactly("Ceiling", "Round");

        /// <summary>The operators of a half (<see cref="AsHalf"/>) and of a doubled count's comparison (<see cref="AsDoubledComparison"/>).</summary>
        public static readonly BinaryOperators HalvingOrComparing = BinaryOperators.Of(
            BinaryOperatorKind.Divide, BinaryOperatorKind.RightShift, BinaryOperatorKind.Multiply,
            BinaryOperatorKind.GreaterThan, BinaryOperatorKind.GreaterThanOrEqual, BinaryOperatorKind.LessThan, BinaryOperatorKind.LessThanOrEqual,
            BinaryOperatorKind.Equals, BinaryOperatorKind.NotEquals);

        public static Half? AsHalf(IOperation? operation, MajoritySymbols symbols)
        {
            switch (operation)
            {
                // n / 2, n >> 1, (n + 1) / 2, (n + 1) >> 1
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide or BinaryOperatorKind.RightShift } binary when IsInteger(binary.Type):
                {
                    var shift = binary.OperatorKind == BinaryOperatorKind.RightShift;
                    if (!IsConstant(binary.RightOperand, shift ? 1 : 2))
                    {
                        return null;
                    }

                    var left = Unwrap(binary.LeftOperand);
                    if (left is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } plus && PlusOneOperand(plus) is { } added)
                    {
                        if (!IsSize(added))
                        {
                            return null;
                        }

                        // (peers + 1) / 2: peers plus this node is the cluster, so this is half the cluster, rounded down.
                        var addsThisNode = QuorumVocabulary.ExcludesSelf(NameOf(added));
                        var form = !addsThisNode ? HalfForm.IntegerCeiling : shift ? HalfForm.Shift : HalfForm.Divide;
                        return new Half(binary, added, form, addsThisNode);
                    }

                    return IsSize(left) ? new Half(binary, left!, shift ? HalfForm.Shift : HalfForm.Divide, addsThisNode: false) : null;
                }

                // n / 2.0, (double)n / 2, n / 2d, n / 2f
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide } binary when IsFractional(binary.Type) && IsConstant(binary.RightOperand, 2):
                    return IsSize(Unwrap(binary.LeftOperand)) ? new Half(binary, Unwrap(binary.LeftOperand)!, HalfForm.Exact, addsThisNode: false) : null;

                // n * 0.5, 0.5 * n
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply } binary when IsFractional(binary.Type):
                {
                    var size = IsConstant(binary.RightOperand, 0.5) ? Unwrap(binary.LeftOperand) : IsConstant(binary.LeftOperand, 0.5) ? Unwrap(binary.RightOperand) : null;
                    return IsSize(size) ? new Half(binary, size!, HalfForm.Exact, addsThisNode: false) : null;
                }

                // Math.Ceiling(n / 2.0), Math.Round(n / 2.0[, MidpointRounding]), MathF.Ceiling(n / 2f)
                case IInvocationOperation { TargetMethod: { Name: "Ceiling" or "Round" } method, Arguments: { Length: 1 or 2 } arguments } invocation
                    when symbols.IsMath(method.ContainingType)
                        && (arguments.Length == 1 || arguments[1].Value.Type?.TypeKind == TypeKind.Enum):
                    return AsHalf(Unwrap(arguments[0].Value), symbols) is { Form: HalfForm.Exact } inner
                        ? new Half(invocation, inner.Size, HalfForm.Rounded, addsThisNode: false)
                        : null;

                default:
                    return null;
            }
        }

        /// <summary>True for the <c>n / 2.0</c> inside <c>Math.Ceiling(n / 2.0)</c>: that half is the call's, not its own.</summary>
        public static bool IsInsideRounding(Half half, MajoritySymbols symbols) =>
            half.Form == HalfForm.Exact && Outer(half.Operation).Parent is IArgumentOperation { Parent: IInvocationOperation invocation } && AsHalf(invocation, symbols) is not null;

        /// <summary>
        /// <c>votes * 2 OP n</c> (also <c>2 * votes</c>, <c>votes &lt;&lt; 1</c>, and with the sides swapped): the doubled
        /// count and the size, or null.
        /// </summary>
        public static (IOperation Count, IOperation Size, bool DoubledOnLeft)? AsDoubledComparison(IBinaryOperation comparison)
        {
            if (!IsComparison(comparison))
            {
                return null;
            }

            if (DoubledCount(Unwrap(comparison.LeftOperand)) is { } leftCount && IsSize(Unwrap(comparison.RightOperand)))
            {
                return (leftCount, Unwrap(comparison.RightOperand)!, true);
            }

            if (DoubledCount(Unwrap(comparison.RightOperand)) is { } rightCount && IsSize(Unwrap(comparison.LeftOperand)))
            {
                return (rightCount, Unwrap(comparison.LeftOperand)!, false);
            }

            return null;
        }

        public static bool IsComparison(IBinaryOperation binary) => binary.OperatorKind is BinaryOperatorKind.GreaterThan
            or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual
            or BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals;

        /// <summary>How <paramref name="comparison"/> uses the value on the given side, read as <c>count OP value</c>.</summary>
        public static HalfUse UseOf(IBinaryOperation comparison, bool valueOnLeft)
        {
            switch (comparison.OperatorKind)
            {
                case BinaryOperatorKind.Equals:
                case BinaryOperatorKind.NotEquals:
                    return HalfUse.Equals;
                case BinaryOperatorKind.GreaterThan:
                case BinaryOperatorKind.LessThanOrEqual:
                    // count > half, count <= half; mirrored: half > count is count < half
                    return valueOnLeft ? HalfUse.Reaches : HalfUse.Exceeds;
                default:
                    return valueOnLeft ? HalfUse.Exceeds : HalfUse.Reaches;
            }
        }

        /// <summary>
        /// A size operand: a variable, parameter, field, property or call of an integer type. Literals and
        /// arithmetic (<c>lo + hi</c>, <c>n - 1</c>) are not sizes.
        /// </summary>
        public static bool IsSize(IOperation? operation) =>
            operation is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation
                or IPropertyReferenceOperation { Property.IsIndexer: false } or IInvocationOperation
            && IsInteger(operation.Type);

        /// <summary>The operation below conversions and parentheses: <c>(double)n</c> is <c>n</c>.</summary>
        public static IOperation? Unwrap(IOperation? operation)
        {
            while (true)
            {
                switch (operation)
                {
                    case IConversionOperation conversion:
                        operation = conversion.Operand;
                        break;
                    case IParenthesizedOperation parenthesized:
                        operation = parenthesized.Operand;
                        break;
                    default:
                        return operation;
                }
            }
        }

        /// <summary>The operation with the parentheses and conversions around it: what its parent sees.</summary>
        public static IOperation Outer(IOperation operation)
        {
            while (operation.Parent is IConversionOperation or IParenthesizedOperation)
            {
                operation = operation.Parent;
            }

            return operation;
        }

        /// <summary>The <c>?:</c> or switch expression that <paramref name="operation"/> is one result of, or null.</summary>
        public static IOperation? ChoiceOf(IOperation operation) => operation.Parent switch
        {
            IConditionalOperation conditional when conditional.WhenTrue == operation || conditional.WhenFalse == operation => conditional,
            ISwitchExpressionArmOperation arm when arm.Value == operation => arm.Parent,
            _ => null,
        };

        /// <summary>The values a <c>?:</c> or switch expression can result in (recursively); otherwise the value itself.</summary>
        public static IEnumerable<IOperation> Branches(IOperation value)
        {
            var unwrapped = Unwrap(value);
            return unwrapped switch
            {
                IConditionalOperation { WhenFalse: { } whenFalse } conditional => Branches(conditional.WhenTrue).Concat(Branches(whenFalse)),
                ISwitchExpressionOperation switchExpression => switchExpression.Arms.SelectMany(arm => Branches(arm.Value)),
                _ => new[] { value },
            };
        }

        /// <summary>
        /// The declared name behind an operand: a variable, parameter, field, property or method name; for
        /// <c>.Count</c>, <c>.Length</c>, <c>Count()</c> the name of what is counted (<c>_peers.Count</c> is "_peers").
        /// </summary>
        public static string? NameOf(IOperation? operation)
        {
            var (name, receiver) = Unwrap(operation) switch
            {
                ILocalReferenceOperation local => (local.Local.Name, null),
                IParameterReferenceOperation parameter => (parameter.Parameter.Name, null),
                IFieldReferenceOperation field => (field.Field.Name, field.Instance),
                IPropertyReferenceOperation property => (property.Property.Name, property.Instance),
                IInvocationOperation invocation => (invocation.TargetMethod.Name, SourceOf(invocation)),
                _ => ((string?)null, (IOperation?)null),
            };

            return receiver is not null && (name is null || QuorumVocabulary.IsGenericCountName(name)) && NameOf(receiver) is { } counted ? counted : name;
        }

        /// <summary>What a call works on: its receiver, or the first argument of an extension method (<c>nodes</c> in <c>nodes.Count()</c>).</summary>
        public static IOperation? SourceOf(IInvocationOperation invocation) =>
            invocation.Instance ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);

        public static bool IsInteger(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
            or SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_Int16 or SpecialType.System_UInt16
            or SpecialType.System_Byte or SpecialType.System_SByte;

        public static bool IsFractional(ITypeSymbol? type) =>
            type?.SpecialType is SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Decimal;

        public static bool IsNumber(ITypeSymbol? type) => IsInteger(type) || IsFractional(type);

        /// <summary>True when the operation is the constant <paramref name="value"/> (after conversions: <c>2</c> as a double is 2.0).</summary>
        public static bool IsConstant(IOperation? operation, double value)
        {
            if (operation?.ConstantValue is not { HasValue: true, Value: { } constant })
            {
                return false;
            }

            switch (constant)
            {
                case int or long or uint or ulong or short or ushort or byte or sbyte or double or float or decimal:
                    return Convert.ToDouble(constant, CultureInfo.InvariantCulture) == value;
                default:
                    return false;
            }
        }

        /// <summary>The other operand of <c>x + 1</c> or <c>1 + x</c>, or null.</summary>
        public static IOperation? PlusOneOperand(IBinaryOperation add)
        {
            if (IsConstant(add.RightOperand, 1))
            {
                return Unwrap(add.LeftOperand);
            }

            return IsConstant(add.LeftOperand, 1) ? Unwrap(add.RightOperand) : null;
        }

        /// <summary><c>c * 2</c>, <c>2 * c</c>, <c>c &lt;&lt; 1</c> of an integer count that is not itself a constant.</summary>
        private static IOperation? DoubledCount(IOperation? operation)
        {
            if (operation is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply or BinaryOperatorKind.LeftShift } binary || !IsInteger(binary.Type))
            {
                return null;
            }

            IOperation? count = binary.OperatorKind == BinaryOperatorKind.LeftShift
                ? (IsConstant(binary.RightOperand, 1) ? binary.LeftOperand : null)
                : IsConstant(binary.RightOperand, 2) ? binary.LeftOperand : IsConstant(binary.LeftOperand, 2) ? binary.RightOperand : null;
            return count is null || count.ConstantValue.HasValue ? null : Unwrap(count);
        }
    }
}
