using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DistributedReview.Cli.Loading;
using DistributedReview.Cli.Review;

namespace DistributedReview.Cli.Reports
{
    /// <summary>The report as JSON for scripts: the same content as the Markdown report, with stable property names.</summary>
    internal static class JsonReport
    {
        public static void Write(TextWriter writer, ReviewResult result, LoadedTarget target)
        {
            var scope = target.Scope;
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream, Options))
            {
                json.WriteStartObject();
                json.WriteString("tool", "distributed-review");
                json.WriteString("version", RuleCatalog.ToolVersion);
                json.WriteStartObject("scope");
                json.WriteString("target", scope.Display);
                json.WriteString("kind", MarkdownReport.KindText(scope.Kind));
                json.WriteNumber("fileCount", result.FileCount);
                json.WriteStartArray("files");
                foreach (var file in result.Files)
                {
                    json.WriteStringValue(scope.Relative(file));
                }

                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteStartObject("analysis");
                json.WriteString("mode", target.Mode == AnalysisMode.MSBuild ? "msbuild" : "reference-assemblies");
                json.WriteString("description", target.ModeDescription);
                json.WriteNumber("minConfidence", result.MinConfidence);
                json.WriteEndObject();
                json.WriteStartObject("summary");
                json.WriteNumber("critical", result.CriticalCount);
                json.WriteNumber("important", result.ImportantCount);
                json.WriteBoolean("wellDesigned", result.Findings.IsEmpty);
                json.WriteString("capStance", result.Architecture.CapStance);
                json.WriteEndObject();

                json.WriteStartArray("findings");
                foreach (var finding in result.Findings)
                {
                    json.WriteStartObject();
                    json.WriteString("ruleId", finding.Rule.Id);
                    json.WriteString("title", finding.Rule.Title);
                    json.WriteString("impact", finding.Rule.Impact);
                    json.WriteString("topic", finding.Rule.Topic);
                    json.WriteNumber("confidence", finding.Confidence);
                    json.WriteString("path", scope.Relative(finding.Path));
                    json.WriteNumber("line", finding.Line);
                    json.WriteNumber("column", finding.Column);
                    json.WriteNumber("endLine", finding.EndLine);
                    json.WriteNumber("endColumn", finding.EndColumn);
                    json.WriteString("problem", finding.Message);
                    json.WriteString("consequences", finding.Rule.Description);
                    json.WriteString("fix", finding.Rule.FixText);
                    json.WriteBoolean("fixAvailable", finding.FixOffered);
                    if (finding.FixTitle is { } title)
                    {
                        json.WriteString("fixTitle", title);
                    }

                    json.WriteString("helpUri", finding.Rule.HelpUri);
                    json.WriteEndObject();
                }

                json.WriteEndArray();

                json.WriteStartObject("architecture");
                foreach (var section in result.Architecture.Sections)
                {
                    json.WriteStartObject(JsonNamingPolicy.CamelCase.ConvertName(section.Heading.Split(' ')[0]));
                    json.WriteString("heading", section.Heading);
                    json.WriteString("current", section.Current);
                    json.WriteString("assessment", section.Assessment);
                    json.WriteString("status", section.Status);
                    json.WriteString("topic", section.Topic);
                    json.WriteEndObject();
                }

                json.WriteEndObject();

                json.WriteStartObject("recommendations");
                WriteGroup(json, "high", result, critical: true);
                WriteGroup(json, "medium", result, critical: false);
                json.WriteStartArray("low");
                foreach (var item in result.Architecture.LowPriority)
                {
                    json.WriteStringValue(item);
                }

                json.WriteEndArray();
                json.WriteEndObject();

                json.WriteStartArray("fixedFiles");
                foreach (var file in result.FixedFiles.IsDefault ? Enumerable.Empty<FixedFile>() : result.FixedFiles)
                {
                    json.WriteStartObject();
                    json.WriteString("path", scope.Relative(file.Path));
                    json.WriteStartArray("rules");
                    foreach (var (ruleId, count) in file.Rules)
                    {
                        json.WriteStartObject();
                        json.WriteString("ruleId", ruleId);
                        json.WriteNumber("fixed", count);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            writer.Write(Encoding.UTF8.GetString(stream.ToArray()));
            writer.Write("\n");
        }

        internal static JsonWriterOptions Options { get; } = new()
        {
            Indented = true,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        private static void WriteGroup(Utf8JsonWriter json, string name, ReviewResult result, bool critical)
        {
            json.WriteStartArray(name);
            foreach (var rule in result.Findings.Where(f => f.IsCritical == critical).GroupBy(f => f.Rule.Id).OrderBy(g => g.Key, System.StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("ruleId", rule.Key);
                json.WriteString("title", rule.First().Rule.Title);
                json.WriteNumber("count", rule.Count());
                json.WriteBoolean("automaticFix", rule.All(f => f.FixOffered));
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }
    }
}
