using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using DistributedReview.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DistributedReview.Tests.Catalog;

/// <summary>
/// A valid C# program written with an unusual construct, with the shapes the rules look at (wall-clock intervals,
/// quorum halves, <c>ConcurrentDictionary</c> and <c>Interlocked</c> updates, retries around <c>HttpClient</c>,
/// <c>Stopwatch</c> ticks, <c>Environment.TickCount</c>, store calls) written inside that construct.
/// </summary>
/// <param name="Name">The construct, for messages.</param>
/// <param name="Source">The first file (<see cref="TestWorkspace.TestFilePath"/>).</param>
/// <param name="Options">Language version, output kind, nullable context and further files (partial halves, global usings).</param>
/// <param name="Expected">Rule IDs that must be reported in the program: detection survives the construct.</param>
/// <remarks>Every program also references <see cref="StandInLibrary"/> (StackExchange.Redis, RedLock.net, ...).</remarks>
public sealed record UnusualProgram(string Name, string Source, TestOptions Options, ImmutableArray<string> Expected)
{
    public override string ToString() => Name;
}

/// <summary>The generated set of unusual-but-valid programs (issue 7, part 2c).</summary>
public static class UnusualCode
{
    public static IReadOnlyList<UnusualProgram> All { get; } = Create().ToList();

    private static UnusualProgram Program(string name, string source, params string[] expected) =>
        new(name, source, TestOptions.Default, expected.ToImmutableArray());

    private static UnusualProgram WithFiles(UnusualProgram program, params string[] files) =>
        program with { Options = program.Options with { AdditionalSources = files.ToImmutableArray() } };

