using System.Collections.Immutable;
using System.Threading.Tasks;
using DistributedReview.Concurrency;
using DistributedReview.Tests.StandIns;
using DistributedReview.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using VerifyAnalyzer = DistributedReview.Tests.Verification.Verify<DistributedReview.Tests.Concurrency.UnversionedStoreUpdateOnly>;
using VerifyCS = DistributedReview.Tests.Verification.Verify<DistributedReview.Tests.Concurrency.UnversionedStoreUpdateOnly, DistributedReview.Concurrency.UnversionedStoreUpdateCodeFix>;

namespace DistributedReview.Tests.Concurrency;

/// <summary>DR3001: unversioned read-modify-write on a shared store.</summary>
public class DR3001Tests
{
    /// <summary>A store recognised by shape: Get/Put by key, and a conditional write (an ETag).</summary>
    private const string DocumentStoreSource = """
        using System.Threading.Tasks;

        namespace Acme.Storage
        {
            public sealed class Versioned<T>
            {
                public T Value { get; set; } = default!;
                public string ETag { get; set; } = "";
            }

            public interface IDocumentStore
            {
                Task<Versioned<T>?> GetAsync<T>(string key);
                Task PutAsync<T>(string key, T value);
                Task<bool> PutAsync<T>(string key, T value, string etag);
                Task<bool> PutIfMatchAsync<T>(string key, T value, string ifMatch);
            }

            /// <summary>Same shape, but no conditional write: not a store this rule knows.</summary>
            public interface IPlainStore
            {
                int Get(string key);
                void Set(string key, int value);
            }
        }
        """;

    private static readonly TestOptions Libraries = new() { AdditionalSources = ImmutableArray.Create(StackExchangeRedis.Source, DistributedCache.Source, DocumentStoreSource) };

    // ---- Reported, and fixed ---------------------------------------------------------------------------

    [Fact]
    public Task Redis_counter_through_a_local_becomes_StringIncrement() => VerifyCS.FixAsync("""
        using StackExchange.Redis;

        class PageViews
        {
            private readonly IDatabase _db;

            public PageViews(IDatabase db) => _db = db;

            public void Count(string page)
            {
                var views = (long)_db.StringGet($"views:{page}");
                [|_db.StringSet($"views:{page}", views + 1)|];
            }
        }
        """, """
        using StackExchange.Redis;

        class PageViews
        {
            private readonly IDatabase _db;

            public PageViews(IDatabase db) => _db = db;

            public void Count(string page)
            {
                _db.StringIncrement($"views:{page}", 1);
            }
        }
        """, Libraries);

    [Fact]
    public Task Async_parse_and_subtract_becomes_StringDecrementAsync() => VerifyCS.FixAsync("""
        using System.Threading.Tasks;
        using StackExchange.Redis;

        class Stock
        {
            public async Task TakeAsync(IDatabase db, string sku, int quantity)
            {
                var left = long.Parse(await db.StringGetAsync("stock:" + sku));
                await [|db.StringSetAsync("stock:" + sku, left - quantity)|];
            }
        }
        """, """
        using System.Threading.Tasks;
        using StackExchange.Redis;

        class Stock
        {
            public async Task TakeAsync(IDatabase db, string sku, int quantity)
            {
                await db.StringDecrementAsync("stock:" + sku, quantity);
            }
        }
        """, Libraries);

    [Fact]
    public Task Inline_hash_read_becomes_HashIncrement() => VerifyCS.FixAsync("""
        using StackExchange.Redis;

        class Scores
        {
            const string Board = "board";

            public void Add(IDatabase db, string player, int points) =>
                [|db.HashSet(Board, player, points + (int)db.HashGet("board", player))|];
        }
        """, """
        using StackExchange.Redis;

        class Scores
        {
            const string Board = "board";

            public void Add(IDatabase db, string player, int points) =>
                db.HashIncrement(Board, player, points);
        }
        """, Libraries);

