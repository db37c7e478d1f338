using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using DistributedReview.Cli.Loading;
using DistributedReview.Cli.Review;

namespace DistributedReview.Cli.Reports
{
    /// <summary>SARIF 2.1.0, as GitHub code scanning accepts it: paths relative to the report's base folder (the repository root in CI).</summary>
    internal static class SarifReport
    {
        public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

        public static void Write(TextWriter writer, ReviewResult result, LoadedTarget target)
        {
            var scope = target.Scope;
            var rules = RuleCatalog.Rules.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream, JsonReport.Options))
            {
                json.WriteStartObject();
                json.WriteString("$schema", SchemaUri);
                json.WriteString("version", "2.1.0");
                json.WriteStartArray("runs");
                json.WriteStartObject();

                json.WriteStartObject("tool");
                json.WriteStartObject("driver");
                json.WriteString("name", "DistributedReview");
                json.WriteString("informationUri", InformationUri(rules));
                json.WriteString("version", RuleCatalog.ToolVersion);
                json.WriteString("semanticVersion", RuleCatalog.ToolVersion);
                json.WriteStartArray("rules");
                foreach (var rule in rules)
                {
                    json.WriteStartObject();
                    json.WriteString("id", rule.Id);
                    json.WriteString("name", string.Concat(rule.Title.Split(' ', '-', '.').Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w.Substring(1))));
                    json.WriteStartObject("shortDescription");
                    json.WriteString("text", rule.Title);
                    json.WriteEndObject();
                    json.WriteStartObject("fullDescription");
                    json.WriteString("text", rule.Description);
                    json.WriteEndObject();
                    json.WriteString("helpUri", rule.HelpUri);
                    json.WriteStartObject("help");
                    json.WriteString("text", rule.FixText);
                    json.WriteEndObject();
                    json.WriteStartObject("defaultConfiguration");
                    json.WriteString("level", Level(rule));
                    json.WriteEndObject();
                    json.WriteStartObject("properties");
                    json.WriteStartArray("tags");
                    json.WriteStringValue(rule.Topic);
                    json.WriteStringValue(rule.Impact);
                    json.WriteEndArray();
                    json.WriteString("impact", rule.Impact);
                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndObject();

                json.WriteStartObject("automationDetails");
                json.WriteString("id", "distributed-review/" + scope.Display + "/");
                json.WriteEndObject();

                json.WriteStartArray("results");
                foreach (var finding in result.Findings)
                {
                    json.WriteStartObject();
                    json.WriteString("ruleId", finding.Rule.Id);
                    json.WriteNumber("ruleIndex", rules.FindIndex(r => r.Id == finding.Rule.Id));
                    json.WriteString("level", Level(finding.Rule));
                    json.WriteStartObject("message");
                    json.WriteString("text", $"{finding.Message} (confidence {finding.Confidence}%)");
                    json.WriteEndObject();
                    json.WriteStartArray("locations");
                    json.WriteStartObject();
                    json.WriteStartObject("physicalLocation");
                    json.WriteStartObject("artifactLocation");
                    json.WriteString("uri", Uri.EscapeDataString(scope.Relative(finding.Path)).Replace("%2F", "/"));
                    json.WriteString("uriBaseId", "%SRCROOT%");
                    json.WriteEndObject();
                    json.WriteStartObject("region");
                    json.WriteNumber("startLine", finding.Line);
                    json.WriteNumber("startColumn", finding.Column);
                    json.WriteNumber("endLine", finding.EndLine);
                    json.WriteNumber("endColumn", finding.EndColumn);
                    json.WriteEndObject();
                    json.WriteEndObject();
                    json.WriteEndObject();
                    json.WriteEndArray();
                    json.WriteStartObject("properties");
                    json.WriteNumber("confidence", finding.Confidence);
                    json.WriteString("impact", finding.Rule.Impact);
                    json.WriteBoolean("fixAvailable", finding.FixOffered);
                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                json.WriteEndArray();

                json.WriteStartObject("properties");
                json.WriteString("analysisMode", target.Mode == AnalysisMode.MSBuild ? "msbuild" : "reference-assemblies");
                json.WriteNumber("fileCount", result.FileCount);
                json.WriteNumber("minConfidence", result.MinConfidence);
                json.WriteEndObject();

                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
            }

            writer.Write(Encoding.UTF8.GetString(stream.ToArray()));
            writer.Write("\n");
        }

        private static string Level(RuleInfo rule) => rule.IsCritical ? "error" : "warning";

        private static string InformationUri(System.Collections.Generic.IReadOnlyList<RuleInfo> rules)
        {
            var help = rules.Count > 0 ? rules[0].HelpUri : string.Empty;
            var index = help.IndexOf("/blob/", StringComparison.Ordinal);
            return index < 0 ? help : help.Substring(0, index);
        }
    }
}
