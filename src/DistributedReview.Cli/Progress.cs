using System;
using System.IO;

namespace DistributedReview.Cli
{
    /// <summary>Progress and warnings on stderr; progress only when someone is watching (stdout is a terminal).</summary>
    internal sealed class Progress
    {
        private readonly TextWriter _error;
        private readonly bool _show;

        public Progress(TextWriter error, bool show)
        {
            _error = error;
            _show = show;
        }

        public void Report(string message)
        {
            if (_show)
            {
                lock (_error)
                {
                    _error.WriteLine(message);
                }
            }
        }

        /// <summary>Something the user should know even in a quiet run (a project that loaded with errors).</summary>
        public void Warn(string message)
        {
            lock (_error)
            {
                _error.WriteLine("warning: " + message);
            }
        }
    }
}
