using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Partitions
{
    /// <summary>
    /// DR4002 fix: exponential backoff with equal jitter, capped at 32 times the base delay. Each constant delay
    /// <c>d</c> becomes <c>TimeSpan.FromMilliseconds(ms * Math.Min(32, Math.Pow(2, attempt)) * (0.5 + Random.Shared.NextDouble() / 2))</c>
    /// where <c>ms</c> is <c>d</c> in milliseconds; a loop without a delay gets one (base 100 ms) at the end of each
    /// retrying catch: <c>await Task.Delay(...)</c> in async code, <c>Thread.Sleep(...)</c> otherwise.
    /// <c>attempt</c> is the loop's attempt counter. A loop without one gets <c>var attempt = 0;</c> before it, counted up
    /// in place (<c>attempt++</c>), and an attempt cap <c>if (attempt >= 10) throw;</c> before its one delay, which must
    /// sit in the retrying catch so the last failure is rethrown as it was. Where <c>Random.Shared</c> is missing
    /// (before .NET 6) the jitter comes from <c>new Random(Guid.NewGuid().GetHashCode())</c>: instances of
    /// <c>new Random()</c> made in the same tick share a seed there, which would put clients back in lockstep.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RetryWithoutBackoffCodeFix)), Shared]
    public sealed class RetryWithoutBackoffCodeFix : PlannedCodeFix
    {
        public const string Title = "Back off exponentially with jitter";
        public const int NoDelayBaseMilliseconds = 100;
        public const int MaxBackoffFactor = 32;
        public const int MaxAttempts = 10;
        private const string EquivalenceKey = RuleIds.RetryWithoutBackoff + ".Backoff";
        private const string BasePlaceholder = "__base__";
        private static readonly string[] CounterNames = { "attempt", "retryAttempt" };

        public RetryWithoutBackoffCodeFix()
            : base(RuleIds.RetryWithoutBackoff, EquivalenceKey)
        {
        }

        private protected override string? TitleIfFixable(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken) =>
            Backoff.Plan(root, model, diagnostic, cancellationToken) is not null ? Title : null;

        private protected override SyntaxNode ApplyPlans(Document document, SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        {
            var plans = diagnostics.Select(d => Backoff.Plan(root, model, d, cancellationToken)).Where(p => p is not null).Select(p => p!).ToList();
            if (plans.Count == 0)
            {
                return root;
            }

            var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
            foreach (var plan in plans.GroupBy(p => p.Loop).Select(g => g.First()))
            {
                plan.Apply(editor);
            }

            return editor.GetChangedRoot();
        }

        /// <summary>The edits for one loop.</summary>
        private sealed class Backoff
        {
            private readonly List<(ExpressionSyntax Delay, ExpressionSyntax BaseMilliseconds)> _delays;
            private readonly List<BlockSyntax> _catches;
            private readonly string _counter;
            private readonly bool _introduceCounter;
            private readonly bool _isAsync;
            private readonly string? _token;
            private readonly string _jitter;

            private Backoff(StatementSyntax loop, List<(ExpressionSyntax, ExpressionSyntax)> delays, List<BlockSyntax> catches, string counter, bool introduceCounter, bool isAsync, string? token, string jitter)
            {
                Loop = loop;
                _delays = delays;
                _catches = catches;
                _counter = counter;
                _introduceCounter = introduceCounter;
                _isAsync = isAsync;
                _token = token;
                _jitter = jitter;
            }

            public StatementSyntax Loop { get; }

            public static Backoff? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
            {
                var span = diagnostic.Location.SourceSpan;
                if (!root.FullSpan.Contains(span)
                    || root.FindToken(span.Start).Parent is not (WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax)
                    || root.FindToken(span.Start).Parent is not StatementSyntax loop
                    || model.Compilation.GetTypeByMetadataName("System.Random") is not { } random)
                {
                    return null;
                }

                var jitter = random.GetMembers("Shared").Any()
                    ? "global::System.Random.Shared.NextDouble()"
                    : "new global::System.Random(global::System.Guid.NewGuid().GetHashCode()).NextDouble()";

                var properties = diagnostic.Properties;
                var delays = new List<(ExpressionSyntax, ExpressionSyntax)>();
                foreach (var delaySpan in Spans(properties, RetryWithoutBackoffAnalyzer.DelaysProperty))
                {
                    if (!loop.Span.Contains(delaySpan)
                        || root.FindNode(delaySpan, getInnermostNodeForTie: true) is not ExpressionSyntax delay
                        || delay.Parent is not ArgumentSyntax argument
                        || model.GetOperation(argument, cancellationToken) is not IArgumentOperation { Parameter.Type: { } delayType }
                        || BaseMilliseconds(delay, delayType, model, cancellationToken) is not { } baseMilliseconds)
                    {
                        return null;
                    }

                    delays.Add((delay, baseMilliseconds));
                }

                var catches = new List<BlockSyntax>();
                foreach (var catchSpan in Spans(properties, RetryWithoutBackoffAnalyzer.CatchesProperty))
                {
                    if (!loop.Span.Contains(catchSpan) || root.FindNode(catchSpan, getInnermostNodeForTie: true) is not BlockSyntax block)
                    {
                        return null;
                    }

                    catches.Add(block);
                }

                var isAsync = properties.TryGetValue(RetryWithoutBackoffAnalyzer.AsyncProperty, out var asyncText) && asyncText == "true";
                if (delays.Count + catches.Count == 0 || (isAsync && catches.Any(c => c.Ancestors().TakeWhile(a => !IsFunction(a)).Any(a => a is LockStatementSyntax))))
                {
                    return null; // no await inside a lock
                }

                string? token = null;
                if (Spans(properties, RetryWithoutBackoffAnalyzer.TokenProperty).FirstOrDefault() is { Length: > 0 } tokenSpan && root.FullSpan.Contains(tokenSpan))
                {
                    token = root.FindNode(tokenSpan, getInnermostNodeForTie: true).ToString();
                }

                if (properties.TryGetValue(RetryWithoutBackoffAnalyzer.CounterProperty, out var counter) && counter is { Length: > 0 })
                {
                    return new Backoff(loop, delays, catches, counter, introduceCounter: false, isAsync, token, jitter);
                }

                // A new counter, counted up where the delay is computed (so only one place may compute it) and capped
                // by a rethrow just before the delay, which therefore must be a statement of the retrying catch.
                if (delays.Count + catches.Count != 1
                    || (delays.Count == 1 && CapSite(delays[0].Item1, loop) is null)
                    || loop.Parent is not BlockSyntax
                    || FreeCounterName(loop, model) is not { } name)
                {
                    return null;
                }

                return new Backoff(loop, delays, catches, name, introduceCounter: true, isAsync, token, jitter);
            }

            /// <summary>
            /// The statement of <paramref name="delay"/> (<c>Thread.Sleep(d);</c> or <c>await Task.Delay(d);</c>) when it sits
            /// in a block inside a catch of <paramref name="loop"/>, where a <c>throw;</c> can go before it.
            /// </summary>
            private static ExpressionStatementSyntax? CapSite(ExpressionSyntax delay, StatementSyntax loop)
            {
                if (delay.Parent?.Parent?.Parent is not InvocationExpressionSyntax invocation
                    || (invocation.Parent is AwaitExpressionSyntax awaited ? awaited.Parent : invocation.Parent) is not ExpressionStatementSyntax { Parent: BlockSyntax } statement)
                {
                    return null;
                }

                foreach (var ancestor in statement.Ancestors())
                {
                    if (ancestor == loop || IsFunction(ancestor) || ancestor is FinallyClauseSyntax)
                    {
                        return null;
                    }

                    if (ancestor is CatchClauseSyntax)
                    {
                        return statement;
                    }
                }

                return null;
            }

            public void Apply(SyntaxEditor editor)
            {
                var exponent = _introduceCounter ? _counter + "++" : _counter;
                foreach (var (delay, baseMilliseconds) in _delays)
                {
                    editor.ReplaceNode(delay, BackoffDelay(baseMilliseconds, exponent).WithTriviaFrom(delay));
                    if (_introduceCounter && CapSite(delay, Loop) is { } statement)
                    {
                        var sameLine = OnOneLine(statement.Parent!);
                        editor.InsertBefore(statement, sameLine
                            ? Cap().WithTrailingTrivia(SyntaxFactory.Space)
                            : Cap().WithLeadingTrivia(Indentation(statement.GetLeadingTrivia())).WithTrailingTrivia(EndOfLine(statement)));
                    }
                }

                foreach (var block in _catches)
                {
                    editor.ReplaceNode(block, (current, _) => AddDelay((BlockSyntax)current, exponent));
                }

                if (_introduceCounter)
                {
                    var declaration = SyntaxFactory.ParseStatement($"var {_counter} = 0;")
                        .WithLeadingTrivia(Loop.GetLeadingTrivia())
                        .WithTrailingTrivia(EndOfLine(Loop))
                        .WithAdditionalAnnotations(RewriteFinisher.Rewritten);
                    editor.InsertBefore(Loop, declaration);
                    editor.ReplaceNode(Loop, (current, _) => current.WithLeadingTrivia(Indentation(Loop.GetLeadingTrivia())));
                }
            }

            /// <summary>The delay in milliseconds: the int argument itself, a TimeSpan literal folded, or <c>d.TotalMilliseconds</c>.</summary>
            private static ExpressionSyntax? BaseMilliseconds(ExpressionSyntax delay, ITypeSymbol delayType, SemanticModel model, CancellationToken cancellationToken)
            {
                if (delayType.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64)
                {
                    return Operand(delay.WithoutTrivia());
                }

                if (delayType.Name != "TimeSpan")
                {
                    return null;
                }

                if (model.GetOperation(delay, cancellationToken) is IInvocationOperation { TargetMethod: { IsStatic: true, ContainingType.Name: "TimeSpan" } method, Arguments: { Length: 1 } arguments }
                    && arguments[0].Value.ConstantValue is { HasValue: true, Value: (int or long or double or float or short or sbyte or decimal) and var constant }
                    && Factor(method.Name) is { } factor)
                {
                    var milliseconds = Convert.ToDouble(constant, CultureInfo.InvariantCulture) * factor;
                    if (milliseconds >= 0 && milliseconds <= int.MaxValue && milliseconds == Math.Floor(milliseconds))
                    {
                        return SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal((int)milliseconds));
                    }
                }

                return SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Operand(delay.WithoutTrivia()), SyntaxFactory.IdentifierName("TotalMilliseconds"));
            }

            private static double? Factor(string factory) => factory switch
            {
                "FromMilliseconds" => 1,
                "FromSeconds" => 1000,
                "FromMinutes" => 60_000,
                _ => null,
            };

            private static ExpressionSyntax Operand(ExpressionSyntax expression) =>
                expression is LiteralExpressionSyntax or IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ParenthesizedExpressionSyntax or ElementAccessExpressionSyntax
                    ? expression
                    : SyntaxFactory.ParenthesizedExpression(expression);

            /// <summary><c>TimeSpan.FromMilliseconds(base * Math.Min(32, Math.Pow(2, attempt)) * (0.5 + Random.Shared.NextDouble() / 2))</c>.</summary>
            private ExpressionSyntax BackoffDelay(ExpressionSyntax baseMilliseconds, string exponent)
            {
                var text = $"global::System.TimeSpan.FromMilliseconds({BasePlaceholder} * global::System.Math.Min({MaxBackoffFactor}, global::System.Math.Pow(2, {exponent})) * (0.5 + {_jitter} / 2))";
                return Qualified(SyntaxFactory.ParseExpression(text), baseMilliseconds);
            }

            /// <summary><c>if (attempt >= 10) throw;</c>: the retry gives up and the last failure surfaces.</summary>
            private StatementSyntax Cap() =>
                SyntaxFactory.ParseStatement($"if ({_counter} >= {MaxAttempts}) throw;").WithAdditionalAnnotations(RewriteFinisher.Rewritten);

            private BlockSyntax AddDelay(BlockSyntax block, string exponent)
            {
                var delay = BackoffDelay(SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(NoDelayBaseMilliseconds)), exponent);
                var call = _isAsync
                    ? $"await global::System.Threading.Tasks.Task.Delay({BasePlaceholder}{(_token is null ? string.Empty : ", " + _token)});"
                    : $"global::System.Threading.Thread.Sleep({BasePlaceholder});";
                var statement = Qualified(SyntaxFactory.ParseStatement(call), delay);

                var added = _introduceCounter ? new[] { Cap(), statement } : new[] { statement };
                var statements = block.Statements;
                var position = statements.Count > 0 && statements[statements.Count - 1] is ContinueStatementSyntax ? statements.Count - 1 : statements.Count;
                if (statements.Count == 0 && OnOneLine(block))
                {
                    // catch { } becomes catch { await Task.Delay(...); }
                    var inline = added.Select(s => s.WithLeadingTrivia().WithTrailingTrivia(SyntaxFactory.Space));
                    return block.WithOpenBraceToken(block.OpenBraceToken.WithTrailingTrivia(SyntaxFactory.Space)).WithStatements(statements.AddRange(inline));
                }

                var indentation = position < statements.Count
                    ? Indentation(statements[position].GetLeadingTrivia())
                    : statements.Count > 0
                        ? Indentation(statements[statements.Count - 1].GetLeadingTrivia())
                        : Indentation(block.CloseBraceToken.LeadingTrivia).Add(SyntaxFactory.Whitespace("    "));
                var lines = added.Select(s => s.WithLeadingTrivia(indentation).WithTrailingTrivia(EndOfLine(block)));
                return block.WithStatements(statements.InsertRange(position, lines));
            }

            /// <summary>Puts the user's expression in place of the placeholder and marks the fully qualified names for the simplifier.</summary>
            private static TNode Qualified<TNode>(TNode node, ExpressionSyntax replacement)
                where TNode : SyntaxNode
            {
                var placeholder = node.DescendantNodes().OfType<IdentifierNameSyntax>().First(n => n.Identifier.ValueText == BasePlaceholder);
                node = node.ReplaceNode(placeholder, replacement.WithTriviaFrom(placeholder));
                var names = node.DescendantNodes().OfType<AliasQualifiedNameSyntax>()
                    .SelectMany(alias => alias.Ancestors().TakeWhile(a => a is MemberAccessExpressionSyntax or QualifiedNameSyntax).Take(4))
                    .ToList();
                node = node.ReplaceNodes(names, (_, rewritten) => rewritten.WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation));
                return node.WithAdditionalAnnotations(RewriteFinisher.Rewritten);
            }

            private static bool OnOneLine(SyntaxNode block)
            {
                var lines = block.SyntaxTree.GetLineSpan(block.Span);
                return lines.StartLinePosition.Line == lines.EndLinePosition.Line;
            }

            private static SyntaxTriviaList Indentation(SyntaxTriviaList trivia) =>
                trivia.Count > 0 && trivia[trivia.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)
                    ? SyntaxFactory.TriviaList(trivia[trivia.Count - 1])
                    : SyntaxFactory.TriviaList();

            private static SyntaxTrivia EndOfLine(SyntaxNode node) =>
                node.DescendantTrivia(descendIntoTrivia: false).FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { } eol && eol.IsKind(SyntaxKind.EndOfLineTrivia)
                    ? eol
                    : SyntaxFactory.EndOfLine("\n");

            private static bool IsFunction(SyntaxNode node) =>
                node is MemberDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax;

            /// <summary>A counter name used nowhere in the member, so the new local cannot clash or shadow.</summary>
            private static string? FreeCounterName(StatementSyntax loop, SemanticModel model)
            {
                var member = loop.Ancestors().OfType<MemberDeclarationSyntax>().FirstOrDefault();
                if (member is null)
                {
                    return null;
                }

                var taken = NewNames.TakenIn(member, model, loop.SpanStart);
                return CounterNames.FirstOrDefault(name => !taken.Contains(name));
            }

            private static IEnumerable<TextSpan> Spans(ImmutableDictionary<string, string?> properties, string key)
            {
                if (!properties.TryGetValue(key, out var text) || string.IsNullOrEmpty(text))
                {
                    yield break;
                }

                foreach (var part in text!.Split(';'))
                {
                    var numbers = part.Split(',');
                    if (numbers.Length == 2
                        && int.TryParse(numbers[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start)
                        && int.TryParse(numbers[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var length)
                        && start >= 0 && length >= 0)
                    {
                        yield return new TextSpan(start, length);
                    }
                }
            }
        }
    }
}