    [Fact]
    public Task Fix_all_rewrites_every_counter_in_the_file() => VerifyCS.FixAsync("""
        using System.Threading.Tasks;
        using StackExchange.Redis;

        class Counters
        {
            private readonly IDatabase _db;

            public Counters(IDatabase db) => _db = db;

            public async Task HitAsync(string id)
            {
                var hits = (long)await _db.StringGetAsync("hits:" + id);
                await [|_db.StringSetAsync("hits:" + id, hits + 1)|];
                var misses = (int)_db.HashGet("misses", id);
                [|_db.HashSet("misses", id, misses - 2)|];
            }
        }
        """, """
        using System.Threading.Tasks;
        using StackExchange.Redis;

        class Counters
        {
            private readonly IDatabase _db;

            public Counters(IDatabase db) => _db = db;

            public async Task HitAsync(string id)
            {
                await _db.StringIncrementAsync("hits:" + id, 1);
                _db.HashDecrement("misses", id, 2);
            }
        }
        """, Libraries);

    [Fact]
    public Task Json_object_changed_and_written_back_gets_a_transaction_retry_loop() => VerifyCS.FixAsync("""
        using System.Text.Json;
        using StackExchange.Redis;

        class Cart
        {
            public int Items { get; set; }
        }

        class CartService
        {
            public void AddItem(IDatabase db, string user)
            {
                // Read the cart.
                var json = db.StringGet("cart:" + user);
                var cart = JsonSerializer.Deserialize<Cart>(json.HasValue ? (string)json! : "{}") ?? new Cart();
                cart.Items++;
                [|db.StringSet("cart:" + user, JsonSerializer.Serialize(cart))|];
            }
        }
        """, """
        using System.Text.Json;
        using StackExchange.Redis;

        class Cart
        {
            public int Items { get; set; }
        }

        class CartService
        {
            public void AddItem(IDatabase db, string user)
            {
                // Read the cart.
                while (true)
                {
                    var json = db.StringGet("cart:" + user);
                    var cart = JsonSerializer.Deserialize<Cart>(json.HasValue ? (string)json! : "{}") ?? new Cart();
                    cart.Items++;
                    var transaction = db.CreateTransaction();
                    transaction.AddCondition(Condition.StringEqual("cart:" + user, json));
                    _ = transaction.StringSetAsync("cart:" + user, JsonSerializer.Serialize(cart));
                    if (transaction.Execute()) break;
                }
            }
        }
        """, Libraries);

    [Fact]
    public Task Async_hash_update_gets_a_transaction_retry_loop_and_the_using() => VerifyCS.FixAsync("""
        using System.Threading.Tasks;

        class Names
        {
            public async Task ShoutAsync(StackExchange.Redis.IDatabase db, string id)
            {
                var name = await db.HashGetAsync("user:" + id, "name");
                await [|db.HashSetAsync("user:" + id, "name", ((string?)name)?.ToUpperInvariant())|];
            }
        }
        """, """
        using System.Threading.Tasks;
        using StackExchange.Redis;

        class Names
        {
            public async Task ShoutAsync(StackExchange.Redis.IDatabase db, string id)
            {
                while (true)
                {
                    var name = await db.HashGetAsync("user:" + id, "name");
                    var transaction = db.CreateTransaction();
                    transaction.AddCondition(Condition.HashEqual("user:" + id, "name", name));
                    _ = transaction.HashSetAsync("user:" + id, "name", ((string?)name)?.ToUpperInvariant());
                    if (await transaction.ExecuteAsync()) break;
                }
            }
        }
        """, Libraries with { Target = TargetFramework.Net472 });

    // ---- Stores recognised by shape: compare-and-swap loops ---------------------------------------------

