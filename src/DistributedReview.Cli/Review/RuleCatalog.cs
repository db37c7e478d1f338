using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DistributedReview.Cli.Review
{
    /// <summary>A rule as the report describes it: from its descriptor and its docs page, nothing written twice.</summary>
    internal sealed record RuleInfo(
        string Id,
        string Title,
        string Topic,
        string Impact,
        string Description,
        string HelpUri,
        string FixText,
        bool HasCodeFix)
    {
        public bool IsCritical => Impact == "Critical";
    }

    /// <summary>
    /// Every analyzer and code fix the package ships, found by reflection over the two assemblies as a host finds them,
    /// and each rule's report text: title, impact and topic from the descriptor (its custom tags), the fix approach from
    /// the first paragraph of the docs page's "What the code fix does" section (the pages are embedded resources).
    /// </summary>
    internal static class RuleCatalog
    {
        private const string ImpactTagPrefix = "Impact=";
        private const string TopicTagPrefix = "Topic=";

        private static readonly Lazy<ImmutableArray<Type>> AnalyzerTypes = new(() => TypesWith<DiagnosticAnalyzer, DiagnosticAnalyzerAttribute>());
        private static readonly Lazy<ImmutableArray<Type>> FixerTypes = new(() => TypesWith<CodeFixProvider, ExportCodeFixProviderAttribute>());
        private static readonly Lazy<ImmutableDictionary<string, RuleInfo>> RuleMap = new(BuildRules);

        /// <summary>The analyzer assembly (DistributedReview.Analyzers) and the code-fix assembly (DistributedReview.CodeFixes).</summary>
        public static ImmutableArray<Assembly> Assemblies { get; } = LoadAssemblies();

        public static ImmutableDictionary<string, RuleInfo> Rules => RuleMap.Value;

        public static ImmutableArray<DiagnosticAnalyzer> CreateAnalyzers() =>
            AnalyzerTypes.Value.Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!).ToImmutableArray();

        public static ImmutableArray<CodeFixProvider> CreateCodeFixes() =>
            FixerTypes.Value.Select(t => (CodeFixProvider)Activator.CreateInstance(t)!).ToImmutableArray();

        public static string ToolVersion =>
            typeof(RuleCatalog).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? typeof(RuleCatalog).Assembly.GetName().Version?.ToString()
            ?? "0.0.0";

        /// <summary>The first paragraph of a section of a rule's docs page, as one line; null when absent.</summary>
        public static string? DocsParagraph(string ruleId, string sectionHeading)
        {
            var page = DocsPage(ruleId);
            if (page is null)
            {
                return null;
            }

            var lines = page.Replace("\r\n", "\n").Split('\n');
            var start = Array.FindIndex(lines, l => l.Trim().Equals("## " + sectionHeading, StringComparison.OrdinalIgnoreCase));
            if (start < 0)
            {
                return null;
            }

            var paragraph = new StringBuilder();
            for (var i = start + 1; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                if (line.Length == 0)
                {
                    if (paragraph.Length > 0)
                    {
                        break;
                    }

                    continue;
                }

                if (line.StartsWith("#", StringComparison.Ordinal) || line.StartsWith("```", StringComparison.Ordinal) || line.StartsWith("|", StringComparison.Ordinal))
                {
                    break;
                }

                paragraph.Append(paragraph.Length > 0 ? " " : string.Empty).Append(line);
            }

            var text = paragraph.ToString().Trim();
            if (text.EndsWith(":", StringComparison.Ordinal))
            {
                // The paragraph introduces a table or list: end it there, dropping a bare lead-in sentence ("It rewrites, together:").
                var lastSentence = text.LastIndexOf(". ", StringComparison.Ordinal);
                text = lastSentence > 0 && text.Length - lastSentence < 40
                    ? text.Substring(0, lastSentence + 1)
                    : text.Substring(0, text.Length - 1) + ".";
            }

            return text.Length == 0 ? null : text;
        }

        /// <summary>The embedded docs page of a rule (docs/rules/&lt;ID&gt;.md).</summary>
        public static string? DocsPage(string ruleId)
        {
            using var stream = typeof(RuleCatalog).Assembly.GetManifestResourceStream("rules/" + ruleId + ".md");
            if (stream is null)
            {
                return null;
            }

            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }

        private static ImmutableDictionary<string, RuleInfo> BuildRules()
        {
            var fixable = new HashSet<string>(CreateCodeFixes().SelectMany(f => f.FixableDiagnosticIds), StringComparer.Ordinal);
            var builder = ImmutableDictionary.CreateBuilder<string, RuleInfo>(StringComparer.Ordinal);
            foreach (var descriptor in CreateAnalyzers().SelectMany(a => a.SupportedDiagnostics))
            {
                if (builder.ContainsKey(descriptor.Id))
                {
                    continue;
                }

                var tags = descriptor.CustomTags.ToList();
                string Tag(string prefix, string fallback) =>
                    tags.FirstOrDefault(t => t.StartsWith(prefix, StringComparison.Ordinal))?.Substring(prefix.Length) ?? fallback;

                var fixText = DocsParagraph(descriptor.Id, "What the code fix does")
                    ?? (fixable.Contains(descriptor.Id) ? "A code fix is available." : "There is no code fix; the docs page shows the approach.");
                builder[descriptor.Id] = new RuleInfo(
                    descriptor.Id,
                    descriptor.Title.ToString(),
                    Tag(TopicTagPrefix, descriptor.Category),
                    Tag(ImpactTagPrefix, "Important"),
                    descriptor.Description.ToString(),
                    descriptor.HelpLinkUri,
                    fixText,
                    fixable.Contains(descriptor.Id));
            }

            return builder.ToImmutable();
        }

        private static ImmutableArray<Assembly> LoadAssemblies()
        {
            // Loaded by name: the tool references both projects, so both assemblies sit next to it.
            var codeFixes = Assembly.Load(new AssemblyName("DistributedReview.CodeFixes"));
            var analyzers = Assembly.Load(new AssemblyName("DistributedReview.Analyzers"));
            return ImmutableArray.Create(analyzers, codeFixes);
        }

        private static ImmutableArray<Type> TypesWith<TBase, TAttribute>()
            where TAttribute : Attribute =>
            Assemblies
                .SelectMany(a => a.GetTypes())
                .Where(t => !t.IsAbstract && typeof(TBase).IsAssignableFrom(t) && t.GetCustomAttribute<TAttribute>() is not null)
                .OrderBy(t => t.FullName, StringComparer.Ordinal)
                .ToImmutableArray();
    }
}
