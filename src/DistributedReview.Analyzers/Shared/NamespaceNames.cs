using System;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace DistributedReview
{
    /// <summary>
    /// Dotted namespace names, formatted once per namespace symbol: rules test them on hot paths, where
    /// <c>ToDisplayString</c> would format a new string on every call.
    /// </summary>
    internal static class NamespaceNames
    {
        private static readonly ConditionalWeakTable<INamespaceSymbol, string> Names = new();

        /// <summary>The dotted name (<c>System.Threading</c>); empty for no namespace.</summary>
        public static string Of(INamespaceSymbol? ns) => ns is null ? string.Empty : Names.GetValue(ns, static n => n.ToDisplayString());

        /// <summary>True when <paramref name="ns"/> is one of <paramref name="prefixes"/> or nested in one.</summary>
        public static bool IsWithin(INamespaceSymbol? ns, string[] prefixes)
        {
            var name = Of(ns);
            foreach (var prefix in prefixes)
            {
                if (name.StartsWith(prefix, StringComparison.Ordinal) && (name.Length == prefix.Length || name[prefix.Length] == '.'))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
