using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using DistributedReview.Concurrency;
using DistributedReview.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using VerifyAnalyzer = DistributedReview.Tests.Verification.Verify<DistributedReview.Concurrency.NonAtomicConcurrentDictionaryUpdateAnalyzer>;
using VerifyCS = DistributedReview.Tests.Verification.Verify<DistributedReview.Concurrency.NonAtomicConcurrentDictionaryUpdateAnalyzer, DistributedReview.Concurrency.NonAtomicConcurrentDictionaryUpdateCodeFix>;

namespace DistributedReview.Tests.Concurrency;

/// <summary>DR3002: non-atomic update of a ConcurrentDictionary.</summary>
public class DR3002Tests
{
    private static readonly TestOptions NetStandard = new() { Target = TargetFramework.NetStandard20 };
    private static readonly TestOptions Net472 = new() { Target = TargetFramework.Net472 };

    // ---- Counters: d[k] += x, d[k]++, d[k] = d[k] + x ---------------------------------------------------

    [Fact]
    public Task Compound_add_on_a_field_becomes_AddOrUpdate() => VerifyCS.FixAsync("""
        using System.Collections.Concurrent;

        class RequestCounter
        {
            private readonly ConcurrentDictionary<string, long> _bytesByPeer = new();

            public void OnReceived(string peer, int bytes)
            {
                [|_bytesByPeer[peer] += bytes|];
            }
        }
        """, """
        using System.Collections.Concurrent;

        class RequestCounter
        {
            private readonly ConcurrentDictionary<string, long> _bytesByPeer = new();

            public void OnReceived(string peer, int bytes)
            {
                _bytesByPeer.AddOrUpdate(peer, bytes, (_, old) => old + bytes);
            }
        }
        """);

    [Fact]
    public Task Increment_on_a_property_becomes_AddOrUpdate() => VerifyCS.FixAsync("""
        using System.Collections.Concurrent;

        class HeartbeatCounts
        {
            public ConcurrentDictionary<int, int> Missed { get; } = new();

            public void OnMissed(int node) => [|Missed[node]++|];
        }
        """, """
        using System.Collections.Concurrent;

        class HeartbeatCounts
        {
            public ConcurrentDictionary<int, int> Missed { get; } = new();

            public void OnMissed(int node) => Missed.AddOrUpdate(node, 1, (_, old) => old + 1);
        }
        """);

    [Fact]
    public Task Decrement_statement_and_prefix_increment_used_as_a_value() => VerifyCS.FixAsync("""
        using System.Collections.Concurrent;

        class Leases
        {
            private readonly ConcurrentDictionary<string, int> _holders = new();

            public int Acquire(string resource) => [|++_holders[resource]|];

            public void Release(string resource)
            {
                [|_holders[resource]--|];
            }
        }
        """, """
        using System.Collections.Concurrent;

        class Leases
        {
            private readonly ConcurrentDictionary<string, int> _holders = new();

            public int Acquire(string resource) => _holders.AddOrUpdate(resource, 1, (_, old) => old + 1);

            public void Release(string resource)
            {
                _holders.AddOrUpdate(resource, -1, (_, old) => old - 1);
            }
        }
        """);

    [Fact]
    public Task Read_in_the_value_of_a_parameter_dictionary() => VerifyCS.FixAsync("""
        using System.Collections.Concurrent;

        static class Tally
        {
            public static void Add(ConcurrentDictionary<string, decimal> totals, string account, decimal amount)
            {
                [|totals[account] = totals[account] + amount|];
            }

            public static void Subtract(ConcurrentDictionary<string, decimal> totals, string account, decimal a, decimal b)
            {
                [|totals[account] -= a - b|];
            }
        }
        """, """
        using System.Collections.Concurrent;

        static class Tally
        {
            public static void Add(ConcurrentDictionary<string, decimal> totals, string account, decimal amount)
            {
                totals.AddOrUpdate(account, amount, (_, old) => old + amount);
            }

            public static void Subtract(ConcurrentDictionary<string, decimal> totals, string account, decimal a, decimal b)
            {
                totals.AddOrUpdate(account, -(a - b), (_, old) => old - (a - b));
            }
        }
        """);

