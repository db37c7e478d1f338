using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DistributedReview
{
    /// <summary>
    /// The names of the methods a rule's invocation action looks at: exact names and prefixes. A rule wraps
    /// its action with <see cref="Filter"/>; on its own the wrapper tests the called method's name before calling the
    /// action. In the package's one pass (<see cref="SharedPass"/>), the invocation dispatcher reads the name once,
    /// finds in one table which rules' names it matches (<see cref="MaskOf"/>), and calls only those: most calls are
    /// of no rule's names, and testing each call once per rule cost about as much as a whole rule should (issue 7).
    /// Create each set once (a static field): every set ever created is one bit of the table, at most 64.
    /// </summary>
    internal sealed class CallNames
    {
        private const int MaxSets = 64;

        private static readonly object Gate = new();
        private static int _count;
        private static Table _table = new(new Dictionary<string, ulong>(StringComparer.Ordinal), new (string, ulong)[128][]);

        private readonly HashSet<string> _names;
        private readonly string[] _prefixes;
        private readonly Func<IOperation, bool> _passes;

        private CallNames(string[] names, string[] prefixes)
        {
            _names = new HashSet<string>(names, StringComparer.Ordinal);
            _prefixes = prefixes;
            _passes = operation => operation is IInvocationOperation invocation && Matches(invocation.TargetMethod.Name);
            lock (Gate)
            {
                // Past the table's width a set gets no bit, and the dispatcher calls its actions for every call.
                Bit = _count < MaxSets ? 1UL << _count++ : 0;
                if (Bit != 0)
                {
                    Volatile.Write(ref _table, _table.With(this));
                }
            }
        }

        /// <summary>This set's bit in <see cref="MaskOf"/>; 0 when the table is full.</summary>
        public ulong Bit { get; }

        /// <summary>Calls of exactly these names.</summary>
        public static CallNames Exactly(params string[] names) => new(names, Array.Empty<string>());

        /// <summary>Calls of these names, or of names that start with one of <paramref name="prefixes"/> (ASCII letters).</summary>
        public static CallNames Of(string[] names, string[] prefixes) => new(names, prefixes);

        /// <summary>The bits of every set whose names <paramref name="name"/> matches.</summary>
        public static ulong MaskOf(string name) => Volatile.Read(ref _table).MaskOf(name);

        public bool Matches(string name)
        {
            if (_names.Contains(name))
            {
                return true;
            }

            foreach (var prefix in _prefixes)
            {
                if (name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary><paramref name="action"/>, called only for invocations of these names.</summary>
        public Action<OperationAnalysisContext> Filter(Action<OperationAnalysisContext> action) => new FilteredAction(OperationKind.Invocation, Bit, _passes, action).Invoke;

        /// <summary>Every set's names by bit: exact names in one dictionary, prefixes by their first character.</summary>
        private sealed class Table
        {
            private readonly Dictionary<string, ulong> _exact;
            private readonly (string Prefix, ulong Bit)[]?[] _prefixesByFirst;

            public Table(Dictionary<string, ulong> exact, (string, ulong)[]?[] prefixesByFirst)
            {
                _exact = exact;
                _prefixesByFirst = prefixesByFirst;
            }

            /// <summary>A new table with <paramref name="set"/> added: tables are never changed once published.</summary>
            public Table With(CallNames set)
            {
                var exact = new Dictionary<string, ulong>(_exact, StringComparer.Ordinal);
                foreach (var name in set._names)
                {
                    exact[name] = (exact.TryGetValue(name, out var bits) ? bits : 0) | set.Bit;
                }

                var prefixesByFirst = ((string, ulong)[]?[])_prefixesByFirst.Clone();
                foreach (var prefix in set._prefixes)
                {
                    var first = prefix[0] % prefixesByFirst.Length; // the prefixes are ASCII; anything else still matches by StartsWith
                    prefixesByFirst[first] = (prefixesByFirst[first] ?? Array.Empty<(string, ulong)>()).Concat(new[] { (prefix, set.Bit) }).ToArray();
                }

                return new Table(exact, prefixesByFirst);
            }

            public ulong MaskOf(string name)
            {
                var mask = _exact.TryGetValue(name, out var bits) ? bits : 0;
                if (name.Length > 0 && _prefixesByFirst[name[0] % _prefixesByFirst.Length] is { } prefixes)
                {
                    foreach (var (prefix, bit) in prefixes)
                    {
                        if ((mask & bit) == 0 && name.StartsWith(prefix, StringComparison.Ordinal))
                        {
                            mask |= bit;
                        }
                    }
                }

                return mask;
            }
        }
    }
}
