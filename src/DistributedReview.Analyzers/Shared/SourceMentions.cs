using System;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace DistributedReview
{
    /// <summary>
    /// A cheap textual gate before semantic work: an API whose member name never appears in a type's source cannot be
    /// called by it (an alias or <c>using static</c> still spells the member), so rules that need such a call in the
    /// type skip it without subscribing. Detection itself stays semantic; this only rules types out.
    /// </summary>
    internal static class SourceMentions
    {
        private const int MaxKeptBuffer = 1 << 16;

        [ThreadStatic]
        private static char[]? _buffer;

        /// <summary>True when any declaration of <paramref name="type"/> contains one of <paramref name="words"/> (ordinal).</summary>
        public static bool Any(INamedTypeSymbol type, string[] words, CancellationToken cancellationToken)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                var text = reference.SyntaxTree.GetText(cancellationToken);
                var span = reference.Span;
                var buffer = _buffer is { } existing && existing.Length >= span.Length ? existing : new char[Math.Max(span.Length, 4096)];
                if (buffer.Length <= MaxKeptBuffer)
                {
                    _buffer = buffer; // reused by the next type on this thread; an outsized one is not kept
                }

                text.CopyTo(span.Start, buffer, 0, span.Length);
                var source = new ReadOnlySpan<char>(buffer, 0, span.Length);
                foreach (var word in words)
                {
                    // The runtime's substring search: vectorized where the runtime offers it.
                    if (source.IndexOf(word.AsSpan()) >= 0)
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
