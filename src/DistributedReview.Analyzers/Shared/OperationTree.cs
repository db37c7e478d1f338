using Microsoft.CodeAnalysis;

namespace DistributedReview
{
    /// <summary>Where an operation sits in the tree of the body that holds it.</summary>
    internal static class OperationTree
    {
        /// <summary>The top of <paramref name="operation"/>'s tree: the body (or initializer) it belongs to, lambdas and local functions included.</summary>
        public static IOperation RootOf(IOperation operation)
        {
            while (operation.Parent is { } parent)
            {
                operation = parent;
            }

            return operation;
        }
    }
}
