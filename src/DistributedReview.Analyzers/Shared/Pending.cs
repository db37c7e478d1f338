using System;
using System.Collections;
using System.Collections.Generic;

namespace DistributedReview
{
    /// <summary>
    /// What a rule collects in one type while the type is analysed, to judge at the type's end. Callbacks may run
    /// concurrently, so adding is locked; most types add nothing, so nothing is allocated until the first item
    /// (a concurrent queue per type and rule was a measurable share of the package's allocations).
    /// Read it only at symbol end, when every callback of the type has run.
    /// </summary>
    internal sealed class Pending<T> : IEnumerable<T>
    {
        private List<T>? _items;

        public bool IsEmpty => _items is null;

        public void Add(T item)
        {
            lock (this)
            {
                (_items ??= new List<T>()).Add(item);
            }
        }

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>?)_items ?? Array.Empty<T>()).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
