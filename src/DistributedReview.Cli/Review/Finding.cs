using System.Collections.Immutable;
using System.Linq;

namespace DistributedReview.Cli.Review
{
    /// <summary>One diagnostic as the report presents it. Paths are absolute; reports make them relative.</summary>
    internal sealed record Finding(
        RuleInfo Rule,
        string Path,
        int Line,
        int Column,
        int EndLine,
        int EndColumn,
        int Confidence,
        string Message,
        string? FixTitle)
    {
        public bool IsCritical => Rule.IsCritical;

        /// <summary>The code fix offered for this very finding (its title), or null when the rule has none here.</summary>
        public bool FixOffered => FixTitle is not null;
    }

    /// <summary>A file a --fix run rewrote, with the rules whose findings went away.</summary>
    internal sealed record FixedFile(string Path, ImmutableArray<(string RuleId, int Count)> Rules);

    internal sealed record ReviewResult(
        ImmutableArray<Finding> Findings,
        int FileCount,
        ImmutableArray<string> Files,
        Architecture Architecture,
        ImmutableArray<FixedFile> FixedFiles,
        int MinConfidence)
    {
        public int CriticalCount => Findings.Count(f => f.IsCritical);

        public int ImportantCount => Findings.Count(f => !f.IsCritical);
    }
}
