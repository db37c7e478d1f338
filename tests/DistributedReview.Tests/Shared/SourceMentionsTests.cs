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

    private static async Task<INamedTypeSymbol> TypeAsync(string source, string name)
    {
        var document = TestWorkspace.CreateDocument(source, TestOptions.Default);
        var compilation = await document.Project.GetCompilationAsync();
        return compilation!.GetTypeByMetadataName(name)!;
    }
}
