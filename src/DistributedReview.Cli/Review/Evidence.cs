using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace DistributedReview.Cli.Review
{
    /// <summary>What the architecture analysis looks at: referenced assemblies, identifiers in scope, configuration files.</summary>
    internal sealed class Evidence
    {
        private readonly HashSet<string> _assemblies = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _identifiers = new(StringComparer.Ordinal);
        private readonly HashSet<string> _words = new(StringComparer.Ordinal);
        private readonly List<(string Path, string Text)> _configurations = new();

        public IReadOnlyCollection<string> Assemblies => _assemblies;

        public IReadOnlyList<(string Path, string Text)> Configurations => _configurations;

        public void AddAssemblies(IEnumerable<string> names)
        {
            foreach (var name in names)
            {
                _assemblies.Add(name);
            }
        }

        public void AddIdentifiers(IEnumerable<string> identifiers)
        {
            foreach (var identifier in identifiers)
            {
                if (_identifiers.Add(identifier))
                {
                    foreach (Match word in Regex.Matches(identifier, "[A-Z]?[a-z]+|[A-Z]+(?![a-z])"))
                    {
                        _words.Add(word.Value.ToLowerInvariant());
                    }
                }
            }
        }

        public void AddConfiguration(string path, string text) => _configurations.Add((path, text));

        public bool HasAssembly(params string[] prefixes) =>
            _assemblies.Any(a => prefixes.Any(p => a.Equals(p, StringComparison.OrdinalIgnoreCase) || a.StartsWith(p + ".", StringComparison.OrdinalIgnoreCase)));

        public bool HasIdentifier(params string[] identifiers) => identifiers.Any(_identifiers.Contains);

        /// <summary>Identifier words (camel-case parts, lower case) in scope, e.g. "quorum" from WriteQuorum.</summary>
        public bool HasWord(params string[] words) => words.Any(_words.Contains);

        public IEnumerable<(string Path, string Text)> ConfigurationsMatching(string pattern) =>
            _configurations.Where(c => Regex.IsMatch(c.Text, pattern, RegexOptions.IgnoreCase | RegexOptions.Multiline));
    }
}
