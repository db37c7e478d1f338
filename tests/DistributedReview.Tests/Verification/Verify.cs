using System;
using System.Collections.Generic;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit.Sdk;

namespace DistributedReview.Tests.Verification;

/// <summary>
/// Runs analyzers the way the compiler does and fails a test on any analyzer exception.
/// </summary>
public static class Analysis
{
    public static async Task<ImmutableArray<Diagnostic>> RunAsync(Project project, ImmutableArray<DiagnosticAnalyzer> analyzers, CancellationToken cancellationToken = default)
    {
        var compilation = (await project.GetCompilationAsync(cancellationToken))!;
        var exceptions = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            project.AnalyzerOptions,
            onAnalyzerException: (exception, analyzer, _) => exceptions.Enqueue($"{analyzer.GetType().Name}: {exception}"),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync(cancellationToken);
        var failures = exceptions.Concat(diagnostics.Where(d => d.Id is "AD0001" or "AD0002").Select(d => d.ToString())).ToList();
        if (failures.Count > 0)
        {
            throw new XunitException("Analyzer threw:\n" + string.Join("\n", failures));
        }

        return diagnostics;
    }
}

/// <summary>Verifies an analyzer's diagnostics (ID and exact span) against markup.</summary>
public static class Verify<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static Task AnalyzerAsync(string markup) => AnalyzerAsync(markup, TestOptions.Default);

    public static async Task AnalyzerAsync(string markup, TestOptions options)
    {
        var (source, expected) = Markup.Parse(markup, DefaultId);
        var document = TestWorkspace.CreateDocument(source, options);
        await AssertCompilesAsync(document, "Test input");
        var actual = await DiagnosticsAsync(document);
        AssertSame(source, expected, actual);
    }

    internal static string DefaultId => new TAnalyzer().SupportedDiagnostics[0].Id;

    internal static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Document document)
    {
        var ids = new TAnalyzer().SupportedDiagnostics.Select(d => d.Id).ToHashSet();
        var diagnostics = await Analysis.RunAsync(document.Project, ImmutableArray.Create<DiagnosticAnalyzer>(new TAnalyzer()));
        return diagnostics
            .Where(d => ids.Contains(d.Id) && d.Location.SourceTree?.FilePath == document.FilePath)
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
    }

    internal static void AssertSame(string source, IReadOnlyList<ExpectedDiagnostic> expected, ImmutableArray<Diagnostic> actual)
    {
        var found = actual.Select(d => new ExpectedDiagnostic(d.Id, d.Location.SourceSpan))
            .OrderBy(e => e.Span.Start).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        if (!expected.SequenceEqual(found))
        {
            throw new XunitException(
                $"Expected {expected.Count} diagnostic(s), found {found.Count}.\n\n"
                + "Expected:\n" + Markup.Annotate(source, expected) + "\n\n"
                + "Found:\n" + Markup.Annotate(source, found) + "\n\n"
                + string.Join("\n", actual.Select(d => d.ToString())));
        }
    }

    internal static async Task AssertCompilesAsync(Document document, string what)
    {
        var errors = TestWorkspace.CompilerErrors((await document.Project.GetCompilationAsync())!);
        if (errors.Count > 0)
        {
            var text = (await document.GetTextAsync()).ToString();
            throw new XunitException($"{what} does not compile:\n{string.Join("\n", errors)}\n\n{text}");
        }
    }
}

