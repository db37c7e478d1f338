using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Partitions
{
    /// <summary>
    /// DR4004 fix: guard the protected work with <c>if (!redLock.IsAcquired) return;</c> (RedLock.net) or
    /// <c>if (handle == null) return;</c> (Medallion) right after the statement that declares the lock, or as the first
    /// statement of a using statement's block. Offered only where leaving is what the guard should do and compiles:
    /// in a void or async Task/ValueTask function (<c>return;</c>) or one returning bool (<c>return false;</c>), not
    /// inside a loop (there <c>return</c> would stop the loop and <c>continue</c> would spin on a held lock) and not in
    /// a finally block. Fix All inserts every guard of a document in one pass (two guards can follow one statement).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UncheckedDistributedLockCodeFix)), Shared]
    public sealed class UncheckedDistributedLockCodeFix : PlannedCodeFix
    {
        public const string Title = "Skip the work when the lock was not acquired";
        private const string EquivalenceKey = RuleIds.UncheckedDistributedLock + ".Guard";

        public UncheckedDistributedLockCodeFix()
            : base(RuleIds.UncheckedDistributedLock, EquivalenceKey)
        {
        }

        private protected override string? TitleIfFixable(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken) =>
            Guard.Plan(root, model, diagnostic, cancellationToken) is not null ? Title : null;

        private protected override SyntaxNode ApplyPlans(Document document, SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        {
            var guards = diagnostics
                .Select(diagnostic => Guard.Plan(root, model, diagnostic, cancellationToken))
                .Where(guard => guard is not null)
                .Select(guard => guard!)
                .GroupBy(guard => guard.Block)
                .ToDictionary(group => group.Key, group => group.OrderBy(guard => guard.Index).ThenBy(guard => guard.Order).ToList());
            if (guards.Count == 0)
            {
                return root;
            }

            // Blocks nest; the rewritten outer block still has its statements at their original indices.
            var changed = root.ReplaceNodes(guards.Keys, (original, rewritten) =>
            {
                var statements = rewritten.Statements;
                foreach (var guard in guards[original].AsEnumerable().Reverse())
                {
                    statements = statements.Insert(guard.Index, guard.Statement);
                }

                return rewritten.WithStatements(statements);
            });
            return changed;
        }

        /// <summary>One guard statement to insert at <see cref="Index"/> of <see cref="Block"/>.</summary>
        private sealed class Guard
        {
            private Guard(BlockSyntax block, int index, int order, StatementSyntax statement)
            {
                Block = block;
                Index = index;
                Order = order;
                Statement = statement;
            }

            public BlockSyntax Block { get; }

            public int Index { get; }

            /// <summary>Where the lock is declared, to keep guards for one statement in declaration order.</summary>
            public int Order { get; }

            public StatementSyntax Statement { get; }

            public static Guard? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
            {
                var span = diagnostic.Location.SourceSpan;
                if (!root.FullSpan.Contains(span)
                    || root.FindNode(span, getInnermostNodeForTie: true)?.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation
                    || invocation.Span != span
                    || Declarator(invocation) is not { Identifier.IsMissing: false } declarator
                    || model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol local
                    || Condition(diagnostic, declarator, local, model.Compilation) is not { } condition
                    || Exit(declarator, model, cancellationToken) is not { } exit
                    || Position(declarator) is not { } position)
                {
                    return null;
                }

                var statement = SyntaxFactory.ParseStatement($"if ({condition}) {exit}")
                    .WithLeadingTrivia(position.Indentation)
                    .WithTrailingTrivia(EndOfLine(root, position.NearbyTrailing))
                    .WithAdditionalAnnotations(RewriteFinisher.Rewritten);
                return new Guard(position.Block, position.Index, declarator.SpanStart, statement);
            }

            /// <summary>The variable the acquiring call initialises, through <c>await</c>, parentheses and <c>ConfigureAwait</c>.</summary>
            private static VariableDeclaratorSyntax? Declarator(InvocationExpressionSyntax invocation)
            {
                SyntaxNode current = invocation;
                while (true)
                {
                    switch (current.Parent)
                    {
                        case AwaitExpressionSyntax or ParenthesizedExpressionSyntax:
                            current = current.Parent;
                            continue;
                        case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait", Parent: InvocationExpressionSyntax configured } access when access.Expression == current:
                            current = configured;
                            continue;
                        case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } clause when clause.Value == current:
                            return declarator;
                        default:
                            return null;
                    }
                }
            }

            /// <summary>The test that the lock was not acquired; null when the variable's type has no such test.</summary>
            private static string? Condition(Diagnostic diagnostic, VariableDeclaratorSyntax declarator, ILocalSymbol local, Compilation compilation)
            {
                var name = declarator.Identifier.Text;
                diagnostic.Properties.TryGetValue(UncheckedDistributedLockAnalyzer.LibraryProperty, out var library);
                switch (library)
                {
                    case UncheckedDistributedLockAnalyzer.RedLock:
                        return compilation.GetTypeByMetadataName("RedLockNet.IRedLock") is { } redLock && NetworkCalls.IsOrInherits(local.Type, redLock)
                            ? $"!{name}.IsAcquired"
                            : null;
                    case UncheckedDistributedLockAnalyzer.Medallion:
                        return local.Type.IsReferenceType ? $"{name} == null" : null;
                    default:
                        return null;
                }
            }

            /// <summary>
            /// <c>return;</c> in void and async Task/ValueTask functions, <c>return false;</c> in bool ones; null elsewhere,
            /// and inside loops and finally blocks.
            /// </summary>
            private static string? Exit(SyntaxNode declarator, SemanticModel model, CancellationToken cancellationToken)
            {
                foreach (var ancestor in declarator.Ancestors())
                {
                    switch (ancestor)
                    {
                        case ForStatementSyntax or CommonForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax or FinallyClauseSyntax:
                            return null;
                        case AnonymousFunctionExpressionSyntax lambda:
                            return ExitFrom(model.GetSymbolInfo(lambda, cancellationToken).Symbol as IMethodSymbol, model.Compilation);
                        case LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax:
                            return ExitFrom(model.GetDeclaredSymbol(ancestor, cancellationToken) as IMethodSymbol, model.Compilation);
                        case MemberDeclarationSyntax or GlobalStatementSyntax:
                            return null;
                    }
                }

                return null;
            }

            private static string? ExitFrom(IMethodSymbol? method, Compilation compilation)
            {
                if (method is null)
                {
                    return null;
                }

                if (method.ReturnsVoid)
                {
                    return "return;";
                }

                var returnType = method.ReturnType;
                if (method.IsAsync)
                {
                    if (IsType(returnType, compilation, "System.Threading.Tasks.Task") || IsType(returnType, compilation, "System.Threading.Tasks.ValueTask"))
                    {
                        return "return;";
                    }

                    returnType = returnType is INamedTypeSymbol { TypeArguments.Length: 1 } generic
                        && (IsType(generic.OriginalDefinition, compilation, "System.Threading.Tasks.Task`1") || IsType(generic.OriginalDefinition, compilation, "System.Threading.Tasks.ValueTask`1"))
                            ? generic.TypeArguments[0]
                            : returnType;
                }

                return returnType.SpecialType == SpecialType.System_Boolean ? "return false;" : null;
            }

            private static bool IsType(ITypeSymbol type, Compilation compilation, string metadataName) =>
                SymbolEqualityComparer.Default.Equals(type, compilation.GetTypeByMetadataName(metadataName));

            /// <summary>
            /// After a declaration statement in a block; or first in the block of the using statement that declares the
            /// lock. The guard takes the indentation of the statement it follows or precedes.
            /// </summary>
            private static (BlockSyntax Block, int Index, SyntaxTriviaList Indentation, SyntaxTriviaList NearbyTrailing)? Position(VariableDeclaratorSyntax declarator)
            {
                switch (declarator.Parent?.Parent)
                {
                    case LocalDeclarationStatementSyntax { Parent: BlockSyntax block } statement:
                        return (block, AfterSiblingGuards(block, block.Statements.IndexOf(statement) + 1, declarator), IndentationOf(statement), statement.GetTrailingTrivia());
                    case UsingStatementSyntax { Statement: BlockSyntax { Statements.Count: > 0 } body } statement when statement.Declaration == declarator.Parent:
                        return (body, AfterSiblingGuards(body, 0, declarator), IndentationOf(body.Statements[0]), body.OpenBraceToken.TrailingTrivia);
                    default:
                        return null;
                }
            }

            /// <summary>
            /// Past the guards already added for other locks of the same declaration, so fixing one at a time puts the
            /// guards in declaration order, as Fix All does.
            /// </summary>
            private static int AfterSiblingGuards(BlockSyntax block, int index, VariableDeclaratorSyntax declarator)
            {
                var siblings = (declarator.Parent as VariableDeclarationSyntax)?.Variables
                    .Where(variable => variable != declarator)
                    .Select(variable => variable.Identifier.ValueText)
                    .ToImmutableHashSet() ?? ImmutableHashSet<string>.Empty;
                while (index < block.Statements.Count
                    && block.Statements[index] is IfStatementSyntax { Statement: ReturnStatementSyntax, Else: null } guard
                    && guard.Condition.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(name => siblings.Contains(name.Identifier.ValueText)))
                {
                    index++;
                }

                return index;
            }

            /// <summary>The whitespace that starts the statement's line.</summary>
            private static SyntaxTriviaList IndentationOf(StatementSyntax statement)
            {
                var leading = statement.GetLeadingTrivia();
                var lastLineBreak = -1;
                for (var i = 0; i < leading.Count; i++)
                {
                    if (leading[i].IsKind(SyntaxKind.EndOfLineTrivia))
                    {
                        lastLineBreak = i;
                    }
                }

                return SyntaxFactory.TriviaList(leading.Skip(lastLineBreak + 1).Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)));
            }

            /// <summary>The document's own line break, as found where the guard goes or anywhere in the file.</summary>
            private static SyntaxTrivia EndOfLine(SyntaxNode root, SyntaxTriviaList nearbyTrailing)
            {
                var near = nearbyTrailing.Concat(root.DescendantTrivia()).FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
                return near.IsKind(SyntaxKind.EndOfLineTrivia) ? near : SyntaxFactory.LineFeed;
            }
        }
    }
}