    [Fact]
    public Task Lambda_parameter_names_avoid_locals_in_scope() => VerifyCS.FixAsync("""
        using System.Collections.Concurrent;

        class Scores
        {
            private readonly ConcurrentDictionary<string, int> _scores = new();

            public void Bump(string _, int old)
            {
                [|_scores[_] += old|];
            }
        }
        """, """
        using System.Collections.Concurrent;

        class Scores
        {
            private readonly ConcurrentDictionary<string, int> _scores = new();

            public void Bump(string _, int old)
            {
                _scores.AddOrUpdate(_, old, (key, current) => current + old);
            }
        }
        """);

    [Fact]
    public Task Captured_local_in_an_async_lambda() => VerifyCS.FixAsync("""
        using System.Collections.Concurrent;
        using System.Linq;
        using System.Threading.Tasks;

        class Crawler
        {
            public async Task<ConcurrentDictionary<string, int>> CountAsync(string[] hosts)
            {
                var perHost = new ConcurrentDictionary<string, int>();
                await Task.WhenAll(hosts.Select(async host =>
                {
                    await Task.Yield();
                    [|perHost[host] += 1|];
                }));
                return perHost;
            }
        }
        """, """
        using System.Collections.Concurrent;
        using System.Linq;
        using System.Threading.Tasks;

        class Crawler
        {
            public async Task<ConcurrentDictionary<string, int>> CountAsync(string[] hosts)
            {
                var perHost = new ConcurrentDictionary<string, int>();
                await Task.WhenAll(hosts.Select(async host =>
                {
                    await Task.Yield();
                    perHost.AddOrUpdate(host, 1, (_, old) => old + 1);
                }));
                return perHost;
            }
        }
        """);

    [Fact]
    public Task Works_on_older_frameworks_and_with_an_alias() => VerifyCS.FixAsync("""
        using Map = System.Collections.Concurrent.ConcurrentDictionary<string, int>;

        class Counter
        {
            private readonly Map _counts = new Map();

            public void Hit(string key) { [|_counts[key]++|]; }
        }
        """, """
        using Map = System.Collections.Concurrent.ConcurrentDictionary<string, int>;

        class Counter
        {
            private readonly Map _counts = new Map();

            public void Hit(string key) { _counts.AddOrUpdate(key, 1, (_, old) => old + 1); }
        }
        """, NetStandard);

    // ---- TryGetValue then write ----------------------------------------------------------------------

    [Fact]
    public Task TryGetValue_with_else_becomes_AddOrUpdate() => VerifyCS.FixAsync("""
        using System;
        using System.Collections.Concurrent;

        class PeerStats
        {
            private readonly ConcurrentDictionary<string, TimeSpan> _worstLatency = new();

            public void Record(string peer, TimeSpan latency)
            {
                if (_worstLatency.TryGetValue(peer, out var worst))
                {
                    [|_worstLatency[peer] = latency > worst ? latency : worst|];
                }
                else
                {
                    _worstLatency[peer] = latency;
                }
            }
        }
        """, """
        using System;
        using System.Collections.Concurrent;

        class PeerStats
        {
            private readonly ConcurrentDictionary<string, TimeSpan> _worstLatency = new();

            public void Record(string peer, TimeSpan latency)
            {
                _worstLatency.AddOrUpdate(peer, latency, (_, worst) => latency > worst ? latency : worst);
            }
        }
        """, Net472);

    [Fact]
    public Task Negated_TryGetValue_with_else_becomes_AddOrUpdate() => VerifyCS.FixAsync("""
        using System.Collections.Concurrent;

        class Versions
        {
            private readonly ConcurrentDictionary<string, long> _versions = new();

            public void Bump(string key)
            {
                if (!_versions.TryGetValue(key, out var version)) _versions[key] = 1;
                else [|_versions[key] = version + 1|];
            }
        }
        """, """
        using System.Collections.Concurrent;

        class Versions
        {
            private readonly ConcurrentDictionary<string, long> _versions = new();

            public void Bump(string key)
            {
                _versions.AddOrUpdate(key, 1, (_, version) => version + 1);
            }
        }
        """);