    /// <summary>Stores with a usable conditional write: compare-on-old-value, version from a tuple read, ETag on the entity.</summary>
    private const string ConditionalStoresSource = """
        using System.Threading;
        using System.Threading.Tasks;

        namespace Acme.Storage
        {
            public interface ICounterStore
            {
                long Get(string key);
                Task<long> GetAsync(string key, CancellationToken cancellationToken = default);
                void Set(string key, long value);
                Task SetAsync(string key, long value, CancellationToken cancellationToken = default);
                bool CompareAndSwap(string key, long expected, long value);
                Task<bool> CompareAndSwapAsync(string key, long expected, long value, CancellationToken cancellationToken = default);
            }

            public interface IVersionedStore
            {
                string? Get(string key);
                Task<string?> GetAsync(string key);
                (string? Value, long Version) GetWithVersion(string key);
                Task<(string? Value, long Version)> GetWithVersionAsync(string key);
                void Put(string key, string? value);
                Task PutAsync(string key, string? value);
                bool PutIfVersion(string key, string? value, long expectedVersion);
                Task<bool> PutIfVersionAsync(string key, string? value, long expectedVersion);
            }

            /// <summary>A missing key reads as a new entity with an empty ETag.</summary>
            public sealed class Entity<T>
                where T : new()
            {
                public T Value { get; set; } = new();
                public string ETag { get; set; } = "";
            }

            public interface IEntityStore
            {
                Entity<T> GetEntity<T>(string key) where T : new();
                void Save<T>(string key, Entity<T> entity) where T : new();
                bool SaveIfMatch<T>(string key, Entity<T> entity, string ifMatch) where T : new();
            }

            /// <summary>Conditional writes that cannot drive a loop: they throw on conflict, or only exist async.</summary>
            public interface IThrowingStore
            {
                int Get(string key);
                void Set(string key, int value);
                void SetIfVersion(string key, int value, long version);
                Task<bool> CompareAndSwapAsync(string key, int expected, int value);
            }

            public sealed class Cart
            {
                public int Items { get; set; }
            }

            public interface ICartStore
            {
                Cart Get(string key);
                void Put(string key, Cart cart);
                bool CompareAndSwap(string key, Cart expected, Cart value);
            }

            public interface IRatioStore
            {
                double Get(string key);
                void Set(string key, double value);
                bool CompareAndSwap(string key, double expected, double value);
            }
        }
        """;

    private static readonly TestOptions Stores = Libraries with { AdditionalSources = Libraries.AdditionalSources.Add(ConditionalStoresSource) };

    [Fact]
    public Task Counter_read_into_a_local_gets_a_compare_and_swap_loop() => VerifyCS.FixAsync("""
        using Acme.Storage;

        class Credits
        {
            private readonly ICounterStore _store;

            public Credits(ICounterStore store) => _store = store;

            public void Grant(string user, long amount)
            {
                // Read, add, write back.
                var credits = _store.Get("credits:" + user);
                var granted = credits + amount;
                [|_store.Set("credits:" + user, granted)|]; // keep this comment
            }
        }
        """, """
        using Acme.Storage;

        class Credits
        {
            private readonly ICounterStore _store;

            public Credits(ICounterStore store) => _store = store;

            public void Grant(string user, long amount)
            {
                // Read, add, write back.
                while (true)
                {
                    var credits = _store.Get("credits:" + user);
                    var granted = credits + amount;
                    if (_store.CompareAndSwap("credits:" + user, credits, granted)) break; // keep this comment
                }
            }
        }
        """, Stores);

    [Fact]
    public Task Async_loop_keeps_await_ConfigureAwait_and_the_cancellation_token() => VerifyCS.FixAsync("""
        using System.Threading;
        using System.Threading.Tasks;
        using Acme.Storage;

        class Quota
        {
            public async Task<bool> TryUseAsync(ICounterStore store, string client, CancellationToken cancellationToken)
            {
                var used = await store.GetAsync(client, cancellationToken).ConfigureAwait(false);
                if (used >= 100) return false;
                await [|store.SetAsync(client, used + 1, cancellationToken)|].ConfigureAwait(false);
                return true;
            }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;
        using Acme.Storage;

        class Quota
        {
            public async Task<bool> TryUseAsync(ICounterStore store, string client, CancellationToken cancellationToken)
            {
                while (true)
                {
                    var used = await store.GetAsync(client, cancellationToken).ConfigureAwait(false);
                    if (used >= 100) return false;
                    if (await store.CompareAndSwapAsync(client, used, used + 1, cancellationToken).ConfigureAwait(false)) break;
                }
                return true;
            }
        }
        """, Stores with { Target = TargetFramework.Net472 });

