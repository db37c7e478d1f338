using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview
{
    /// <summary>
    /// A rule's first test of a call, on the called method alone (its name, declaring type, parameters). Most calls
    /// concern no rule, so the shared pass asks each filter once per method of the compilation and calls a rule's
    /// invocation action only for the methods its filter wants (<see cref="SharedPass"/>). A rule analyzer run on its
    /// own asks at every call, with the same result. The test must be pure: the same method, the same answer.
    /// </summary>
    internal sealed class MethodFilter
    {
        private readonly Func<IMethodSymbol, bool> _wants;

        private MethodFilter(Func<IMethodSymbol, bool> wants) => _wants = wants;

        /// <summary>The compilation's interest that knows this filter, when the shared pass runs it; else null.</summary>
        public MethodInterest? Interest { get; private set; }

        /// <summary>The filter's bit in <see cref="Interest"/>'s masks.</summary>
        public int Bit { get; private set; }

        /// <summary>Made at compilation start, where the shared pass collects the compilation's filters.</summary>
#pragma warning disable RS1012 // the filter registers nothing itself: the invocation actions it makes are registered by the rule
        public static MethodFilter Create(CompilationStartAnalysisContext context, Func<IMethodSymbol, bool> wants)
#pragma warning restore RS1012
        {
            var filter = new MethodFilter(wants);
            if (context is SharedPass.IHasMethodInterest { MethodInterest: { } interest })
            {
                interest.Add(filter);
            }

            return filter;
        }

        internal void Join(MethodInterest interest, int bit)
        {
            Interest = interest;
            Bit = bit;
        }

        public bool Wants(IMethodSymbol method) => _wants(method);

        /// <summary>An invocation action that runs <paramref name="action"/> only for calls of methods this filter wants.</summary>
        public Action<OperationAnalysisContext> Calls(Action<OperationAnalysisContext, IInvocationOperation> action) => new Filtered(this, action).Run;

        /// <summary>What <see cref="Calls"/> makes; the shared pass finds the filter through the delegate's target.</summary>
        internal sealed class Filtered
        {
            public Filtered(MethodFilter filter, Action<OperationAnalysisContext, IInvocationOperation> action)
            {
                Filter = filter;
                Action = action;
            }

            public MethodFilter Filter { get; }

            public Action<OperationAnalysisContext, IInvocationOperation> Action { get; }

            public void Run(OperationAnalysisContext context)
            {
                if (context.Operation is IInvocationOperation invocation && Filter.Wants(invocation.TargetMethod))
                {
                    Action(context, invocation);
                }
            }
        }
    }

    /// <summary>
    /// For one compilation, which filters want each called method: a bit per filter, asked once per method. Filters join
    /// at compilation start, before any call is dispatched; one that does not fit the bits asks at every call.
    /// </summary>
    internal sealed class MethodInterest
    {
        private const int MaxFilters = 31;

        private readonly List<MethodFilter> _filters = new();
        private readonly ConcurrentDictionary<IMethodSymbol, int> _masks = new(SymbolEqualityComparer.Default);
        private readonly Func<IMethodSymbol, int> _compute;

        public MethodInterest() => _compute = Compute;

        public void Add(MethodFilter filter)
        {
            if (_filters.Count < MaxFilters)
            {
                filter.Join(this, 1 << _filters.Count);
                _filters.Add(filter);
            }
        }

        /// <summary>The bits of the filters that want <paramref name="method"/>.</summary>
        public int Of(IMethodSymbol method) => _masks.GetOrAdd(method, _compute);

        private int Compute(IMethodSymbol method)
        {
            var mask = 0;
            foreach (var filter in _filters)
            {
                if (filter.Wants(method))
                {
                    mask |= filter.Bit;
                }
            }

            return mask;
        }
    }
}
