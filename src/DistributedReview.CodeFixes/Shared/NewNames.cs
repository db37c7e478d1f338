using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DistributedReview
{
    /// <summary>Names for the locals a fix introduces, so they neither clash with nor hide what is already there.</summary>
    internal static class NewNames
    {
        /// <summary>
        /// Every identifier written inside <paramref name="scope"/> (a new local of that name would hide it), plus, with a
        /// model, the locals, parameters and range variables in scope at <paramref name="position"/> (it would clash).
        /// </summary>
        public static HashSet<string> TakenIn(SyntaxNode scope, SemanticModel? model = null, int position = 0)
        {
            var taken = new HashSet<string>(
                scope.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText),
                StringComparer.Ordinal);
            if (model is not null)
            {
                taken.UnionWith(model.LookupSymbols(position)
                    .Where(s => s.Kind is SymbolKind.Local or SymbolKind.Parameter or SymbolKind.RangeVariable)
                    .Select(s => s.Name));
            }

            return taken;
        }

        /// <summary><paramref name="preferred"/>, or it numbered from 2 (<c>current2</c>), whichever is not taken.</summary>
        public static string Unused(string preferred, ICollection<string> taken)
        {
            var name = preferred;
            for (var suffix = 2; taken.Contains(name); suffix++)
            {
                name = preferred + suffix.ToString(CultureInfo.InvariantCulture);
            }

            return name;
        }
    }
}
