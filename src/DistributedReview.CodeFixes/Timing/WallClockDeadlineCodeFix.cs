using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace DistributedReview.Timing
{
    /// <summary>
    /// DR1002 fix: keep the deadline as a monotonic timestamp
    /// (<c>Stopwatch.GetTimestamp() + (long)(ttl.TotalSeconds * Stopwatch.Frequency)</c>, compared with
    /// <c>Stopwatch.GetTimestamp()</c>; the TimeProvider's own timestamps when the reads go through one).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WallClockDeadlineCodeFix)), Shared]
    public sealed class WallClockDeadlineCodeFix : MonotonicRewriteCodeFix
    {
        public const string Title = "Keep the deadline as a monotonic timestamp";

        public WallClockDeadlineCodeFix()
            : base(RuleIds.WallClockDeadline, Title, MonotonicRewrite.Kind.Deadline)
        {
        }
    }
}
