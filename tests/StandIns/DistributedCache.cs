// Stand-in, so the tests and the sample need no package: the part of Microsoft.Extensions.Caching.Abstractions
// the rules use, with its real namespace, type and member names: `IDistributedCache` and the string extensions
// of `DistributedCacheExtensions`.
using System;
using System.Threading;
using System.Threading.Tasks;

namespace Microsoft.Extensions.Caching.Distributed
{
    public class DistributedCacheEntryOptions
    {
        public TimeSpan? AbsoluteExpirationRelativeToNow { get; set; }
        public TimeSpan? SlidingExpiration { get; set; }
    }

    public interface IDistributedCache
    {
        byte[]? Get(string key);
        Task<byte[]?> GetAsync(string key, CancellationToken token = default);
        void Set(string key, byte[] value, DistributedCacheEntryOptions options);
        Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default);
        void Refresh(string key);
        void Remove(string key);
    }

    public static class DistributedCacheExtensions
    {
        public static string? GetString(this IDistributedCache cache, string key) => null;
        public static Task<string?> GetStringAsync(this IDistributedCache cache, string key, CancellationToken token = default) => Task.FromResult<string?>(null);
        public static void SetString(this IDistributedCache cache, string key, string value) { }
        public static void SetString(this IDistributedCache cache, string key, string value, DistributedCacheEntryOptions options) { }
        public static Task SetStringAsync(this IDistributedCache cache, string key, string value, CancellationToken token = default) => Task.CompletedTask;
        public static Task SetStringAsync(this IDistributedCache cache, string key, string value, DistributedCacheEntryOptions options, CancellationToken token = default) => Task.CompletedTask;
        public static void Set(this IDistributedCache cache, string key, byte[] value) { }
        public static Task SetAsync(this IDistributedCache cache, string key, byte[] value, CancellationToken token = default) => Task.CompletedTask;
    }
}
