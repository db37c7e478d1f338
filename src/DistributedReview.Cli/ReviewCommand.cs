using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DistributedReview.Cli.Loading;
using DistributedReview.Cli.Reports;
using DistributedReview.Cli.Review;

namespace DistributedReview.Cli
{
    /// <summary>The whole command, with its streams and folder passed in, so tests run it in-process.</summary>
    internal static class ReviewCommand
    {
        public static async Task<int> RunAsync(
            string[] args,
            TextWriter stdout,
            TextWriter stderr,
            string currentDirectory,
            bool showProgress,
            CancellationToken cancellationToken)
        {
            try
            {
                Options options;
                try
                {
                    options = Options.Parse(args);
                }
                catch (ReviewException e)
                {
                    throw new ReviewException(e.Message + " Run 'distributed-review --help' for usage.");
                }

                if (options.Help)
                {
                    stdout.Write(Options.Usage);
                    return ExitCodes.Success;
                }

                if (options.Version)
                {
                    stdout.Write("distributed-review " + RuleCatalog.ToolVersion + "\n");
                    return ExitCodes.Success;
                }

                var progress = new Progress(stderr, showProgress && !options.Quiet);
                var plan = TargetResolver.Resolve(options.Target, currentDirectory, options.NoMSBuild);
                using var target = plan.UsesMSBuild
                    ? await MSBuildLoader.LoadAsync(plan, restore: !options.NoRestore, progress, cancellationToken).ConfigureAwait(false)
                    : LooseLoader.Load(plan);
                var result = await ReviewAsync(target, options.MinConfidence, options.Fix, progress, cancellationToken).ConfigureAwait(false);

                var report = Render(result, target, options.Format);
                if (options.OutputPath is { } output)
                {
                    var path = Path.GetFullPath(Path.Combine(currentDirectory, output));
                    try
                    {
                        File.WriteAllText(path, report, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw new ReviewException($"could not write the report to '{output}': {e.Message}");
                    }

                    progress.Report($"Wrote the {options.Format.ToString().ToLowerInvariant()} report to {output}");
                }
                else
                {
                    stdout.Write(report);
                    stdout.Flush();
                }

                return Fails(result, options.FailOn) ? ExitCodes.FindingsAtFailOn : ExitCodes.Success;
            }
            catch (ReviewException e)
            {
                stderr.WriteLine("distributed-review: error: " + e.Message);
                return e.ExitCode;
            }
            catch (OperationCanceledException)
            {
                stderr.WriteLine("distributed-review: cancelled.");
                return ExitCodes.InternalError;
            }
            catch (Exception e)
            {
                stderr.WriteLine($"distributed-review: internal error: {e.GetType().Name}: {e.Message}");
                return ExitCodes.InternalError;
            }
        }

        /// <summary>Prepares, optionally fixes, and reviews a loaded target.</summary>
        public static async Task<ReviewResult> ReviewAsync(LoadedTarget target, int? minConfidence, bool fix, Progress progress, CancellationToken cancellationToken)
        {
            target.Solution = Reviewer.Prepare(target.Solution, target.Scope, minConfidence);
            var reviewer = new Reviewer(progress);
            var fixedFiles = ImmutableArray<FixedFile>.Empty;
            if (fix)
            {
                fixedFiles = await new FixApplier(reviewer, progress).FixAsync(target, cancellationToken).ConfigureAwait(false);
            }

            return await reviewer.ReviewAsync(target, minConfidence, fixedFiles, cancellationToken).ConfigureAwait(false);
        }

        public static string Render(ReviewResult result, LoadedTarget target, ReportFormat format)
        {
            using var writer = new StringWriter();
            switch (format)
            {
                case ReportFormat.Json:
                    JsonReport.Write(writer, result, target);
                    break;
                case ReportFormat.Sarif:
                    SarifReport.Write(writer, result, target);
                    break;
                default:
                    MarkdownReport.Write(writer, result, target);
                    break;
            }

            return writer.ToString();
        }

        public static bool Fails(ReviewResult result, FailOn failOn) => failOn switch
        {
            FailOn.Critical => result.CriticalCount > 0,
            FailOn.Important => result.Findings.Any(),
            FailOn.Any => result.Findings.Any(),
            _ => false,
        };
    }
}