    [Fact]
    public Task Inline_read_is_hoisted_with_a_free_name_in_a_lambda() => VerifyCS.FixAsync("""
        using System;
        using Acme.Storage;

        class Doubler
        {
            public Action Double(ICounterStore store, string key, long current) => () =>
            {
                [|store.Set(key, store.Get(key) * 2 + current)|];
            };
        }
        """, """
        using System;
        using Acme.Storage;

        class Doubler
        {
            public Action Double(ICounterStore store, string key, long current) => () =>
            {
                while (true)
                {
                    var current2 = store.Get(key);
                    if (store.CompareAndSwap(key, current2, current2 * 2 + current)) break;
                }
            };
        }
        """, Stores);

    [Fact]
    public Task Versioned_store_reads_value_and_version_and_writes_if_the_version_is_unchanged() => VerifyCS.FixAsync("""
        using System.Threading.Tasks;
        using Acme.Storage;

        class Names
        {
            public IVersionedStore Store { get; set; } = null!;

            public void Shout(string id)
            {
                var name = Store.Get(id);
                [|Store.Put(id, name?.ToUpperInvariant())|];
            }

            public async Task ExclaimAsync(string id) {
                await [|Store.PutAsync(id, await Store.GetAsync(id) + "!")|];
            }
        }
        """, """
        using System.Threading.Tasks;
        using Acme.Storage;

        class Names
        {
            public IVersionedStore Store { get; set; } = null!;

            public void Shout(string id)
            {
                while (true)
                {
                    var (name, version) = Store.GetWithVersion(id);
                    if (Store.PutIfVersion(id, name?.ToUpperInvariant(), version)) break;
                }
            }

            public async Task ExclaimAsync(string id) {
                while (true)
                {
                    var (current, version) = await Store.GetWithVersionAsync(id);
                    if (await Store.PutIfVersionAsync(id, current + "!", version)) break;
                }
            }
        }
        """, Stores);

    [Fact]
    public Task Entity_with_an_ETag_is_saved_if_it_still_matches() => VerifyCS.FixAsync("""
        using Acme.Storage;

        class Carts
        {
            public void AddItem(IEntityStore store, string user)
            {
                var cart = store.GetEntity<Cart>("cart:" + user);
                cart.Value.Items++;
                [|store.Save("cart:" + user, cart)|];
            }
        }
        """, """
        using Acme.Storage;

        class Carts
        {
            public void AddItem(IEntityStore store, string user)
            {
                while (true)
                {
                    var cart = store.GetEntity<Cart>("cart:" + user);
                    cart.Value.Items++;
                    if (store.SaveIfMatch("cart:" + user, cart, cart.ETag)) break;
                }
            }
        }
        """, Stores);

    [Fact]
    public Task Fix_all_rewrites_counters_transactions_and_loops_in_one_pass() => VerifyCS.FixAsync("""
        using System.Threading.Tasks;
        using Acme.Storage;
        using StackExchange.Redis;

        class Everything
        {
            public async Task RunAsync(IDatabase db, ICounterStore counters, IVersionedStore names, string id)
            {
                var hits = (long)db.StringGet("hits:" + id);
                [|db.StringSet("hits:" + id, hits + 1)|];
                var a = await counters.GetAsync("a");
                await [|counters.SetAsync("a", a + 1)|];
                [|counters.Set("b", counters.Get("b") - 1)|];
                [|counters.Set("c", counters.Get("c") * 3)|];
                var name = names.Get(id);
                [|names.Put(id, name + "?")|];
            }

            // A transaction condition anywhere in a method serialises its writes: kept apart.
            public void Raw(IDatabase db, string id)
            {
                var raw = db.StringGet("raw:" + id);
                [|db.StringSet("raw:" + id, raw + "!")|];
            }
        }
        """, """
        using System.Threading.Tasks;
        using Acme.Storage;
        using StackExchange.Redis;

        class Everything
        {
            public async Task RunAsync(IDatabase db, ICounterStore counters, IVersionedStore names, string id)
            {
                db.StringIncrement("hits:" + id, 1);
                while (true)
                {
                    var a = await counters.GetAsync("a");
                    if (await counters.CompareAndSwapAsync("a", a, a + 1)) break;
                }
                while (true)
                {
                    var current = counters.Get("b");
                    if (counters.CompareAndSwap("b", current, current - 1)) break;
                }
                while (true)
                {
                    var current2 = counters.Get("c");
                    if (counters.CompareAndSwap("c", current2, current2 * 3)) break;
                }
                while (true)
                {
                    var (name, version) = names.GetWithVersion(id);
                    if (names.PutIfVersion(id, name + "?", version)) break;
                }
            }

            // A transaction condition anywhere in a method serialises its writes: kept apart.
            public void Raw(IDatabase db, string id)
            {
                while (true)
                {
                    var raw = db.StringGet("raw:" + id);
                    var transaction = db.CreateTransaction();
                    transaction.AddCondition(Condition.StringEqual("raw:" + id, raw));
                    _ = transaction.StringSetAsync("raw:" + id, raw + "!");
                    if (transaction.Execute()) break;
                }
            }
        }
        """, Stores);

