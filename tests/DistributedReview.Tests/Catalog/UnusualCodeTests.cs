using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DistributedReview.Tests.Verification;
using Xunit;
using Xunit.Abstractions;

namespace DistributedReview.Tests.Catalog;

/// <summary>
/// Unusual-but-valid C# (issue 7, part 2c): each program of <see cref="UnusualCode"/> compiles, every analyzer runs
/// on it without an exception, the rules listed for it fire inside the unusual construct, and every fix offered
/// (one at a time and Fix All per document) applies without an exception and leaves code that still compiles.
/// </summary>
public class UnusualCodeTests
{
    private readonly ITestOutputHelper _output;

    public UnusualCodeTests(ITestOutputHelper output) => _output = output;

    public static IEnumerable<object[]> Programs() => UnusualCode.All.Select(p => new object[] { p.Name });

    [Fact]
    public void Program_names_are_distinct() =>
        Assert.Equal(UnusualCode.All.Count, UnusualCode.All.Select(p => p.Name).Distinct().Count());

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task Unusual_program_compiles_is_analyzed_and_fixed_without_errors(string name)
    {
        var program = UnusualCode.All.Single(p => p.Name == name);
        var project = TestWorkspace.CreateDocument(program.Source, program.Options).Project.AddMetadataReference(StandInLibrary.Reference);

        var result = await FixRunner.AnalyzeAsync(project, withCompilerErrors: true);
        Assert.True(result.CompilerErrors.Count == 0, $"The program '{name}' must be valid C#:\n{string.Join("\n", result.CompilerErrors)}");

        foreach (var diagnostic in result.Diagnostics)
        {
            _output.WriteLine(diagnostic.ToString());
        }

        var found = result.Diagnostics.Select(d => d.Id).ToHashSet();
        var missing = program.Expected.Where(id => !found.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"Expected {string.Join(", ", missing)} inside '{name}'; found: {string.Join(", ", found.OrderBy(i => i))}.");

        var actions = await FixRunner.ApplyFixesAsync(project.Solution, result.Diagnostics, mustCompile: true, fixAll: true);
        _output.WriteLine($"{result.Diagnostics.Length} diagnostics, {actions} code actions applied and compiled.");
    }
}
