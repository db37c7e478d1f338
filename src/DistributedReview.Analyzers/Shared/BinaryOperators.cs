using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview
{
    /// <summary>
    /// The operators a rule's binary-operation action looks at, as <see cref="CallNames"/> is for calls: on its own the
    /// wrapper made by <see cref="Filter"/> tests the operator first; in the package's one pass the dispatcher reads the
    /// operator once and calls only the rules that look at it (string concatenations, null checks and logical
    /// operators concern few rules, issue 7).
    /// </summary>
    internal sealed class BinaryOperators
    {
        /// <summary><c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>.</summary>
        public static readonly BinaryOperators Orderings = Of(
            BinaryOperatorKind.LessThan, BinaryOperatorKind.LessThanOrEqual, BinaryOperatorKind.GreaterThan, BinaryOperatorKind.GreaterThanOrEqual);

        private readonly Func<IOperation, bool> _passes;

        private BinaryOperators(ulong kinds)
        {
            Kinds = kinds;
            _passes = operation => operation is IBinaryOperation binary && Contains(binary.OperatorKind);
        }

        /// <summary>One bit for each operator kind: <c>1 &lt;&lt; (int)kind</c>.</summary>
        public ulong Kinds { get; }

        public static BinaryOperators Of(params BinaryOperatorKind[] kinds) => new(kinds.Aggregate(0UL, (bits, kind) => bits | BitOf(kind)));

        public bool Contains(BinaryOperatorKind kind) => (Kinds & BitOf(kind)) != 0;

        public static ulong BitOf(BinaryOperatorKind kind) => (int)kind is >= 0 and < 64 ? 1UL << (int)kind : 0;

        /// <summary><paramref name="action"/>, called only for binary operations of these operators.</summary>
        public Action<OperationAnalysisContext> Filter(Action<OperationAnalysisContext> action) => new FilteredAction(OperationKind.Binary, Kinds, _passes, action).Invoke;
    }
}
