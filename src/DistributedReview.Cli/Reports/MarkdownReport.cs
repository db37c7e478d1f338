using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using DistributedReview.Cli.Loading;
using DistributedReview.Cli.Review;

namespace DistributedReview.Cli.Reports
{
    /// <summary>The seed's report: findings grouped Critical / Important, architecture analysis, priorities, next steps.</summary>
    internal static class MarkdownReport
    {
        public static void Write(TextWriter writer, ReviewResult result, LoadedTarget target)
        {
            var scope = target.Scope;
            var w = new Lines(writer);
            var summary = $"Reviewed: `{scope.Display}` ({KindText(scope.Kind)}, {Plural(result.FileCount, "file")}, distributed system implementation)";
            var mode = $"Analysis: {target.ModeDescription}.";
            var confidence = $"Minimum confidence: {result.MinConfidence}%.";
            if (result.Findings.IsEmpty)
            {
                WriteWellDesigned(w, result, summary, mode, confidence);
                return;
            }

            w.Line("# 🔍 Distributed System Review Findings");
            w.Blank();
            w.Line(summary);
            w.Blank();
            w.Line(mode);
            w.Line(confidence);
            w.Line($"Findings: {result.CriticalCount} critical, {result.ImportantCount} important.");
            w.Blank();
            WriteFixedFiles(w, result, scope);

            WriteIssues(w, "Critical Issues", "Critical", result.Findings.Where(f => f.IsCritical).ToList(), scope);
            WriteIssues(w, "Important Issues", "Important", result.Findings.Where(f => !f.IsCritical).ToList(), scope);
            WriteArchitecture(w, result.Architecture, AnyHelpUri);
            WritePriorities(w, result, scope);

            w.Line("## Next Steps");
            w.Blank();
            w.Line("1. Review findings with team");
            w.Line("2. Prioritize fixes (critical bugs first)");
            w.Line("3. Implement high-priority fixes (`distributed-review --fix` applies the automatic ones)");
            w.Line("4. Test with partition simulation");
            w.Line("5. Monitor cluster health continuously");
        }

        private static void WriteWellDesigned(Lines w, ReviewResult result, string summary, string mode, string confidence)
        {
            var architecture = result.Architecture;
            w.Line("# ✅ Distributed System Review Complete - Well Designed");
            w.Blank();
            w.Line(summary);
            w.Blank();
            w.Line(mode);
            w.Line(confidence);
            w.Blank();
            WriteFixedFiles(w, result, null);
            w.Line("## Architecture Summary");
            w.Blank();
            foreach (var section in new[] { architecture.Clustering, architecture.Consensus, architecture.Coordination, architecture.Stores })
            {
                w.Line($"**{ShortHeading(section.Heading)}**: {section.Current}");
                w.Line($"- {section.Assessment}");
                w.Line($"- Status: {section.Status}");
                w.Blank();
            }

            w.Line("## Analysis");
            w.Blank();
            w.Line("✅ **Quorum**: no off-by-one majorities, no majorities of the visible nodes, no leader without a quorum check");
            w.Line("✅ **Clock usage**: no wall-clock intervals, deadlines, TickCount wrap or Stopwatch tick mix-ups");
            w.Line("✅ **Split-brain**: no auto-downing, no development clustering outside development");
            w.Line("✅ **Lost updates**: no unversioned read-modify-write, no non-atomic shared updates, no replica reads feeding writes");
            w.Line("✅ **Partitions**: remote waits bounded, retries back off, failures surface, locks checked");
            w.Line($"✅ **CAP tradeoffs**: {architecture.CapStance}");
            w.Blank();
            w.Line("## Recommendations");
            w.Blank();
            w.Line("**Monitoring and testing**:");
            var n = 1;
            foreach (var item in architecture.LowPriority)
            {
                w.Line($"{n++}. {item}");
            }

            w.Blank();
            w.Line("Distributed system is production-ready as far as these rules can tell!");
        }

        private static void WriteFixedFiles(Lines w, ReviewResult result, Scope? scope)
        {
            if (result.FixedFiles.IsDefaultOrEmpty)
            {
                return;
            }

            w.Line("## Applied Fixes");
            w.Blank();
            foreach (var file in result.FixedFiles)
            {
                var rules = string.Join(", ", file.Rules.Select(r => r.Count == 1 ? r.RuleId : $"{r.RuleId} ×{r.Count}"));
                w.Line($"- `{(scope is null ? Path.GetFileName(file.Path) : scope.Relative(file.Path))}`: {rules}");
            }

            w.Blank();
            w.Line("The findings below are what remains after the fixes.");
            w.Blank();
        }

