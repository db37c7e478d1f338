using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DistributedReview
{
    /// <summary>
    /// The operation blocks of one type, with the member (or accessor, or initialized field) that owns each; nested
    /// types' members are included. In the shared pass one block action collects them for every rule that asks
    /// (<see cref="SharedPass"/>); a rule analyzer run on its own registers its own.
    /// </summary>
    internal sealed class TypeBlocks
    {
        private readonly List<(ImmutableArray<IOperation> Blocks, ISymbol Owner)> _members = new();

        /// <summary>The blocks of <paramref name="context"/>'s type, as the driver reports them until the type's end.</summary>
        public static TypeBlocks Of(SymbolStartAnalysisContext context)
        {
            if (context is SharedPass.IHasTypeBlocks scope)
            {
                return scope.TypeBlocks;
            }

            var blocks = new TypeBlocks();
            context.RegisterOperationBlockAction(blocks.Add);
            return blocks;
        }

        public void Add(OperationBlockAnalysisContext block)
        {
            lock (_members)
            {
                _members.Add((block.OperationBlocks, block.OwningSymbol));
            }
        }

        /// <summary>The blocks seen so far; complete at the type's end.</summary>
        public List<(ImmutableArray<IOperation> Blocks, ISymbol Owner)> ToList()
        {
            lock (_members)
            {
                return _members.ToList();
            }
        }
    }
}
