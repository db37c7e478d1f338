using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace DistributedReview
{
    /// <summary>
    /// The single descriptor factory: nothing else constructs a <see cref="DiagnosticDescriptor"/>.
    /// Every message ends with the confidence placeholder filled in by <see cref="Confidence"/>.
    /// </summary>
    internal static class Rules
    {
        public const string RepositoryUrl = "https://github.com/DistributedReview/DistributedReview";
        public const string HelpLinkBase = RepositoryUrl + "/blob/main/docs/rules/";
        public const string CategoryPrefix = "DistributedReview.";
        public const string TopicTagPrefix = "Topic=";
        public const string ImpactTagPrefix = "Impact=";

        public static readonly DiagnosticDescriptor WallClockInterval = Create(
            RuleIds.WallClockInterval,
            Topic.Timing,
            Impact.Important,
            title: "Elapsed time measured with a wall clock",
            messageFormat: "'{0}' measures elapsed time with the wall clock, which NTP or an operator can step backwards or forwards; measure it with a monotonic Stopwatch timestamp",
            description: "DateTime/DateTimeOffset/TimeProvider 'now' values follow the system clock, which jumps when NTP steps it, on daylight-saving changes (DateTime.Now) or when an operator sets it. "
                + "An interval computed from two wall-clock reads can be negative or hours long, so heartbeats, leases and timeouts fire too early or never. Use Stopwatch.GetTimestamp() and Stopwatch.GetElapsedTime(start).");

        private static DiagnosticDescriptor Create(string id, Topic topic, Impact impact, string title, string messageFormat, string description)
        {
            var confidenceIndex = CountPlaceholders(messageFormat);
            return new DiagnosticDescriptor(
                id,
                title,
                messageFormat + " (confidence {" + confidenceIndex + "}%)",
                CategoryPrefix + topic,
                DiagnosticSeverity.Warning,
                isEnabledByDefault: true,
                description: description,
                helpLinkUri: HelpLinkBase + id + ".md",
                customTags: new[] { TopicTagPrefix + topic, ImpactTagPrefix + impact });
        }

        private static int CountPlaceholders(string format)
        {
            var highest = -1;
            foreach (Match match in Regex.Matches(format, @"\{(\d+)\}"))
            {
                highest = System.Math.Max(highest, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }

            return highest + 1;
        }
    }
}
