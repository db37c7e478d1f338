using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Concurrency
{
    /// <summary>
    /// DR3001 fixes, one per store. Redis counters: <c>db.StringSet(key, x + n)</c> (or <c>HashSet(key, field, x - n)</c>),
    /// where <c>x</c> is an integer read of the same entry, becomes <c>db.StringIncrement(key, n)</c> (<c>StringDecrement</c>,
    /// <c>HashIncrement</c>, <c>HashDecrement</c>; the <c>Async</c> form and <c>await</c> are kept) and the read's
    /// declaration goes when nothing else uses it (see <see cref="StoreCalls.Increment"/>). Other Redis string and hash
    /// updates get a retry loop around a transaction conditioned on the value read (see <see cref="TransactionLoop"/>).
    /// Stores recognised by shape get a compare-and-swap loop around their own conditional write (see
    /// <see cref="CompareAndSwapLoop"/>). Fix All rewrites a document in one pass and skips edits that overlap.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnversionedStoreUpdateCodeFix)), Shared]
    public sealed class UnversionedStoreUpdateCodeFix : PlannedCodeFix
    {
        public const string TransactionTitle = "Write in a Redis transaction conditioned on the value read, and retry";

        public UnversionedStoreUpdateCodeFix()
            : base(RuleIds.UnversionedStoreUpdate, RuleIds.UnversionedStoreUpdate + ".Rewrite")
        {
        }

        private protected override string? TitleIfFixable(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken) =>
            Plan(root, model, StoreCalls.Create(model.Compilation), diagnostic, new Dictionary<SyntaxNode, HashSet<string>>(), cancellationToken)?.Title;

        private protected override SyntaxNode ApplyPlans(Document document, SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        {
            var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
            var generated = new Dictionary<SyntaxNode, HashSet<string>>();
            var applied = new List<TextSpan>();
            var stores = StoreCalls.Create(model.Compilation);
            foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
            {
                if (Plan(root, model, stores, diagnostic, generated, cancellationToken) is { } plan && !applied.Any(span => span.IntersectsWith(plan.Span)))
                {
                    applied.Add(plan.Span);
                    plan.Apply(editor);
                }
            }

            return editor.GetChangedRoot();
        }

        /// <summary>The edit for one diagnostic, or null when no rewrite compiles and keeps the behaviour.</summary>
        private static StoreRewrite? Plan(SyntaxNode root, SemanticModel model, StoreCalls stores, Diagnostic diagnostic, Dictionary<SyntaxNode, HashSet<string>> generated, CancellationToken cancellationToken)
        {
            var span = diagnostic.Location.SourceSpan;
            if (diagnostic.Location.SourceTree != root.SyntaxTree || model.SyntaxTree != root.SyntaxTree || !root.FullSpan.Contains(span)
                || root.FindNode(span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation
                || model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation)
            {
                return null;
            }

            if (stores.Write(operation, anyRedisWrite: false) is not { } write)
            {
                return null;
            }

            if (diagnostic.Properties.TryGetValue(UnversionedStoreUpdate.IncrementProperty, out var method) && method is not null)
            {
                return Increment(model, invocation, write, stores, method);
            }

            return write.Kind switch
            {
                StoreKind.Redis => TransactionLoop.Plan(model, invocation, write, stores, cancellationToken),
                StoreKind.Generic => CompareAndSwapLoop.Plan(root, model, invocation, write, stores, generated, cancellationToken),
                _ => null,
            };
        }

        private static StoreRewrite? Increment(SemanticModel model, InvocationExpressionSyntax invocation, StoreCall write, StoreCalls stores, string method)
        {
            if (stores.Increment(write) is not { } shape || NameOf(invocation) is not { } name)
            {
                return null;
            }

            var async = name.Identifier.ValueText.EndsWith("Async", System.StringComparison.Ordinal) ? "Async" : "";
            var valueArgument = invocation.ArgumentList.Arguments.Last();
            var rewritten = invocation.ReplaceNodes(
                new SyntaxNode[] { name, valueArgument.Expression },
                (original, _) => original == name
                    ? SyntaxFactory.IdentifierName(shape.Method + async).WithTriviaFrom(name)
                    : ((ExpressionSyntax)shape.Delta).WithTriviaFrom(valueArgument.Expression));

            // The written value used again later: keep the atomic method's result in a local and use that instead.
            var statement = invocation.FirstAncestorOrSelf<ExpressionStatementSyntax>();
            string? resultName = null;
            if (!shape.Reuses.IsEmpty)
            {
                if (shape.ReadDeclaration?.Declaration.Variables[0].Identifier.ValueText is not { Length: > 0 } counter
                    || statement is null
                    || statement.Parent is null)
                {
                    return null;
                }

                resultName = NewNames.Unused("new" + char.ToUpperInvariant(counter[0]) + counter.Substring(1), NewNames.TakenIn(statement.Parent, model, statement.SpanStart));
            }

            var end = shape.Reuses.IsEmpty ? invocation.Span.End : shape.Reuses.Max(reuse => reuse.Span.End);
            var start = shape.ReadDeclaration is { } read ? System.Math.Min(read.SpanStart, invocation.SpanStart) : invocation.SpanStart;
            var span = TextSpan.FromBounds(start, System.Math.Max(end, shape.ReadDeclaration?.Span.End ?? end));
            return new StoreRewrite($"Use {method}", span, editor =>
            {
                if (resultName is null)
                {
                    editor.ReplaceNode(invocation, rewritten);
                }
                else
                {
                    var value = statement!.Expression.ReplaceNode(invocation, rewritten);
                    var declaration = SyntaxFactory.LocalDeclarationStatement(
                            SyntaxFactory.VariableDeclaration(
                                SyntaxFactory.IdentifierName("var").WithTrailingTrivia(SyntaxFactory.Space),
                                SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(resultName))
                                    .WithInitializer(SyntaxFactory.EqualsValueClause(value.WithoutLeadingTrivia())
                                        .WithEqualsToken(SyntaxFactory.Token(SyntaxKind.EqualsToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space))))))
                        .WithTriviaFrom(statement);
                    editor.ReplaceNode(statement, declaration);
                    foreach (var reuse in shape.Reuses)
                    {
                        editor.ReplaceNode(reuse, SyntaxFactory.IdentifierName(resultName).WithTriviaFrom(reuse));
                    }
                }

                if (shape.ReadDeclaration is { } declarationToRemove)
                {
                    editor.RemoveNode(declarationToRemove, SyntaxRemoveOptions.KeepNoTrivia);
                }
            });
        }


        private static SimpleNameSyntax? NameOf(InvocationExpressionSyntax invocation) => invocation.Expression switch
        {
            MemberAccessExpressionSyntax access => access.Name,
            MemberBindingExpressionSyntax binding => binding.Name,
            _ => null,
        };
    }

    /// <summary>One planned DR3001 edit: its title, the text it replaces, and how to apply it.</summary>
    internal sealed class StoreRewrite
    {
        private readonly Action<SyntaxEditor> _apply;

        public StoreRewrite(string title, TextSpan span, Action<SyntaxEditor> apply)
        {
            Title = title;
            Span = span;
            _apply = apply;
        }

        public string Title { get; }

        public TextSpan Span { get; }

        public void Apply(SyntaxEditor editor) => _apply(editor);
    }

    /// <summary>
    /// DR3001's general Redis fix. From the statement that reads the entry into a <c>RedisValue</c> local
    /// (<c>var old = db.StringGet(key);</c>) through the write (<c>db.StringSet(key, f(old));</c>), in one block:
    /// <code>
    /// while (true)
    /// {
    ///     var old = db.StringGet(key);
    ///     ...
    ///     var transaction = db.CreateTransaction();
    ///     transaction.AddCondition(Condition.StringEqual(key, old));
    ///     _ = transaction.StringSetAsync(key, f(old));
    ///     if (transaction.Execute()) break;
    /// }
    /// </code>
    /// Every attempt re-reads, so a conflict is retried with the new value; on success the same value is written once.
    /// Offered only when the statements in between cannot leave the loop (<c>return</c>, <c>break</c>, ...), declare
    /// nothing used after the write, and do not reassign the value read.
    /// </summary>
    internal static class TransactionLoop
    {
        public static StoreRewrite? Plan(SemanticModel model, InvocationExpressionSyntax invocation, StoreCall write, StoreCalls stores, CancellationToken cancellationToken)
        {
            if (model.Compilation.GetTypeByMetadataName("StackExchange.Redis.ITransaction") is null)
            {
                return null;
            }

            var isAsync = invocation.Parent is AwaitExpressionSyntax;
            var statement = isAsync ? invocation.Parent?.Parent : invocation.Parent;
            if (statement is not ExpressionStatementSyntax { Parent: BlockSyntax block } writeStatement)
            {
                return null;
            }

            var writeIndex = block.Statements.IndexOf(writeStatement);
            for (var first = writeIndex - 1; first >= 0; first--)
            {
                if (OldValue(block.Statements[first], write, stores, model, cancellationToken) is { } old)
                {
                    return CanLoop(block, first, writeIndex, old, model) ? Rewrite(block, first, writeIndex, old, write, isAsync) : null;
                }
            }

            return null;
        }

        /// <summary>The local of <c>var old = [await] db.StringGet(key);</c> when it reads the written entry as a raw <c>RedisValue</c>.</summary>
        private static ILocalSymbol? OldValue(StatementSyntax statement, StoreCall write, StoreCalls stores, SemanticModel model, CancellationToken cancellationToken)
        {
            if (statement is not LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0, Declaration.Variables: { Count: 1 } variables }
                || variables[0].Initializer?.Value is not { } initializer
                || model.GetDeclaredSymbol(variables[0], cancellationToken) is not ILocalSymbol { Type: { Name: "RedisValue" } } local)
            {
                return null;
            }

            var value = model.GetOperation(initializer, cancellationToken);
            while (value is IAwaitOperation or IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } or IConversionOperation { IsImplicit: true })
            {
                value = value switch
                {
                    IAwaitOperation awaited => awaited.Operation,
                    IConversionOperation conversion => conversion.Operand,
                    IInvocationOperation configure => configure.Instance,
                    _ => null,
                };
            }

            return value is IInvocationOperation read && stores.Read(read) is { } storeRead && storeRead.SameEntryAs(write) ? local : null;
        }

        private static bool CanLoop(BlockSyntax block, int first, int write, ILocalSymbol old, SemanticModel model)
        {
            var moved = block.Statements.Skip(first).Take(write - first).ToList();
            if (moved.Any(s => !s.ToFullString().EndsWith("\n", StringComparison.Ordinal))
                || moved.SelectMany(s => s.DescendantNodesAndSelf()).Any(node => node is ReturnStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax
                    or GotoStatementSyntax or YieldStatementSyntax or LabeledStatementSyntax or LocalFunctionStatementSyntax
                    || (node is AssignmentExpressionSyntax { Left: IdentifierNameSyntax target } && target.Identifier.ValueText == old.Name)
                    || (node is ArgumentSyntax { RefKindKeyword.RawKind: not 0, Expression: IdentifierNameSyntax reference } && reference.Identifier.ValueText == old.Name))
                || moved.SelectMany(s => s.DescendantTokens()).Any(token => token.IsKind(SyntaxKind.StringLiteralToken) || token.IsKind(SyntaxKind.InterpolatedStringTextToken) || token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken) ? token.Text.Contains("\n") : false))
            {
                return false;
            }

            var flow = model.AnalyzeDataFlow(moved[0], block.Statements[write]);
            return flow is { Succeeded: true }
                && !flow.VariablesDeclared.Any(local => flow.ReadOutside.Contains(local, SymbolEqualityComparer.Default) || flow.WrittenOutside.Contains(local, SymbolEqualityComparer.Default))
                && !block.DescendantNodes().OfType<VariableDeclaratorSyntax>().Any(v => v.Identifier.ValueText == "transaction");
        }

        private static StoreRewrite? Rewrite(BlockSyntax block, int first, int write, ILocalSymbol old, StoreCall store, bool isAsync)
        {
            if (block.Statements[write] is not ExpressionStatementSyntax writeStatement
                || store.Invocation.Syntax is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } writeCall)
            {
                return null;
            }

            var firstStatement = block.Statements[first];
            var indent = firstStatement.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).ToString();
            var unit = "    ";
            var newLine = firstStatement.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } eol ? eol : "\n";
            var inner = indent + unit;
            var key = store.Key?.Syntax.ToString() ?? "";
            var condition = store.Field is { } field
                ? $"global::StackExchange.Redis.Condition.HashEqual({key}, {field.Syntax}, {old.Name})"
                : $"global::StackExchange.Redis.Condition.StringEqual({key}, {old.Name})";
            var text = new StringBuilder()
                .Append(indent).Append("while (true)").Append(newLine)
                .Append(indent).Append('{').Append(newLine);
            foreach (var moved in block.Statements.Skip(first).Take(write - first))
            {
                // Comments above the first statement stay above the loop.
                var movedText = moved == firstStatement ? indent + moved.ToString() + moved.GetTrailingTrivia().ToFullString() : moved.ToFullString();
                foreach (var line in movedText.Split('\n'))
                {
                    var trimmed = line.TrimEnd('\r');
                    text.Append(trimmed.Length == 0 ? "" : unit + trimmed).Append(newLine);
                }

                text.Length -= newLine.Length; // Split leaves one empty piece after the statement's last line break.
            }

            text.Append(inner).Append($"var transaction = {access.Expression}.CreateTransaction();").Append(newLine)
                .Append(inner).Append($"transaction.AddCondition({condition});").Append(newLine)
                .Append(inner).Append($"_ = transaction.{StoreCalls.WithoutAsync(access.Name.Identifier.ValueText)}Async{writeCall.ArgumentList};").Append(newLine)
                .Append(inner).Append(isAsync ? "if (await transaction.ExecuteAsync()) break;" : "if (transaction.Execute()) break;").Append(newLine)
                .Append(indent).Append('}').Append(newLine);
            var loop = SyntaxFactory.ParseStatement(text.ToString())
                .WithAdditionalAnnotations(RewriteFinisher.Rewritten);
            loop = loop.ReplaceNodes(
                loop.DescendantNodes().OfType<MemberAccessExpressionSyntax>().Where(name => name.ToString() == "global::StackExchange.Redis.Condition"),
                (_, name) => name.WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation));
            loop = loop.WithLeadingTrivia(firstStatement.GetLeadingTrivia());
            return new StoreRewrite(UnversionedStoreUpdateCodeFix.TransactionTitle, TextSpan.FromBounds(firstStatement.SpanStart, writeStatement.Span.End), editor =>
            {
                editor.ReplaceNode(firstStatement, loop);
                for (var i = first + 1; i <= write; i++)
                {
                    editor.RemoveNode(block.Statements[i], SyntaxRemoveOptions.KeepNoTrivia);
                }
            });
        }
    }
}
