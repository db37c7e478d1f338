using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DistributedReview.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using Xunit.Abstractions;

namespace DistributedReview.Tests.Catalog;

/// <summary>
/// Every analyzer (run together) and every code fix survive code as it is typed: the repository's test inputs
/// and samples cut off part-way and with a token deleted. Complete inputs that compile still compile after any fix.
/// </summary>
/// <remarks>
/// Kept fast for CI: every run forks one project whose references are bound once — the .NET 8 reference assemblies
/// the inputs use (<see cref="UsedAssemblies"/>; an analysis costs roughly in proportion to the number of references,
/// because each analyzer's symbol lookups search all of them) and the stand-ins compiled once to metadata
/// (<see cref="StandInLibrary"/>), so inputs written against StackExchange.Redis, RedLock, gRPC, Orleans or Akka
/// compile and their rules run; complete inputs get compiler and analyzer diagnostics in one pass; a fix's result is
/// compiled once per distinct text; on half-typed code a fix is applied once per distinct member it is reported in.
/// </remarks>
public class RobustnessTests
{
    /// <summary>
    /// Per input: 12 cut-offs and 8 token deletions, fewer once the corpus outgrows the budget (never fewer than 3
    /// and 2), so the test stays fast as rules and their tests are added.
    /// </summary>
    private const int VariantsPerInput = 20;
    private const int VariantBudget = 800;
    private const int FailuresShown = 5;

    /// <summary>
    /// The reference assemblies (of <c>Basic.Reference.Assemblies.Net80</c>, 160+) any input uses, measured with
    /// <c>Compilation.GetUsedAssemblyReferences</c>, plus the ones the rules look types up in. A complete input that
    /// only compiles with all of them fails <see cref="Fixes_and_Fix_All_on_complete_inputs_do_not_throw_or_add_compiler_errors"/>
    /// with the names to add here.
    /// </summary>
    private static readonly string[] UsedAssemblies =
    {
        "Microsoft.CSharp", "Microsoft.Win32.Primitives", "System.Collections", "System.Collections.Concurrent",
        "System.Collections.Immutable", "System.Collections.NonGeneric", "System.Collections.Specialized",
        "System.ComponentModel", "System.ComponentModel.EventBasedAsync", "System.ComponentModel.Primitives",
        "System.ComponentModel.TypeConverter", "System.Console", "System.Data.Common", "System.Diagnostics.DiagnosticSource",
        "System.Diagnostics.Process", "System.Diagnostics.TraceSource", "System.Formats.Asn1", "System.Linq",
        "System.Linq.Expressions", "System.Linq.Parallel", "System.Linq.Queryable", "System.Memory", "System.Net.Http",
        "System.Net.Http.Json", "System.Net.Primitives", "System.Net.Requests", "System.Net.Security", "System.Net.ServicePoint",
        "System.Net.Sockets", "System.Net.WebClient", "System.Net.WebHeaderCollection", "System.ObjectModel",
        "System.Reflection.Emit.ILGeneration", "System.Reflection.Primitives", "System.Resources.Writer", "System.Runtime",
        "System.Runtime.InteropServices", "System.Runtime.Numerics", "System.Security.Cryptography", "System.Text.Encodings.Web",
        "System.Text.Json", "System.Text.RegularExpressions", "System.Threading", "System.Threading.Channels",
        "System.Threading.Tasks.Parallel", "System.Threading.Thread", "System.Transactions.Local", "System.Xml.ReaderWriter",
    };

    /// <summary>One input taking this long is reported as a hang (an analyzer or fix looping on broken code).</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private readonly ITestOutputHelper _output;

    public RobustnessTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Inputs_are_found()
    {
        Assert.NotEmpty(TestInputs.FromTestSources());
        Assert.NotEmpty(TestInputs.FromSamples());
    }