/// <summary>
/// Verifies a code fix: the input's diagnostics, the text after fixing every diagnostic one at a time, the text
/// after Fix All in the document, and that the fixed code compiles with only the diagnostics its markup expects.
/// </summary>
public static class Verify<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static Task FixAsync(string markup, string fixedMarkup) => FixAsync(markup, fixedMarkup, TestOptions.Default);

    public static async Task FixAsync(string markup, string fixedMarkup, TestOptions options)
    {
        var document = await VerifiedInputAsync(markup, options);

        var oneByOne = await FixOneAtATimeAsync(document);
        await AssertFixedAsync(oneByOne, fixedMarkup, "Fixing one diagnostic at a time");

        var fixAll = await FixAllAsync(document);
        await AssertFixedAsync(fixAll, fixedMarkup, "Fix All in document");
    }

    /// <summary>The diagnostics are reported, but no fix is offered for any of them.</summary>
    public static Task NoFixAsync(string markup) => NoFixAsync(markup, TestOptions.Default);

    public static async Task NoFixAsync(string markup, TestOptions options)
    {
        var document = await VerifiedInputAsync(markup, options);
        foreach (var diagnostic in await Verify<TAnalyzer>.DiagnosticsAsync(document))
        {
            var actions = await ActionsAsync(document, diagnostic);
            if (actions.Count > 0)
            {
                var changed = await ApplyAsync(document, actions[0]);
                throw new XunitException($"Expected no fix for {diagnostic}, but '{actions[0].Title}' is offered and produces:\n{(await changed.GetTextAsync())}");
            }
        }
    }

    private static async Task<Document> VerifiedInputAsync(string markup, TestOptions options)
    {
        var (source, expected) = Markup.Parse(markup, Verify<TAnalyzer>.DefaultId);
        var document = TestWorkspace.CreateDocument(source, options);
        await Verify<TAnalyzer>.AssertCompilesAsync(document, "Test input");
        Verify<TAnalyzer>.AssertSame(source, expected, await Verify<TAnalyzer>.DiagnosticsAsync(document));
        return document;
    }

    private static async Task<Document> FixOneAtATimeAsync(Document document)
    {
        for (var iteration = 0; iteration < 20; iteration++)
        {
            Document? next = null;
            foreach (var diagnostic in await Verify<TAnalyzer>.DiagnosticsAsync(document))
            {
                var actions = await ActionsAsync(document, diagnostic);
                if (actions.Count > 0)
                {
                    next = await ApplyAsync(document, actions[0]);
                    break;
                }
            }

            if (next is null)
            {
                return document;
            }

            document = next;
        }

        throw new XunitException("The code fix did not converge after 20 iterations.");
    }

    private static async Task<Document> FixAllAsync(Document document)
    {
        var fixer = new TCodeFix();
        var provider = fixer.GetFixAllProvider() ?? throw new XunitException($"{typeof(TCodeFix).Name} has no Fix All provider.");
        var diagnostics = await Verify<TAnalyzer>.DiagnosticsAsync(document);
        var first = diagnostics.FirstOrDefault(d => fixer.FixableDiagnosticIds.Contains(d.Id));
        if (first is null)
        {
            return document;
        }

        var firstActions = await ActionsAsync(document, first);
        if (firstActions.Count == 0)
        {
            return document;
        }

        var context = new FixAllContext(
            document,
            fixer,
            FixAllScope.Document,
            firstActions[0].EquivalenceKey,
            fixer.FixableDiagnosticIds,
            new AnalyzerDiagnosticProvider(),
            CancellationToken.None);
        var action = await provider.GetFixAsync(context);
        return action is null ? document : await ApplyAsync(document, action);
    }

    private static async Task AssertFixedAsync(Document fixedDocument, string fixedMarkup, string how)
    {
        var (expectedSource, expectedRemaining) = Markup.Parse(fixedMarkup, Verify<TAnalyzer>.DefaultId);
        var actualSource = (await fixedDocument.GetTextAsync()).ToString();
        if (actualSource != expectedSource)
        {
            throw new XunitException($"{how} produced different code.\n\nExpected:\n{expectedSource}\n\nActual:\n{actualSource}\n\nFirst difference at offset {FirstDifference(expectedSource, actualSource)}.");
        }

        await Verify<TAnalyzer>.AssertCompilesAsync(fixedDocument, how + " result");
        Verify<TAnalyzer>.AssertSame(actualSource, expectedRemaining, await Verify<TAnalyzer>.DiagnosticsAsync(fixedDocument));
    }

    internal static async Task<IReadOnlyList<CodeAction>> ActionsAsync(Document document, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await new TCodeFix().RegisterCodeFixesAsync(context);
        return actions;
    }

    internal static async Task<Document> ApplyAsync(Document document, CodeAction action)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        return changed.GetDocument(document.Id)!;
    }

    private static int FirstDifference(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }

        return i;
    }

    private sealed class AnalyzerDiagnosticProvider : FixAllContext.DiagnosticProvider
    {
        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            await Verify<TAnalyzer>.DiagnosticsAsync(document);

        public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            (await Analysis.RunAsync(project, ImmutableArray.Create<DiagnosticAnalyzer>(new TAnalyzer()), cancellationToken)).Where(d => d.Location == Location.None);

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            await Analysis.RunAsync(project, ImmutableArray.Create<DiagnosticAnalyzer>(new TAnalyzer()), cancellationToken);
    }
}
