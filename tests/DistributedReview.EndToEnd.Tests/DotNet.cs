using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;

namespace DistributedReview.EndToEnd.Tests;

/// <summary>What one dotnet CLI command did; its text is the command and everything it printed.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Output, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"> {Command}{Environment.NewLine}(exit code {ExitCode} after {Elapsed.TotalSeconds:F1}s){Environment.NewLine}{Output}";
}

/// <summary>Runs the dotnet CLI the way a user's shell would, not the way the test host was started.</summary>
internal static class DotNet
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Variables the SDK and test host set for themselves. Inherited, they would point the child at the
    /// MSBuild and SDK of the build that launched the tests (and its node settings) instead of its own.
    /// </summary>
    private static readonly string[] InheritedPrefixes = { "MSBUILD", "DOTNET_HOST_PATH", "VSTEST", "TESTINGPLATFORM" };

    /// <summary>Runs <c>dotnet arguments...</c>; a null value in <paramref name="environment"/> removes that variable.</summary>
    public static CommandResult Run(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var name in startInfo.Environment.Keys.ToList())
        {
            if (InheritedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                startInfo.Environment.Remove(name);
            }
        }

        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var command = "dotnet " + string.Join(" ", arguments.Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
        var output = new StringBuilder();
        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(StepTimeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"Timed out after {StepTimeout.TotalMinutes} minutes.{Environment.NewLine}{new CommandResult(command, -1, output.ToString(), stopwatch.Elapsed)}");
        }

        process.WaitForExit(); // flushes the asynchronous output readers
        lock (output)
        {
            return new CommandResult(command, process.ExitCode, output.ToString(), stopwatch.Elapsed);
        }
    }
}
