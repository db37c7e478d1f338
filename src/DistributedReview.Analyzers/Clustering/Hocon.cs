using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Clustering
{
    /// <summary>One scalar setting in HOCON text, <c>path = value</c>, with its place in the text.</summary>
    internal sealed class HoconSetting
    {
        public HoconSetting(ImmutableArray<string> path, int keyStart, int lastSegmentStart, int valueEnd, string? value)
        {
            Path = path;
            KeyStart = keyStart;
            LastSegmentStart = lastSegmentStart;
            ValueEnd = valueEnd;
            Value = value;
        }

        /// <summary>The full path, nesting included: <c>akka { cluster { x = 1 } }</c> gives akka, cluster, x.</summary>
        public ImmutableArray<string> Path { get; }

        public string Name => Path[Path.Length - 1];

        /// <summary>Where the key starts as written (<c>akka.cluster.x</c> starts at <c>akka</c>).</summary>
        public int KeyStart { get; }

        /// <summary>Where the key's last segment starts: the text before it is the path prefix written in the key.</summary>
        public int LastSegmentStart { get; }

        /// <summary>The end of the value's last non-blank character.</summary>
        public int ValueEnd { get; }

        /// <summary>The value, unquoted; null when it is only known at run time (a substitution, a C# interpolation).</summary>
        public string? Value { get; }

        public string PathText => string.Join(".", Path);
    }

    /// <summary>
    /// A small, forgiving HOCON reader: enough to find settings and their full paths (dotted keys, nested objects,
    /// <c>=</c> or <c>:</c>, quoted keys and values, <c>#</c> and <c>//</c> comments, arrays skipped). It never throws:
    /// text that is not HOCON is skipped a line (or a character) at a time.
    /// </summary>
    internal static class Hocon
    {
        /// <summary>Stands for text only known at run time (an interpolation hole, a variable).</summary>
        public const char Unknown = '\uFFFC';

        /// <summary>Deeper nesting than this is not configuration; stop rather than recurse without bound.</summary>
        private const int MaxDepth = 64;

        private static readonly string[] DurationUnits =
        {
            "ns", "nano", "nanos", "nanosecond", "nanoseconds", "us", "micro", "micros", "microsecond", "microseconds",
            "ms", "milli", "millis", "millisecond", "milliseconds", "s", "second", "seconds", "m", "minute", "minutes",
            "h", "hour", "hours", "d", "day", "days",
        };

        /// <summary>Every scalar setting of the text, in order of appearance.</summary>
        public static ImmutableArray<HoconSetting> Scan(string text) => new Scanner(text).Run();

        /// <summary>A HOCON duration: a number with an optional unit (<c>10s</c>, <c>30 s</c>, <c>1.5 minutes</c>, <c>500</c>).</summary>
        public static bool IsDuration(string value)
        {
            var text = value.Trim();
            var i = 0;
            while (i < text.Length && char.IsDigit(text[i]))
            {
                i++;
            }

            if (i == 0)
            {
                return false;
            }

            if (i < text.Length && text[i] == '.')
            {
                var fraction = ++i;
                while (i < text.Length && char.IsDigit(text[i]))
                {
                    i++;
                }

                if (i == fraction)
                {
                    return false;
                }
            }

            var unit = text.Substring(i).TrimStart();
            return unit.Length == 0 || Array.IndexOf(DurationUnits, unit) >= 0;
        }

        private sealed class Scanner
        {
            private readonly string _text;
            private readonly ImmutableArray<HoconSetting>.Builder _settings = ImmutableArray.CreateBuilder<HoconSetting>();
            private int _pos;

            public Scanner(string text) => _text = text;

            private bool AtEnd => _pos >= _text.Length;

            private char Current => _text[_pos];

            public ImmutableArray<HoconSetting> Run()
            {
                ParseFields(ImmutableArray<string>.Empty, depth: 0);
                return _settings.ToImmutable();
            }

            /// <summary>The fields of an object, up to its closing brace (for the root, to the end of the text).</summary>
            private void ParseFields(ImmutableArray<string> prefix, int depth)
            {
                while (true)
                {
                    SkipBlank(newlines: true);
                    if (AtEnd)
                    {
                        return;
                    }

                    var start = _pos;
                    switch (Current)
                    {
                        case '}':
                            _pos++;
                            if (depth > 0)
                            {
                                return;
                            }

                            continue;
                        case ',':
                            _pos++;
                            continue;
                        case '{':
                            _pos++;
                            OpenObject(prefix, depth);
                            continue;
                    }

                    ParseField(prefix, depth);
                    if (_pos == start)
                    {
                        _pos++;
                    }
                }
            }

            private void OpenObject(ImmutableArray<string> path, int depth)
            {
                if (depth >= MaxDepth)
                {
                    _pos = _text.Length;
                    return;
                }

                ParseFields(path, depth + 1);
            }

            private void ParseField(ImmutableArray<string> prefix, int depth)
            {
                var keyStart = _pos;
                var key = ReadKey(out var lastSegmentStart);
                if (key.IsDefaultOrEmpty)
                {
                    ReadValue(out _);
                    return;
                }

                var path = prefix.AddRange(key);
                SkipBlank(newlines: false);
                if (AtEnd)
                {
                    return;
                }

                if (Current == '{')
                {
                    _pos++;
                    OpenObject(path, depth);
                    return;
                }

                if (Current == '+' && Peek(1) == '=')
                {
                    _pos += 2;
                    SkipBlank(newlines: false);
                    SkipAnyValue();
                    return;
                }

                if (Current != '=' && Current != ':')
                {
                    ReadValue(out _);
                    return;
                }

                _pos++;
                SkipBlank(newlines: false);
                if (AtEnd)
                {
                    return;
                }

                if (Current == '{')
                {
                    _pos++;
                    OpenObject(path, depth);
                    return;
                }

                if (Current == '[')
                {
                    SkipBalanced();
                    return;
                }

                var valueStart = _pos;
                var value = ReadValue(out var valueEnd);
                if (valueEnd > valueStart)
                {
                    _settings.Add(new HoconSetting(path, keyStart, lastSegmentStart, valueEnd, value));
                }
            }

            /// <summary>A path expression: dot-separated unquoted or quoted segments. Default when there is none.</summary>
            private ImmutableArray<string> ReadKey(out int lastSegmentStart)
            {
                var segments = ImmutableArray.CreateBuilder<string>();
                var segment = new StringBuilder();
                var segmentHasText = false;
                lastSegmentStart = _pos;
                while (!AtEnd)
                {
                    var c = Current;
                    if (c == '"')
                    {
                        if (IsTripleQuote() || ReadQuoted() is not { } quoted)
                        {
                            return default;
                        }

                        segment.Append(quoted);
                        segmentHasText = true;
                    }
                    else if (c == '.')
                    {
                        if (!segmentHasText)
                        {
                            return default;
                        }

                        segments.Add(segment.ToString());
                        segment.Clear();
                        segmentHasText = false;
                        _pos++;
                        lastSegmentStart = _pos;
                    }
                    else if (IsUnquotedChar(c) && !StartsComment())
                    {
                        segment.Append(c);
                        segmentHasText = true;
                        _pos++;
                    }
                    else
                    {
                        break;
                    }
                }

                if (!segmentHasText)
                {
                    return default;
                }

                segments.Add(segment.ToString());
                return segments.ToImmutable();
            }

            /// <summary>
            /// A value up to the end of the line, a comma, a closing brace or bracket, or a comment; quoted parts are
            /// unquoted. Null when part of it is only known at run time.
            /// </summary>
            private string? ReadValue(out int valueEnd)
            {
                var value = new StringBuilder();
                var known = true;
                valueEnd = _pos;
                while (!AtEnd)
                {
                    var c = Current;
                    if (c is '\n' or ',' or '}' or ']' || StartsComment())
                    {
                        break;
                    }

                    if (c == '"')
                    {
                        var quoted = IsTripleQuote() ? ReadTripleQuoted() : ReadQuoted();
                        if (quoted is null)
                        {
                            known = false;
                            break;
                        }

                        value.Append(quoted);
                        valueEnd = _pos;
                        continue;
                    }

                    if ((c == '$' && Peek(1) == '{') || c is '{' or '[')
                    {
                        // A substitution, or an object or array concatenated to the value: not a plain value.
                        known = false;
                        if (c == '$')
                        {
                            _pos++;
                        }

                        SkipBalanced();
                        valueEnd = _pos;
                        continue;
                    }

                    if (c == Unknown)
                    {
                        known = false;
                    }

                    value.Append(c);
                    _pos++;
                    if (!char.IsWhiteSpace(c))
                    {
                        valueEnd = _pos;
                    }
                }

                return known ? value.ToString().Trim() : null;
            }

            private void SkipAnyValue()
            {
                if (!AtEnd && Current is '[' or '{')
                {
                    SkipBalanced();
                }
                else
                {
                    ReadValue(out _);
                }
            }

            /// <summary>Skips from an opening brace or bracket to its match, over strings and comments.</summary>
            private void SkipBalanced()
            {
                var depth = 0;
                while (!AtEnd)
                {
                    var c = Current;
                    if (c == '"')
                    {
                        if ((IsTripleQuote() ? ReadTripleQuoted() : ReadQuoted()) is null)
                        {
                            SkipToLineEnd();
                        }

                        continue;
                    }

                    if (StartsComment())
                    {
                        SkipToLineEnd();
                        continue;
                    }

                    _pos++;
                    if (c is '[' or '{')
                    {
                        depth++;
                    }
                    else if (c is ']' or '}' && --depth <= 0)
                    {
                        return;
                    }
                }
            }

            /// <summary>A quoted string from its opening quote, escapes decoded; null (stopping at the line end) when unterminated.</summary>
            private string? ReadQuoted()
            {
                var value = new StringBuilder();
                _pos++;
                while (!AtEnd)
                {
                    var c = Current;
                    if (c == '\n')
                    {
                        return null;
                    }

                    _pos++;
                    if (c == '"')
                    {
                        return value.ToString();
                    }

                    if (c != '\\')
                    {
                        value.Append(c);
                        continue;
                    }

                    if (AtEnd)
                    {
                        return null;
                    }

                    var escaped = Current;
                    _pos++;
                    switch (escaped)
                    {
                        case 'n': value.Append('\n'); break;
                        case 't': value.Append('\t'); break;
                        case 'r': value.Append('\r'); break;
                        case 'b': value.Append('\b'); break;
                        case 'f': value.Append('\f'); break;
                        case 'u' when _pos + 4 <= _text.Length
                            && int.TryParse(_text.Substring(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                            value.Append((char)code);
                            _pos += 4;
                            break;
                        default: value.Append(escaped); break;
                    }
                }

                return null;
            }

            private string? ReadTripleQuoted()
            {
                var contentStart = _pos + 3;
                var close = _text.IndexOf("\"\"\"", contentStart, StringComparison.Ordinal);
                if (close < 0)
                {
                    _pos = _text.Length;
                    return null;
                }

                _pos = close + 3;
                while (!AtEnd && Current == '"')
                {
                    _pos++;
                }

                return _text.Substring(contentStart, _pos - 3 - contentStart);
            }

            private void SkipBlank(bool newlines)
            {
                while (!AtEnd)
                {
                    var c = Current;
                    if (StartsComment())
                    {
                        SkipToLineEnd();
                    }
                    else if (c == '\n' ? newlines : char.IsWhiteSpace(c) || c == '\uFEFF')
                    {
                        _pos++;
                    }
                    else
                    {
                        return;
                    }
                }
            }

            private void SkipToLineEnd()
            {
                while (!AtEnd && Current != '\n')
                {
                    _pos++;
                }
            }

            private bool StartsComment() => Current == '#' || (Current == '/' && Peek(1) == '/');

            private bool IsTripleQuote() => Peek(1) == '"' && Peek(2) == '"';

            private char Peek(int offset) => _pos + offset < _text.Length ? _text[_pos + offset] : '\0';

            /// <summary>HOCON forbids these in unquoted text (plus whitespace).</summary>
            private static bool IsUnquotedChar(char c) =>
                !char.IsWhiteSpace(c) && "$\"{}[]:=,+#`^?!@*&\\".IndexOf(c) < 0;
        }
    }

    /// <summary>
    /// The text of one C# string token (a literal, or the text part of an interpolated string) with, for every character
    /// of its value, where it is written in the source: escapes, doubled quotes and braces, and the indentation of raw
    /// strings make the two differ. Also writes new text back in the token's own syntax.
    /// </summary>
    internal sealed class CSharpStringText
    {
        private readonly int[] _starts;
        private readonly int[] _ends;
        private readonly Kind _kind;
        private readonly bool _interpolated;
        private readonly int _dollars;
        private readonly string? _rawIndentation;

        private CSharpStringText(string value, int[] starts, int[] ends, Kind kind, bool interpolated, int dollars, string? rawIndentation)
        {
            Value = value;
            _starts = starts;
            _ends = ends;
            _kind = kind;
            _interpolated = interpolated;
            _dollars = dollars;
            _rawIndentation = rawIndentation;
        }

        private enum Kind
        {
            Regular,
            Verbatim,
            Raw,
        }

        public string Value { get; }

        /// <summary>False for single-line raw strings, which cannot hold a line break.</summary>
        public bool CanHoldLineBreaks => _kind != Kind.Raw || _rawIndentation is not null;

        /// <summary>Where the value's characters [start, end) are written in the source.</summary>
        public TextSpan SourceSpan(int start, int end) => TextSpan.FromBounds(_starts[start], _ends[end - 1]);

        /// <summary>Decodes a string token; null when it is not one, is malformed, or decodes differently from the compiler.</summary>
        public static CSharpStringText? From(SyntaxToken token)
        {
            var text = token.Text;
            var offset = token.SpanStart;
            switch (token.Kind())
            {
                case SyntaxKind.StringLiteralToken when text.Length >= 3 && text[0] == '@' && text[1] == '"' && text[text.Length - 1] == '"':
                    return Checked(Decoder.Verbatim(text, 2, text.Length - 1, offset, braces: false), Kind.Verbatim, false, 0, null, token.ValueText);
                case SyntaxKind.StringLiteralToken when text.Length >= 2 && text[0] == '"' && text[text.Length - 1] == '"':
                    return Checked(Decoder.Regular(text, 1, text.Length - 1, offset, braces: false), Kind.Regular, false, 0, null, token.ValueText);
                case SyntaxKind.SingleLineRawStringLiteralToken when QuoteRun(text) is var quotes && quotes >= 3 && text.Length >= 2 * quotes:
                    return Checked(Decoder.Raw(text, quotes, text.Length - quotes, offset, null, atLineStart: false), Kind.Raw, false, 0, null, token.ValueText);
                case SyntaxKind.MultiLineRawStringLiteralToken:
                    return MultiLineRaw(token);
                case SyntaxKind.InterpolatedStringTextToken when token.Parent?.Parent is InterpolatedStringExpressionSyntax interpolated:
                    return InterpolatedText(token, interpolated);
                default:
                    return null;
            }
        }

        /// <summary>
        /// <paramref name="value"/> written as it must appear inside this token, or null when it cannot be (a brace in an
        /// interpolated raw string with a single <c>$</c>, a line break in a single-line raw string, a quote run that would
        /// close a raw string).
        /// </summary>
        public string? Encode(string value)
        {
            if (_interpolated && _kind == Kind.Raw && _dollars < 2 && value.IndexOfAny(new[] { '{', '}' }) >= 0)
            {
                return null;
            }

            var written = new StringBuilder();
            foreach (var c in value)
            {
                switch (_kind)
                {
                    case Kind.Regular:
                        written.Append(c switch
                        {
                            '\\' => "\\\\",
                            '"' => "\\\"",
                            '\n' => "\\n",
                            '\r' => "\\r",
                            '\t' => "\\t",
                            _ => c.ToString(),
                        });
                        break;
                    case Kind.Verbatim:
                        written.Append(c == '"' ? "\"\"" : c.ToString());
                        break;
                    default:
                        if (c == '\n' && _rawIndentation is null)
                        {
                            return null;
                        }

                        written.Append(c);
                        if (c == '\n')
                        {
                            written.Append(_rawIndentation);
                        }

                        break;
                }

                if (_interpolated && _kind != Kind.Raw && c is '{' or '}')
                {
                    written.Append(c);
                }
            }

            var result = written.ToString();
            return _kind == Kind.Raw && result.Contains("\"\"\"") ? null : result;
        }

        private static CSharpStringText? MultiLineRaw(SyntaxToken token)
        {
            var text = token.Text;
            var quotes = QuoteRun(text);
            var firstLineBreak = text.IndexOf('\n');
            var lastLineBreak = text.LastIndexOf('\n');
            if (quotes < 3 || text.Length < 2 * quotes || firstLineBreak < 0 || lastLineBreak <= firstLineBreak
                || QuoteRun(text.Substring(text.Length - quotes)) != quotes)
            {
                return lastLineBreak == firstLineBreak && firstLineBreak >= 0 && token.ValueText.Length == 0
                    ? new CSharpStringText(string.Empty, Array.Empty<int>(), Array.Empty<int>(), Kind.Raw, false, 0, string.Empty)
                    : null;
            }

            var indentation = text.Substring(lastLineBreak + 1, text.Length - quotes - lastLineBreak - 1);
            var contentEnd = lastLineBreak > 0 && text[lastLineBreak - 1] == '\r' ? lastLineBreak - 1 : lastLineBreak;
            return Checked(
                Decoder.Raw(text, firstLineBreak + 1, contentEnd, token.SpanStart, indentation, atLineStart: true),
                Kind.Raw,
                false,
                0,
                indentation,
                token.ValueText);
        }

        private static CSharpStringText? InterpolatedText(SyntaxToken token, InterpolatedStringExpressionSyntax interpolated)
        {
            var text = token.Text;
            var offset = token.SpanStart;
            var start = interpolated.StringStartToken;
            var dollars = start.Text.Count(c => c == '$');
            switch (start.Kind())
            {
                case SyntaxKind.InterpolatedStringStartToken:
                    return Checked(Decoder.Regular(text, 0, text.Length, offset, braces: true), Kind.Regular, true, dollars, null, Undoubled(token.ValueText));
                case SyntaxKind.InterpolatedVerbatimStringStartToken:
                    return Checked(Decoder.Verbatim(text, 0, text.Length, offset, braces: true), Kind.Verbatim, true, dollars, null, Undoubled(token.ValueText));
                case SyntaxKind.InterpolatedSingleLineRawStringStartToken:
                    return Checked(Decoder.Raw(text, 0, text.Length, offset, null, atLineStart: false), Kind.Raw, true, dollars, null, token.ValueText);
                case SyntaxKind.InterpolatedMultiLineRawStringStartToken:
                    var end = interpolated.StringEndToken.Text;
                    var indentation = new string(end.Substring(end.LastIndexOf('\n') + 1).TakeWhile(c => c != '"').ToArray());
                    var atLineStart = token.GetPreviousToken().IsKind(SyntaxKind.InterpolatedMultiLineRawStringStartToken);
                    return Checked(Decoder.Raw(text, 0, text.Length, offset, indentation, atLineStart), Kind.Raw, true, dollars, indentation, token.ValueText);
                default:
                    return null;
            }
        }

        /// <summary>The compiler keeps doubled braces in the value text of non-raw interpolated strings.</summary>
        private static string Undoubled(string valueText) => valueText.Replace("{{", "{").Replace("}}", "}");

        private static CSharpStringText? Checked(Decoder? decoded, Kind kind, bool interpolated, int dollars, string? rawIndentation, string expected) =>
            decoded is not null && decoded.Value.ToString() == expected
                ? new CSharpStringText(expected, decoded.Starts.ToArray(), decoded.Ends.ToArray(), kind, interpolated, dollars, rawIndentation)
                : null;

        private static int QuoteRun(string text)
        {
            var count = 0;
            while (count < text.Length && text[count] == '"')
            {
                count++;
            }

            return count;
        }

        /// <summary>Builds a value and the source span of each of its characters.</summary>
        private sealed class Decoder
        {
            public StringBuilder Value { get; } = new();

            public List<int> Starts { get; } = new();

            public List<int> Ends { get; } = new();

            private void Add(char c, int start, int end)
            {
                Value.Append(c);
                Starts.Add(start);
                Ends.Add(end);
            }

            public static Decoder? Regular(string text, int from, int to, int offset, bool braces)
            {
                var decoder = new Decoder();
                for (var i = from; i < to;)
                {
                    var start = i;
                    var c = text[i++];
                    if (braces && c is '{' or '}' && i < to && text[i] == c)
                    {
                        i++;
                    }
                    else if (c == '\\')
                    {
                        if (i >= to)
                        {
                            return null;
                        }

                        var escaped = text[i++];
                        switch (escaped)
                        {
                            case '\'': c = '\''; break;
                            case '"': c = '"'; break;
                            case '\\': c = '\\'; break;
                            case '0': c = '\0'; break;
                            case 'a': c = '\a'; break;
                            case 'b': c = '\b'; break;
                            case 'e': c = '\u001b'; break;
                            case 'f': c = '\f'; break;
                            case 'n': c = '\n'; break;
                            case 'r': c = '\r'; break;
                            case 't': c = '\t'; break;
                            case 'v': c = '\v'; break;
                            case 'u' or 'U' or 'x':
                                var maximum = escaped == 'U' ? 8 : 4;
                                var digits = 0;
                                while (digits < maximum && i + digits < to && Uri.IsHexDigit(text[i + digits]))
                                {
                                    digits++;
                                }

                                if (digits == 0 || (escaped != 'x' && digits != maximum)
                                    || !int.TryParse(text.Substring(i, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
                                    || code < 0 || code > 0x10FFFF)
                                {
                                    return null;
                                }

                                i += digits;
                                foreach (var unit in char.ConvertFromUtf32(code))
                                {
                                    decoder.Add(unit, offset + start, offset + i);
                                }

                                continue;
                            default:
                                return null;
                        }
                    }

                    decoder.Add(c, offset + start, offset + i);
                }

                return decoder;
            }

            public static Decoder Verbatim(string text, int from, int to, int offset, bool braces)
            {
                var decoder = new Decoder();
                for (var i = from; i < to;)
                {
                    var start = i;
                    var c = text[i++];
                    if ((c == '"' || (braces && c is '{' or '}')) && i < to && text[i] == c)
                    {
                        i++;
                    }

                    decoder.Add(c, offset + start, offset + i);
                }

                return decoder;
            }

            /// <summary>Raw content: as written, except that multi-line raw strings drop the closing line's indentation from each line.</summary>
            public static Decoder Raw(string text, int from, int to, int offset, string? indentation, bool atLineStart)
            {
                var decoder = new Decoder();
                for (var i = from; i < to;)
                {
                    if (atLineStart && indentation is not null)
                    {
                        var skipped = 0;
                        while (skipped < indentation.Length && i < to && text[i] is ' ' or '\t')
                        {
                            i++;
                            skipped++;
                        }

                        atLineStart = false;
                        continue;
                    }

                    var c = text[i];
                    decoder.Add(c, offset + i, offset + i + 1);
                    i++;
                    atLineStart = c == '\n';
                }

                return decoder;
            }
        }
    }
}
