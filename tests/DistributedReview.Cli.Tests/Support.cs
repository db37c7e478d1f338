using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;

namespace DistributedReview.Cli.Tests;

internal static class Repo
{
    public static string Root { get; } = typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!.TrimEnd('/', '\\');

    public static string Golden(string name) => Path.Combine(Root, "tests", "DistributedReview.Cli.Tests", "Golden", name);

    /// <summary>
    /// Compares with a golden file; DR_UPDATE_GOLDEN=1 rewrites it instead (then review the diff).
    /// </summary>
    public static void AssertGolden(string name, string actual)
    {
        var path = Golden(name);
        if (Environment.GetEnvironmentVariable("DR_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
        }

        Xunit.Assert.True(File.Exists(path), $"golden file {path} is missing; run the tests with DR_UPDATE_GOLDEN=1 to create it");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n");
        Xunit.Assert.Equal(expected, actual);
    }
}

/// <summary>The command run in-process, as `distributed-review args` from <see cref="CurrentDirectory"/>.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Errors)
{
    public static async Task<CliRun> RunAsync(string currentDirectory, params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await ReviewCommand.RunAsync(args, output, errors, currentDirectory, showProgress: false, CancellationToken.None);
        return new CliRun(exit, output.ToString(), errors.ToString());
    }
}

/// <summary>A scratch folder with files, deleted afterwards. Loose files: no project, so no MSBuild.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder(params (string Path, string Text)[] files)
    {
        Root = Path.Combine(Path.GetTempPath(), "dr-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        foreach (var (path, text) in files)
        {
            Write(path, text);
        }
    }

    public string Root { get; }

    public string PathOf(string relative) => System.IO.Path.Combine(Root, relative);

    public void Write(string relative, string text)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Small inputs whose findings need no library types, so loose mode reports them.</summary>
internal static class Code
{
    public const string PeerStats = """
        using System.Collections.Concurrent;

        public sealed class PeerStats
        {
            private readonly ConcurrentDictionary<string, int> _missed = new();

            public void OnMissedHeartbeat(string peer)
            {
                _missed[peer] += 1;
            }
        }
        """;

    public const string HeartbeatMonitor = """
        using System;

        public sealed class HeartbeatMonitor
        {
            private static readonly TimeSpan SuspectAfter = TimeSpan.FromSeconds(10);
            private DateTime _lastHeartbeat = DateTime.UtcNow;

            public void OnHeartbeat() => _lastHeartbeat = DateTime.UtcNow;

            public bool IsPeerSuspect() => DateTime.UtcNow - _lastHeartbeat > SuspectAfter;
        }
        """;

    public const string Clean = """
        using System.Diagnostics;

        public sealed class Timer
        {
            private long _start = Stopwatch.GetTimestamp();

            public bool Expired(System.TimeSpan limit) => Stopwatch.GetElapsedTime(_start) > limit;
        }
        """;

    public const string AutoDowning = """
        akka {
          actor.provider = cluster
          cluster {
            seed-nodes = ["akka.tcp://app@10.0.0.1:4053"]
            auto-down-unreachable-after = 10s
          }
        }
        """;
}