    [Fact]
    public async Task Analyzers_and_fixes_survive_half_typed_code()
    {
        var stopwatch = Stopwatch.StartNew();
        var random = new Random(1234);
        var perInput = Math.Clamp(VariantBudget / Math.Max(1, TestInputs.All.Count), 5, VariantsPerInput);
        var cuts = perInput * 3 / 5;
        var variants = TestInputs.All
            .SelectMany(input => Variants(input, cuts, perInput - cuts, random))
            .DistinctBy(v => v.Source)
            .ToList();
        var empty = await EmptyDocumentAsync(UsedReferences());

        // A fix for a diagnostic in a member already fixed in another broken variant (same fix, same member text,
        // same offset) is not applied again: what differs is elsewhere in the file.
        var fixedOnce = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var diagnostics = 0;
        var actions = 0;
        var skipped = 0;
        var failures = await RunAllAsync(variants, async variant =>
        {
            var document = empty.WithText(SourceText.From(variant.Source));
            var result = await FixRunner.AnalyzeAsync(document.Project, withCompilerErrors: false, concurrent: false);
            var applied = await FixRunner.ApplyFixesAsync(document.Project.Solution, result.Diagnostics, mustCompile: false, fixAll: false, skip: (fix, diagnostic, _) =>
            {
                var seen = MemberKey(fix, diagnostic) is { } key && !fixedOnce.TryAdd(key, true);
                if (seen)
                {
                    Interlocked.Increment(ref skipped);
                }

                return seen;
            });
            Interlocked.Add(ref diagnostics, result.Diagnostics.Length);
            Interlocked.Add(ref actions, applied);
        });

        _output.WriteLine($"{TestInputs.All.Count} inputs, {variants.Count} distinct variants ({cuts} cut-offs and {perInput - cuts} token deletions per input): {diagnostics} diagnostics, {actions} code actions applied ({skipped} fixes of an already fixed member skipped), {Timing(stopwatch)}.");
        AssertNoFailures(failures, variants.Count);
    }

    [Fact]
    public async Task Fixes_and_Fix_All_on_complete_inputs_do_not_throw_or_add_compiler_errors()
    {
        var stopwatch = Stopwatch.StartNew();
        var actions = 0;
        var compiling = 0;
        var empty = await EmptyDocumentAsync(UsedReferences());
        var everything = await EmptyDocumentAsync(TestWorkspace.References(TargetFramework.Net80).Append(StandInLibrary.Reference));
        var failures = await RunAllAsync(TestInputs.All, async input =>
        {
            var document = empty.WithText(SourceText.From(input.Source));
            var result = await FixRunner.AnalyzeAsync(document.Project, withCompilerErrors: true, concurrent: false);
            var compiles = result.CompilerErrors.Count == 0;
            if (compiles)
            {
                Interlocked.Increment(ref compiling);
            }
            else
            {
                await AssertNeedsNoOtherReferenceAsync(everything.WithText(SourceText.From(input.Source)));
            }

            Interlocked.Add(ref actions, await FixRunner.ApplyFixesAsync(document.Project.Solution, result.Diagnostics, mustCompile: compiles, fixAll: true));
        });

        _output.WriteLine($"{TestInputs.All.Count} complete inputs ({compiling} compile): {actions} code actions applied, {Timing(stopwatch)}.");
        AssertNoFailures(failures, TestInputs.All.Count);
    }

    /// <summary>
    /// The input cut off at points spread over the file (one in each of <paramref name="cuts"/> equal stretches, at a
    /// random place in it, so that over the corpus every position is tried), then with one random token deleted.
    /// </summary>
    private static IEnumerable<TestInput> Variants(TestInput input, int cuts, int deletions, Random random)
    {
        var source = input.Source;
        var variants = new List<TestInput>();
        for (var i = 0; i < cuts; i++)
        {
            var length = (int)(source.Length * (i + random.NextDouble()) / cuts);
            variants.Add(new TestInput($"{input.Name} cut at {length}", source.Substring(0, length)));
        }

        var tokens = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToList();
        for (var i = 0; i < deletions && tokens.Count > 0; i++)
        {
            var token = tokens[random.Next(tokens.Count)];
            variants.Add(new TestInput($"{input.Name} without '{token.Text}' at {token.SpanStart}", source.Remove(token.SpanStart, token.Span.Length)));
        }

        return variants;
    }

