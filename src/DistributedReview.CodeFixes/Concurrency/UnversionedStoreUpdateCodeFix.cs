using System;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace DistributedReview.Concurrency
{
    /// <summary>
    /// DR3001 fix for Redis counters: <c>db.StringSet(key, x + n)</c> (or <c>HashSet(key, field, x - n)</c>), where
    /// <c>x</c> is an integer read of the same entry, becomes <c>db.StringIncrement(key, n)</c> (<c>StringDecrement</c>,
    /// <c>HashIncrement</c>, <c>HashDecrement</c>; the <c>Async</c> form and <c>await</c> are kept) and the read's
    /// declaration goes when nothing else uses it. Offered only when the write's result is unused and the read is used
    /// only in the write (see <see cref="StoreCalls.Increment"/>). Other Redis string and hash updates get a retry loop
    /// around a transaction conditioned on the value read (see <see cref="TransactionLoop"/>). Compare-and-swap loops for
    /// other stores are shown on the docs page.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnversionedStoreUpdateCodeFix)), Shared]
    public sealed class UnversionedStoreUpdateCodeFix : CodeFixProvider
    {
        private const string EquivalenceKey = RuleIds.UnversionedStoreUpdate + ".Increment";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.UnversionedStoreUpdate);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(UnversionedStoreUpdateAnalyzer.IncrementProperty, out var method) || method is null)
                {
                    if (await TransactionLoop.CanFixAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false))
                    {
                        context.RegisterCodeFix(
                            CodeAction.Create(TransactionTitle, cancellationToken => TransactionLoop.FixAsync(context.Document, diagnostic, cancellationToken), TransactionEquivalenceKey),
                            diagnostic);
                    }

                    continue;
                }

                if (await PlanAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is not null)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create($"Use {method}", cancellationToken => FixAsync(context.Document, diagnostic, cancellationToken), EquivalenceKey),
                        diagnostic);
                }
            }
        }

        public const string TransactionTitle = "Write in a Redis transaction conditioned on the value read, and retry";
        private const string TransactionEquivalenceKey = RuleIds.UnversionedStoreUpdate + ".Transaction";

        private static async Task<(InvocationExpressionSyntax Write, IncrementShape Shape)?> PlanAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation
                || model?.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation)
            {
                return null;
            }

            var stores = StoreCalls.Create(model.Compilation);
            return stores.Write(operation, anyRedisWrite: false) is { } write && stores.Increment(write) is { } shape && NameOf(invocation) is not null
                ? (invocation, shape)
                : null;
        }

        private static async Task<Document> FixAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (await PlanAsync(document, diagnostic, cancellationToken).ConfigureAwait(false) is not { } plan
                || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
                || NameOf(plan.Write) is not { } name)
            {
                return document;
            }

            var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
            var async = name.Identifier.ValueText.EndsWith("Async", System.StringComparison.Ordinal) ? "Async" : "";
            var valueArgument = plan.Write.ArgumentList.Arguments.Last();
            var rewritten = plan.Write
                .ReplaceNodes(
                    new SyntaxNode[] { name, valueArgument.Expression },
                    (original, _) => original == name
                        ? SyntaxFactory.IdentifierName(plan.Shape.Method + async).WithTriviaFrom(name)
                        : ((ExpressionSyntax)plan.Shape.Delta).WithTriviaFrom(valueArgument.Expression));
            editor.ReplaceNode(plan.Write, rewritten);
            if (plan.Shape.ReadDeclaration is { } declaration)
            {
                editor.RemoveNode(declaration, SyntaxRemoveOptions.KeepNoTrivia);
            }

            return document.WithSyntaxRoot(editor.GetChangedRoot());
        }

        private static SimpleNameSyntax? NameOf(InvocationExpressionSyntax invocation) => invocation.Expression switch
        {
            MemberAccessExpressionSyntax access => access.Name,
            MemberBindingExpressionSyntax binding => binding.Name,
            _ => null,
        };
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
        private sealed class Plan
        {
            public Plan(BlockSyntax block, int first, int write, ILocalSymbol old, StoreCall store, bool isAsync)
            {
                Block = block;
                First = first;
                Write = write;
                Old = old;
                Store = store;
                IsAsync = isAsync;
            }

            public BlockSyntax Block { get; }

            public int First { get; }

            public int Write { get; }

            public ILocalSymbol Old { get; }

            public StoreCall Store { get; }

            public bool IsAsync { get; }
        }

        public static async Task<bool> CanFixAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken) =>
            await PlanAsync(document, diagnostic, cancellationToken).ConfigureAwait(false) is not null;

        private static async Task<Plan?> PlanAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation
                || model?.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation
                || model.Compilation.GetTypeByMetadataName("StackExchange.Redis.ITransaction") is null)
            {
                return null;
            }

            var stores = StoreCalls.Create(model.Compilation);
            var isAsync = invocation.Parent is AwaitExpressionSyntax;
            var statement = isAsync ? invocation.Parent?.Parent : invocation.Parent;
            if (stores.Write(operation, anyRedisWrite: false) is not { Kind: StoreKind.Redis } write
                || statement is not ExpressionStatementSyntax { Parent: BlockSyntax block } writeStatement)
            {
                return null;
            }

            var writeIndex = block.Statements.IndexOf(writeStatement);
            for (var first = writeIndex - 1; first >= 0; first--)
            {
                if (OldValue(block.Statements[first], write, stores, model, cancellationToken) is { } old)
                {
                    return CanLoop(block, first, writeIndex, old, model) ? new Plan(block, first, writeIndex, old, write, isAsync) : null;
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

        public static async Task<Document> FixAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (await PlanAsync(document, diagnostic, cancellationToken).ConfigureAwait(false) is not { } plan
                || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
                || plan.Block.Statements[plan.Write] is not ExpressionStatementSyntax writeStatement
                || plan.Store.Invocation.Syntax is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } writeCall)
            {
                return document;
            }

            var firstStatement = plan.Block.Statements[plan.First];
            var indent = firstStatement.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).ToString();
            var unit = "    ";
            var newLine = firstStatement.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } eol ? eol : "\n";
            var inner = indent + unit;
            var key = plan.Store.Key?.Syntax.ToString() ?? "";
            var condition = plan.Store.Field is { } field
                ? $"global::StackExchange.Redis.Condition.HashEqual({key}, {field.Syntax}, {plan.Old.Name})"
                : $"global::StackExchange.Redis.Condition.StringEqual({key}, {plan.Old.Name})";
            var text = new StringBuilder()
                .Append(indent).Append("while (true)").Append(newLine)
                .Append(indent).Append('{').Append(newLine);
            foreach (var moved in plan.Block.Statements.Skip(plan.First).Take(plan.Write - plan.First))
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
                .Append(inner).Append(plan.IsAsync ? "if (await transaction.ExecuteAsync()) break;" : "if (transaction.Execute()) break;").Append(newLine)
                .Append(indent).Append('}').Append(newLine);
            var loop = SyntaxFactory.ParseStatement(text.ToString())
                .WithAdditionalAnnotations(RewriteFinisher.Rewritten);
            loop = loop.ReplaceNodes(
                loop.DescendantNodes().OfType<MemberAccessExpressionSyntax>().Where(name => name.ToString() == "global::StackExchange.Redis.Condition"),
                (_, name) => name.WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation));
            var statements = plan.Block.Statements;
            for (var i = plan.Write; i > plan.First; i--)
            {
                statements = statements.RemoveAt(i);
            }

            var block = plan.Block.WithStatements(statements.Replace(statements[plan.First], loop.WithLeadingTrivia(firstStatement.GetLeadingTrivia())));
            var changed = root.ReplaceNode(plan.Block, block);
            return await RewriteFinisher.FinishAsync(document.WithSyntaxRoot(changed), cancellationToken).ConfigureAwait(false);
        }
    }
}
