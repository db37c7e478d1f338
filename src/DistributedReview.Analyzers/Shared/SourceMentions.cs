using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

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

        // What the buffer holds: several rules scan the same type's text at its start, one after another on one thread.
        [ThreadStatic]
        private static SourceText? _bufferText;

        [ThreadStatic]
        private static TextSpan _bufferSpan;

        /// <summary>True when any declaration of <paramref name="type"/> contains one of <paramref name="words"/> (ordinal).</summary>
        public static bool Any(INamedTypeSymbol type, string[] words, CancellationToken cancellationToken)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                var source = TextOf(reference.SyntaxTree, reference.Span, cancellationToken);
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

        /// <summary>
        /// True when a declaration of <paramref name="type"/> may spell an identifier containing one of
        /// <paramref name="parts"/> in some case: it contains the part ignoring case, or a Unicode escape.
        /// </summary>
        public static bool MaySpellAnyPart(INamedTypeSymbol type, string[] parts, CancellationToken cancellationToken)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                var source = TextOf(reference.SyntaxTree, reference.Span, cancellationToken);
                if (HasEscape(source))
                {
                    return true;
                }

                foreach (var part in parts)
                {
                    if (source.IndexOf(part.AsSpan(), StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>
        /// True when the source of <paramref name="node"/> may spell the identifier <paramref name="name"/>: it contains
        /// the name, or a Unicode escape (<c>\u0061</c>), with which an identifier is spelled differently. A variable is
        /// read or written only where its name is spelled, so a walk looking for one can skip the bodies that do not.
        /// </summary>
        public static bool MaySpell(SyntaxNode node, string name)
        {
            var source = TextOf(node.SyntaxTree, node.Span, CancellationToken.None); // a compiled tree's text is in memory
            return source.IndexOf(name.AsSpan()) >= 0 || HasEscape(source);
        }

        /// <summary>
        /// Adds to <paramref name="positions"/> where the source of <paramref name="node"/> spells
        /// <paramref name="name"/> (every occurrence, inside longer words too); false, adding nothing, when it has a
        /// Unicode escape, with which the name can be spelled anywhere. A walk looking for one variable's reads need only
        /// go down into the operations whose source holds one of these positions.
        /// </summary>
        public static bool TryFindSpellings(SyntaxNode node, string name, List<int> positions)
        {
            var source = TextOf(node.SyntaxTree, node.Span, CancellationToken.None); // a compiled tree's text is in memory
            if (HasEscape(source) || name.Length == 0)
            {
                return false;
            }

            for (var start = 0; start < source.Length;)
            {
                var index = source.Slice(start).IndexOf(name.AsSpan());
                if (index < 0)
                {
                    break;
                }

                positions.Add(node.Span.Start + start + index);
                start += index + name.Length;
            }

            return true;
        }

        /// <summary>A Unicode escape, with which an identifier can be spelled without its letters.</summary>
        private static bool HasEscape(ReadOnlySpan<char> source) => source.IndexOf("\\u".AsSpan()) >= 0 || source.IndexOf("\\U".AsSpan()) >= 0;

        /// <summary>The text of <paramref name="span"/>, in a buffer of this thread's that the next call reuses.</summary>
        private static ReadOnlySpan<char> TextOf(SyntaxTree tree, TextSpan span, CancellationToken cancellationToken)
        {
            var text = tree.GetText(cancellationToken);
            if (_buffer is { } held && ReferenceEquals(_bufferText, text) && _bufferSpan == span)
            {
                return new ReadOnlySpan<char>(held, 0, span.Length);
            }

            var buffer = _buffer is { } existing && existing.Length >= span.Length ? existing : new char[Math.Max(span.Length, 4096)];
            text.CopyTo(span.Start, buffer, 0, span.Length);
            if (buffer.Length <= MaxKeptBuffer)
            {
                // Reused by the next call on this thread; an outsized one is not kept.
                _buffer = buffer;
                _bufferText = text;
                _bufferSpan = span;
            }

            return new ReadOnlySpan<char>(buffer, 0, span.Length);
        }
    }
}