    /// <summary>The fix, the rule, the text of the member (or top-level statement) reported in and the offset in it.</summary>
    private static string? MemberKey(CodeFixProvider fix, Diagnostic diagnostic)
    {
        if (diagnostic.Location.SourceTree?.GetRoot().FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } node)
        {
            return null;
        }

        var member = node.AncestorsAndSelf().FirstOrDefault(n => n is MemberDeclarationSyntax and not BaseTypeDeclarationSyntax and not BaseNamespaceDeclarationSyntax);
        return member is null
            ? null
            : $"{fix.GetType().Name}|{diagnostic.Id}|{diagnostic.Location.SourceSpan.Start - member.SpanStart}|{member}";
    }

    /// <summary>Fails when the input compiles once every .NET 8 reference assembly is there: <see cref="UsedAssemblies"/> lacks one.</summary>
    private static async Task AssertNeedsNoOtherReferenceAsync(Document withEverything)
    {
        var compilation = (await withEverything.Project.GetCompilationAsync())!;
        if (TestWorkspace.CompilerErrors(compilation).Count == 0)
        {
            var missing = compilation.GetUsedAssemblyReferences()
                .Select(AssemblyName)
                .Where(name => !UsedAssemblies.Contains(name, StringComparer.OrdinalIgnoreCase) && name != "DistributedReview.StandIns");
            throw new Xunit.Sdk.XunitException($"The input compiles only with further reference assemblies; add them to RobustnessTests.UsedAssemblies: {string.Join(", ", missing)}");
        }
    }

    internal static IEnumerable<MetadataReference> UsedReferences()
    {
        var references = TestWorkspace.References(TargetFramework.Net80)
            .Where(r => UsedAssemblies.Contains(AssemblyName(r), StringComparer.OrdinalIgnoreCase))
            .ToList();
        Assert.Equal(UsedAssemblies.Length, references.Count);
        return references.Append(StandInLibrary.Reference);
    }

    private static string AssemblyName(MetadataReference reference) =>
        reference is PortableExecutableReference { FilePath: { } path }
            ? System.IO.Path.GetFileNameWithoutExtension(path)
            : (reference.Display ?? string.Empty).Split(' ')[0];

    /// <summary>The one project every run forks from (with <see cref="Document.WithText"/>), its references bound once.</summary>
    internal static async Task<Document> EmptyDocumentAsync(IEnumerable<MetadataReference> references)
    {
        var document = TestWorkspace.CreateDocument(string.Empty, TestOptions.Default);
        document = document.Project.WithMetadataReferences(references).GetDocument(document.Id)!;
        await document.Project.GetCompilationAsync();
        return document;
    }

    private static string Timing(Stopwatch stopwatch) =>
        $"{stopwatch.Elapsed.TotalSeconds:F1} s (test process CPU so far {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F1} s)";

    /// <summary>Runs <paramref name="body"/> on every input, one per core; returns each failure (or hang) with its input.</summary>
    private static async Task<ConcurrentQueue<string>> RunAllAsync(IEnumerable<TestInput> inputs, Func<TestInput, Task> body)
    {
        var failures = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(inputs, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (input, _) =>
        {
            try
            {
                await body(input).WaitAsync(Hang);
            }
            catch (Exception exception)
            {
                failures.Enqueue($"{input.Name}:\n{exception}\n--- source ---\n{input.Source}");
            }
        });

        return failures;
    }

    private void AssertNoFailures(ConcurrentQueue<string> failures, int runs)
    {
        foreach (var failure in failures.Take(FailuresShown))
        {
            _output.WriteLine("FAILED " + failure + "\n");
        }

        Assert.True(
            failures.IsEmpty,
            $"{failures.Count} of {runs} runs failed; the first {Math.Min(FailuresShown, failures.Count)}:\n\n" + string.Join("\n\n", failures.Take(FailuresShown)));
    }
}
