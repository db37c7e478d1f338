using System;
using System.IO;
using System.Linq;
using DistributedReview.Tests.StandIns;
using DistributedReview.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DistributedReview.Tests.Catalog;

/// <summary>
/// Every stand-in of <c>StandIns/</c> (StackExchange.Redis, IDistributedCache, RedLock.net, Medallion, gRPC, Orleans,
/// Akka.NET) compiled once into one in-memory assembly, referenced as metadata the way a real package is: code that
/// uses those libraries compiles, the library rules see their types, and no run rebinds the stand-ins' source.
/// </summary>
public static class StandInLibrary
{
    private static readonly Lazy<MetadataReference> LazyReference = new(Build);

    public static MetadataReference Reference => LazyReference.Value;

    private static MetadataReference Build()
    {
        var sources = new[]
        {
            StackExchangeRedis.Source, DistributedCache.Source, RedLock.Source, Medallion.Source, Grpc.Source, Orleans.Source, Akka.Source,
        };
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "DistributedReview.StandIns",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, parseOptions, path: $"StandIn{i}.cs")),
            TestWorkspace.References(TargetFramework.Net80),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
        {
            throw new InvalidOperationException("The stand-ins do not compile together:\n" + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        return MetadataReference.CreateFromImage(image.ToArray(), filePath: "DistributedReview.StandIns.dll");
    }
}
