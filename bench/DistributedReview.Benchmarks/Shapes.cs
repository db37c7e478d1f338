using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DistributedReview.Benchmarks;

/// <summary>
/// <c>--shapes DIR [DIR...]</c>: how often the shapes the rules judge occur, per 1,000 code lines, in the corpus and in
/// real code. Issue 7 asks for a corpus "at the density real services have"; this is how to check it against a code
/// base of your own. Counted from syntax (no semantic model, so names are matched as written: <c>DateTime.UtcNow</c>
/// counts, a clock read through an alias does not); a code line is a line with a token on it.
/// </summary>
internal static class Shapes
{
    private static readonly string[] Names =
    {
        "Clock reads (DateTime/DateTimeOffset .Now/.UtcNow)", "Environment.TickCount", "Stopwatch", "Halves (/ 2, >> 1)",
        "Medians (.Length / 2, .Count / 2)", "TryGetValue, ContainsKey", "GetOrAdd, AddOrUpdate, TryUpdate", "++, --, +=, -=",
        "lock, Interlocked", "Loops", "catch", "Task.Delay, Thread.Sleep", "HttpClient", "Random", "Comparisons (<, <=, >, >=)",
        "Type declarations", "Calls",
    };

    // The shapes counted apart from ShapeOf: medians are halves of a length or count, calls are every invocation.
    private const int Halves = 3;
    private const int Medians = 4;
    private const int Calls = 16;

    public static int Run(IReadOnlyList<CorpusFile> corpus, IEnumerable<string> directories)
    {
        var columns = new List<(string Name, int Files, Counts Counts)> { ("corpus", corpus.Count, Count(corpus.Select(f => f.Text))) };
        foreach (var directory in directories)
        {
            var files = Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
                .Where(path => !path.EndsWith(".g.cs", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".Designer.cs", StringComparison.OrdinalIgnoreCase))
                .ToList();
            columns.Add((Path.GetFileName(Path.TrimEndingDirectorySeparator(directory)), files.Count, Count(files.Select(File.ReadAllText))));
        }

        Console.WriteLine("| Per 1,000 code lines | " + string.Join(" | ", columns.Select(c => c.Name)) + " |");
        Console.WriteLine("|---|" + string.Concat(columns.Select(_ => "---:|")));
        Console.WriteLine("| Files | " + string.Join(" | ", columns.Select(c => c.Files.ToString("N0"))) + " |");
        Console.WriteLine("| Code lines | " + string.Join(" | ", columns.Select(c => c.Counts.Lines.ToString("N0"))) + " |");
        for (var i = 0; i < Names.Length; i++)
        {
            Console.WriteLine($"| {Names[i]} | " + string.Join(" | ", columns.Select(c => (1000.0 * c.Counts.Shapes[i] / Math.Max(1, c.Counts.Lines)).ToString("F2"))) + " |");
        }

        return 0;
    }

    private sealed class Counts
    {
        public long Lines;
        public long[] Shapes = new long[Names.Length];
    }

    private static Counts Count(IEnumerable<string> sources)
    {
        var counts = new Counts();
        foreach (var source in sources)
        {
            var root = CSharpSyntaxTree.ParseText(source).GetRoot();
            var text = root.SyntaxTree.GetText();
            counts.Lines += root.DescendantTokens().Select(token => text.Lines.GetLineFromPosition(token.SpanStart).LineNumber).Distinct().Count();
            foreach (var node in root.DescendantNodes())
            {
                if (ShapeOf(node) is { } shape)
                {
                    counts.Shapes[shape]++;
                    if (shape == Halves && node is BinaryExpressionSyntax { Left: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Length" or "Count" } })
                    {
                        counts.Shapes[Medians]++;
                    }
                }

                if (node is InvocationExpressionSyntax)
                {
                    counts.Shapes[Calls]++;
                }
            }
        }

        return counts;
    }

    /// <summary>The index in <see cref="Names"/> of the shape <paramref name="node"/> is, if any (calls are counted apart).</summary>
    private static int? ShapeOf(SyntaxNode node) => node switch
    {
        MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Now" or "UtcNow", Expression: var type } when Last(type) is "DateTime" or "DateTimeOffset" => 0,
        MemberAccessExpressionSyntax { Name.Identifier.ValueText: "TickCount" or "TickCount64", Expression: var type } when Last(type) == "Environment" => 1,
        IdentifierNameSyntax { Identifier.ValueText: "Stopwatch" } => 2,
        BinaryExpressionSyntax { RawKind: (int)SyntaxKind.DivideExpression, Right: LiteralExpressionSyntax { Token.Text: "2" } } => Halves,
        BinaryExpressionSyntax { RawKind: (int)SyntaxKind.RightShiftExpression, Right: LiteralExpressionSyntax { Token.Text: "1" } } => Halves,
        InvocationExpressionSyntax invocation when CalledName(invocation) is "TryGetValue" or "ContainsKey" => 5,
        InvocationExpressionSyntax invocation when CalledName(invocation) is "GetOrAdd" or "AddOrUpdate" or "TryUpdate" => 6,
        AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.AddAssignmentExpression or (int)SyntaxKind.SubtractAssignmentExpression } => 7,
        PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } => 7,
        PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression } => 7,
        LockStatementSyntax => 8,
        IdentifierNameSyntax { Identifier.ValueText: "Interlocked" } => 8,
        ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax => 9,
        CatchClauseSyntax => 10,
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name, Expression: var type } }
            when (name, Last(type)) is ("Delay", "Task") or ("Sleep", "Thread") => 11,
        IdentifierNameSyntax { Identifier.ValueText: "HttpClient" } => 12,
        IdentifierNameSyntax { Identifier.ValueText: "Random" } => 13,
        BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LessThanExpression or (int)SyntaxKind.LessThanOrEqualExpression
            or (int)SyntaxKind.GreaterThanExpression or (int)SyntaxKind.GreaterThanOrEqualExpression } => 14,
        ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax or InterfaceDeclarationSyntax => 15,
        _ => null,
    };

    private static string? Last(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        _ => null,
    };

    private static string? CalledName(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        _ => null,
    };
}
