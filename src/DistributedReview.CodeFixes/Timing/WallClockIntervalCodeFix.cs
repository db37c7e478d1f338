using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace DistributedReview.Timing
{
    /// <summary>
    /// DR1001 fix: measure with a monotonic Stopwatch timestamp (<c>Stopwatch.GetTimestamp()</c> +
    /// <c>Stopwatch.GetElapsedTime(start)</c> on .NET 7+, <c>Stopwatch.StartNew()</c> + <c>.Elapsed</c> before,
    /// the TimeProvider's own timestamps when the reads go through one).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WallClockIntervalCodeFix)), Shared]
    public sealed class WallClockIntervalCodeFix : MonotonicRewriteCodeFix
    {
        public const string Title = "Measure with a monotonic Stopwatch timestamp";

        public WallClockIntervalCodeFix()
            : base(RuleIds.WallClockInterval, Title, MonotonicRewrite.Kind.IntervalStart)
        {
        }
    }
}