    private static IEnumerable<UnusualProgram> Create()
    {
        yield return Program("top-level statements", """
            using System;
            using System.Collections.Concurrent;
            using System.Diagnostics;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;
            using StackExchange.Redis;

            var start = DateTime.UtcNow;
            Work();
            var elapsed = DateTime.UtcNow - start;
            Console.WriteLine(elapsed);

            var stopwatch = Stopwatch.StartNew();
            Work();
            Console.WriteLine(TimeSpan.FromTicks(stopwatch.ElapsedTicks));

            int deadline = Environment.TickCount + 1000;
            while (Environment.TickCount < deadline)
            {
                Thread.Sleep(1);
            }

            var views = new ConcurrentDictionary<string, long>();
            views["home"] += 1;

            var http = new HttpClient();
            for (var attempt = 0; attempt < 5; attempt++)
            {
                try
                {
                    Console.WriteLine(await http.GetStringAsync("http://peer/"));
                    break;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
            }

            await BumpAsync(null!, "home");
            return args.Length;

            static void Work() { }

            static async Task BumpAsync(IDatabase db, string page)
            {
                var hits = (long)await db.StringGetAsync("hits:" + page);
                await db.StringSetAsync("hits:" + page, hits + 1);
            }
            """, "DR1001", "DR1003", "DR1004") with { Options = TestOptions.Default with { OutputKind = OutputKind.ConsoleApplication } };

        yield return Program("record with a primary constructor", """
            using System;
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Threading;

            public record PeerStats(ConcurrentDictionary<string, long> BytesByPeer, IReadOnlyList<string> Members)
            {
                private DateTime _lastHeartbeat = DateTime.UtcNow;
                private int _inFlight;

                public int Quorum => Members.Count / 2;

                public void OnReceived(string peer, int bytes) => BytesByPeer[peer] += bytes;

                public void OnHeartbeat() => _lastHeartbeat = DateTime.UtcNow;

                public bool IsSuspected(TimeSpan timeout) => DateTime.UtcNow - _lastHeartbeat > timeout;

                public void Start() => Interlocked.Increment(ref _inFlight);

                public void Finish() => _inFlight--;

                public bool HasQuorum(int votes) => votes >= Quorum;
            }

            public readonly record struct Lease(DateTime GrantedAt, TimeSpan Duration)
            {
                public bool IsValid => DateTime.UtcNow - GrantedAt < Duration;
            }

            public sealed record class Measured(string Name)
            {
                public TimeSpan Run(Action work)
                {
                    var start = DateTime.UtcNow;
                    work();
                    return DateTime.UtcNow - start;
                }
            }
            """, "DR1001", "DR2001", "DR3002", "DR3003");

        yield return Program("class and struct primary constructors", """
            using System;
            using System.Collections.Concurrent;
            using System.Net.Http;
            using System.Threading.Tasks;

            public class PeerClient(HttpClient http, ConcurrentDictionary<string, int> failures)
            {
                public async Task<string> FetchAsync(string url)
                {
                    while (true)
                    {
                        try
                        {
                            return await http.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            failures[url] = failures[url] + 1;
                            await Task.Delay(100);
                        }
                    }
                }
            }

            public struct Timer(DateTime startedAt)
            {
                public TimeSpan Elapsed => DateTime.UtcNow - startedAt;
            }
            """, "DR3002", "DR4002");

        yield return Program("local functions", """
            using System;
            using System.Collections.Concurrent;
            using System.Diagnostics;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;

            class Coordinator
            {
                private readonly ConcurrentDictionary<string, int> _votes = new();
                private readonly HttpClient _http = new();
                private int _generation;

                public async Task<TimeSpan> RunAsync(string url, int members)
                {
                    var start = DateTime.UtcNow;
                    await FetchWithRetryAsync();
                    Vote("a");
                    var quorum = Majority();
                    Interlocked.Increment(ref _generation);
                    return Elapsed();

                    TimeSpan Elapsed() => DateTime.UtcNow - start;

                    int Majority() => members / 2;

                    void Vote(string candidate)
                    {
                        _votes[candidate] = _votes[candidate] + 1;
                        _generation++;
                    }

                    async Task<string> FetchWithRetryAsync()
                    {
                        for (var attempt = 0; ; attempt++)
                        {
                            try
                            {
                                return await _http.GetStringAsync(url);
                            }
                            catch (HttpRequestException) when (attempt < 3)
                            {
                                await Task.Delay(500);
                            }
                        }
                    }

                    static long Ticks(Stopwatch sw) => new TimeSpan(sw.ElapsedTicks).Ticks;
                }
            }
            """, "DR1001", "DR3002");

        yield return Program("switch expressions and patterns", """
            using System;
            using System.Collections.Concurrent;
            using System.Collections.Generic;

            enum Role { Follower, Candidate, Leader }

            class Node
            {
                private readonly List<string> _members = new();
                private readonly ConcurrentDictionary<string, int> _terms = new();
                private DateTime _electionStarted = DateTime.UtcNow;
                private DateTime _roleSince = DateTime.UtcNow;
                private Role _role;

                public int Majority => _members switch
                {
                    [] => 0,
                    [_] => 1,
                    { Count: > 1 and var count } => count / 2,
                    _ => throw new InvalidOperationException(),
                };

                public int Quorum => _role switch
                {
                    Role.Leader or Role.Candidate => _members.Count / 2,
                    _ => 0,
                };

                public TimeSpan InRole => _role switch
                {
                    Role.Candidate or Role.Leader => DateTime.UtcNow - _roleSince,
                    _ => TimeSpan.Zero,
                };

                private int _quorum;

                public void OnRoleChanged(Role role)
                {
                    switch (role)
                    {
                        case Role.Leader when _members.Count > 0:
                            _quorum = _members.Count / 2;
                            break;
                        case Role.Follower or Role.Candidate:
                            _quorum = 0;
                            break;
                    }
                }

                public bool HasQuorum(int votes) => votes >= Quorum && votes >= _quorum;

                public void Observe(object message)
                {
                    switch (message)
                    {
                        case string peer when peer.Length > 0:
                            _terms[peer] = _terms[peer] + 1;
                            break;
                        case (string peer, int term) when term > 0:
                            _terms[peer] += term;
                            break;
                        case DateTime { Year: > 2000 } stamp:
                            _electionStarted = stamp;
                            break;
                    }
                }

                public bool Expired(TimeSpan timeout) => (DateTime.UtcNow - _electionStarted) is var waited && waited > timeout;
            }
            """, "DR1001", "DR2001", "DR3002");

        yield return Program("dynamic", """
            using System;
            using System.Collections.Concurrent;

            class DynamicNode
            {
                private readonly ConcurrentDictionary<string, int> _counts = new();
                private DateTime _last = DateTime.UtcNow;

                public object Report(dynamic cluster)
                {
                    int members = cluster.Members.Count;
                    int quorum = members / 2;
                    dynamic elapsed = DateTime.UtcNow - _last;
                    _counts[(string)cluster.Name] = _counts[(string)cluster.Name] + 1;
                    string name = cluster.Name;
                    _counts[name] = _counts[name] + 1;
                    cluster.Record(DateTime.UtcNow - _last);
                    dynamic half = cluster.Size / 2;
                    return new { quorum, elapsed, half };
                }

                public TimeSpan Since(dynamic stamp) => DateTime.UtcNow - (DateTime)stamp;
            }
            """, "DR1001", "DR2001", "DR3002");

        yield return Program("unsafe code", """
            using System;
            using System.Collections.Concurrent;
            using System.Threading;

            unsafe class Ring
            {
                private int _head;
                private long _ticksAtStart = DateTime.UtcNow.Ticks;
                private readonly ConcurrentDictionary<int, int> _slots = new();

                public void Push(int* values, int length)
                {
                    Interlocked.Increment(ref _head);
                    for (var i = 0; i < length; i++)
                    {
                        _slots[i] = _slots[i] + values[i];
                    }

                    _head--;
                }

                public TimeSpan Measure()
                {
                    var start = DateTime.UtcNow;
                    int* buffer = stackalloc int[16];
                    fixed (long* ticks = &_ticksAtStart)
                    {
                        *ticks = DateTime.UtcNow.Ticks;
                        buffer[0] = (int)*ticks;
                    }

                    return DateTime.UtcNow - start;
                }

                public static int Quorum(int* members) => *members / 2;
            }
            """, "DR1001", "DR3002", "DR3003");

        yield return WithFiles(Program("partial types across two files", """
            using System;
            using System.Collections.Concurrent;
            using System.Threading;

            partial class Membership
            {
                private int _inFlight;
                private readonly ConcurrentDictionary<string, int> _seen = new();
                private DateTime _joined = DateTime.UtcNow;

                public void Begin() => Interlocked.Increment(ref _inFlight);

                public partial TimeSpan Uptime();

                partial void OnSeen(string peer);
            }
            """, "DR1001", "DR3002", "DR3003"), """
            using System;
            using System.Collections.Generic;

            partial class Membership
            {
                private readonly List<string> _members = new();

                public void End() => _inFlight--;

                public partial TimeSpan Uptime() => DateTime.UtcNow - _joined;

                partial void OnSeen(string peer) => _seen[peer] = _seen[peer] + 1;

                public int Quorum => _members.Count / 2;
            }
            """);

        yield return WithFiles(Program("global usings in another file", """
            class Clocks
            {
                private readonly ConcurrentDictionary<string, long> _bytes = new();

                public TimeSpan Run(Action work)
                {
                    var start = DateTime.UtcNow;
                    work();
                    return DateTime.UtcNow - start;
                }

                public bool WaitFor(Func<bool> ready, int timeoutMs)
                {
                    int deadline = TickCount + timeoutMs;
                    while (TickCount < deadline)
                    {
                        if (ready()) return true;
                        Sleep(10);
                    }

                    return false;
                }

                public void Add(string peer, long bytes) => _bytes[peer] += bytes;

                public TimeSpan Ticks(Stopwatch sw) => TimeSpan.FromTicks(sw.ElapsedTicks);
            }
            """, "DR1001", "DR1003", "DR1004", "DR3002"), """
            global using System;
            global using System.Collections.Concurrent;
            global using System.Diagnostics;
            global using static System.Environment;
            global using static System.Threading.Thread;
            global using Clock = System.DateTime;
            """);

        yield return Program("#nullable disable", """
            #nullable disable
            using System;
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Net.Http;
            using System.Threading.Tasks;

            class Legacy
            {
                private ConcurrentDictionary<string, string> _etags = new ConcurrentDictionary<string, string>();
                private List<string> _members;
                private HttpClient _http;
                private DateTime _last;
                private string _name = null;

                public int Quorum() => _members.Count / 2;

                public TimeSpan Since() => DateTime.UtcNow - _last;

                public void Touch(string key) => _etags[key] = _etags[key] + "x";

                public async Task<string> GetAsync(string url)
                {
                    while (true)
                    {
                        try { return await _http.GetStringAsync(url); }
                        catch (HttpRequestException) { await Task.Delay(1000); }
                    }
                }
            }
            """, "DR3002", "DR4002");

        yield return new UnusualProgram("C# 7.3", """
            using System;
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Diagnostics;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;

            namespace Legacy
            {
                class Node
                {
                    private readonly List<string> _members = new List<string>();
                    private readonly ConcurrentDictionary<string, long> _bytes = new ConcurrentDictionary<string, long>();
                    private readonly HttpClient _http = new HttpClient();
                    private int _quorum;
                    private int _inFlight;
                    private DateTime _lastHeartbeat = DateTime.UtcNow;

                    public void OnMembershipChanged(IEnumerable<string> members)
                    {
                        _members.Clear();
                        _members.AddRange(members);
                        _quorum = _members.Count / 2;
                    }

                    public TimeSpan Run(Action work)
                    {
                        var start = DateTime.UtcNow;
                        work();
                        return DateTime.UtcNow - start;
                    }

                    public TimeSpan Measured()
                    {
                        var sw = Stopwatch.StartNew();
                        return TimeSpan.FromTicks(sw.ElapsedTicks);
                    }

                    public bool WaitFor(Func<bool> ready, int timeoutMs)
                    {
                        int deadline = Environment.TickCount + timeoutMs;
                        while (Environment.TickCount < deadline)
                        {
                            if (ready()) return true;
                            Thread.Sleep(10);
                        }

                        return false;
                    }

                    public bool IsSuspected(TimeSpan timeout) => DateTime.UtcNow - _lastHeartbeat > timeout;

                    public void Add(string peer, long bytes) { _bytes[peer] += bytes; }

                    public void Start() { Interlocked.Increment(ref _inFlight); }

                    public void Finish() { _inFlight--; }

                    public bool HasQuorum(int votes) { return votes >= _quorum; }

                    public async Task<string> FetchAsync(string url, CancellationToken cancellationToken)
                    {
                        for (var attempt = 0; attempt < 5; attempt++)
                        {
                            try
                            {
                                return await _http.GetStringAsync(url);
                            }
                            catch (HttpRequestException)
                            {
                                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                            }
                        }

                        throw new TimeoutException();
                    }

                    public (int, TimeSpan) Tuple(out int votes, in DateTime since)
                    {
                        votes = _members.Count / 2;
                        return (votes, DateTime.UtcNow - since);
                    }
                }
            }
            """,
            TestOptions.Default with { LanguageVersion = LanguageVersion.CSharp7_3, Nullable = NullableContextOptions.Disable },
            ImmutableArray.Create("DR1001", "DR1003", "DR1004", "DR2001", "DR3002", "DR3003", "DR4002"));

        yield return Program("async streams", """
            using System;
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Net.Http;
            using System.Runtime.CompilerServices;
            using System.Threading;
            using System.Threading.Tasks;

            class Watcher
            {
                private readonly HttpClient _http = new();
                private readonly ConcurrentDictionary<string, int> _seen = new();

                public async IAsyncEnumerable<TimeSpan> PollAsync(string url, [EnumeratorCancellation] CancellationToken cancellationToken = default)
                {
                    var start = DateTime.UtcNow;
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        string body;
                        try
                        {
                            body = await _http.GetStringAsync(url, cancellationToken);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(1000, cancellationToken);
                            continue;
                        }

                        _seen[body] = _seen[body] + 1;
                        yield return DateTime.UtcNow - start;
                    }
                }

                public async Task ConsumeAsync(IAsyncEnumerable<int> members)
                {
                    await foreach (var count in members.ConfigureAwait(false))
                    {
                        var quorum = count / 2;
                        Console.WriteLine(quorum);
                    }

                    await using var gate = new Gate();
                }

                private sealed class Gate : IAsyncDisposable
                {
                    public ValueTask DisposeAsync() => default;
                }
            }
            """, "DR1001", "DR3002");

        yield return Program("lambdas with attributes and natural types", """
            using System;
            using System.Collections.Concurrent;
            using System.Diagnostics;
            using System.Diagnostics.CodeAnalysis;

            class Handlers
            {
                private readonly ConcurrentDictionary<string, int> _hits = new();
                private DateTime _started = DateTime.UtcNow;

                public void Wire()
                {
                    var elapsed = [return: NotNull] () => DateTime.UtcNow - _started;
                    var hit = [Obsolete] (string key) => _hits[key] = _hits[key] + 1;
                    var quorum = static int (int members) => members / 2;
                    Func<Stopwatch, TimeSpan> ticks = static sw => TimeSpan.FromTicks(sw.ElapsedTicks);
                    Action<string> bump = key => { _hits[key] += 1; };
                    var measure = (Action work) =>
                    {
                        var start = DateTime.UtcNow;
                        work();
                        return DateTime.UtcNow - start;
                    };
                    Console.WriteLine((elapsed(), hit("a"), quorum(3), ticks(Stopwatch.StartNew()), measure(() => { })));
                    bump("b");
                }
            }
            """, "DR1001", "DR1004", "DR3002");

        yield return Program("file-scoped namespace and file class", """
            namespace Cluster.Timing;

            using System;
            using System.Collections.Concurrent;

            file sealed class HeartbeatTable
            {
                private readonly ConcurrentDictionary<string, DateTime> _seen = new();

                public bool IsSuspected(string peer, TimeSpan timeout) => DateTime.UtcNow - _seen[peer] > timeout;

                public TimeSpan Run(Action work)
                {
                    var start = DateTime.UtcNow;
                    work();
                    return DateTime.UtcNow - start;
                }
            }

            file static class Votes
            {
                private static readonly ConcurrentDictionary<string, int> Counts = new();

                public static void Add(string candidate) => Counts[candidate] += 1;
            }

            public static class Entry
            {
                public static TimeSpan Go() => new HeartbeatTable().Run(() => Votes.Add("a"));
            }
            """, "DR1001", "DR3002");

        yield return Program("static abstract interface members", """
            using System;
            using System.Numerics;

            public interface IClock<TSelf> where TSelf : IClock<TSelf>
            {
                static abstract DateTime Now { get; }

                static virtual TimeSpan Since(DateTime start) => TSelf.Now - start;
            }

            public struct WallClock : IClock<WallClock>
            {
                public static DateTime Now => DateTime.UtcNow;
            }

            public static class Quorums
            {
                public static T Majority<T>(T members) where T : INumber<T> => members / (T.One + T.One);

                public static TimeSpan Measure<TClock>(Action work) where TClock : IClock<TClock>
                {
                    var start = DateTime.UtcNow;
                    work();
                    return DateTime.UtcNow - start;
                }
            }
            """, "DR1001");

        yield return Program("collection expressions", """
            using System;
            using System.Collections.Concurrent;
            using System.Collections.Generic;

            class Ring
            {
                private List<string> _members = [];
                private readonly ConcurrentDictionary<string, int> _load = new();

                public void Join(params string[] peers)
                {
                    _members = [.. _members, .. peers];
                    int[] weights = [1, 2, 3];
                    foreach (var peer in peers)
                    {
                        _load[peer] = _load[peer] + weights[0];
                    }
                }

                public int Quorum => _members.Count / 2;

                public TimeSpan[] Spans(DateTime start) => [DateTime.UtcNow - start, TimeSpan.Zero];
            }
            """, "DR2001", "DR3002");

        yield return Program("raw and UTF-8 string literals", """"
            using System;
            using System.Collections.Concurrent;

            class Templates
            {
                private readonly ConcurrentDictionary<string, int> _rendered = new();

                public string Render(string name, DateTime start)
                {
                    var elapsed = DateTime.UtcNow - start;
                    _rendered[name] = _rendered[name] + 1;
                    ReadOnlySpan<byte> marker = "quorum"u8;
                    return $$"""
                        {
                          "name": "{{name}}",
                          "elapsed": "{{elapsed}}",
                          "marker": {{marker.Length}}
                        }
                        """ + """a "quoted" {single} line""";
                }

                public string Multi() => """
                    a "quoted" line with {braces}
                    """;
            }
            """", "DR3002");

        yield return Program("ref structs, ref fields and stackalloc", """
            using System;
            using System.Threading;

            ref struct Window
            {
                private ref int _count;
                private Span<long> _stamps;

                public Window(ref int count, Span<long> stamps)
                {
                    _count = ref count;
                    _stamps = stamps;
                }

                public void Record()
                {
                    _stamps[0] = DateTime.UtcNow.Ticks;
                    _count++;
                }

                public readonly TimeSpan Since(scoped ref readonly DateTime start) => DateTime.UtcNow - start;
            }

            class Counter
            {
                private int _hits;

                public void Hit() => Interlocked.Increment(ref _hits);

                public void Miss() => _hits--;

                public TimeSpan Run(Action work)
                {
                    Span<long> stamps = stackalloc long[4];
                    var window = new Window(ref _hits, stamps);
                    var start = DateTime.UtcNow;
                    work();
                    window.Record();
                    return DateTime.UtcNow - start;
                }
            }
            """, "DR1001", "DR3003");

        yield return Program("goto and labels", """
            using System;
            using System.Collections.Concurrent;
            using System.Net.Http;
            using System.Threading.Tasks;

            class Jumpy
            {
                private readonly HttpClient _http = new();
                private readonly ConcurrentDictionary<string, int> _tries = new();

                public async Task<string> FetchAsync(string url)
                {
                    var attempts = 0;
                    var start = DateTime.UtcNow;
                retry:
                    try
                    {
                        return await _http.GetStringAsync(url);
                    }
                    catch (HttpRequestException)
                    {
                        _tries[url] = _tries[url] + 1;
                        if (++attempts < 5 && DateTime.UtcNow - start < TimeSpan.FromSeconds(10))
                        {
                            await Task.Delay(100);
                            goto retry;
                        }

                        throw;
                    }
                }

                public int Quorum(int members, int mode)
                {
                    switch (mode)
                    {
                        case 0: goto case 1;
                        case 1: return members / 2;
                        default: goto done;
                    }

                done:
                    return members;
                }
            }
            """, "DR3002");

        yield return Program("nested generics", """
            using System;
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Threading.Tasks;

            class Registry<TKey, TValue> where TKey : notnull
            {
                private readonly ConcurrentDictionary<TKey, ConcurrentDictionary<string, List<Tuple<long, DateTime>>>> _shards = new();
                private readonly ConcurrentDictionary<string, Dictionary<TKey, Lazy<Task<TValue>>>> _pending = new();
                private readonly ConcurrentDictionary<(TKey, string), int> _versions = new();
                private readonly ConcurrentDictionary<TKey, Dictionary<string, List<int>>> _lists = new();
                private readonly ConcurrentDictionary<TKey, int> _counts = new();

                public void Bump(TKey key, string field)
                {
                    _versions[(key, field)] = _versions[(key, field)] + 1;
                    _shards[key][field] = _shards[key][field];
                    _lists[key] = new Dictionary<string, List<int>>(_lists[key]);
                    _counts[key] = _counts[key] + 1;
                }

                public TimeSpan Age(TKey key, string field) => DateTime.UtcNow - _shards[key][field][0].Item2;

                public int Quorum(IReadOnlyDictionary<TKey, IList<KeyValuePair<string, int>>> replicas) => replicas.Count / 2;
            }
            """, "DR3002");

        yield return Program("extension methods", """
            using System;
            using System.Collections.Concurrent;
            using System.Diagnostics;
            using System.Threading;

            static class ClusterExtensions
            {
                public static TimeSpan Run(this Action work)
                {
                    var start = DateTime.UtcNow;
                    work();
                    return DateTime.UtcNow - start;
                }

                public static void Hit<TKey>(this ConcurrentDictionary<TKey, int> counts, TKey key) where TKey : notnull =>
                    counts[key] = counts[key] + 1;

                public static TimeSpan ElapsedSpan(this Stopwatch sw) => TimeSpan.FromTicks(sw.ElapsedTicks);

                public static bool Expired(this int deadline) => Environment.TickCount > deadline;

                public static int QuorumOf(this int members) => members / 2;
            }
            """, "DR1001", "DR1004", "DR3002");

        yield return Program("operators, conversions and indexers", """
            using System;
            using System.Collections.Concurrent;
            using System.Threading;

            readonly struct Stamp
            {
                private readonly DateTime _at;

                public Stamp(DateTime at) => _at = at;

                public static TimeSpan operator -(Stamp later, Stamp earlier) => later._at - earlier._at;

                public static implicit operator Stamp(DateTime at) => new(at);

                public static Stamp operator checked ++(Stamp stamp) => new(stamp._at.AddTicks(1));

                public static Stamp operator ++(Stamp stamp) => new(stamp._at.AddTicks(1));

                public static bool operator >(Stamp a, TimeSpan b) => a._at - DateTime.UtcNow > b;

                public static bool operator <(Stamp a, TimeSpan b) => DateTime.UtcNow - a._at < b;
            }

            class Table
            {
                private readonly ConcurrentDictionary<string, int> _counts = new();
                private int _writes;

                public int this[string key]
                {
                    get => _counts[key];
                    set
                    {
                        _counts[key] = _counts[key] + value;
                        Interlocked.Increment(ref _writes);
                    }
                }

                public int this[int members] => members / 2;

                public void Undo() => _writes--;

                public TimeSpan Between(DateTime start) => (Stamp)DateTime.UtcNow - (Stamp)start;
            }
            """, "DR3002", "DR3003");

        yield return Program("expression-bodied everything", """
            using System;
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Diagnostics;

            class Everything
            {
                private readonly ConcurrentDictionary<string, int> _counts = new();
                private readonly List<string> _members = new();
                private DateTime _started;
                private event Action? _changed;

                public Everything() => _started = DateTime.UtcNow;

                ~Everything() => _counts["finalized"] = _counts["finalized"] + 1;

                public TimeSpan Elapsed => DateTime.UtcNow - _started;

                public int Quorum { get => _members.Count / 2; }

                public DateTime Started { get => _started; set => _started = value; }

                public event Action Changed { add => _changed += value; remove => _changed -= value; }

                public TimeSpan this[Stopwatch sw] => TimeSpan.FromTicks(sw.ElapsedTicks);

                public void Hit(string key) => _counts[key] += 1;

                public static implicit operator TimeSpan(Everything e) => DateTime.UtcNow - e._started;
            }
            """, "DR2001", "DR3002");

        yield return Program("checked and unchecked", """
            using System;
            using System.Threading;

            class Deadlines
            {
                private int _start = Environment.TickCount;
                private int _count;

                public bool Expired(int timeoutMs) => checked(Environment.TickCount - _start) > timeoutMs;

                public int Elapsed() => unchecked(Environment.TickCount - _start);

                public bool WaitFor(Func<bool> ready, int timeoutMs)
                {
                    checked
                    {
                        int deadline = Environment.TickCount + timeoutMs;
                        while (Environment.TickCount < deadline)
                        {
                            if (ready()) return true;
                            Thread.Sleep(10);
                        }
                    }

                    return false;
                }

                public void Hit()
                {
                    Interlocked.Increment(ref _count);
                    unchecked { _count--; }
                }

                public int Quorum(int members) => checked(members / 2);

                public TimeSpan Run(Action work)
                {
                    var start = DateTime.UtcNow;
                    work();
                    return checked(DateTime.UtcNow - start);
                }
            }
            """, "DR1001", "DR1003", "DR3003");

        yield return Program("query expressions", """
            using System;
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Linq;

            record Peer(string Id, DateTime LastSeen, bool Alive);

            class Views
            {
                private readonly ConcurrentDictionary<string, int> _hits = new();
                private List<Peer> _peers = new();

                public int Quorum => (from p in _peers select p).Count() / 2;

                public IEnumerable<string> Suspected(TimeSpan timeout) =>
                    from p in _peers
                    let silence = DateTime.UtcNow - p.LastSeen
                    where silence > timeout
                    orderby silence descending
                    select p.Id;

                public IEnumerable<(string, TimeSpan)> Ages(DateTime start) =>
                    from p in _peers
                    join q in _peers on p.Id equals q.Id
                    group p by p.Alive into g
                    from p in g
                    select (p.Id, DateTime.UtcNow - start);

                public void Hit() { foreach (var id in from p in _peers select p.Id) _hits[id] = _hits[id] + 1; }
            }
            """, "DR2001", "DR3002");

        yield return Program("store calls inside unusual constructs", """
            using System;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.Extensions.Caching.Distributed;
            using RedLockNet;
            using StackExchange.Redis;

            public record Inventory(IDatabase Db, IDistributedCache Cache, IDistributedLockFactory Locks)
            {
                public async Task ReserveAsync(string sku, int quantity)
                {
                    var left = (long)await Db.StringGetAsync("stock:" + sku);
                    await Db.StringSetAsync("stock:" + sku, left - quantity);
                }

                public void Touch(string user) => Db.StringSet("seen:" + user, (string?)Db.StringGet("seen:" + user, CommandFlags.PreferReplica) + "x");

                public async Task<int> VisitAsync(string page) => page switch
                {
                    { Length: > 0 } => await BumpAsync(),
                    _ => 0,
                };

                private async Task<int> BumpAsync()
                {
                    await using var redLock = await Locks.CreateLockAsync("visits", TimeSpan.FromSeconds(30));
                    var text = Cache.GetString("visits") ?? "0";
                    var next = int.Parse(text) + 1;
                    Cache.SetString("visits", next.ToString());
                    return next;
                }

                public void Local(string player)
                {
                    Add(10);

                    void Add(int points) => Db.HashSet("board", player, points + (int)Db.HashGet("board", player));
                }
            }
            """, "DR3001", "DR4004", "DR6001");
    }
}
