using System;
using System.Threading;
using System.Threading.Tasks;
using RedLockNet;

namespace HeartbeatService;

/// <summary>
/// Compacts the shared membership log once an hour. Every node runs the job; a Redlock lock is meant to let
/// only one of them do the work.
/// </summary>
public sealed class CompactionJob
{
    private readonly IDistributedLockFactory _locks;
    private readonly Func<CancellationToken, Task> _compact;

    public CompactionJob(IDistributedLockFactory locks, Func<CancellationToken, Task> compact)
    {
        _locks = locks;
        _compact = compact;
    }

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var compactionLock = await _locks.CreateLockAsync("membership-log:compaction", TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        await _compact(cancellationToken).ConfigureAwait(false);
    }
}
