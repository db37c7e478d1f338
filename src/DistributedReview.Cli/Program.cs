using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DistributedReview.Cli
{
    internal static class Program
    {
        public static async Task<int> Main(string[] args)
        {
            Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
            using var cancellation = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                cancellation.Cancel();
            };

            return await ReviewCommand.RunAsync(
                args,
                Console.Out,
                Console.Error,
                Environment.CurrentDirectory,
                showProgress: !Console.IsOutputRedirected,
                cancellation.Token).ConfigureAwait(false);
        }
    }
}