    [Fact]
    public Task Stores_whose_conditional_write_cannot_drive_a_safe_loop_get_no_fix() => VerifyCS.NoFixAsync("""
        using System.Threading.Tasks;
        using Acme.Storage;

        class NoLoop
        {
            // The read may be null: which ETag means "absent" is the store's business.
            async Task DepositAsync(IDocumentStore store, string account, decimal amount)
            {
                var current = await store.GetAsync<decimal>(account);
                var balance = current is null ? 0m : current.Value;
                await [|store.PutAsync(account, balance + amount)|];
            }

            // The conditional write throws on conflict (void), or only exists async for sync code.
            void Throwing(IThrowingStore store) => [|store.Set("k", store.Get("k") + 1)|];

            void ThrowingInBlock(IThrowingStore store)
            {
                var v = store.Get("k");
                [|store.Set("k", v + 1)|];
            }

            // A mutable object cannot be its own version, and doubles compare badly (NaN).
            void Mutable(ICartStore store)
            {
                var cart = store.Get("cart");
                cart.Items++;
                [|store.Put("cart", cart)|];
            }

            void Ratio(IRatioStore store)
            {
                var r = store.Get("r");
                [|store.Set("r", r / 2)|];
            }
        }
        """, Stores);

    [Fact]
    public Task Shapes_a_loop_would_change_get_no_fix() => VerifyCS.NoFixAsync("""
        using System;
        using System.Collections.Generic;
        using Acme.Storage;

        class Unsafe
        {
            void Break(ICounterStore store, List<string> keys)
            {
                foreach (var key in keys)
                {
                    var v = store.Get(key);
                    if (v > 10) break;
                    [|store.Set(key, v + 1)|];
                }
            }

            long UsedAfter(ICounterStore store)
            {
                var v = store.Get("k");
                var next = v + 1;
                [|store.Set("k", next)|];
                return next;
            }

            void Reassigned(ICounterStore store)
            {
                var v = store.Get("k");
                v = Math.Max(v, 10);
                [|store.Set("k", v + 1)|];
            }

            void ExpressionBodied(ICounterStore store) => [|store.Set("k", store.Get("k") + 1)|];

            void NotAStatement(ICounterStore store, Action<long> log)
            {
                var v = store.Get("k");
                if (v > 0) [|store.Set("k", v + 1)|];
            }

            void InLambdaOfTheValue(ICounterStore store, Func<Func<long>, long> run)
            {
                [|store.Set("k", run(() => store.Get("k")) + 1)|];
            }

            void UsingDeclaration(ICounterStore store, Func<IDisposable> open)
            {
                var v = store.Get("k");
                using var scope = open();
                [|store.Set("k", v + 1)|];
            }
        }
        """, Stores);

    // ---- Reported, no fix ------------------------------------------------------------------------------

    [Fact]
    public Task Read_converted_to_string_or_leaving_early_has_no_fix() => VerifyCS.NoFixAsync("""
        using System.Text.Json;
        using StackExchange.Redis;

        class Cart
        {
            public int Items { get; set; }
        }

        class CartService
        {
            public Cart AddItem(IDatabase db, string user)
            {
                string? json = db.StringGet("cart:" + user);
                var cart = JsonSerializer.Deserialize<Cart>(json ?? "{}") ?? new Cart();
                cart.Items++;
                [|db.StringSet("cart:" + user, JsonSerializer.Serialize(cart))|];
                return cart;
            }

            public void Rename(IDatabase db, string user)
            {
                var old = db.StringGet("name:" + user);
                if (old.IsNull) return;
                [|db.StringSet("name:" + user, old + "!")|];
            }
        }
        """, Libraries);

