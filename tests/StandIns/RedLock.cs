// Stand-in, so the tests and the sample need no package: the part of RedLock.net (package RedLock.net) the rules
// use, with its real namespaces, type and member names: `CreateLock*` return an `IRedLock` whether or not the
// lock was acquired.
using System;
using System.Threading;
using System.Threading.Tasks;

namespace RedLockNet
{
    public enum RedLockStatus { Unlocked, Acquired, NoQuorum, Conflicted, Expired }

    public interface IRedLock : IDisposable, IAsyncDisposable
    {
        string Resource { get; }
        string LockId { get; }
        bool IsAcquired { get; }
        RedLockStatus Status { get; }
        int ExtendCount { get; }
    }

    public interface IDistributedLockFactory
    {
        IRedLock CreateLock(string resource, TimeSpan expiryTime);
        IRedLock CreateLock(string resource, TimeSpan expiryTime, TimeSpan waitTime, TimeSpan retryTime, CancellationToken? cancellationToken = null);
        Task<IRedLock> CreateLockAsync(string resource, TimeSpan expiryTime);
        Task<IRedLock> CreateLockAsync(string resource, TimeSpan expiryTime, TimeSpan waitTime, TimeSpan retryTime, CancellationToken? cancellationToken = null);
    }
}

namespace RedLockNet.SERedis
{
    using RedLockNet;

    public class RedLockFactory : IDistributedLockFactory, IDisposable
    {
        public IRedLock CreateLock(string resource, TimeSpan expiryTime) => throw new NotImplementedException();
        public IRedLock CreateLock(string resource, TimeSpan expiryTime, TimeSpan waitTime, TimeSpan retryTime, CancellationToken? cancellationToken = null) => throw new NotImplementedException();
        public Task<IRedLock> CreateLockAsync(string resource, TimeSpan expiryTime) => throw new NotImplementedException();
        public Task<IRedLock> CreateLockAsync(string resource, TimeSpan expiryTime, TimeSpan waitTime, TimeSpan retryTime, CancellationToken? cancellationToken = null) => throw new NotImplementedException();
        public void Dispose() { }
    }
}
