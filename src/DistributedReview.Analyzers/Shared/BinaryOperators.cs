using System;
using System.Linq;
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

        private BinaryOperators(ulong kinds) => Kinds = kinds;

        /// <summary>One bit for each operator kind: <c>1 &lt;&lt; (int)kind</c>.</summary>
        public ulong Kinds { get; }

        public static BinaryOperators Of(params BinaryOperatorKind[] kinds) => new(kinds.Aggregate(0UL, (bits, kind) => bits | BitOf(kind)));

        public static ulong BitOf(BinaryOperatorKind kind) => (int)kind is >= 0 and < 64 ? 1UL << (int)kind : 0;

        /// <summary><paramref name="action"/>, called only for binary operations of these operators.</summary>
        public Action<OperationAnalysisContext> Filter(Action<OperationAnalysisContext> action) => new FilteredBinary(this, action).Invoke;

        /// <summary>The operators and action behind a delegate made by <see cref="Filter"/>, which the shared pass dispatches by operator.</summary>
        public static bool TryUnwrap(Action<OperationAnalysisContext> action, out ulong kinds, out Action<OperationAnalysisContext> inner)
        {
            if (action.Target is FilteredBinary filtered)
            {
                kinds = filtered.Operators.Kinds;
                inner = filtered.Action;
                return true;
            }

            kinds = 0;
            inner = null!;
            return false;
        }

        private sealed class FilteredBinary
        {
            public FilteredBinary(BinaryOperators operators, Action<OperationAnalysisContext> action)
            {
                Operators = operators;
                Action = action;
            }

            public BinaryOperators Operators { get; }

            public Action<OperationAnalysisContext> Action { get; }

            public void Invoke(OperationAnalysisContext context)
            {
                if (context.Operation is IBinaryOperation binary && (Operators.Kinds & BitOf(binary.OperatorKind)) != 0)
                {
                    Action(context);
                }
            }
        }
    }
}
