using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace DistributedReview.Concurrency
{
    /// <summary>
    /// DR3001's fix for stores recognised by shape: from the read of the entry through the write, in one block,
    /// <code>
    /// while (true)
    /// {
    ///     var old = [await] store.Get(key);            // or: var (old, version) = store.GetWithVersion(key);
    ///     ...
    ///     if ([await] store.CompareAndSwap(key, old, f(old))) break;   // or PutIfVersion(key, f(old), version)
    /// }
    /// </code>
    /// The conditional write is one the store type offers, returning <c>bool</c> (or an awaited <c>Task&lt;bool&gt;</c>/
    /// <c>ValueTask&lt;bool&gt;</c> when the write was awaited), taking the key, the new value and either the value read
    /// (a compare-on-old-value write such as <c>CompareAndSwap(key, expected, value)</c>: only for values compared by value,
    /// never mutable objects or floating point) or a version (<c>etag</c>, <c>expectedVersion</c>, <c>ifMatch</c>,
    /// <c>*Version</c>) taken from the read's result (<c>current.ETag</c>, non-null results only) or from a versioned read
    /// returning a tuple (<c>GetWithVersion</c>, <c>GetVersioned</c>). A read inline in the written value is hoisted into a
    /// local. Every attempt re-reads, so nothing spins on a stale value; on success the same value is written once.
    /// The rewritten member is compiled before the fix is offered: no new error, no new warning, the conditional write
    /// and the value read bind as planned.
    /// </summary>
    internal static class CompareAndSwapLoop
    {
        private const string Unit = "    ";

        private static readonly string[] ExpectedNames = { "expected", "comparand", "comparison", "old", "previous", "current" };

        private enum Role
        {
            Value,
            Expected,
            Version,
        }

        public static StoreRewrite? Plan(SyntaxNode root, SemanticModel model, InvocationExpressionSyntax invocation, StoreCall write, StoreCalls stores, Dictionary<SyntaxNode, HashSet<string>> generated, CancellationToken cancellationToken)
        {
            var arguments = invocation.ArgumentList.Arguments;
            if (write.IsConditional || write.Values.Count != 1 || arguments.Count is < 2 or > 3
                || arguments.Any(argument => argument.NameColon is not null || argument.RefKindKeyword.RawKind != 0)
                || write.Values[0].Syntax != arguments[1].Expression
                || (arguments.Count == 3 && !IsCancellationToken(model.GetTypeInfo(arguments[2].Expression, cancellationToken).Type))
                || invocation.Expression is not MemberAccessExpressionSyntax access
                || write.Receiver?.Type is not { } storeType
                || WriteStatement(invocation) is not { } shape
                || shape.Statement.Parent is not BlockSyntax block
                || block.FirstAncestorOrSelf<MemberDeclarationSyntax>() is not { } member)
            {
                return null;
            }

            var writeIndex = block.Statements.IndexOf(shape.Statement);
            if (Read(block, writeIndex, write, stores, model, cancellationToken) is not { } read || !CanLoop(block, read.First, writeIndex, read.Local, write, stores, model, cancellationToken))
            {
                return null;
            }

            if (!generated.TryGetValue(member, out var generatedInMember))
            {
                generated[member] = generatedInMember = new HashSet<string>();
            }

            var taken = NewNames.TakenIn(member);
            taken.UnionWith(generatedInMember);
            var old = read.Local?.Name ?? NewNames.Unused("current", taken);
            taken.Add(old);
            var candidates = StoreCalls.MethodsOf(storeType)
                .Where(m => !m.IsStatic && StoreCalls.IsConditionalMethod(m, null) && model.IsAccessible(invocation.SpanStart, m) && ReturnsBool(m, shape.Awaited))
                .Select(m => m.OriginalDefinition)
                .Distinct<IMethodSymbol>(SymbolEqualityComparer.Default)
                .OrderBy(m => m.Name == write.Invocation.TargetMethod.Name ? 0 : 1)
                .ThenBy(m => m.Name, StringComparer.Ordinal);
            foreach (var conditional in candidates)
            {
                if (Rewrite(root, model, invocation, access, write, shape, block, writeIndex, read, old, taken, conditional, storeType, cancellationToken) is { } rewrite)
                {
                    generatedInMember.Add(old);
                    generatedInMember.Add(rewrite.Version);
                    return rewrite.Edit;
                }
            }

            return null;
        }

        /// <summary>How the write is used: as a statement, awaited or not, with <c>.ConfigureAwait(...)</c> kept as text.</summary>
        private static (ExpressionStatementSyntax Statement, bool Awaited, string ConfigureAwait)? WriteStatement(InvocationExpressionSyntax invocation) => invocation.Parent switch
        {
            ExpressionStatementSyntax statement => (statement, false, ""),
            AwaitExpressionSyntax { Parent: ExpressionStatementSyntax statement } => (statement, true, ""),
            MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait", Parent: InvocationExpressionSyntax { Parent: AwaitExpressionSyntax { Parent: ExpressionStatementSyntax statement } } configure } =>
                (statement, true, ".ConfigureAwait" + configure.ArgumentList),
            _ => null,
        };

        private sealed class ReadShape
        {
            public ReadShape(int first, ILocalSymbol? local, ExpressionSyntax expression, InvocationExpressionSyntax call, IMethodSymbol method, ITypeSymbol type)
            {
                First = first;
                Local = local;
                Expression = expression;
                Call = call;
                Method = method;
                Type = type;
            }

            /// <summary>Index of the statement declaring the value read, or of the write when the read is inline.</summary>
            public int First { get; }

            /// <summary>The local the value is read into; null when the read is inline in the written value.</summary>
            public ILocalSymbol? Local { get; }

            /// <summary>The read with its <c>await</c> and <c>ConfigureAwait</c>.</summary>
            public ExpressionSyntax Expression { get; }

            public InvocationExpressionSyntax Call { get; }

            public IMethodSymbol Method { get; }

            /// <summary>The type of the value read (awaited), with its nullability.</summary>
            public ITypeSymbol Type { get; }
        }

        /// <summary>
        /// <c>var old = [await] store.Get(key);</c> earlier in the block (the nearest), or else the one read of the entry
        /// inline in the written value (not inside a lambda).
        /// </summary>
        private static ReadShape? Read(BlockSyntax block, int writeIndex, StoreCall write, StoreCalls stores, SemanticModel model, CancellationToken cancellationToken)
        {
            for (var first = writeIndex - 1; first >= 0; first--)
            {
                if (block.Statements[first] is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0, Declaration.Variables: { Count: 1 } variables }
                    && variables[0].Initializer?.Value is { } initializer
                    && ReadIn(initializer, write, stores, model, cancellationToken) is { } declared
                    && model.GetDeclaredSymbol(variables[0], cancellationToken) is ILocalSymbol local)
                {
                    return new ReadShape(first, local, initializer, declared.Call, declared.Method, declared.Type);
                }
            }

            var inline = write.Values[0].DescendantsAndSelf().OfType<IInvocationOperation>()
                .Where(candidate => stores.Read(candidate) is { } storeRead && storeRead.SameEntryAs(write))
                .ToList();
            if (inline.Count != 1 || inline[0].Syntax is not InvocationExpressionSyntax call
                || call.Ancestors().TakeWhile(node => node != write.Values[0].Syntax).Any(node => node is AnonymousFunctionExpressionSyntax))
            {
                return null;
            }

            ExpressionSyntax expression = call;
            if (expression.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait", Parent: InvocationExpressionSyntax configure })
            {
                expression = configure;
            }

            expression = expression.Parent as AwaitExpressionSyntax ?? expression;
            return ReadIn(expression, write, stores, model, cancellationToken) is { } found ? new ReadShape(writeIndex, null, expression, found.Call, found.Method, found.Type) : null;
        }

        /// <summary>The read of the written entry <paramref name="expression"/> is, through <c>await</c>/<c>ConfigureAwait</c> only.</summary>
        private static (InvocationExpressionSyntax Call, IMethodSymbol Method, ITypeSymbol Type)? ReadIn(ExpressionSyntax expression, StoreCall write, StoreCalls stores, SemanticModel model, CancellationToken cancellationToken)
        {
            var whole = model.GetOperation(expression, cancellationToken);
            var value = whole;
            while (value is IAwaitOperation or IInvocationOperation { TargetMethod.Name: "ConfigureAwait" })
            {
                value = value is IAwaitOperation awaited ? awaited.Operation : ((IInvocationOperation)value).Instance;
            }

            return value is IInvocationOperation { Syntax: InvocationExpressionSyntax call } read && stores.Read(read) is { } storeRead && storeRead.SameEntryAs(write)
                && whole?.Type is { } type && Awaited(type) is null
                ? (call, read.TargetMethod, type)
                : null;
        }

        /// <summary>
        /// The statements from the read through the write can run again: nothing leaves or skips the loop, no
        /// <c>using</c> declaration or local function changes scope, no other write of the entry, the value read is
        /// not reassigned, and no multi-line string would change with the new indentation.
        /// </summary>
        private static bool CanLoop(BlockSyntax block, int first, int write, ILocalSymbol? old, StoreCall store, StoreCalls stores, SemanticModel model, CancellationToken cancellationToken)
        {
            var moved = block.Statements.Skip(first).Take(write - first + 1).ToList();
            if (moved.Any(s => !s.ToFullString().EndsWith("\n", StringComparison.Ordinal) || s is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 })
                || moved.SelectMany(s => s.DescendantNodesAndSelf()).Any(node => node is BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax
                    or YieldStatementSyntax or LabeledStatementSyntax or LocalFunctionStatementSyntax)
                || moved.SelectMany(s => s.DescendantTokens()).Any(token => (token.IsKind(SyntaxKind.StringLiteralToken) || token.IsKind(SyntaxKind.InterpolatedStringTextToken)
                    || token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken)) && token.Text.Contains("\n"))
                || moved.Take(moved.Count - 1).SelectMany(s => s.DescendantNodes().OfType<InvocationExpressionSyntax>())
                    .Any(call => model.GetOperation(call, cancellationToken) is IInvocationOperation operation && stores.Write(operation, anyRedisWrite: false) is { } other && other.SameEntryAs(store)))
            {
                return false;
            }

            if (old is null)
            {
                return true;
            }

            var flow = model.AnalyzeDataFlow(block.Statements[first + 1], block.Statements[write]);
            return flow is { Succeeded: true } && !flow.WrittenInside.Contains(old, SymbolEqualityComparer.Default);
        }

        private static (string Version, StoreRewrite Edit)? Rewrite(
            SyntaxNode root, SemanticModel model, InvocationExpressionSyntax invocation, MemberAccessExpressionSyntax access, StoreCall write,
            (ExpressionStatementSyntax Statement, bool Awaited, string ConfigureAwait) shape, BlockSyntax block, int writeIndex, ReadShape read, string old,
            HashSet<string> taken, IMethodSymbol conditional, ITypeSymbol storeType, CancellationToken cancellationToken)
        {
            var hasToken = invocation.ArgumentList.Arguments.Count == 3;
            var parameters = conditional.Parameters;
            var required = hasToken ? 4 : 3;
            if (parameters.Length < required || (hasToken && !IsCancellationToken(parameters[3].Type))
                || parameters.Skip(required).Any(p => !p.IsOptional) || Of(parameters[1]) == Of(parameters[2])
                || (Of(parameters[1]) != Role.Value && Of(parameters[2]) != Role.Value))
            {
                return null;
            }

            var conditionIndex = Of(parameters[1]) == Role.Value ? 2 : 1;
            var condition = parameters[conditionIndex];
            string? versionText;
            string? versionLocal = null;
            string readText;
            if (Of(condition) == Role.Expected)
            {
                // The value read is the version: only when the store can compare it as a value.
                if (!ComparedByValue(read.Type))
                {
                    return null;
                }

                versionText = old;
                readText = $"var {old} = {read.Expression}";
            }
            else if (VersionProperty(read.Type, condition.Name) is { } property)
            {
                versionText = $"{old}.{property}";
                readText = $"var {old} = {read.Expression}";
                if (block.Statements.Skip(read.First + 1).Take(writeIndex - read.First).SelectMany(s => s.DescendantNodes()).OfType<AssignmentExpressionSyntax>()
                    .Any(assignment => assignment.Left is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax target, Name.Identifier.ValueText: var name } && target.Identifier.ValueText == old && name == property))
                {
                    return null;
                }
            }
            else if (VersionedRead(storeType, read, model, invocation.SpanStart) is { } versioned)
            {
                versionLocal = NewNames.Unused("version", taken);
                versionText = versionLocal;
                var renamed = read.Expression.ReplaceNode(versioned.Name, Renamed(versioned.Name, versioned.Method.Name));
                readText = versioned.ValueFirst ? $"var ({old}, {versionLocal}) = {renamed}" : $"var ({versionLocal}, {old}) = {renamed}";
            }
            else
            {
                return null;
            }

            var value = read.Local is null
                ? invocation.ArgumentList.Arguments[1].Expression.ReplaceNode(read.Expression, SyntaxFactory.IdentifierName(old).WithTriviaFrom(read.Expression)).ToString()
                : invocation.ArgumentList.Arguments[1].Expression.ToString();
            var argumentsText = new string[required];
            argumentsText[0] = invocation.ArgumentList.Arguments[0].Expression.ToString();
            argumentsText[conditionIndex] = versionText;
            argumentsText[3 - conditionIndex] = value;
            if (hasToken)
            {
                argumentsText[3] = invocation.ArgumentList.Arguments[2].Expression.ToString();
            }

            var typeArguments = access.Name is GenericNameSyntax generic && conditional.TypeParameters.Length == generic.TypeArgumentList.Arguments.Count ? generic.TypeArgumentList.ToString() : "";
            var call = $"{(shape.Awaited ? "await " : "")}{access.Expression}.{conditional.Name}{typeArguments}({string.Join(", ", argumentsText)}){shape.ConfigureAwait}";
            var loop = Loop(block, read, writeIndex, shape.Statement, readText, $"if ({call}) break;");
            if (loop is null || !Compiles(root, model, block, read.First, writeIndex, loop, conditional, read.Local, old, cancellationToken))
            {
                return null;
            }

            var first = block.Statements[read.First];
            var title = $"Retry with {StoreCalls.WithoutAsync(conditional.Name)} until the entry is unchanged";
            return (versionLocal ?? old, new StoreRewrite(title, TextSpan.FromBounds(first.SpanStart, shape.Statement.Span.End), editor =>
            {
                editor.ReplaceNode(first, loop);
                for (var i = read.First + 1; i <= writeIndex; i++)
                {
                    editor.RemoveNode(block.Statements[i], SyntaxRemoveOptions.KeepNoTrivia);
                }
            }));
        }

        /// <summary>The loop, built as text in the user's indentation and line breaks; comments above the first statement stay above the loop.</summary>
        private static StatementSyntax? Loop(BlockSyntax block, ReadShape read, int writeIndex, StatementSyntax writeStatement, string readText, string conditionalWrite)
        {
            var first = block.Statements[read.First];
            var indent = first.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).ToString();
            var newLine = writeStatement.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } eol ? eol : "\n";
            var pieces = new List<string>();
            if (read.Local is null)
            {
                pieces.Add(indent + readText + ";" + newLine);
                pieces.Add(indent + conditionalWrite + writeStatement.GetTrailingTrivia().ToFullString());
            }
            else
            {
                pieces.Add(indent + readText + ";" + first.GetTrailingTrivia().ToFullString());
                pieces.AddRange(block.Statements.Skip(read.First + 1).Take(writeIndex - read.First - 1).Select(s => s.ToFullString()));
                pieces.Add(writeStatement.GetLeadingTrivia().ToFullString() + conditionalWrite + writeStatement.GetTrailingTrivia().ToFullString());
            }

            var text = new StringBuilder().Append(indent).Append("while (true)").Append(newLine).Append(indent).Append('{').Append(newLine);
            foreach (var piece in pieces)
            {
                foreach (var line in piece.Split('\n'))
                {
                    var trimmed = line.TrimEnd('\r');
                    text.Append(trimmed.Length == 0 ? "" : Unit + trimmed).Append(newLine);
                }

                text.Length -= newLine.Length; // Split leaves one empty piece after the last line break.
            }

            text.Append(indent).Append('}').Append(newLine);
            var loop = SyntaxFactory.ParseStatement(text.ToString());
            return loop.ContainsDiagnostics || loop is not WhileStatementSyntax
                ? null
                : loop.WithLeadingTrivia(first.GetLeadingTrivia()).WithAdditionalAnnotations(RewriteFinisher.Rewritten);
        }

        /// <summary>
        /// Compiles the member with the loop in place: no error, no warning the member did not have, the conditional
        /// write binds to <paramref name="conditional"/>, and the value read keeps its type (compared by name: the
        /// symbols belong to another compilation).
        /// </summary>
        private static bool Compiles(SyntaxNode root, SemanticModel model, BlockSyntax block, int first, int write, StatementSyntax loop, IMethodSymbol conditional, ILocalSymbol? local, string old, CancellationToken cancellationToken)
        {
            var marker = new SyntaxAnnotation();
            var statements = block.Statements;
            for (var i = write; i > first; i--)
            {
                statements = statements.RemoveAt(i);
            }

            var newRoot = root.ReplaceNode(block, block.WithStatements(statements.Replace(statements[first], loop.WithAdditionalAnnotations(marker))));
            var tree = root.SyntaxTree.WithRootAndOptions(newRoot, root.SyntaxTree.Options);
            var newModel = model.Compilation.ReplaceSyntaxTree(root.SyntaxTree, tree).GetSemanticModel(tree);
            var newRootNode = tree.GetRoot(cancellationToken);
            if (newRootNode.GetAnnotatedNodes(marker).FirstOrDefault() is not WhileStatementSyntax { Statement: BlockSyntax body } newLoop
                || newLoop.FirstAncestorOrSelf<MemberDeclarationSyntax>() is not { } newMember
                || block.FirstAncestorOrSelf<MemberDeclarationSyntax>() is not { } member
                || body.Statements.LastOrDefault() is not IfStatementSyntax { Condition: var condition }
                || newModel.GetOperation(condition, cancellationToken) is not { } conditionOperation)
            {
                return false;
            }

            var before = model.GetDiagnostics(member.Span, cancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.Id).ToList();
            foreach (var diagnostic in newModel.GetDiagnostics(newMember.Span, cancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning))
            {
                if (diagnostic.Severity == DiagnosticSeverity.Error || !before.Remove(diagnostic.Id))
                {
                    return false;
                }
            }

            var bound = conditionOperation.DescendantsAndSelf().OfType<IInvocationOperation>()
                .Any(call => call.TargetMethod.OriginalDefinition.GetDocumentationCommentId() == conditional.OriginalDefinition.GetDocumentationCommentId());
            var declared = body.Statements.FirstOrDefault()?.DescendantNodes()
                .Select(node => node is SingleVariableDesignationSyntax or VariableDeclaratorSyntax ? newModel.GetDeclaredSymbol(node, cancellationToken) : null)
                .OfType<ILocalSymbol>().FirstOrDefault(l => l.Name == old);
            return bound && declared is not null && (local is null || declared.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) == local.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
        }

        /// <summary>A parameter's part in a conditional write: the version, the expected old value, or the new value.</summary>
        private static Role Of(IParameterSymbol parameter) =>
            IsVersionName(parameter.Name) ? Role.Version
            : ExpectedNames.Any(name => parameter.Name.StartsWith(name, StringComparison.OrdinalIgnoreCase)) ? Role.Expected
            : Role.Value;

        private static bool IsVersionName(string name) =>
            name.Equals("ifMatch", StringComparison.OrdinalIgnoreCase) || name.EndsWith("version", StringComparison.OrdinalIgnoreCase) || name.EndsWith("etag", StringComparison.OrdinalIgnoreCase);

        /// <summary>The version property of a non-null read result (<c>ETag</c>, <c>Version</c>): the only one, or the one the parameter is named after.</summary>
        private static string? VersionProperty(ITypeSymbol type, string parameterName)
        {
            if (type.IsReferenceType ? type.NullableAnnotation != NullableAnnotation.NotAnnotated : type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
            {
                return null;
            }

            var properties = SelfAndBases(type).SelectMany(t => t.GetMembers()).OfType<IPropertySymbol>()
                .Where(p => !p.IsStatic && !p.IsIndexer && p.GetMethod is not null && IsVersionName(p.Name))
                .Select(p => p.Name).Distinct().ToList();
            return properties.Count == 1 ? properties[0]
                : properties.FirstOrDefault(p => parameterName.EndsWith(p, StringComparison.OrdinalIgnoreCase) || (parameterName.Equals("ifMatch", StringComparison.OrdinalIgnoreCase) && p.Equals("etag", StringComparison.OrdinalIgnoreCase)));
        }

        /// <summary>
        /// A read of value and version (<c>GetWithVersion</c>, <c>GetVersioned</c>, <c>*ETag*</c>) with the read's parameters
        /// and async style, returning a pair with one version element; whether the value comes first.
        /// </summary>
        private static (IMethodSymbol Method, SimpleNameSyntax Name, bool ValueFirst)? VersionedRead(ITypeSymbol storeType, ReadShape read, SemanticModel model, int position)
        {
            if (read.Call.Expression is not MemberAccessExpressionSyntax { Name: var name })
            {
                return null;
            }

            var awaited = read.Expression is AwaitExpressionSyntax;
            var async = read.Method.Name.EndsWith("Async", StringComparison.Ordinal);
            foreach (var method in StoreCalls.MethodsOf(storeType).Where(m => !m.IsStatic && model.IsAccessible(position, m)).OrderBy(m => m.Name, StringComparer.Ordinal))
            {
                var plain = StoreCalls.WithoutAsync(method.Name);
                if (plain.StartsWith("Get", StringComparison.Ordinal) && (plain.IndexOf("Version", StringComparison.Ordinal) > 0 || plain.IndexOf("ETag", StringComparison.OrdinalIgnoreCase) > 0)
                    && method.Name.EndsWith("Async", StringComparison.Ordinal) == async
                    && method.TypeParameters.Length == read.Method.TypeParameters.Length
                    && method.Parameters.Length == read.Method.Parameters.Length
                    && (awaited ? Awaited(method.ReturnType) : method.ReturnType) is INamedTypeSymbol { IsTupleType: true, TupleElements: { Length: 2 } elements }
                    && elements.Count(e => IsVersionName(e.Name)) == 1)
                {
                    return (method, name, !IsVersionName(elements[0].Name));
                }
            }

            return null;
        }

        private static SimpleNameSyntax Renamed(SimpleNameSyntax name, string newName) => name switch
        {
            GenericNameSyntax generic => generic.WithIdentifier(SyntaxFactory.Identifier(newName).WithTriviaFrom(generic.Identifier)),
            _ => SyntaxFactory.IdentifierName(SyntaxFactory.Identifier(newName).WithTriviaFrom(name.Identifier)),
        };

        /// <summary>Values a store can compare with the stored one without surprises: primitives but floating point, strings, enums, readonly structs.</summary>
        private static bool ComparedByValue(ITypeSymbol type) => type switch
        {
            INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable => ComparedByValue(nullable.TypeArguments[0]),
            { SpecialType: SpecialType.System_Single or SpecialType.System_Double } => false,
            { SpecialType: (>= SpecialType.System_Boolean and <= SpecialType.System_String) or SpecialType.System_DateTime } => true,
            { TypeKind: TypeKind.Enum } => true,
            { IsValueType: true, IsReadOnly: true } => true,
            _ => false,
        };

        private static bool ReturnsBool(IMethodSymbol method, bool awaited) =>
            (awaited ? Awaited(method.ReturnType) : method.ReturnType)?.SpecialType == SpecialType.System_Boolean;

        /// <summary>T of <c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c>; null for anything else.</summary>
        private static ITypeSymbol? Awaited(ITypeSymbol type) =>
            type is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 1 } task && task.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks"
                ? task.TypeArguments[0]
                : null;

        private static bool IsCancellationToken(ITypeSymbol? type) =>
            type is { Name: "CancellationToken" } && type.ContainingNamespace?.ToDisplayString() == "System.Threading";

        private static IEnumerable<ITypeSymbol> SelfAndBases(ITypeSymbol type)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                yield return current;
            }
        }
    }
}