        private static void WriteIssues(Lines w, string heading, string impact, IReadOnlyList<Finding> findings, Scope scope)
        {
            w.Line($"## {heading}");
            w.Blank();
            if (findings.Count == 0)
            {
                w.Line($"None. ✓");
                w.Blank();
                return;
            }

            foreach (var finding in findings)
            {
                w.Line($"### [{impact}] {finding.Rule.Title} ({finding.Rule.Id})");
                w.Line($"**Location**: `{scope.Relative(finding.Path)}:{finding.Line.ToString(CultureInfo.InvariantCulture)}`");
                w.Line($"**Confidence**: {finding.Confidence.ToString(CultureInfo.InvariantCulture)}%");
                w.Blank();
                w.Line($"**Problem**: {finding.Message}.");
                w.Blank();
                w.Line($"**Impact**: {finding.Rule.Description}");
                w.Blank();
                w.Line($"**Fix**: {FixText(finding)}");
                w.Blank();
                w.Line($"**Docs**: {finding.Rule.HelpUri}");
                w.Blank();
            }
        }

        /// <summary>What the fix does (the docs page's words), and how to apply it when one is offered here.</summary>
        public static string FixText(Finding finding) =>
            finding.FixOffered
                ? $"{finding.Rule.FixText} Automatic: **{finding.FixTitle}** (`distributed-review --fix`, the IDE's lightbulb, or `dotnet format analyzers --diagnostics {finding.Rule.Id}`)."
                : finding.Rule.HasCodeFix
                    ? $"{finding.Rule.FixText} The automatic fix does not apply to this code; change it by hand as the docs page shows."
                    : finding.Rule.FixText;

        private static void WriteArchitecture(Lines w, Architecture architecture, string anyHelpUri)
        {
            w.Line("## Architecture Analysis");
            w.Blank();
            foreach (var section in architecture.Sections)
            {
                w.Line($"### {section.Heading}");
                w.Line($"**Current**: {section.Current}");
                w.Line($"**Assessment**: {section.Assessment}");
                w.Line($"**Status**: {section.Status}");
                w.Blank();
                w.Line($"For {section.Topic.Replace('-', ' ')} patterns: see {TopicUri(anyHelpUri, section.Topic)}");
                w.Blank();
            }
        }

        private static void WritePriorities(Lines w, ReviewResult result, Scope scope)
        {
            w.Line("## Recommendations Priority");
            w.Blank();
            var n = 1;
            void Group(string heading, IEnumerable<Finding> findings)
            {
                w.Line($"### {heading}");
                var any = false;
                foreach (var rule in findings.GroupBy(f => f.Rule.Id).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    any = true;
                    var first = rule.First();
                    var locations = string.Join(", ", rule.Take(3).Select(f => $"`{scope.Relative(f.Path)}:{f.Line}`")) + (rule.Count() > 3 ? ", ..." : string.Empty);
                    var how = rule.All(f => f.FixOffered) ? "automatic fix" : rule.Any(f => f.FixOffered) ? "partly automatic fix" : "manual change";
                    w.Line($"{n++}. {first.Rule.Id} {first.Rule.Title}: {Plural(rule.Count(), "finding")} ({locations}) — {how}");
                }

                if (!any)
                {
                    w.Line("None.");
                }

                w.Blank();
            }

            Group("High Priority (This Sprint)", result.Findings.Where(f => f.IsCritical));
            Group("Medium Priority (Next Sprint)", result.Findings.Where(f => !f.IsCritical));
            w.Line("### Low Priority");
            foreach (var item in result.Architecture.LowPriority)
            {
                w.Line($"{n++}. {item}");
            }

            w.Blank();
        }

        private static string AnyHelpUri => RuleCatalog.Rules.Values.OrderBy(r => r.Id, StringComparer.Ordinal).First().HelpUri;

        public static string TopicUri(string anyHelpUri, string topic)
        {
            var index = anyHelpUri.LastIndexOf("/rules/", StringComparison.Ordinal);
            return index < 0 ? $"docs/topics/{topic}.md" : anyHelpUri.Substring(0, index) + $"/topics/{topic}.md";
        }

        private static string ShortHeading(string heading) => heading.Replace(" Strategy", string.Empty).Replace(" Algorithm", string.Empty);

        public static string KindText(TargetKind kind) => kind switch
        {
            TargetKind.Solution => "solution",
            TargetKind.Project => "project",
            TargetKind.Folder => "folder",
            TargetKind.File => "file",
            _ => "configuration file",
        };

        private static string Plural(int count, string noun) => count == 1 ? "1 " + noun : $"{count} {noun}s";

        /// <summary>Writes lines with '\n' on every platform, so reports are byte-for-byte comparable.</summary>
        private sealed class Lines
        {
            private readonly TextWriter _writer;

            public Lines(TextWriter writer) => _writer = writer;

            public void Line(string text) => _writer.Write(text + "\n");

            public void Blank() => _writer.Write("\n");
        }
    }
}