    [Fact]
    public Task TryGetValue_without_else_becomes_a_TryUpdate_loop_that_never_adds() => VerifyCS.FixAsync("""
        using System.Collections.Concurrent;

        class Balances
        {
            private readonly ConcurrentDictionary<string, decimal> _balances = new();

            public void Deposit(string account, decimal amount)
            {
                // Unknown accounts are ignored.
                if (_balances.TryGetValue(account, out var balance))
                {
                    [|_balances[account] = balance + amount|];
                }
            }

            public void Withdraw(string account, decimal amount)
            {
                if (_balances.TryGetValue(account, out decimal balance) && balance >= amount) [|_balances[account] = balance - amount|];
            }
        }
        """, """
        using System.Collections.Concurrent;

        class Balances
        {
            private readonly ConcurrentDictionary<string, decimal> _balances = new();

            public void Deposit(string account, decimal amount)
            {
                // Unknown accounts are ignored.
                while (_balances.TryGetValue(account, out var balance) && !_balances.TryUpdate(account, balance + amount, balance)) { }
            }

            public void Withdraw(string account, decimal amount)
            {
                while (_balances.TryGetValue(account, out decimal balance) && balance >= amount && !_balances.TryUpdate(account, balance - amount, balance)) { }
            }
        }
        """);

    [Fact]
    public Task Present_key_guards_become_TryUpdate_loops() => VerifyCS.FixAsync("""
        using System;
        using System.Collections.Concurrent;

        class Sessions
        {
            private readonly ConcurrentDictionary<string, string> _users = new();
            private readonly ConcurrentDictionary<string, int> _hits = new();

            public void Rename(string id, string user)
            {
                if (_users.ContainsKey(id) && user.Length > 0)
                {
                    [|_users[id] = user|];
                }
            }

            public void Hit(string id)
            {
                if (_hits.ContainsKey(id)) [|_hits[id] += 1|];
                if (_hits.TryGetValue(id, out _)) [|_hits[id]++|];
            }

            public void Cap(string id, int max)
            {
                if (_hits.ContainsKey(id) && _hits[id] > max) [|_hits[id] = Math.Min(_hits[id], max)|];
            }
        }
        """, """
        using System;
        using System.Collections.Concurrent;

        class Sessions
        {
            private readonly ConcurrentDictionary<string, string> _users = new();
            private readonly ConcurrentDictionary<string, int> _hits = new();

            public void Rename(string id, string user)
            {
                while (_users.TryGetValue(id, out var current) && user.Length > 0 && !_users.TryUpdate(id, user, current)) { }
            }

            public void Hit(string id)
            {
                while (_hits.TryGetValue(id, out var current) && !_hits.TryUpdate(id, current + 1, current)) { }
                while (_hits.TryGetValue(id, out var current) && !_hits.TryUpdate(id, current + 1, current)) { }
            }

            public void Cap(string id, int max)
            {
                while (_hits.TryGetValue(id, out var current) && current > max && !_hits.TryUpdate(id, Math.Min(current, max), current)) { }
            }
        }
        """);