    [Fact]
    public Task Written_value_used_again_after_the_write_becomes_the_increment_result() => VerifyCS.FixAsync("""
        using System.Threading.Tasks;
        using StackExchange.Redis;

        class Tickets
        {
            public long Next(IDatabase db)
            {
                var last = (long)db.StringGet("ticket");
                [|db.StringSet("ticket", last + 1)|];
                return last + 1;
            }

            public async Task<long> VoteAsync(IDatabase db, string peer)
            {
                var votes = (long)await db.StringGetAsync("votes:" + peer).ConfigureAwait(false);
                await [|db.StringSetAsync("votes:" + peer, votes + 1)|].ConfigureAwait(false);
                return votes + 1;
            }
        }
        """, """
        using System.Threading.Tasks;
        using StackExchange.Redis;

        class Tickets
        {
            public long Next(IDatabase db)
            {
                var newLast = db.StringIncrement("ticket", 1);
                return newLast;
            }

            public async Task<long> VoteAsync(IDatabase db, string peer)
            {
                var newVotes = await db.StringIncrementAsync("votes:" + peer, 1).ConfigureAwait(false);
                return newVotes;
            }
        }
        """, Libraries);

    [Fact]
    public Task Counter_used_after_the_write_otherwise_has_no_fix() => VerifyCS.NoFixAsync("""
        using StackExchange.Redis;

        class Tickets
        {
            public long Next(IDatabase db)
            {
                var last = (long)db.StringGet("ticket");
                [|db.StringSet("ticket", last + 1)|];
                return last;
            }
        }
        """, Libraries);

    [Fact]
    public Task Distributed_cache_rate_limiter_says_it_has_no_conditional_write() => VerifyCS.NoFixAsync("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.Caching.Distributed;

        class RateLimiter
        {
            private readonly IDistributedCache _cache;

            public RateLimiter(IDistributedCache cache) => _cache = cache;

            public async Task<bool> AllowAsync(string client)
            {
                var key = $"rate:{client}";
                var text = await _cache.GetStringAsync(key);
                var count = text is null ? 0 : int.Parse(text);
                if (count >= 100) return false;
                await [|_cache.SetStringAsync(key, (count + 1).ToString())|];
                return true;
            }

            public void Touch(string id)
            {
                var bytes = _cache.Get(id) ?? new byte[1];
                bytes[0]++;
                [|_cache.Set(id, bytes, new DistributedCacheEntryOptions())|];
            }
        }
        """, Libraries);

    [Fact]
    public Task Generic_store_with_a_conditional_write_is_recognised_by_shape() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;
        using Acme.Storage;

        class Balances
        {
            public async Task DepositAsync(IDocumentStore store, string account, decimal amount)
            {
                var current = await store.GetAsync<decimal>(account);
                var balance = current is null ? 0m : current.Value;
                await [|store.PutAsync(account, balance + amount)|];
            }
        }
        """, Libraries);

    [Fact]
    public Task Stores_whose_conditional_write_is_inherited_are_recognised_in_every_construction() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        abstract class VersionedRepository<T>
        {
            public abstract Task<T> GetAsync(string key);
            public abstract Task SaveAsync(string key, T value);
            public abstract Task<bool> SaveIfVersionAsync(string key, T value, long expectedVersion);
        }

        sealed class Repository<T> : VersionedRepository<T>
        {
            public override Task<T> GetAsync(string key) => Task.FromResult(default(T)!);
            public override Task SaveAsync(string key, T value) => Task.CompletedTask;
            public override Task<bool> SaveIfVersionAsync(string key, T value, long expectedVersion) => Task.FromResult(true);
        }

        interface ICounterRepository : Acme.Storage.IDocumentStore { }

        class Accounts
        {
            public async Task DepositAsync(Repository<decimal> balances, string account, decimal amount)
            {
                var balance = await balances.GetAsync(account);
                await [|balances.SaveAsync(account, balance + amount)|];
            }

            public async Task CountAsync(Repository<int> counts, string key)
            {
                var count = await counts.GetAsync(key);
                await [|counts.SaveAsync(key, count + 1)|];
            }

