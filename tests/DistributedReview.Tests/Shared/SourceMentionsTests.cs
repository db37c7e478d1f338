using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DistributedReview.Tests.Verification;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DistributedReview.Tests.Shared;

/// <summary>The textual gate the rules use before any semantic work: it may let a type through, never wrongly keep one out.</summary>
public class SourceMentionsTests
{
    [Theory]
    [InlineData("TickCount", true)]
    [InlineData("GetTimestamp", true)]
    [InlineData("ElapsedTicks", false)]
    [InlineData("tickcount", false)]
    public async Task Every_part_of_a_partial_type_is_read(string word, bool expected)
    {
        var type = await TypeAsync("""
            partial class Probe
            {
                int Now() => System.Environment.TickCount;
            }

            partial class Probe
            {
                long Stamp() => System.Diagnostics.Stopwatch.GetTimestamp();
            }
            """, "Probe");

        Assert.Equal(expected, SourceMentions.Any(type, new[] { word }, CancellationToken.None));
    }

    [Fact]
    public async Task A_word_at_the_very_end_of_a_large_type_is_found()
    {
        var filler = new string(' ', 100_000);
        var type = await TypeAsync("class Big\n{\n" + filler + "int M() => System.Environment.TickCount; }", "Big");

        Assert.True(SourceMentions.Any(type, new[] { "TickCount" }, CancellationToken.None));
        Assert.False(SourceMentions.Any(type, new[] { "TickCount64" }, CancellationToken.None));
    }

    [Fact]
    public async Task Only_the_type_itself_is_read_not_the_rest_of_the_file()
    {
        var type = await TypeAsync("""
            class Quiet { }

            class Loud
            {
                int M() => System.Environment.TickCount;
            }
            """, "Quiet");

        Assert.False(SourceMentions.Any(type, new[] { "TickCount" }, CancellationToken.None));
    }

    [Fact]
    public async Task Types_read_one_after_another_each_answer_for_their_own_text()
    {
        // The text read last is kept for the next question about the same type: it must not answer for another.
        const string source = """
            class Loud { int M() => System.Environment.TickCount; }

            class Quiet
            {
                // Longer than Loud, so that a buffer still holding Loud's text would show its word here.
                int M() => 0;
            }
            """;
        var compilation = await TestWorkspace.CreateDocument(source, TestOptions.Default).Project.GetCompilationAsync();
        var quiet = compilation!.GetTypeByMetadataName("Quiet")!;
        var loud = compilation.GetTypeByMetadataName("Loud")!;
        var words = new[] { "TickCount" };

        Assert.True(SourceMentions.Any(loud, words, CancellationToken.None));
        Assert.True(SourceMentions.Any(loud, words, CancellationToken.None));
        Assert.False(SourceMentions.Any(quiet, words, CancellationToken.None));
        Assert.True(SourceMentions.Any(loud, words, CancellationToken.None));
    }

    [Theory]
    [InlineData("_quorum", true)]
    [InlineData("_majority", false)]
    public async Task A_body_may_spell_a_name_only_if_it_contains_it(string name, bool expected)
    {
        var type = await TypeAsync("class Node { int _quorum; int M() { return _quorum; } int N() { return 1; } }", "Node");
        var bodies = type.GetMembers("M").Single().DeclaringSyntaxReferences.Single().GetSyntax();

        Assert.Equal(expected, SourceMentions.MaySpell(bodies, name));
    }

    [Fact]
    public async Task A_body_with_a_unicode_escape_may_spell_any_name()
    {
        var type = await TypeAsync("class Node { int _quorum; int M() { return _q\\u0075orum; } }", "Node");
        var body = type.GetMembers("M").Single().DeclaringSyntaxReferences.Single().GetSyntax();

        Assert.True(SourceMentions.MaySpell(body, "_quorum"));
        Assert.True(SourceMentions.MaySpell(body, "_majority"));
    }

    [Fact]
    public async Task Every_spelling_of_a_name_is_found_where_it_is_in_the_tree()
    {
        var source = "class Node { int M(int half) { var halfway = half; return half + halfway; } }";
        var type = await TypeAsync(source, "Node");
        var body = type.GetMembers("M").Single().DeclaringSyntaxReferences.Single().GetSyntax();
        var positions = new System.Collections.Generic.List<int>();

        Assert.True(SourceMentions.TryFindSpellings(body, "half", positions));
        var expected = new[] { "half)", "halfway =", "half;", "half +", "halfway;" }.Select(at => source.IndexOf(at, System.StringComparison.Ordinal));
        Assert.Equal(expected, positions);
    }

    [Fact]
    public async Task A_body_with_a_unicode_escape_has_no_spellings_to_trust()
    {
        var type = await TypeAsync("class Node { int M(int half) { return h\\u0061lf; } }", "Node");
        var body = type.GetMembers("M").Single().DeclaringSyntaxReferences.Single().GetSyntax();
        var positions = new System.Collections.Generic.List<int>();

        Assert.False(SourceMentions.TryFindSpellings(body, "half", positions));
        Assert.Empty(positions);
    }

    private static async Task<INamedTypeSymbol> TypeAsync(string source, string name)
    {
        var document = TestWorkspace.CreateDocument(source, TestOptions.Default);
        var compilation = await document.Project.GetCompilationAsync();
        return compilation!.GetTypeByMetadataName(name)!;
    }
}
