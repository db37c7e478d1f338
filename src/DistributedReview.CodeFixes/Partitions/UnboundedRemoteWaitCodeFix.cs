using System;
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
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace DistributedReview.Partitions
{
    /// <summary>
    /// DR4001 fix. gRPC: give the call a deadline, <c>deadline: DateTime.UtcNow.AddSeconds(30)</c> (a named argument,
    /// so it compiles whatever arguments are already there; an explicit <c>null</c> deadline is replaced), or
    /// <c>options.WithDeadline(DateTime.UtcNow.AddSeconds(30))</c> for the <c>CallOptions</c> overload.
    /// HttpClient: replace the infinite timeout with <c>TimeSpan.FromSeconds(100)</c>, HttpClient's own default.
    /// Fix All rewrites a document in one pass: each edit may need <c>using System;</c>.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnboundedRemoteWaitCodeFix)), Shared]
    public sealed class UnboundedRemoteWaitCodeFix : PlannedCodeFix
    {
        public const string DeadlineTitle = "Give the call a 30 s deadline";
        public const string TimeoutTitle = "Use HttpClient's default 100 s timeout";
        public const int DeadlineSeconds = 30;
        public const int TimeoutSeconds = 100;
        private const string EquivalenceKey = RuleIds.UnboundedRemoteWait + ".Bound";

        public UnboundedRemoteWaitCodeFix()
            : base(RuleIds.UnboundedRemoteWait, EquivalenceKey)
        {
        }

        private protected override string? TitleIfFixable(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken) =>
            Edit.Plan(root, model, diagnostic, cancellationToken)?.Title;

        private protected override SyntaxNode ApplyPlans(Document document, SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        {
            var edits = new Dictionary<SyntaxNode, Edit>();
            foreach (var diagnostic in diagnostics)
            {
                if (Edit.Plan(root, model, diagnostic, cancellationToken) is { } edit && !edits.ContainsKey(edit.Target))
                {
                    edits.Add(edit.Target, edit);
                }
            }

            if (edits.Count == 0)
            {
                return root;
            }

            var changed = root.ReplaceNodes(edits.Keys, (original, rewritten) => edits[original].Apply(rewritten));
            return changed;
        }

        /// <summary>One node to rewrite: the timeout value, or the call's argument list.</summary>
        private sealed class Edit
        {
            private readonly Func<SyntaxNode, SyntaxNode> _apply;

            private Edit(string title, SyntaxNode target, Func<SyntaxNode, SyntaxNode> apply)
            {
                Title = title;
                Target = target;
                _apply = apply;
            }

            public string Title { get; }

            public SyntaxNode Target { get; }

            public SyntaxNode Apply(SyntaxNode rewritten) => _apply(rewritten);

            public static Edit? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
            {
                var span = diagnostic.Location.SourceSpan;
                if (!root.FullSpan.Contains(span) || !diagnostic.Properties.TryGetValue(UnboundedRemoteWaitAnalyzer.ShapeProperty, out var shape))
                {
                    return null;
                }

                var node = root.FindNode(span, getInnermostNodeForTie: true);
                switch (shape)
                {
                    case UnboundedRemoteWaitAnalyzer.HttpClientTimeoutShape when node is AssignmentExpressionSyntax { Right: { } value }:
                        return new Edit(TimeoutTitle, value, rewritten => FiniteTimeout().WithTriviaFrom(rewritten));

                    case UnboundedRemoteWaitAnalyzer.GrpcArgumentsShape when node is InvocationExpressionSyntax { ArgumentList: { } arguments } invocation
                        && model.GetOperation(invocation, cancellationToken) is IInvocationOperation call:
                        var deadline = call.Arguments.FirstOrDefault(a => a.Parameter?.Name == "deadline");
                        if (deadline is null)
                        {
                            return null;
                        }

                        if (deadline.ArgumentKind == ArgumentKind.DefaultValue)
                        {
                            return new Edit(DeadlineTitle, arguments, rewritten => AddDeadline((ArgumentListSyntax)rewritten));
                        }

                        var index = arguments.Arguments.IndexOf(a => a == deadline.Syntax);
                        return index < 0 ? null : new Edit(DeadlineTitle, arguments, rewritten => ReplaceDeadline((ArgumentListSyntax)rewritten, index));

                    case UnboundedRemoteWaitAnalyzer.GrpcCallOptionsShape when node is InvocationExpressionSyntax { ArgumentList: { } arguments } invocation
                        && model.GetOperation(invocation, cancellationToken) is IInvocationOperation call:
                        var options = call.Arguments.FirstOrDefault(a => a.Parameter?.Type.Name == "CallOptions" && a.ArgumentKind == ArgumentKind.Explicit);
                        var optionsIndex = options is null ? -1 : arguments.Arguments.IndexOf(a => a == options.Syntax);
                        if (optionsIndex < 0 || arguments.Arguments[optionsIndex].Expression.IsKind(SyntaxKind.DefaultLiteralExpression))
                        {
                            return null;
                        }

                        return new Edit(DeadlineTitle, arguments, rewritten => WithDeadline((ArgumentListSyntax)rewritten, optionsIndex));

                    default:
                        return null;
                }
            }

            private static ArgumentListSyntax AddDeadline(ArgumentListSyntax list)
            {
                var argument = SyntaxFactory.Argument(DeadlineValue())
                    .WithNameColon(SyntaxFactory.NameColon(SyntaxFactory.IdentifierName("deadline")).WithTrailingTrivia(SyntaxFactory.Space))
                    .WithAdditionalAnnotations(RewriteFinisher.Rewritten);
                if (list.Arguments.Count == 0)
                {
                    return list.WithArguments(SyntaxFactory.SingletonSeparatedList(argument));
                }

                var separator = SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space);
                return list.WithArguments(SyntaxFactory.SeparatedList<ArgumentSyntax>(list.Arguments.GetWithSeparators().Add(separator).Add(argument)));
            }

            private static ArgumentListSyntax ReplaceDeadline(ArgumentListSyntax list, int index)
            {
                var old = list.Arguments[index];
                return list.WithArguments(list.Arguments.Replace(old, old.WithExpression(DeadlineValue().WithTriviaFrom(old.Expression))));
            }

            private static ArgumentListSyntax WithDeadline(ArgumentListSyntax list, int index)
            {
                var old = list.Arguments[index];
                var receiver = old.Expression.WithoutTrivia();
                if (receiver is not (IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ObjectCreationExpressionSyntax
                    or ParenthesizedExpressionSyntax or ElementAccessExpressionSyntax or DefaultExpressionSyntax))
                {
                    receiver = SyntaxFactory.ParenthesizedExpression(receiver);
                }

                var withDeadline = SyntaxFactory.InvocationExpression(
                        SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, SyntaxFactory.IdentifierName("WithDeadline")),
                        SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(DeadlineValue()))))
                    .WithAdditionalAnnotations(RewriteFinisher.Rewritten)
                    .WithTriviaFrom(old.Expression);
                return list.WithArguments(list.Arguments.Replace(old, old.WithExpression(withDeadline)));
            }

            /// <summary><c>DateTime.UtcNow.AddSeconds(30)</c>, with the type fully qualified for the simplifier to shorten.</summary>
            private static ExpressionSyntax DeadlineValue() =>
                Qualified($"global::System.DateTime.UtcNow.AddSeconds({DeadlineSeconds})");

            /// <summary><c>TimeSpan.FromSeconds(100)</c>.</summary>
            private static ExpressionSyntax FiniteTimeout() =>
                Qualified($"global::System.TimeSpan.FromSeconds({TimeoutSeconds})");

            private static ExpressionSyntax Qualified(string text) =>
                SyntaxFactory.ParseExpression(text)
                    .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation, RewriteFinisher.Rewritten);
        }
    }
}