            public async Task VisitAsync(ICounterRepository visits, string page)
            {
                var current = await visits.GetAsync<int>(page);
                await [|visits.PutAsync(page, (current is null ? 0 : current.Value) + 1)|];
            }
        }
        """, Libraries);

    [Fact]
    public Task Lambda_and_When_Exists_are_still_reported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using StackExchange.Redis;

        class Quota
        {
            private IDatabase Db { get; }

            public Quota(IDatabase db) => Db = db;

            public Action Use(string user) => () =>
            {
                var used = (int)Db.StringGet(user);
                [|Db.StringSet(user, used * 2, when: When.Exists)|];
            };
        }
        """, Libraries);

    [Fact]
    public async Task Message_names_the_write_and_the_remedy()
    {
        var diagnostics = (await DiagnosticsAsync("""
            using StackExchange.Redis;
            using Microsoft.Extensions.Caching.Distributed;
            class C
            {
                void Redis(IDatabase db) { var v = (string?)db.StringGet("k"); db.StringSet("k", v + "!"); }
                void Hash(IDatabase db) { var v = (string?)db.HashGet("k", "f"); db.HashSet("k", "f", v + "!"); }
                void Cache(IDistributedCache c) { var v = c.GetString("k"); c.SetString("k", v + "!"); }
                void Counter(IDatabase db) { db.StringSet("k", (long)db.StringGet("k") + 1); }
            }
            """, Libraries)).Sort((a, b) => a.Location.SourceSpan.Start.CompareTo(b.Location.SourceSpan.Start));

        Assert.Collection(
            diagnostics,
            d => Assert.Equal("'db.StringSet(\"k\", v + \"!\")' writes back a value computed from an earlier read of the same key with no version or condition, so two nodes that read the same value both write and one update is lost; use a transaction with Condition.StringEqual and retry (confidence 90%)", d.GetMessage()),
            d => Assert.EndsWith("use a transaction with Condition.HashEqual and retry (confidence 90%)", d.GetMessage()),
            d => Assert.EndsWith("IDistributedCache has no conditional write, so keep this value in a store that has one (a Redis transaction, an ETag) (confidence 90%)", d.GetMessage()),
            d => Assert.EndsWith("use StringIncrement, which is atomic on the server (confidence 90%)", d.GetMessage()));
        Assert.Equal("https://github.com/DistributedReview/DistributedReview/blob/main/docs/rules/DR3001.md", diagnostics[0].Descriptor.HelpLinkUri);
        Assert.Equal("DistributedReview.Concurrency", diagnostics[0].Descriptor.Category);
    }

    [Theory]
    [InlineData("var v = (long)db.StringGet(\"k\"); db.StringSet(\"k\", v + 1);", 90)]
    [InlineData("var v = store.Get(\"k\"); store.Put(\"k\", v + 1);", 75)]
    public async Task Confidence_follows_the_evidence(string body, int confidence)
    {
        var source = $$"""
            using StackExchange.Redis;
            interface IStore { int Get(string key); void Put(string key, int value); bool CompareAndSwap(string key, int expected, int value); }
            class Evidence { void Run(IDatabase db, IStore store) { {{body}} } }
            """;
        var diagnostic = Assert.Single(await DiagnosticsAsync(source, Libraries));

        ConfidenceAssert.Has(diagnostic, confidence);
    }

    [Theory]
    [InlineData(null, 2)]
    [InlineData("distributed_review.min_confidence = 80", 1)]
    [InlineData("distributed_review.min_confidence = 95", 0)]
    public async Task Min_confidence_from_editorconfig_drops_weaker_findings(string? editorConfig, int expected)
    {
        const string source = """
            using StackExchange.Redis;
            interface IStore { int Get(string key); void Put(string key, int value); bool CompareAndSwap(string key, int expected, int value); }
            class Evidence { void Run(IDatabase db, IStore store) { db.StringSet("k", (long)db.StringGet("k") + 1); store.Put("k", store.Get("k") + 1); } }
            """;

        Assert.Equal(expected, (await DiagnosticsAsync(source, Libraries with { EditorConfig = editorConfig })).Length);
    }

    // ---- Left alone ------------------------------------------------------------------------------------

    [Fact]
    public Task Conditional_writes_transactions_and_atomic_ops_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;
        using Acme.Storage;
        using StackExchange.Redis;

        class Careful
        {
            void NotExists(IDatabase db)
            {
                var v = (long)db.StringGet("k");
                db.StringSet("k", v + 1, when: When.NotExists);
            }

            void Transaction(IDatabase db)
            {
                var old = db.StringGet("k");
                var tran = db.CreateTransaction();
                tran.AddCondition(Condition.StringEqual("k", old));
                tran.StringSetAsync("k", (long)old + 1);
                tran.Execute();
            }

            void SameTransactionWithoutCondition(IDatabase db)
            {
                var old = (long)db.StringGet("k");
                var tran = db.CreateTransaction();
                tran.StringSetAsync("k", old + 1);
                tran.Execute();
            }

            void Atomic(IDatabase db) => db.StringIncrement("k", 5);

            async Task ETag(IDocumentStore store)
            {
                var current = await store.GetAsync<int>("k");
                if (current is null) return;
                await store.PutAsync("k", current.Value + 1, current.ETag);
                await store.PutIfMatchAsync("k", current.Value + 1, current.ETag);
            }
        }
        """, Libraries);

    [Fact]
    public Task Writes_under_a_lock_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using RedLockNet;
        using StackExchange.Redis;

        class Locked
        {
            private readonly object _gate = new();
            private readonly SemaphoreSlim _semaphore = new(1);

            void Monitor(IDatabase db)
            {
                lock (_gate)
                {
                    db.StringSet("k", (long)db.StringGet("k") + 1);
                }
            }

            async Task Semaphore(IDatabase db)
            {
                await _semaphore.WaitAsync();
                try { db.StringSet("k", (long)db.StringGet("k") + 1); }
                finally { _semaphore.Release(); }
            }

            async Task Distributed(IDatabase db, IDistributedLockFactory locks)
            {
                using var redLock = await locks.CreateLockAsync("k", TimeSpan.FromSeconds(5));
                if (!redLock.IsAcquired) return;
                db.StringSet("k", (long)db.StringGet("k") + 1);
            }

            void RedisLock(IDatabase db)
            {
                if (!db.LockTake("lock:k", "me", TimeSpan.FromSeconds(5))) return;
                db.StringSet("k", (long)db.StringGet("k") + 1);
                db.LockRelease("lock:k", "me");
            }
        }
        """, Libraries with { AdditionalSources = Libraries.AdditionalSources.Add(RedLock.Source) });

    [Fact]
    public Task Other_keys_receivers_fields_and_unrelated_values_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using Acme.Storage;
        using StackExchange.Redis;

        class Unrelated
        {
            private long _cached;

            void OtherKey(IDatabase db, string a, string b) => db.StringSet(a, (long)db.StringGet(b) + 1);

            void OtherReceiver(IDatabase primary, IDatabase secondary) => primary.StringSet("k", (long)secondary.StringGet("k") + 1);

            void OtherField(IDatabase db) => db.HashSet("h", "a", (long)db.HashGet("h", "b") + 1);

            void Initialise(IDatabase db)
            {
                if (db.StringGet("k").IsNull) db.StringSet("k", 0);
            }

            void Load(IDatabase db) => _cached = (long)db.StringGet("k");

            void SaveFromField(IDatabase db) => db.StringSet("k", _cached + 1);

            void PlainStore(IPlainStore store) => store.Set("k", store.Get("k") + 1);
        }
        """, Libraries);

    [Fact]
    public async Task Half_typed_code_does_not_throw()
    {
        const string source = """
            using StackExchange.Redis;
            class C
            {
                void A(IDatabase db) { var v = db.StringGet(; db.StringSet("k", v + ); }
                void B(IDatabase db) => db.StringSet(db.StringGet("k"), (long)db.StringGet() + 1);
                void D(IDatabase db) { db.HashSet("h", , (long)db.HashGet("h", ) + 1); }
            }
            """;

        await DiagnosticsAsync(source, Libraries);
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(string source, TestOptions options)
    {
        var document = TestWorkspace.CreateDocument(source, options);
        return await Analysis.RunAsync(document.Project, ImmutableArray.Create<DiagnosticAnalyzer>(new UnversionedStoreUpdateOnly()));
    }
}
