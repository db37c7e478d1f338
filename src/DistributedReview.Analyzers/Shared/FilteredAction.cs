using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DistributedReview
{
    /// <summary>
    /// An operation action behind a cheap test of the operation, made by <see cref="CallNames.Filter"/> (the called
    /// method's name) or <see cref="BinaryOperators.Filter"/> (the operator). Registered on its own, it tests each
    /// operation and calls the action for those that pass. The shared pass takes it apart instead, and calls the action
    /// for the operations whose key (one bit of <see cref="Keys"/>) it has read once for every rule.
    /// </summary>
    internal sealed class FilteredAction
    {
        private readonly Func<IOperation, bool> _passes;

        public FilteredAction(OperationKind kind, ulong keys, Func<IOperation, bool> passes, Action<OperationAnalysisContext> action)
        {
            Kind = kind;
            Keys = keys;
            _passes = passes;
            Action = action;
        }

        /// <summary>The kind of operation the test reads: invocations for call names, binary operations for operators.</summary>
        public OperationKind Kind { get; }

        /// <summary>The keys the action wants; 0 when it has none in the shared table, and must test each operation itself.</summary>
        public ulong Keys { get; }

        public Action<OperationAnalysisContext> Action { get; }

        /// <summary>The same test in front of another action (the benchmark meters the action, keeping the test visible).</summary>
        public Action<OperationAnalysisContext> With(Action<OperationAnalysisContext> action) => new FilteredAction(Kind, Keys, _passes, action).Invoke;

        /// <summary>The filtered action behind a delegate made by a filter, or null.</summary>
        public static FilteredAction? Of(Action<OperationAnalysisContext> action) => action.Target as FilteredAction;

        public void Invoke(OperationAnalysisContext context)
        {
            if (_passes(context.Operation))
            {
                Action(context);
            }
        }
    }
}
