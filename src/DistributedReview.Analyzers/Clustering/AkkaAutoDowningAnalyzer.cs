using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Clustering
{
    /// <summary>
    /// DR5001: Akka.NET HOCON that turns on auto-downing (<c>auto-down-unreachable-after</c> set to a duration), in a
    /// string passed to <c>Akka.Configuration.ConfigurationFactory.ParseString</c> or in an additional file
    /// (<c>*.hocon</c>, <c>*.conf</c>). The string may be a literal of any kind, a constant, a concatenation or an
    /// interpolated string, in place or kept in a local, field or property of the type; which values reach the call is
    /// only known at the end of the type, so calls are collected per type and judged at symbol end.
    /// </summary>
    public sealed class AkkaAutoDowningAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>The HOCON that replaces the setting, unescaped; present when the code fix can write it into the literal.</summary>
        public const string ReplacementProperty = "HoconReplacement";

        public const string SplitBrainResolverProvider = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster";

        private const string SettingName = "auto-down-unreachable-after";

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.AkkaAutoDowning);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();

            // HOCON files are read at run time by whatever loads them: they need no Akka reference in this project.
            context.RegisterAdditionalFileAction(AnalyzeAdditionalFile);
            context.RegisterCompilationStartAction(compilationStart =>
            {
                if (compilationStart.Compilation.GetTypeByMetadataName("Akka.Configuration.ConfigurationFactory") is { } factory)
                {
                    compilationStart.RegisterSymbolStartAction(typeStart => AnalyzeType(typeStart, factory), SymbolKind.NamedType);
                }
            });
        }

        /// <summary>The auto-downing settings that take effect in <paramref name="hocon"/>: the last value of each path.</summary>
        internal static IEnumerable<HoconSetting> AutoDowningSettings(string hocon)
        {
            if (hocon.IndexOf(SettingName, StringComparison.Ordinal) < 0)
            {
                return Enumerable.Empty<HoconSetting>();
            }

            var effective = new Dictionary<string, HoconSetting>(StringComparer.Ordinal);
            foreach (var setting in Hocon.Scan(hocon))
            {
                effective[string.Join("\u0001", setting.Path)] = setting;
            }

            // Any downing provider class (the split brain resolver, or one only known at run time) takes precedence:
            // Akka.NET uses auto-down-unreachable-after only when no provider class is configured.
            if (effective.Values.Any(s => s.Name == "downing-provider-class" && (s.Value is null || (s.Value.Length > 0 && s.Value.IndexOf("AutoDowning", StringComparison.Ordinal) < 0))))
            {
                return Enumerable.Empty<HoconSetting>();
            }

            return effective.Values
                .Where(s => s.Name == SettingName && s.Value is { } value && Hocon.IsDuration(value))
                .OrderBy(s => s.KeyStart);
        }

        private static readonly string[] ParseNames = { "ParseString" };

        private static void AnalyzeType(SymbolStartAnalysisContext context, INamedTypeSymbol factory)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (!SourceMentions.Any(type, ParseNames, context.CancellationToken))
            {
                return; // HOCON in code reaches Akka only through ConfigurationFactory.ParseString, which the type must call
            }

            var writes = WriteLog.Start(context, t => t.SpecialType == SpecialType.System_String);
            var parsed = new Pending<IOperation>();
            context.RegisterOperationAction(
                operationContext =>
                {
                    if (TypeScopedAnalysis.IsOwnOperation(operationContext, type)
                        && operationContext.Operation is IInvocationOperation { TargetMethod: { Name: "ParseString" } method } invocation
                        && SymbolEqualityComparer.Default.Equals(method.ContainingType, factory)
                        && invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0) is { Value: { Type.SpecialType: SpecialType.System_String } hocon })
                    {
                        parsed.Add(hocon);
                    }
                },
                OperationKind.Invocation);

            context.RegisterSymbolEndAction(endContext =>
            {
                var reported = new HashSet<Location>();
                foreach (var argument in parsed)
                {
                    foreach (var (value, keptIn) in ValuesPassed(argument, writes))
                    {
                        endContext.CancellationToken.ThrowIfCancellationRequested();
                        ReportIn(endContext, value, keptIn, reported);
                    }
                }
            });
        }

        /// <summary>
        /// The string expressions that can reach ParseString: the argument itself, or every value written to the local,
        /// field or property it reads, when all of them are visible and hold HOCON text (otherwise none: unknown origin).
        /// </summary>
        private static IEnumerable<(IOperation Value, ISymbol? KeptIn)> ValuesPassed(IOperation argument, WriteLog writes)
        {
            if (writes.TrackedSymbol(argument) is not { } variable)
            {
                return Branches(argument).Select(value => (value, (ISymbol?)null));
            }

            var values = new List<(IOperation, ISymbol?)>();
            foreach (var write in writes.WritesTo(variable))
            {
                if (write is null)
                {
                    return Enumerable.Empty<(IOperation, ISymbol?)>();
                }

                foreach (var value in Branches(write))
                {
                    if (!HoconSource.From(value).HasKnownText)
                    {
                        return Enumerable.Empty<(IOperation, ISymbol?)>();
                    }

                    values.Add((value, variable));
                }
            }

            return values;
        }

        /// <summary>Both branches of <c>c ? a : b</c>; the value itself otherwise.</summary>
        private static IEnumerable<IOperation> Branches(IOperation value) =>
            ClockSymbols.WalkDownImplicitConversions(value) is IConditionalOperation { WhenFalse: { } whenFalse } conditional
                ? Branches(conditional.WhenTrue).Concat(Branches(whenFalse))
                : new[] { value };

        private static void ReportIn(SymbolAnalysisContext context, IOperation value, ISymbol? keptIn, HashSet<Location> reported)
        {
            var source = HoconSource.From(value);
            if (!source.HasKnownText)
            {
                return;
            }

            foreach (var setting in AutoDowningSettings(source.Text))
            {
                var literal = source.LiteralHolding(setting);
                var location = literal is null
                    ? value.Syntax.GetLocation()
                    : Location.Create(value.Syntax.SyntaxTree, literal.Text.SourceSpan(setting.KeyStart - literal.Start, setting.ValueEnd - literal.Start));
                if (!reported.Add(location))
                {
                    continue;
                }

                var properties = ImmutableDictionary<string, string?>.Empty;
                if (literal is not null && Replacement(source.Text, setting, literal.Text.CanHoldLineBreaks) is var replacement && literal.Text.Encode(replacement) is not null)
                {
                    properties = properties.Add(ReplacementProperty, replacement);
                }

                Confidence.Report(
                    context.ReportDiagnostic,
                    context.Options,
                    Rules.AkkaAutoDowning,
                    location,
                    ConfidenceInCode(source.IsOneLiteral, keptIn, setting),
                    properties,
                    SettingText(source.Text, setting));
            }
        }

        private static void AnalyzeAdditionalFile(AdditionalFileAnalysisContext context)
        {
            var file = context.AdditionalFile;
            if (!(file.Path.EndsWith(".hocon", StringComparison.OrdinalIgnoreCase) || file.Path.EndsWith(".conf", StringComparison.OrdinalIgnoreCase))
                || file.GetText(context.CancellationToken) is not { } text)
            {
                return;
            }

            var content = text.ToString();
            var minimum = Confidence.MinimumFor(context.Options, file);
            foreach (var setting in AutoDowningSettings(content))
            {
                var confidence = ConfidenceInFile(setting);
                if (confidence < minimum)
                {
                    continue;
                }

                var span = TextSpan.FromBounds(setting.KeyStart, setting.ValueEnd);
                Confidence.Report(
                    context.ReportDiagnostic,
                    context.Options,
                    Rules.AkkaAutoDowning,
                    Location.Create(file.Path, span, text.Lines.GetLinePositionSpan(span)),
                    confidence,
                    messageArgs: SettingText(content, setting));
            }
        }

        /// <summary>
        /// In C#: 95 for a single string literal, 85 for a concatenation, an interpolated string or a constant defined
        /// elsewhere (the HOCON is assembled, so what runs is less certain). Kept in a variable that code outside this type
        /// can write (a non-readonly field or a property): the <see cref="Confidence.ForValueKeptIn"/> difference, -15
        /// when private and -25 otherwise; locals, constants and readonly fields lose nothing. A path other than
        /// <c>akka.cluster.auto-down-unreachable-after</c> (a fragment merged elsewhere): -10.
        /// </summary>
        private static int ConfidenceInCode(bool isOneLiteral, ISymbol? keptIn, HoconSetting setting)
        {
            var confidence = isOneLiteral ? 95 : 85;
            if (keptIn is not (null or ILocalSymbol or IFieldSymbol { IsConst: true } or IFieldSymbol { IsReadOnly: true }))
            {
                confidence -= 95 - Confidence.ForValueKeptIn(keptIn);
            }

            return Confidence.Clamp(confidence - PathPenalty(setting));
        }

        /// <summary>In a <c>*.hocon</c>/<c>*.conf</c> file: 90 (the file may not be the one loaded); -10 for a path other than akka.cluster's.</summary>
        private static int ConfidenceInFile(HoconSetting setting) => Confidence.Clamp(90 - PathPenalty(setting));

        private static int PathPenalty(HoconSetting setting) => setting.PathText == "akka.cluster." + SettingName ? 0 : 10;

        /// <summary>
        /// The split brain resolver settings at the same nesting as <paramref name="setting"/> (same key prefix): on
        /// separate lines with the setting's indentation when it stands on a line of its own, else separated by a comma.
        /// </summary>
        private static string Replacement(string text, HoconSetting setting, bool lineBreaksAllowed)
        {
            var prefix = text.Substring(setting.KeyStart, setting.LastSegmentStart - setting.KeyStart);
            var lineStart = setting.KeyStart == 0 ? 0 : text.LastIndexOf('\n', setting.KeyStart - 1) + 1;
            var lineEnd = text.IndexOf('\n', setting.ValueEnd);
            var indentation = text.Substring(lineStart, setting.KeyStart - lineStart);
            var rest = text.Substring(setting.ValueEnd, (lineEnd < 0 ? text.Length : lineEnd) - setting.ValueEnd).Trim();
            var firstLineBreak = text.IndexOf('\n');
            var ownLine = lineBreaksAllowed && firstLineBreak >= 0 && indentation.All(c => c is ' ' or '\t')
                && (rest.Length == 0 || rest.StartsWith("#", StringComparison.Ordinal) || rest.StartsWith("//", StringComparison.Ordinal));
            var lineBreak = firstLineBreak > 0 && text[firstLineBreak - 1] == '\r' ? "\r\n" : "\n";
            var separator = ownLine ? lineBreak + indentation : ", ";
            return prefix + "downing-provider-class = \"" + SplitBrainResolverProvider + "\""
                + separator + prefix + "split-brain-resolver { active-strategy = keep-majority }";
        }

        private static string SettingText(string text, HoconSetting setting) =>
            text.Substring(setting.KeyStart, setting.ValueEnd - setting.KeyStart).Replace(Hocon.Unknown.ToString(), "...");

        /// <summary>
        /// The text of a C# string expression as HOCON: literal pieces decoded (and mapped back to the source), constants
        /// as their value, anything only known at run time as <see cref="Hocon.Unknown"/>.
        /// </summary>
        private sealed class HoconSource
        {
            private readonly StringBuilder _text = new();
            private readonly List<LiteralPiece> _literals = new();
            private int _pieces;

            public string Text => _text.ToString();

            /// <summary>Some of the text is known at compile time.</summary>
            public bool HasKnownText { get; private set; }

            /// <summary>One ordinary string literal (not assembled from pieces).</summary>
            public bool IsOneLiteral => _pieces == 1 && _literals.Count == 1 && !_literals[0].Interpolated;

            public static HoconSource From(IOperation value)
            {
                var source = new HoconSource();
                source.Add(value);
                return source;
            }

            /// <summary>The literal piece that holds the whole setting, if one does.</summary>
            public LiteralPiece? LiteralHolding(HoconSetting setting) =>
                _literals.FirstOrDefault(l => l.Start <= setting.KeyStart && setting.ValueEnd <= l.Start + l.Text.Value.Length);

            /// <summary>Appends the pieces in order; a work list rather than recursion, as concatenations can be long.</summary>
            private void Add(IOperation? value)
            {
                var pending = new Stack<IOperation?>();
                pending.Push(value);
                while (pending.Count > 0)
                {
                    switch (ClockSymbols.WalkDownImplicitConversions(pending.Pop()))
                    {
                        case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } concatenation:
                            pending.Push(concatenation.RightOperand);
                            pending.Push(concatenation.LeftOperand);
                            break;
                        case IInterpolatedStringOperation interpolated:
                            foreach (var part in interpolated.Parts)
                            {
                                if (part is IInterpolatedStringTextOperation { Syntax: InterpolatedStringTextSyntax text } textPart)
                                {
                                    AddLiteral(text.TextToken, textPart.Text.ConstantValue, interpolated: true);
                                }
                                else if (part is IInterpolationOperation { Alignment: null, FormatString: null, Expression.ConstantValue: { HasValue: true, Value: string constant } })
                                {
                                    AddText(constant, known: true);
                                }
                                else
                                {
                                    AddText(Hocon.Unknown.ToString(), known: false);
                                }
                            }

                            break;
                        case ILiteralOperation { Syntax: LiteralExpressionSyntax literal } constant when constant.ConstantValue.Value is string:
                            AddLiteral(literal.Token, constant.ConstantValue, interpolated: false);
                            break;
                        case { ConstantValue: { HasValue: true, Value: string text } }:
                            AddText(text, known: true);
                            break;
                        default:
                            AddText(Hocon.Unknown.ToString(), known: false);
                            break;
                    }
                }
            }

            private void AddLiteral(SyntaxToken token, Optional<object?> constant, bool interpolated)
            {
                if (CSharpStringText.From(token) is { } literal)
                {
                    _literals.Add(new LiteralPiece(_text.Length, literal, interpolated));
                    AddText(literal.Value, known: true);
                }
                else
                {
                    AddText(constant.Value as string ?? Hocon.Unknown.ToString(), known: constant.Value is string);
                }
            }

            private void AddText(string text, bool known)
            {
                _text.Append(text);
                _pieces++;
                HasKnownText |= known && text.Length > 0;
            }
        }

        /// <summary>A string literal (or literal part of an interpolated string) inside the HOCON text, from <see cref="Start"/>.</summary>
        private sealed class LiteralPiece
        {
            public LiteralPiece(int start, CSharpStringText text, bool interpolated)
            {
                Start = start;
                Text = text;
                Interpolated = interpolated;
            }

            public int Start { get; }

            public CSharpStringText Text { get; }

            public bool Interpolated { get; }
        }
    }
}
