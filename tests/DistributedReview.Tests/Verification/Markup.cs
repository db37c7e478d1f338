using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Tests.Verification;

/// <summary>An expected diagnostic: its ID and the exact span of the squiggle.</summary>
public sealed record ExpectedDiagnostic(string Id, TextSpan Span);

/// <summary>
/// Test markup: <c>[|code|]</c> marks a squiggle of the rule under test, <c>{|DR1001:code|}</c> one of a named rule.
/// </summary>
public static class Markup
{
    public static (string Source, IReadOnlyList<ExpectedDiagnostic> Expected) Parse(string markup, string defaultId)
    {
        var source = new StringBuilder();
        var expected = new List<ExpectedDiagnostic>();
        var open = new Stack<(string Id, int Start)>();
        for (var i = 0; i < markup.Length; i++)
        {
            if (Starts(markup, i, "[|"))
            {
                open.Push((defaultId, source.Length));
                i++;
            }
            else if (Starts(markup, i, "{|") && markup.IndexOf(':', i) is var colon && colon > i && IsId(markup.Substring(i + 2, colon - i - 2)))
            {
                open.Push((markup.Substring(i + 2, colon - i - 2), source.Length));
                i = colon;
            }
            else if (Starts(markup, i, "|]") || Starts(markup, i, "|}"))
            {
                if (open.Count == 0)
                {
                    throw new ArgumentException($"Unbalanced markup at offset {i}.");
                }

                var (id, start) = open.Pop();
                expected.Add(new ExpectedDiagnostic(id, TextSpan.FromBounds(start, source.Length)));
                i++;
            }
            else
            {
                source.Append(markup[i]);
            }
        }

        if (open.Count != 0)
        {
            throw new ArgumentException("Unclosed markup.");
        }

        return (source.ToString(), expected.OrderBy(e => e.Span.Start).ThenBy(e => e.Id, StringComparer.Ordinal).ToList());
    }

    /// <summary>Writes diagnostics back into the source as markup, to show what was found.</summary>
    public static string Annotate(string source, IEnumerable<ExpectedDiagnostic> diagnostics)
    {
        var inserts = diagnostics
            .SelectMany(d => new[] { (At: d.Span.Start, Text: "{|" + d.Id + ":", Order: 1), (At: d.Span.End, Text: "|}", Order: 0) })
            .OrderByDescending(x => x.At).ThenBy(x => x.Order);
        var builder = new StringBuilder(source);
        foreach (var (at, text, _) in inserts)
        {
            builder.Insert(at, text);
        }

        return builder.ToString();
    }

    private static bool Starts(string text, int index, string token) => string.CompareOrdinal(text, index, token, 0, token.Length) == 0;

    private static bool IsId(string candidate) => candidate.Length > 0 && candidate.All(char.IsLetterOrDigit);
}
