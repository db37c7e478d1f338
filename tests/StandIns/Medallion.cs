// Stand-in, so the tests and the sample need no package: the part of Medallion's DistributedLock packages the
// rules use, with their real namespaces, type and member names: `TryAcquire*` return null when the lock was not
// acquired, `Acquire*` throw. The concrete lock stands for `Medallion.Threading.Redis.RedisDistributedLock` (its
// real constructor takes a RedisKey and an IDatabase; here a string, to need no Redis stand-in).
using System;
using System.Threading;
using System.Threading.Tasks;

namespace Medallion.Threading
{
    public interface IDistributedSynchronizationHandle : IDisposable, IAsyncDisposable
    {
        CancellationToken HandleLostToken { get; }
    }

    public interface IDistributedLock
    {
        string Name { get; }
        IDistributedSynchronizationHandle? TryAcquire(TimeSpan timeout = default, CancellationToken cancellationToken = default);
        IDistributedSynchronizationHandle Acquire(TimeSpan? timeout = null, CancellationToken cancellationToken = default);
        ValueTask<IDistributedSynchronizationHandle?> TryAcquireAsync(TimeSpan timeout = default, CancellationToken cancellationToken = default);
        ValueTask<IDistributedSynchronizationHandle> AcquireAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default);
    }

    public interface IDistributedLockProvider
    {
        IDistributedLock CreateLock(string name);
    }

    public static class DistributedLockProviderExtensions
    {
        public static IDistributedSynchronizationHandle? TryAcquireLock(this IDistributedLockProvider provider, string name, TimeSpan timeout = default, CancellationToken cancellationToken = default) =>
            provider.CreateLock(name).TryAcquire(timeout, cancellationToken);

        public static ValueTask<IDistributedSynchronizationHandle?> TryAcquireLockAsync(this IDistributedLockProvider provider, string name, TimeSpan timeout = default, CancellationToken cancellationToken = default) =>
            provider.CreateLock(name).TryAcquireAsync(timeout, cancellationToken);

        public static IDistributedSynchronizationHandle AcquireLock(this IDistributedLockProvider provider, string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
            provider.CreateLock(name).Acquire(timeout, cancellationToken);

        public static ValueTask<IDistributedSynchronizationHandle> AcquireLockAsync(this IDistributedLockProvider provider, string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
            provider.CreateLock(name).AcquireAsync(timeout, cancellationToken);
    }
}

namespace Medallion.Threading.Redis
{
    using Medallion.Threading;

    public sealed class RedisDistributedLockHandle : IDistributedSynchronizationHandle
    {
        public CancellationToken HandleLostToken => CancellationToken.None;
        public void Dispose() { }
        public ValueTask DisposeAsync() => default;
    }

    public sealed class RedisDistributedLock : IDistributedLock
    {
        public RedisDistributedLock(string key) => Name = key;

        public string Name { get; }

        public RedisDistributedLockHandle? TryAcquire(TimeSpan timeout = default, CancellationToken cancellationToken = default) => null;
        public RedisDistributedLockHandle Acquire(TimeSpan? timeout = null, CancellationToken cancellationToken = default) => new();
        public ValueTask<RedisDistributedLockHandle?> TryAcquireAsync(TimeSpan timeout = default, CancellationToken cancellationToken = default) => default;
        public ValueTask<RedisDistributedLockHandle> AcquireAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) => new(new RedisDistributedLockHandle());

        IDistributedSynchronizationHandle? IDistributedLock.TryAcquire(TimeSpan timeout, CancellationToken cancellationToken) => TryAcquire(timeout, cancellationToken);
        IDistributedSynchronizationHandle IDistributedLock.Acquire(TimeSpan? timeout, CancellationToken cancellationToken) => Acquire(timeout, cancellationToken);
        async ValueTask<IDistributedSynchronizationHandle?> IDistributedLock.TryAcquireAsync(TimeSpan timeout, CancellationToken cancellationToken) => await TryAcquireAsync(timeout, cancellationToken);
        async ValueTask<IDistributedSynchronizationHandle> IDistributedLock.AcquireAsync(TimeSpan? timeout, CancellationToken cancellationToken) => await AcquireAsync(timeout, cancellationToken);
    }
}
