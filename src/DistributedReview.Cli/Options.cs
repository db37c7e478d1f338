using System;
using System.Collections.Generic;
using System.Globalization;

namespace DistributedReview.Cli
{
    internal enum ReportFormat
    {
        Markdown,
        Json,
        Sarif,
    }

    /// <summary>Which findings make the command exit with 1 (for CI).</summary>
    internal enum FailOn
    {
        None,
        Critical,
        Important,
        Any,
    }

    /// <summary>The command line, parsed by hand (no parser package is needed for a handful of options).</summary>
    internal sealed class Options
    {
        public const string Usage =
            "Usage: distributed-review [target] [options]\n"
            + "\n"
            + "Reviews C# code and cluster configuration for distributed-systems bugs and writes a report.\n"
            + "\n"
            + "Target (default: the solution or project in the current folder):\n"
            + "  path/to/App.sln | App.slnx | App.csproj   a whole solution or project, loaded with MSBuild\n"
            + "  path/to/folder/                           a feature folder (inside a project: that project, scoped to the folder)\n"
            + "  path/to/File.cs                           one file (inside a project: that project, scoped to the file)\n"
            + "  path/to/akka.hocon | *.conf | appsettings*.json   a configuration file\n"
            + "\n"
            + "Options:\n"
            + "  --format markdown|json|sarif   report format (default markdown)\n"
            + "  --output FILE                  write the report to FILE instead of stdout\n"
            + "  --min-confidence N             report only findings with confidence N% or more (default 50)\n"
            + "  --fail-on critical|important|any|none\n"
            + "                                 exit with 1 when findings of that impact remain (default none);\n"
            + "                                 'important' means important or critical\n"
            + "  --fix                          apply every available code fix to the files on disk, then report what remains\n"
            + "  --no-msbuild                   compile the target's .cs files against reference assemblies instead of loading projects\n"
            + "  --no-restore                   do not run 'dotnet restore' for projects that were never restored\n"
            + "  --quiet                        no progress on stderr (progress is shown only when stdout is a terminal)\n"
            + "  -h, --help                     show this help\n"
            + "  --version                      show the version\n"
            + "\n"
            + "Exit codes: 0 review done (and nothing at --fail-on), 1 findings at --fail-on, 2 bad arguments or target.\n";

        public string? Target { get; private set; }

        public ReportFormat Format { get; private set; } = ReportFormat.Markdown;

        public string? OutputPath { get; private set; }

        public int? MinConfidence { get; private set; }

        public FailOn FailOn { get; private set; } = FailOn.None;

        public bool Fix { get; private set; }

        public bool NoMSBuild { get; private set; }

        public bool NoRestore { get; private set; }

        public bool Quiet { get; private set; }

        public bool Help { get; private set; }

        public bool Version { get; private set; }

        /// <summary>Parses <paramref name="args"/>; throws <see cref="ReviewException"/> with a usage message on bad input.</summary>
        public static Options Parse(IReadOnlyList<string> args)
        {
            var options = new Options();
            for (var i = 0; i < args.Count; i++)
            {
                var arg = args[i];
                string? inlineValue = null;
                if (arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=') is var eq and > 2)
                {
                    inlineValue = arg.Substring(eq + 1);
                    arg = arg.Substring(0, eq);
                }

                string Value()
                {
                    if (inlineValue is not null)
                    {
                        return inlineValue;
                    }

                    if (i + 1 >= args.Count || (args[i + 1].StartsWith("-", StringComparison.Ordinal) && args[i + 1].Length > 1))
                    {
                        throw new ReviewException($"option '{arg}' needs a value.");
                    }

                    return args[++i];
                }

                switch (arg)
                {
                    case "-h":
                    case "--help":
                    case "-?":
                        options.Help = true;
                        break;
                    case "--version":
                        options.Version = true;
                        break;
                    case "--format":
                    case "-f":
                        options.Format = Value().ToLowerInvariant() switch
                        {
                            "markdown" or "md" => ReportFormat.Markdown,
                            "json" => ReportFormat.Json,
                            "sarif" => ReportFormat.Sarif,
                            var other => throw new ReviewException($"unknown format '{other}': use markdown, json or sarif."),
                        };
                        break;
                    case "--output":
                    case "-o":
                        options.OutputPath = Value();
                        break;
                    case "--min-confidence":
                        var text = Value();
                        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var minimum) || minimum < 0 || minimum > 100)
                        {
                            throw new ReviewException($"--min-confidence needs a whole number from 0 to 100, not '{text}'.");
                        }

                        options.MinConfidence = minimum;
                        break;
                    case "--fail-on":
                        options.FailOn = Value().ToLowerInvariant() switch
                        {
                            "critical" => FailOn.Critical,
                            "important" => FailOn.Important,
                            "any" => FailOn.Any,
                            "none" => FailOn.None,
                            var other => throw new ReviewException($"unknown --fail-on value '{other}': use critical, important, any or none."),
                        };
                        break;
                    case "--fix":
                        options.Fix = true;
                        break;
                    case "--no-msbuild":
                        options.NoMSBuild = true;
                        break;
                    case "--no-restore":
                        options.NoRestore = true;
                        break;
                    case "--quiet":
                    case "-q":
                        options.Quiet = true;
                        break;
                    default:
                        if (arg.StartsWith("-", StringComparison.Ordinal) && arg.Length > 1)
                        {
                            throw new ReviewException($"unknown option '{arg}'.");
                        }

                        if (options.Target is not null)
                        {
                            throw new ReviewException($"one target at a time: got '{options.Target}' and '{arg}'.");
                        }

                        options.Target = arg;
                        break;
                }
            }

            return options;
        }
    }

    /// <summary>An error the user can act on: printed as one line, never with a stack trace.</summary>
    internal sealed class ReviewException : Exception
    {
        public ReviewException(string message, int exitCode = ExitCodes.BadInput)
            : base(message)
        {
            ExitCode = exitCode;
        }

        public int ExitCode { get; }
    }

    internal static class ExitCodes
    {
        public const int Success = 0;
        public const int FindingsAtFailOn = 1;
        public const int BadInput = 2;
        public const int InternalError = 3;
    }
}
