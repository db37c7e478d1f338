using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DistributedReview
{
    /// <summary>
    /// What the rules that analyse type by type share: values are followed through a whole type (fields are written
    /// in one member and read in another), so those rules collect during the type's analysis and decide at its end.
    /// </summary>
    internal static class TypeScopedAnalysis
    {
        /// <summary>
        /// True when the operation belongs to a member of <paramref name="type"/> itself: operations of nested types are
        /// also seen by the outer type's actions, and must be counted once, by their own type.
        /// </summary>
        public static bool IsOwnOperation(OperationAnalysisContext context, INamedTypeSymbol type) =>
            SymbolEqualityComparer.Default.Equals(context.ContainingSymbol.ContainingType, type);
    }
}
