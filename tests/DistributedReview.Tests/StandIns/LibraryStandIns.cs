using System.IO;

namespace DistributedReview.Tests.StandIns;

/// <summary>
/// Sources declaring the parts of third-party libraries the rules recognise, with their real namespaces and
/// member names, so tests need none of the packages. The files live in <c>tests/StandIns/</c>, where the sample
/// compiles them too; this project embeds them.
/// </summary>
internal static class LibrarySource
{
    public static string Read(string name)
    {
        using var stream = typeof(LibrarySource).Assembly.GetManifestResourceStream("StandIns." + name + ".cs")
            ?? throw new FileNotFoundException("Stand-in not embedded: tests/StandIns/" + name + ".cs");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

public static class Akka { public static readonly string Source = LibrarySource.Read(nameof(Akka)); }

public static class DistributedCache { public static readonly string Source = LibrarySource.Read(nameof(DistributedCache)); }

public static class Grpc { public static readonly string Source = LibrarySource.Read(nameof(Grpc)); }

public static class Medallion { public static readonly string Source = LibrarySource.Read(nameof(Medallion)); }

public static class Orleans { public static readonly string Source = LibrarySource.Read(nameof(Orleans)); }

public static class RedLock { public static readonly string Source = LibrarySource.Read(nameof(RedLock)); }

public static class StackExchangeRedis { public static readonly string Source = LibrarySource.Read(nameof(StackExchangeRedis)); }
