using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Clustering
{
    /// <summary>
    /// DR5002: Orleans development clustering (<c>UseLocalhostClustering</c>, <c>UseDevelopmentClustering</c> on a silo or
    /// client builder) where nothing keeps it out of production: no environment check around the call
    /// (<c>IsDevelopment()</c>, <c>IsEnvironment("Development")</c>, a comparison of the environment name, also as a
    /// ternary or an early return), no <c>#if DEBUG</c>, no development/local/test name on the enclosing members, and
    /// not a test project.
    /// </summary>
    public sealed class OrleansDevelopmentClusteringAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Where Orleans declares the two methods: silo builders (3.x and 7+) and client builders.</summary>
        private static readonly string[] ExtensionTypes =
        {
            "Orleans.Hosting.CoreHostingExtensions",
            "Orleans.ClientBuilderExtensions",
            "Orleans.Hosting.ClientBuilderExtensions",
        };

        /// <summary>A type from any of these test frameworks (or Orleans' own test cluster) makes this a test project.</summary>
        private static readonly string[] TestFrameworkTypes =
        {
            "Xunit.FactAttribute",
            "NUnit.Framework.TestAttribute",
            "Microsoft.VisualStudio.TestTools.UnitTesting.TestMethodAttribute",
            "TUnit.Core.TestAttribute",
            "Orleans.TestingHost.TestClusterBuilder",
        };

        private static readonly string[] NonProductionWords = { "development", "dev", "local", "localhost", "test", "tests", "testing", "debug", "staging", "emulator" };

        private static readonly string[] ProductionWords = { "production", "prod", "release" };

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.OrleansDevelopmentClustering);

        private static readonly CallNames ClusteringCalls = CallNames.Exactly("UseLocalhostClustering", "UseDevelopmentClustering");

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(compilationStart =>
            {
                var compilation = compilationStart.Compilation;
                var extensionTypes = ExtensionTypes
                    .Select(compilation.GetTypeByMetadataName)
                    .Where(type => type is not null)
                    .ToImmutableHashSet<INamedTypeSymbol?>(SymbolEqualityComparer.Default);
                if (extensionTypes.IsEmpty || IsTestProject(compilation))
                {
                    return;
                }

                var isExecutable = compilation.Options.OutputKind is OutputKind.ConsoleApplication or OutputKind.WindowsApplication or OutputKind.WindowsRuntimeApplication;
                compilationStart.RegisterOperationAction(ClusteringCalls.Filter(operationContext => AnalyzeInvocation(operationContext, extensionTypes, isExecutable)), OperationKind.Invocation);
            });
        }

        private static bool IsTestProject(Compilation compilation) =>
            (compilation.AssemblyName is { } name && (name.EndsWith("Test", StringComparison.Ordinal) || name.EndsWith("Tests", StringComparison.Ordinal)))
            || TestFrameworkTypes.Any(type => compilation.GetTypeByMetadataName(type) is not null);

        private static void AnalyzeInvocation(OperationAnalysisContext context, ImmutableHashSet<INamedTypeSymbol?> extensionTypes, bool isExecutable)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
            if (!ClusteringCalls.Matches(method.Name)
                || !extensionTypes.Contains(method.ContainingType?.OriginalDefinition)
                || invocation.Syntax is not InvocationExpressionSyntax syntax)
            {
                return;
            }

            var guard = GuardOf(invocation);
            if (guard == Guard.Development
                || HasDevelopmentName(context.ContainingSymbol)
                || IsConditionalOnDebug(context.ContainingSymbol)
                || InDevelopmentOnlyRegion(syntax, context.CancellationToken))
            {
                return;
            }

            var name = syntax.Expression switch
            {
                MemberAccessExpressionSyntax memberAccess => memberAccess.Name,
                MemberBindingExpressionSyntax memberBinding => memberBinding.Name,
                _ => syntax.Expression,
            };
            Confidence.Report(
                context.ReportDiagnostic,
                context.Options,
                Rules.OrleansDevelopmentClustering,
                Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(name.SpanStart, syntax.Span.End)),
                ConfidenceOf(isExecutable, guard == Guard.OtherCondition),
                messageArgs: Display.Of(name) + Display.Of(syntax.ArgumentList));
        }

        /// <summary>
        /// 90 in an executable (the host that runs in production), 80 in a library (a helper whose callers may choose
        /// the environment). -20 when the call depends on a condition that is not an environment check, such as a
        /// configuration switch that may keep it out of production.
        /// </summary>
        private static int ConfidenceOf(bool isExecutable, bool underOtherCondition) =>
            Confidence.Clamp((isExecutable ? 90 : 80) - (underOtherCondition ? 20 : 0));

        private enum Guard
        {
            None,
            Development,
            OtherCondition,
        }

        /// <summary>
        /// Walks out from the call: a branch taken only outside production (if/else, ternary, switch case, the rest of a
        /// block after <c>if (!env.IsDevelopment()) return;</c>) or a local function named for development guards it;
        /// any other condition on the way is noted.
        /// </summary>
        private static Guard GuardOf(IOperation call)
        {
            var guard = Guard.None;
            for (IOperation? current = call, parent = call.Parent; parent is not null; current = parent, parent = parent.Parent)
            {
                switch (parent)
                {
                    case IConditionalOperation conditional when current == conditional.WhenTrue || current == conditional.WhenFalse:
                        if (current == conditional.WhenTrue ? OnlyOutsideProductionWhenTrue(conditional.Condition) : OnlyOutsideProductionWhenFalse(conditional.Condition))
                        {
                            return Guard.Development;
                        }

                        guard = Guard.OtherCondition;
                        break;
                    case ISwitchCaseOperation switchCase:
                        if (switchCase.Clauses.Any(clause => EnvironmentNamed(clause switch
                        {
                            ISingleValueCaseClauseOperation single => single.Value,
                            IPatternCaseClauseOperation { Pattern: IConstantPatternOperation constant } => constant.Value,
                            _ => null,
                        }) is true))
                        {
                            return Guard.Development;
                        }

                        guard = Guard.OtherCondition;
                        break;
                    case ISwitchExpressionArmOperation arm when current == arm.Value:
                        if (arm.Pattern is IConstantPatternOperation { Value: var armValue } && EnvironmentNamed(armValue) is true)
                        {
                            return Guard.Development;
                        }

                        guard = Guard.OtherCondition;
                        break;
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction when current == conjunction.RightOperand:
                        if (OnlyOutsideProductionWhenTrue(conjunction.LeftOperand))
                        {
                            return Guard.Development;
                        }

                        guard = Guard.OtherCondition;
                        break;
                    case IBlockOperation block when ExitsEarlyOutsideDevelopment(block, current):
                        return Guard.Development;
                    case ILocalFunctionOperation localFunction when IdentifierWords.Of(localFunction.Symbol.Name).Any(NonProductionWords.Contains):
                        return Guard.Development;
                }
            }

            return guard;
        }

        /// <summary>An earlier statement of the block, <c>if (production) return/throw/continue/break;</c>, leaves the rest to development.</summary>
        private static bool ExitsEarlyOutsideDevelopment(IBlockOperation block, IOperation statement)
        {
            foreach (var earlier in block.Operations)
            {
                if (earlier == statement)
                {
                    return false;
                }

                if (earlier is IConditionalOperation { WhenFalse: null } conditional
                    && OnlyOutsideProductionWhenFalse(conditional.Condition)
                    && AlwaysExits(conditional.WhenTrue))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool AlwaysExits(IOperation? operation) => operation switch
        {
            IReturnOperation or IThrowOperation or IBranchOperation => true,
            IExpressionStatementOperation { Operation: IThrowOperation } => true,
            IBlockOperation { Operations: { Length: > 0 } operations } => AlwaysExits(operations[operations.Length - 1]),
            _ => false,
        };

        /// <summary>When <paramref name="condition"/> is true, the code runs outside production.</summary>
        private static bool OnlyOutsideProductionWhenTrue(IOperation condition) => ClockSymbols.WalkDownImplicitConversions(condition) switch
        {
            IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } negation => OnlyOutsideProductionWhenFalse(negation.Operand),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction => OnlyOutsideProductionWhenTrue(conjunction.LeftOperand) || OnlyOutsideProductionWhenTrue(conjunction.RightOperand),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } disjunction => OnlyOutsideProductionWhenTrue(disjunction.LeftOperand) && OnlyOutsideProductionWhenTrue(disjunction.RightOperand),
            var leaf => EnvironmentCheck(leaf) is true,
        };

        /// <summary>When <paramref name="condition"/> is false, the code runs outside production.</summary>
        private static bool OnlyOutsideProductionWhenFalse(IOperation condition) => ClockSymbols.WalkDownImplicitConversions(condition) switch
        {
            IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } negation => OnlyOutsideProductionWhenTrue(negation.Operand),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction => OnlyOutsideProductionWhenFalse(conjunction.LeftOperand) && OnlyOutsideProductionWhenFalse(conjunction.RightOperand),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } disjunction => OnlyOutsideProductionWhenFalse(disjunction.LeftOperand) || OnlyOutsideProductionWhenFalse(disjunction.RightOperand),
            var leaf => EnvironmentCheck(leaf) is false,
        };

        /// <summary>
        /// True for a check that holds only outside production (<c>IsDevelopment()</c>, <c>IsEnvironment("Development")</c>,
        /// <c>name == "Development"</c>, <c>name != "Production"</c>, a flag named like <c>isDevelopment</c>,
        /// <c>Debugger.IsAttached</c>); false for one that holds only in production (<c>IsProduction()</c>, ...); null otherwise.
        /// </summary>
        private static bool? EnvironmentCheck(IOperation? condition)
        {
            switch (condition)
            {
                case IInvocationOperation { TargetMethod.Name: "IsDevelopment" or "IsStaging" }:
                    return true;
                case IInvocationOperation { TargetMethod.Name: "IsProduction" }:
                    return false;
                case IInvocationOperation { TargetMethod.Name: "IsEnvironment" or "IsEnvironmentName" or "Equals" } invocation:
                    return invocation.Arguments.Select(a => EnvironmentNamed(a.Value)).FirstOrDefault(named => named is not null)
                        ?? (invocation.Instance is { } instance ? EnvironmentNamed(instance) : null);
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison:
                    var named = EnvironmentNamed(comparison.LeftOperand) ?? EnvironmentNamed(comparison.RightOperand);
                    return comparison.OperatorKind == BinaryOperatorKind.NotEquals ? !named : named;
                case IIsPatternOperation { Pattern: IConstantPatternOperation { Value: var value } }:
                    return EnvironmentNamed(value);
                case IPropertyReferenceOperation { Property: { Name: "IsAttached", ContainingType.Name: "Debugger" } }:
                    return true;
                case ILocalReferenceOperation { Local: { Type.SpecialType: SpecialType.System_Boolean } local }:
                    return FlagNamed(local.Name);
                case IFieldReferenceOperation { Field: { Type.SpecialType: SpecialType.System_Boolean } field }:
                    return FlagNamed(field.Name);
                case IPropertyReferenceOperation { Property: { Type.SpecialType: SpecialType.System_Boolean } property }:
                    return FlagNamed(property.Name);
                case IParameterReferenceOperation { Parameter: { Type.SpecialType: SpecialType.System_Boolean } parameter }:
                    return FlagNamed(parameter.Name);
                default:
                    return null;
            }
        }

        /// <summary>True for a constant (or <c>Environments.X</c>) naming a non-production environment, false for production.</summary>
        private static bool? EnvironmentNamed(IOperation? value) => ClockSymbols.WalkDownImplicitConversions(value) switch
        {
            { ConstantValue: { HasValue: true, Value: string name } } => Classify(name),
            IFieldReferenceOperation { Field: { ContainingType.Name: "Environments" } field } => Classify(field.Name),
            IPropertyReferenceOperation { Property: { ContainingType.Name: "Environments" } property } => Classify(property.Name),
            _ => null,
        };

        private static bool? Classify(string environmentName)
        {
            var name = environmentName.Trim().ToLowerInvariant();
            return NonProductionWords.Contains(name) ? true : ProductionWords.Contains(name) ? false : null;
        }

        private static bool? FlagNamed(string name)
        {
            var words = IdentifierWords.Of(name);
            return words.Any(NonProductionWords.Contains) ? true : words.Any(ProductionWords.Contains) ? false : null;
        }

        /// <summary>The method, local functions or types around the call are named for development, local runs or tests.</summary>
        private static bool HasDevelopmentName(ISymbol? symbol)
        {
            for (var current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
            {
                if (IdentifierWords.Of(current.Name).Any(NonProductionWords.Contains))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsConditionalOnDebug(ISymbol? symbol) =>
            symbol?.GetAttributes().Any(attribute =>
                attribute.AttributeClass is { Name: "ConditionalAttribute" }
                && attribute.ConstructorArguments.FirstOrDefault().Value is string name
                && IdentifierWords.Of(name).Any(NonProductionWords.Contains)) == true;

        /// <summary>
        /// The call sits in a region compiled only in debug or development builds: inside <c>#if DEBUG</c> (or
        /// <c>DEVELOPMENT</c>, <c>LOCAL</c>, <c>TEST</c>), or in the <c>#else</c> of <c>#if RELEASE</c>.
        /// </summary>
        private static bool InDevelopmentOnlyRegion(SyntaxNode node, System.Threading.CancellationToken cancellationToken)
        {
            var root = node.SyntaxTree.GetRoot(cancellationToken);
            var regions = new Stack<(bool DevelopmentHere, bool DevelopmentInElse)>();
            for (var directive = root.GetFirstDirective(); directive is not null && directive.SpanStart < node.SpanStart; directive = directive.GetNextDirective())
            {
                switch (directive)
                {
                    case IfDirectiveTriviaSyntax ifDirective:
                        regions.Push((SymbolsWhenTrue(ifDirective.Condition), SymbolsWhenFalse(ifDirective.Condition)));
                        break;
                    case ElifDirectiveTriviaSyntax elif when regions.Count > 0:
                        var previous = regions.Pop();
                        regions.Push((previous.DevelopmentInElse || SymbolsWhenTrue(elif.Condition), previous.DevelopmentInElse || SymbolsWhenFalse(elif.Condition)));
                        break;
                    case ElseDirectiveTriviaSyntax when regions.Count > 0:
                        var taken = regions.Pop();
                        regions.Push((taken.DevelopmentInElse, taken.DevelopmentInElse));
                        break;
                    case EndIfDirectiveTriviaSyntax when regions.Count > 0:
                        regions.Pop();
                        break;
                }
            }

            return regions.Any(region => region.DevelopmentHere);
        }

        private static bool SymbolsWhenTrue(ExpressionSyntax condition) => condition switch
        {
            IdentifierNameSyntax identifier => FlagNamed(identifier.Identifier.ValueText) is true,
            PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression } negation => SymbolsWhenFalse(negation.Operand),
            BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression } conjunction => SymbolsWhenTrue(conjunction.Left) || SymbolsWhenTrue(conjunction.Right),
            BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalOrExpression } disjunction => SymbolsWhenTrue(disjunction.Left) && SymbolsWhenTrue(disjunction.Right),
            ParenthesizedExpressionSyntax parenthesized => SymbolsWhenTrue(parenthesized.Expression),
            _ => false,
        };

        private static bool SymbolsWhenFalse(ExpressionSyntax condition) => condition switch
        {
            IdentifierNameSyntax identifier => FlagNamed(identifier.Identifier.ValueText) is false,
            PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression } negation => SymbolsWhenTrue(negation.Operand),
            BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression } conjunction => SymbolsWhenFalse(conjunction.Left) && SymbolsWhenFalse(conjunction.Right),
            BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalOrExpression } disjunction => SymbolsWhenFalse(disjunction.Left) || SymbolsWhenFalse(disjunction.Right),
            ParenthesizedExpressionSyntax parenthesized => SymbolsWhenFalse(parenthesized.Expression),
            _ => false,
        };
    }
}