    [Fact]
    public Task Writes_after_a_present_check_become_TryUpdate_loops() => VerifyCS.FixAsync("""
        using System.Collections.Concurrent;

        class Leases
        {
            private readonly ConcurrentDictionary<string, long> _expiry = new();

            public void Extend(string lease, long by)
            {
                if (!_expiry.ContainsKey(lease)) return;
                [|_expiry[lease] = _expiry[lease] + by|];
            }

            public void Double(string lease, System.Action log)
            {
                if (_expiry.ContainsKey(lease))
                {
                    log();
                    [|_expiry[lease] *= 2|];
                }
            }
        }
        """, """
        using System.Collections.Concurrent;

        class Leases
        {
            private readonly ConcurrentDictionary<string, long> _expiry = new();

            public void Extend(string lease, long by)
            {
                if (!_expiry.ContainsKey(lease)) return;
                while (_expiry.TryGetValue(lease, out var current) && !_expiry.TryUpdate(lease, current + by, current)) { }
            }

            public void Double(string lease, System.Action log)
            {
                if (_expiry.ContainsKey(lease))
                {
                    log();
                    while (_expiry.TryGetValue(lease, out var current) && !_expiry.TryUpdate(lease, current * 2, current)) { }
                }
            }
        }
        """, NetStandard);

    [Fact]
    public Task ContainsKey_with_an_add_branch_becomes_AddOrUpdate() => VerifyCS.FixAsync("""
        using System.Collections.Concurrent;

        class Window
        {
            private readonly ConcurrentDictionary<int, int> _hits = new();

            public void Hit(int slot)
            {
                if (_hits.ContainsKey(slot))
                {
                    [|_hits[slot] = _hits[slot] * 2|];
                }
                else
                {
                    _hits[slot] = 1;
                }
            }
        }
        """, """
        using System.Collections.Concurrent;

        class Window
        {
            private readonly ConcurrentDictionary<int, int> _hits = new();

            public void Hit(int slot)
            {
                _hits.AddOrUpdate(slot, 1, (_, old) => old * 2);
            }
        }
        """);

    [Fact]
    public Task Read_through_locals_and_unclear_guards_are_reported_without_fix() => VerifyCS.NoFixAsync("""
        using System.Collections.Concurrent;

        class Balances
        {
            private readonly ConcurrentDictionary<string, decimal> _balances = new();

            public void Withdraw(string account, decimal amount)
            {
                var current = _balances[account];
                var next = current - amount;
                [|_balances[account] = next|];
            }

            public void Touch(string account)
            {
                var stock = _balances.GetOrAdd(account, 0m);
                [|_balances[account] = stock * 2|];
            }

            public void Stale(string account)
            {
                var before = _balances[account];
                [|_balances[account] = _balances[account] * 2 - before|];
            }

            public void Either(string account, bool force)
            {
                if (_balances.ContainsKey(account) || force) [|_balances[account] = _balances[account] * 2|];
            }

            public void Guarded(string account)
            {
                if (_balances.TryGetValue(account, out var balance))
                {
                    System.Console.WriteLine(balance);
                    [|_balances[account] = balance * 2|];
                }
            }

            public void Unconditional(string account)
            {
                _balances.TryGetValue(account, out var balance);
                [|_balances[account] = balance + 1|];
            }

            public void UsedAfter(string account)
            {
                if (_balances.TryGetValue(account, out var balance)) [|_balances[account] = balance * 2|];
                System.Console.WriteLine(balance);
            }
        }
        """);

    // ---- Check then act ------------------------------------------------------------------------------

    [Fact]
    public Task Missing_key_guard_becomes_TryAdd() => VerifyCS.FixAsync("""
        using System.Collections.Concurrent;

        class Registry
        {
            private readonly ConcurrentDictionary<string, string> _owners = new();

            public void Claim(string resource, string node)
            {
                if (!_owners.ContainsKey(resource))
                    [|_owners[resource] = node|];
            }

            public void ClaimOrLeave(string resource, string node)
            {
                if (_owners.ContainsKey(resource)) return;
                [|_owners[resource] = node|];
            }
        }
        """, """
        using System.Collections.Concurrent;

        class Registry
        {
            private readonly ConcurrentDictionary<string, string> _owners = new();

            public void Claim(string resource, string node)
            {
                _owners.TryAdd(resource, node);
            }

            public void ClaimOrLeave(string resource, string node)
            {
                if (_owners.ContainsKey(resource)) return;
                _owners.TryAdd(resource, node);
            }
        }
        """);

