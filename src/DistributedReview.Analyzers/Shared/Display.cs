using System;
using Microsoft.CodeAnalysis;

namespace DistributedReview
{
    /// <summary>Code as quoted in a diagnostic message: on one line, shortened when long.</summary>
    internal static class Display
    {
        private const int MaxLength = 80;

        public static string Of(SyntaxNode node)
        {
            var text = string.Join(" ", node.ToString().Split(new[] { '\r', '\n', ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries));
            return text.Length <= MaxLength ? text : text.Substring(0, MaxLength - 3) + "...";
        }
    }
}
