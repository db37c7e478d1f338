using System;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;
using Shape = DistributedReview.Timing.StopwatchTicksAnalyzer.Shape;
using StopwatchSymbols = DistributedReview.Timing.StopwatchTicksAnalyzer.StopwatchSymbols;

namespace DistributedReview.Timing
{
    /// <summary>
    /// DR1004 fix: turn the Stopwatch tick count into time with Stopwatch's own conversion. <c>sw.Elapsed</c> for
    /// <c>sw.ElapsedTicks</c>; <c>Stopwatch.GetElapsedTime(start[, end])</c> for a timestamp difference on .NET 7+;
    /// otherwise a <c>Stopwatch.Frequency</c>-based conversion. Each edit replaces only the conversion expression, so
    /// edits never overlap and Fix All can batch them.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StopwatchTicksCodeFix)), Shared]
    public sealed class StopwatchTicksCodeFix : CodeFixProvider
    {
        public const string ElapsedTitle = "Use Stopwatch.Elapsed";
        public const string ElapsedTimeTitle = "Use Stopwatch.GetElapsedTime";
        public const string FrequencyTitle = "Convert through Stopwatch.Frequency";
        private const string EquivalenceKey = RuleIds.StopwatchTicks + ".Convert";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.StopwatchTicks);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null || StopwatchSymbols.Create(model.Compilation) is not { } symbols)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                var shape = diagnostic.Properties.TryGetValue(StopwatchTicksAnalyzer.ShapeProperty, out var text)
                    && Enum.TryParse<Shape>(text, out var parsed) ? parsed : Shape.Ticks;
                var rewriter = new Rewriter(model, symbols, SyntaxGenerator.GetGenerator(context.Document), context.CancellationToken);
                if (rewriter.Plan(root, diagnostic.Location.SourceSpan, shape) is { } plan)
                {
                    var document = context.Document;
                    context.RegisterCodeFix(
                        CodeAction.Create(plan.Title, cancellationToken => ApplyAsync(document, root, plan.Old, plan.New, cancellationToken), EquivalenceKey),
                        diagnostic);
                }
            }
        }

        private static async Task<Document> ApplyAsync(Document document, SyntaxNode root, SyntaxNode oldNode, SyntaxNode newNode, CancellationToken cancellationToken)
        {
            document = document.WithSyntaxRoot(root.ReplaceNode(oldNode, newNode.WithAdditionalAnnotations(RewriteFinisher.Rewritten)));
            return await RewriteFinisher.FinishAsync(document, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Builds the replacement for one diagnostic; null when none is known to compile to the same type.</summary>
        private sealed class Rewriter
        {
            private readonly SemanticModel _model;
            private readonly StopwatchSymbols _symbols;
            private readonly SyntaxGenerator _generator;
            private readonly CancellationToken _cancellationToken;
            private string _title = FrequencyTitle;

            public Rewriter(SemanticModel model, StopwatchSymbols symbols, SyntaxGenerator generator, CancellationToken cancellationToken)
            {
                _model = model;
                _symbols = symbols;
                _generator = generator;
                _cancellationToken = cancellationToken;
            }

            public (string Title, SyntaxNode Old, SyntaxNode New)? Plan(SyntaxNode root, TextSpan span, Shape shape)
            {
                if (!root.FullSpan.Contains(span))
                {
                    return null;
                }

                var target = root.FindNode(span, getInnermostNodeForTie: true)
                    .AncestorsAndSelf()
                    .TakeWhile(node => node.Span == span)
                    .OfType<ExpressionSyntax>()
                    .FirstOrDefault(node => node is InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax or BinaryExpressionSyntax);
                if (target is null)
                {
                    return null;
                }

                var replacement = _model.GetOperation(target, _cancellationToken) switch
                {
                    IInvocationOperation { Arguments.Length: 1 } invocation when _symbols.IsFromTicks(invocation.TargetMethod) =>
                        ArgumentOf(invocation) is { } value ? TimeSpanFrom(value, shape) : null,
                    IInvocationOperation { Arguments.Length: 1 } invocation when _symbols.IsAddTicks(invocation.TargetMethod) && target is InvocationExpressionSyntax syntax =>
                        AddInsteadOfAddTicks(syntax, invocation, shape),
                    IObjectCreationOperation { Constructor: { } constructor, Arguments.Length: 1 } creation when _symbols.IsTicksConstructor(constructor) =>
                        ArgumentOf(creation) is { } value ? TimeSpanFrom(value, shape) : null,
                    IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide } division when target is BinaryExpressionSyntax binary =>
                        FrequencyDivision(binary, division),
                    _ => null,
                };

                return replacement is not null && KeepsType(target, replacement)
                    ? (_title, target, replacement.WithTriviaFrom(target))
                    : null;
            }

            private static ExpressionSyntax? ArgumentOf(IOperation operation) =>
                operation.Syntax is ExpressionSyntax expression
                && expression.ChildNodes().OfType<ArgumentListSyntax>().FirstOrDefault() is { Arguments.Count: 1 } arguments
                    ? arguments.Arguments[0].Expression
                    : null;

            /// <summary>The rewritten expression binds, at the same place, to the type the original had.</summary>
            private bool KeepsType(ExpressionSyntax original, ExpressionSyntax replacement)
            {
                var before = _model.GetTypeInfo(original, _cancellationToken).Type;
                var after = _model.GetSpeculativeTypeInfo(original.SpanStart, replacement, SpeculativeBindingOption.BindAsExpression).Type;
                return before is not null && before.TypeKind != TypeKind.Error && SymbolEqualityComparer.Default.Equals(before, after);
            }

            /// <summary>A TimeSpan for the Stopwatch tick count <paramref name="value"/>.</summary>
            private ExpressionSyntax TimeSpanFrom(ExpressionSyntax value, Shape shape)
            {
                var ticks = WithoutParentheses(value);
                switch (shape)
                {
                    // sw.ElapsedTicks -> sw.Elapsed
                    case Shape.Elapsed when ticks is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ElapsedTicks" } member:
                        _title = ElapsedTitle;
                        return member.WithName(SyntaxFactory.IdentifierName("Elapsed").WithTriviaFrom(member.Name)).WithoutTrivia();
                    case Shape.Elapsed when ticks is IdentifierNameSyntax { Identifier.ValueText: "ElapsedTicks" }:
                        _title = ElapsedTitle;
                        return SyntaxFactory.IdentifierName("Elapsed");

                    // Stopwatch.GetTimestamp() - start -> Stopwatch.GetElapsedTime(start)
                    case Shape.SinceStart when _symbols.HasElapsedTime && ticks is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.SubtractExpression } difference:
                        _title = ElapsedTimeTitle;
                        return StopwatchCall("GetElapsedTime", difference.Right.WithoutTrivia());

                    // end - start -> Stopwatch.GetElapsedTime(start, end)
                    case Shape.Between when _symbols.HasElapsedTimeBetween && ticks is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.SubtractExpression } difference:
                        _title = ElapsedTimeTitle;
                        return StopwatchCall("GetElapsedTime", difference.Right.WithoutTrivia(), difference.Left.WithoutTrivia());

                    default:
                        _title = FrequencyTitle;
                        return FrequencyTimeSpan(value);
                }
            }

            /// <summary>
            /// .NET 7+ (where <c>TimeSpan.FromSeconds(double)</c> keeps full precision): <c>TimeSpan.FromSeconds(x / (double)Stopwatch.Frequency)</c>.
            /// Older targets may run on .NET Framework, whose <c>FromSeconds</c> rounds to whole milliseconds, so convert
            /// to TimeSpan ticks as Stopwatch itself does: <c>TimeSpan.FromTicks((long)(x * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)))</c>.
            /// </summary>
            private ExpressionSyntax FrequencyTimeSpan(ExpressionSyntax value)
            {
                var ticks = AsLeftOperand(value);
                if (_symbols.HasElapsedTime)
                {
                    return TimeSpanCall("FromSeconds", Binary(SyntaxKind.DivideExpression, ticks, Cast(SpecialType.System_Double, Frequency())));
                }

                var ratio = SyntaxFactory.ParenthesizedExpression(
                    Binary(SyntaxKind.DivideExpression, Cast(SpecialType.System_Double, TimeSpanMember("TicksPerSecond")), Frequency()));
                return TimeSpanCall("FromTicks", Cast(SpecialType.System_Int64, SyntaxFactory.ParenthesizedExpression(Binary(SyntaxKind.MultiplyExpression, ticks, ratio))));
            }

            /// <summary><c>dt.AddTicks(x)</c> -> <c>dt.Add(&lt;TimeSpan&gt;)</c>, for DateTime and DateTimeOffset alike.</summary>
            private ExpressionSyntax? AddInsteadOfAddTicks(InvocationExpressionSyntax invocation, IInvocationOperation operation, Shape shape)
            {
                var name = invocation.Expression switch
                {
                    MemberAccessExpressionSyntax member => member.Name,
                    MemberBindingExpressionSyntax binding => binding.Name,
                    _ => null,
                };
                if (name is null || ArgumentOf(operation) is not { } value)
                {
                    return null;
                }

                var timeSpan = TimeSpanFrom(value, shape);
                return invocation.ReplaceNodes(
                    new SyntaxNode[] { name, value },
                    (original, _) => original == name ? SyntaxFactory.IdentifierName("Add").WithTriviaFrom(name) : timeSpan.WithTriviaFrom(value));
            }

            /// <summary>
            /// <c>x / TimeSpan.TicksPerMillisecond</c> -> <c>x * 1000 / Stopwatch.Frequency</c> and so on, keeping the result
            /// type: a <c>long</c> result goes through <c>double</c> (<c>x * 1000</c> in <c>long</c> would overflow after 106
            /// days of 1 GHz ticks) and is cast back; an integer <c>x</c> divided into a <c>double</c> gets real literals.
            /// </summary>
            private ExpressionSyntax? FrequencyDivision(BinaryExpressionSyntax binary, IBinaryOperation division)
            {
                if (division.Type is not { } resultType || _symbols.TicksPerUnit(division.RightOperand) is not { } unit)
                {
                    return null;
                }

                var integral = resultType.SpecialType is SpecialType.System_Int64 or SpecialType.System_Int32 or SpecialType.System_UInt64 or SpecialType.System_UInt32;
                var leftIsReal = _model.GetTypeInfo(binary.Left, _cancellationToken).Type?.SpecialType
                    is SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Decimal;
                var ticks = AsLeftOperand(binary.Left);
                _title = FrequencyTitle;

                ExpressionSyntax Scaled(int factor) => integral
                    ? SyntaxFactory.CastExpression(
                        (TypeSyntax)_generator.TypeExpression(resultType),
                        SyntaxFactory.ParenthesizedExpression(Binary(SyntaxKind.DivideExpression, Binary(SyntaxKind.MultiplyExpression, ticks, Number(factor, real: true)), Frequency())))
                    : Binary(SyntaxKind.DivideExpression, Binary(SyntaxKind.MultiplyExpression, ticks, Number(factor, real: !leftIsReal)), Frequency());

                ExpressionSyntax Divided(int seconds) => seconds == 1
                    ? Binary(SyntaxKind.DivideExpression, ticks, integral || leftIsReal ? Frequency() : Cast(SpecialType.System_Double, Frequency()))
                    : Binary(SyntaxKind.DivideExpression, ticks, SyntaxFactory.ParenthesizedExpression(
                        Binary(SyntaxKind.MultiplyExpression, Frequency(), Number(seconds, real: !integral && !leftIsReal))));

                return unit switch
                {
                    "TicksPerMicrosecond" => Scaled(1_000_000),
                    "TicksPerMillisecond" => Scaled(1000),
                    "TicksPerSecond" => Divided(1),
                    "TicksPerMinute" => Divided(60),
                    "TicksPerHour" => Divided(3600),
                    "TicksPerDay" => Divided(86400),
                    _ => null,
                };
            }

            private ExpressionSyntax Frequency() => StopwatchMember("Frequency");

            private ExpressionSyntax StopwatchMember(string name) =>
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, TypeName(_symbols.Stopwatch), SyntaxFactory.IdentifierName(name));

            private ExpressionSyntax TimeSpanMember(string name) =>
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, TypeName(_symbols.TimeSpan), SyntaxFactory.IdentifierName(name));

            private ExpressionSyntax StopwatchCall(string method, params ExpressionSyntax[] arguments) =>
                SyntaxFactory.InvocationExpression(StopwatchMember(method), ArgumentList(arguments));

            private ExpressionSyntax TimeSpanCall(string method, params ExpressionSyntax[] arguments) =>
                SyntaxFactory.InvocationExpression(TimeSpanMember(method), ArgumentList(arguments));

            /// <summary><c>global::System.Diagnostics.Stopwatch</c>, which the simplifier shortens and imports.</summary>
            private ExpressionSyntax TypeName(INamedTypeSymbol type) =>
                ((ExpressionSyntax)_generator.TypeExpression(type)).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation, Simplifier.Annotation);

            private static ArgumentListSyntax ArgumentList(ExpressionSyntax[] arguments) =>
                SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(
                    arguments.Select(SyntaxFactory.Argument),
                    Enumerable.Repeat(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space), Math.Max(0, arguments.Length - 1))));

            private static ExpressionSyntax Cast(SpecialType type, ExpressionSyntax expression) =>
                SyntaxFactory.CastExpression(
                    SyntaxFactory.PredefinedType(SyntaxFactory.Token(type == SpecialType.System_Double ? SyntaxKind.DoubleKeyword : SyntaxKind.LongKeyword)),
                    expression);

            private static BinaryExpressionSyntax Binary(SyntaxKind kind, ExpressionSyntax left, ExpressionSyntax right)
            {
                var operatorKind = kind == SyntaxKind.MultiplyExpression ? SyntaxKind.AsteriskToken : SyntaxKind.SlashToken;
                var token = SyntaxFactory.Token(SyntaxFactory.TriviaList(SyntaxFactory.Space), operatorKind, SyntaxFactory.TriviaList(SyntaxFactory.Space));
                return SyntaxFactory.BinaryExpression(kind, left, token, right);
            }

            private static ExpressionSyntax Number(int value, bool real)
            {
                var text = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return SyntaxFactory.LiteralExpression(
                    SyntaxKind.NumericLiteralExpression,
                    real ? SyntaxFactory.Literal(text + ".0", (double)value) : SyntaxFactory.Literal(value));
            }

            private static ExpressionSyntax WithoutParentheses(ExpressionSyntax expression)
            {
                while (expression is ParenthesizedExpressionSyntax parenthesized)
                {
                    expression = parenthesized.Expression;
                }

                return expression;
            }

            /// <summary>The expression, parenthesised unless it already binds at least as tightly as <c>*</c> and <c>/</c>.</summary>
            private static ExpressionSyntax AsLeftOperand(ExpressionSyntax expression)
            {
                expression = expression.WithoutTrivia();
                var tight = expression is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax
                    or ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax or LiteralExpressionSyntax or CastExpressionSyntax
                    or CheckedExpressionSyntax or ThisExpressionSyntax or PrefixUnaryExpressionSyntax
                    || expression.IsKind(SyntaxKind.MultiplyExpression) || expression.IsKind(SyntaxKind.DivideExpression)
                    || expression.IsKind(SyntaxKind.ModuloExpression);
                return tight ? expression : SyntaxFactory.ParenthesizedExpression(expression);
            }
        }
    }
}