    [Fact]
    public Task Missing_key_guard_with_a_created_value_becomes_GetOrAdd() => VerifyCS.FixAsync("""
        using System.Collections.Concurrent;

        class Connection { public Connection(string host) { } }

        class Pool
        {
            private readonly ConcurrentDictionary<string, Connection> _connections = new();

            private static Connection Open(string host) => new Connection(host);

            public Connection Get(string host)
            {
                if (!_connections.ContainsKey(host))
                {
                    [|_connections[host] = Open(host)|];
                }

                return _connections[host];
            }
        }
        """, """
        using System.Collections.Concurrent;

        class Connection { public Connection(string host) { } }

        class Pool
        {
            private readonly ConcurrentDictionary<string, Connection> _connections = new();

            private static Connection Open(string host) => new Connection(host);

            public Connection Get(string host)
            {
                _connections.GetOrAdd(host, _ => Open(host));

                return _connections[host];
            }
        }
        """);

    [Fact]
    public Task Update_and_add_branches_of_one_check_are_reported_once() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Concurrent;

        class Window
        {
            private readonly ConcurrentDictionary<int, int> _hits = new();

            public void Hit(int slot)
            {
                if (_hits.ContainsKey(slot))
                {
                    [|_hits[slot] = _hits[slot] + 1|];
                }
                else
                {
                    _hits[slot] = 1;
                }
            }
        }
        """);

    [Fact]
    public Task Static_dictionary_with_using_static_and_a_constant_key() => VerifyCS.FixAsync("""
        using System.Collections.Concurrent;
        using static Registry;

        static class Registry
        {
            public static readonly ConcurrentDictionary<string, int> Counts = new();
        }

        class Node
        {
            const string Total = "total";

            void Count() => [|Counts[Total] = Counts[Total] + 2|];
        }
        """, """
        using System.Collections.Concurrent;
        using static Registry;

        static class Registry
        {
            public static readonly ConcurrentDictionary<string, int> Counts = new();
        }

        class Node
        {
            const string Total = "total";

            void Count() => Counts.AddOrUpdate(Total, 2, (_, old) => old + 2);
        }
        """);

    // ---- Other updates of the old value: a TryUpdate loop that throws for an absent key like the original ------

    [Fact]
    public Task Other_updates_become_TryUpdate_loops_that_read_with_the_indexer() => VerifyCS.FixAsync("""
        using System;
        using System.Collections.Concurrent;

        record Stats(int Count, TimeSpan Worst);

        class PeerMonitor
        {
            private readonly ConcurrentDictionary<string, TimeSpan> _worst = new();
            private readonly ConcurrentDictionary<string, int> _flags = new();
            private readonly ConcurrentDictionary<string, Stats> _stats = new();
            private readonly ConcurrentDictionary<string, uint> _credits = new();

            public void Record(string peer, TimeSpan latency, int flag)
            {
                [|_worst[peer] = Math.Max(_worst[peer].Ticks, latency.Ticks) == latency.Ticks ? latency : _worst[peer]|];
                [|_worst[peer] += latency|];
                [|_flags[peer] |= flag|];
                [|_flags[peer] = _flags[peer] * 2|];
                [|_stats[peer] = _stats[peer] with { Count = _stats[peer].Count + 1 }|];
                [|_credits[peer]--|];
            }
        }
        """, """
        using System;
        using System.Collections.Concurrent;

        record Stats(int Count, TimeSpan Worst);

        class PeerMonitor
        {
            private readonly ConcurrentDictionary<string, TimeSpan> _worst = new();
            private readonly ConcurrentDictionary<string, int> _flags = new();
            private readonly ConcurrentDictionary<string, Stats> _stats = new();
            private readonly ConcurrentDictionary<string, uint> _credits = new();

