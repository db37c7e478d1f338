using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DistributedReview
{
    /// <summary>
    /// Reports diagnostics with a confidence percentage: in <c>Properties["Confidence"]</c> and at the end of
    /// the message. Findings below <c>distributed_review.min_confidence</c> (.editorconfig, default 50) are dropped.
    /// </summary>
    internal static class Confidence
    {
        public const string PropertyName = "Confidence";
        public const string MinimumOptionName = "distributed_review.min_confidence";
        public const int DefaultMinimum = 50;

        /// <summary>Adds evidence to a base confidence, keeping the result a sane percentage.</summary>
        public static int Clamp(int confidence) => Math.Max(1, Math.Min(99, confidence));

        /// <summary>
        /// Base confidence for a finding whose evidence was kept in <paramref name="variable"/>: a local has every write
        /// in view (95); a private field or auto-property has them all in this type (80); anything else can also be
        /// written from code not analysed here (70).
        /// </summary>
        public static int ForValueKeptIn(ISymbol variable) => variable switch
        {
            ILocalSymbol => 95,
            { DeclaredAccessibility: Accessibility.Private } => 80,
            _ => 70,
        };

        public static int MinimumFor(AnalyzerOptions options, SyntaxTree tree) =>
            MinimumFrom(options.AnalyzerConfigOptionsProvider.GetOptions(tree), options);

        /// <summary>The minimum for findings in an additional file (HOCON and other configuration files).</summary>
        public static int MinimumFor(AnalyzerOptions options, AdditionalText file) =>
            MinimumFrom(options.AnalyzerConfigOptionsProvider.GetOptions(file), options);

        private static int MinimumFrom(AnalyzerConfigOptions fileOptions, AnalyzerOptions options)
        {
            if ((fileOptions.TryGetValue(MinimumOptionName, out var text)
                    || options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(MinimumOptionName, out text))
                && int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var minimum))
            {
                return Math.Max(0, Math.Min(100, minimum));
            }

            return DefaultMinimum;
        }

        /// <summary>
        /// Reports <paramref name="rule"/> at <paramref name="location"/> unless the confidence is below the
        /// configured minimum. <paramref name="messageArgs"/> fill the rule's own placeholders.
        /// </summary>
        public static void Report(
            Action<Diagnostic> report,
            AnalyzerOptions options,
            DiagnosticDescriptor rule,
            Location location,
            int confidence,
            ImmutableDictionary<string, string?>? properties = null,
            params object[] messageArgs)
        {
            if (location.SourceTree is { } tree && confidence < MinimumFor(options, tree))
            {
                return;
            }

            var allProperties = (properties ?? ImmutableDictionary<string, string?>.Empty)
                .SetItem(PropertyName, confidence.ToString(CultureInfo.InvariantCulture));
            var args = messageArgs.Concat(new object[] { confidence }).ToArray();
            report(Diagnostic.Create(rule, location, allProperties, args));
        }
    }
}
