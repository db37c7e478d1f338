using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview
{
    /// <summary>
    /// A rule's first test of a call, on the called method alone (its name, declaring type, parameters): most calls
    /// fail it, and the rule's invocation action runs only for those that pass.
    /// </summary>
    internal sealed class MethodFilter
    {
        private readonly Func<IMethodSymbol, bool> _wants;

        public MethodFilter(Func<IMethodSymbol, bool> wants) => _wants = wants;

        /// <summary>An invocation action that runs <paramref name="action"/> only for calls of methods this filter wants.</summary>
        public Action<OperationAnalysisContext> Calls(Action<OperationAnalysisContext, IInvocationOperation> action) => context =>
        {
            if (context.Operation is IInvocationOperation invocation && _wants(invocation.TargetMethod))
            {
                action(context, invocation);
            }
        };
    }
}