            public void Record(string peer, TimeSpan latency, int flag)
            {
                for (var current = _worst[peer]; !_worst.TryUpdate(peer, Math.Max(current.Ticks, latency.Ticks) == latency.Ticks ? latency : current, current); current = _worst[peer]) { }
                for (var current = _worst[peer]; !_worst.TryUpdate(peer, current + latency, current); current = _worst[peer]) { }
                for (var current = _flags[peer]; !_flags.TryUpdate(peer, current | flag, current); current = _flags[peer]) { }
                for (var current = _flags[peer]; !_flags.TryUpdate(peer, current * 2, current); current = _flags[peer]) { }
                for (var current = _stats[peer]; !_stats.TryUpdate(peer, current with { Count = current.Count + 1 }, current); current = _stats[peer]) { }
                for (var current = _credits[peer]; !_credits.TryUpdate(peer, current - 1, current); current = _credits[peer]) { }
            }
        }
        """);

    [Fact]
    public Task Loop_variable_avoids_names_in_the_member_and_lambdas_are_not_needed() => VerifyCS.FixAsync("""
        using System.Collections.Concurrent;

        struct Meter
        {
            private int _step;
            private readonly ConcurrentDictionary<string, int> _counts;

            public Meter(ConcurrentDictionary<string, int> counts) { _counts = counts; _step = 1; }

            public void Add(string key) { [|_counts[key] += _step|]; }

            public void AddRef(string key, ref int amount) { [|_counts[key] += amount|]; }

            public void Scale(string key, int current) { [|_counts[key] = _counts[key] * current|]; }

            public void Triple(string key)
            {
                [|_counts[key] *= 3|];
                var current = _step;
                _step = current + 1;
            }
        }
        """, """
        using System.Collections.Concurrent;

        struct Meter
        {
            private int _step;
            private readonly ConcurrentDictionary<string, int> _counts;

            public Meter(ConcurrentDictionary<string, int> counts) { _counts = counts; _step = 1; }

            public void Add(string key) { for (var current = _counts[key]; !_counts.TryUpdate(key, current + _step, current); current = _counts[key]) { } }

            public void AddRef(string key, ref int amount) { for (var current = _counts[key]; !_counts.TryUpdate(key, current + amount, current); current = _counts[key]) { } }

            public void Scale(string key, int current) { for (var current2 = _counts[key]; !_counts.TryUpdate(key, current2 * current, current2); current2 = _counts[key]) { } }

            public void Triple(string key)
            {
                for (var current2 = _counts[key]; !_counts.TryUpdate(key, current2 * 3, current2); current2 = _counts[key]) { }
                var current = _step;
                _step = current + 1;
            }
        }
        """, Net472);

    // ---- No fix where the value cannot be computed again ------------------------------------------------------

    [Fact]
    public Task No_fix_for_side_effects_awaits_used_postfix_values_computed_keys_or_expression_bodies() => VerifyCS.NoFixAsync("""
        using System.Collections.Concurrent;
        using System.Threading.Tasks;

        class Meter
        {
            private int _step;
            private readonly ConcurrentDictionary<string, int> _counts = new();
            private readonly ConcurrentDictionary<string, string> _names = new();

            public void AddNext(string key) { [|_counts[key] += Next()|]; }

            public void Merge(string key) { [|_counts[key] = Combine(_counts[key])|]; }

            public void Guarded(string key) { if (_counts.ContainsKey(key)) [|_counts[key] *= Next()|]; }

            public async Task AddLater(string key) { [|_counts[key] = _counts[key] * await Task.FromResult(2)|]; }

            public int Previous(string key) => [|_counts[key]++|];

            public void Computed() { [|_counts[Key()] *= 2|]; }

            public void Arrow(string key) => [|_counts[key] *= 2|];

            public void Rename(string key) { [|_names[key] = _names[key].Trim()|]; }

            private int Next() => _step++;

            private int Combine(int value) => value + _step++;

            private string Key() => "k" + _step++;
        }
        """);

    [Fact]
    public Task No_fix_for_other_value_types() => VerifyCS.NoFixAsync("""
        using System.Collections.Concurrent;

        class Flags
        {
            private readonly ConcurrentDictionary<string, byte> _small = new();
            private readonly ConcurrentDictionary<string, short> _short = new();

            public void Set(string key) { [|_small[key] += 1|]; [|_short[key]--|]; }
        }
        """);

    [Fact]
    public Task Fix_all_rewrites_loops_and_AddOrUpdate_side_by_side() => VerifyCS.FixAsync("""
        using System.Collections.Concurrent;

        class Metrics
        {
            private readonly ConcurrentDictionary<string, int> _requests = new();
            private readonly ConcurrentDictionary<string, long> _bytes = new();

            public void Record(string peer, long size)
            {
                [|_requests[peer]++|];
                [|_bytes[peer] *= size|];
                if (_requests.ContainsKey(peer)) [|_requests[peer] -= 2|];
                [|_bytes[peer] = _bytes[peer] / 2|];
            }
        }
        """, """
        using System.Collections.Concurrent;

        class Metrics
        {
            private readonly ConcurrentDictionary<string, int> _requests = new();
            private readonly ConcurrentDictionary<string, long> _bytes = new();

            public void Record(string peer, long size)
            {
                _requests.AddOrUpdate(peer, 1, (_, old) => old + 1);
                for (var current = _bytes[peer]; !_bytes.TryUpdate(peer, current * size, current); current = _bytes[peer]) { }
                while (_requests.TryGetValue(peer, out var current) && !_requests.TryUpdate(peer, current - 2, current)) { }
                for (var current = _bytes[peer]; !_bytes.TryUpdate(peer, current / 2, current); current = _bytes[peer]) { }
            }
        }
        """);

    // ---- Left alone ----------------------------------------------------------------------------------

    [Fact]
    public Task Atomic_operations_and_TryUpdate_loops_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Concurrent;

        class Atomic
        {
            private readonly ConcurrentDictionary<string, int> _counts = new();

            public void Add(string key)
            {
                _counts.AddOrUpdate(key, 1, (_, old) => old + 1);
                _counts.GetOrAdd(key, 0);
                _counts.TryAdd(key, 0);
                while (true)
                {
                    var current = _counts.GetOrAdd(key, 0);
                    if (_counts.TryUpdate(key, current + 1, current)) break;
                }
            }
        }
        """);

    [Fact]
    public Task Plain_overwrites_and_other_keys_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Concurrent;

        class Overwrites
        {
            private readonly ConcurrentDictionary<string, int> _counts = new();
            private readonly ConcurrentDictionary<string, int> _other = new();

            public void Set(string key, string otherKey, int value)
            {
                _counts[key] = 0;
                _counts[key] = value;
                _counts[key] = _counts[otherKey] + 1;
                _counts[key] = _other[key] + 1;
                _other.TryGetValue(key, out var fromOther);
                _counts[key] = fromOther;
                if (!_other.ContainsKey(key)) _counts[key] = value;
            }
        }
        """);

    [Fact]
    public Task Code_under_a_lock_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Threading.Tasks;

        class Locked
        {
            private readonly object _gate = new();
            private readonly SemaphoreSlim _semaphore = new(1, 1);
            private readonly ConcurrentDictionary<string, int> _counts = new();

            public void Add(string key)
            {
                lock (_gate)
                {
                    _counts[key]++;
                    if (!_counts.ContainsKey(key)) _counts[key] = 1;
                }
            }

            public async Task AddAsync(string key)
            {
                await _semaphore.WaitAsync();
                try { _counts[key] += 2; }
                finally { _semaphore.Release(); }
            }

            public void AddMonitor(string key)
            {
                Monitor.Enter(_gate);
                try { _counts[key] = _counts[key] + 1; }
                finally { Monitor.Exit(_gate); }
            }
        }
        """);

    [Fact]
    public Task Plain_Dictionary_and_look_alikes_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;

        namespace Other { class ConcurrentDictionary<TKey, TValue> : Dictionary<TKey, TValue> where TKey : notnull { } }

        class NotConcurrent
        {
            private readonly Dictionary<string, int> _counts = new();
            private readonly Other.ConcurrentDictionary<string, int> _lookAlike = new();

            public void Add(string key)
            {
                _counts[key]++;
                _counts[key] = _counts[key] + 1;
                _lookAlike[key] += 1;
                IDictionary<string, int> view = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
                view[key]++;
            }
        }
        """);

    [Fact]
    public async Task Half_typed_code_does_not_throw()
    {
        var diagnostics = await DiagnosticsAsync("""
            using System.Collections.Concurrent;
            class Broken
            {
                private readonly ConcurrentDictionary<string, int> _counts = new();
                public void Add(string key)
                {
                    _counts[] += 1;
                    if (!_counts.ContainsKey()) _counts[key] = ;
                    _counts[key, key]++;
                    if (_counts.TryGetValue(key, out var v)) _counts[key] = v +
                }
            }
            """, TestOptions.Default);

        Assert.All(diagnostics, d => Assert.Equal(RuleIds.NonAtomicConcurrentDictionaryUpdate, d.Id));
    }

    // ---- Confidence ------------------------------------------------------------------------------------

    [Theory]
    [InlineData("void M(string k) { _d[k]++; }", 90)]
    [InlineData("void M(string k) { if (_d.TryGetValue(k, out var v)) _d[k] = v + 1; }", 85)]
    [InlineData("void M(string k) { if (!_d.ContainsKey(k)) _d[k] = 1; }", 80)]
    [InlineData("void M(string k) { if (_d.ContainsKey(k)) _d[k] = 1; }", 75)]
    [InlineData("void M(string k) { var d = new ConcurrentDictionary<string, int>(); d[k]++; }", 60)]
    [InlineData("void M(string k) { var d = new ConcurrentDictionary<string, int>(); System.Threading.Tasks.Parallel.For(0, 9, i => d[k]++); }", 90)]
    public async Task Confidence_follows_the_evidence(string member, int confidence)
    {
        var diagnostic = Assert.Single(await DiagnosticsAsync($$"""
            using System.Collections.Concurrent;
            class Evidence { private readonly ConcurrentDictionary<string, int> _d = new(); {{member}} }
            """, TestOptions.Default));

        ConfidenceAssert.Has(diagnostic, confidence);
    }

    [Fact]
    public async Task Local_dictionary_not_shared_falls_below_a_raised_minimum()
    {
        const string source = """
            using System.Collections.Concurrent;
            class Evidence { void M(string k) { var d = new ConcurrentDictionary<string, int>(); d[k]++; } }
            """;

        Assert.Empty(await DiagnosticsAsync(source, new TestOptions { EditorConfig = "distributed_review.min_confidence = 70" }));
    }

    [Fact]
    public async Task Diagnostic_message_and_docs_link()
    {
        var diagnostic = Assert.Single(await DiagnosticsAsync("""
            using System.Collections.Concurrent;
            class C { ConcurrentDictionary<string, int> _d = new(); void M(string k) => _d[k] += 2; }
            """, TestOptions.Default));

        Assert.Equal("https://github.com/DistributedReview/DistributedReview/blob/main/docs/rules/DR3002.md", diagnostic.Descriptor.HelpLinkUri);
        Assert.Equal("DistributedReview.Concurrency", diagnostic.Descriptor.Category);
        Assert.Contains("Impact=Critical", diagnostic.Descriptor.CustomTags);
        Assert.Equal("'_d[k] += 2' reads and then writes a ConcurrentDictionary entry in two steps, so concurrent updates of the same key are lost; use AddOrUpdate, GetOrAdd, TryAdd or a TryUpdate loop (confidence 90%)", diagnostic.GetMessage());
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(string source, TestOptions options)
    {
        var document = TestWorkspace.CreateDocument(source, options);
        var diagnostics = await Analysis.RunAsync(document.Project, ImmutableArray.Create<DiagnosticAnalyzer>(new NonAtomicConcurrentDictionaryUpdateAnalyzer()));
        return diagnostics.Where(d => d.Id == RuleIds.NonAtomicConcurrentDictionaryUpdate).ToImmutableArray();
    }
}
