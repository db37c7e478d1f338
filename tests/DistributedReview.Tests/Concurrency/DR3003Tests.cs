using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using DistributedReview.Concurrency;
using DistributedReview.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using VerifyAnalyzer = DistributedReview.Tests.Verification.Verify<DistributedReview.Concurrency.NonAtomicSharedUpdateAnalyzer>;
using VerifyCS = DistributedReview.Tests.Verification.Verify<DistributedReview.Concurrency.NonAtomicSharedUpdateAnalyzer, DistributedReview.Concurrency.NonAtomicSharedUpdateCodeFix>;

namespace DistributedReview.Tests.Concurrency;

/// <summary>DR3003: non-atomic read-modify-write of shared in-memory state.</summary>
public class DR3003Tests
{
    private static readonly TestOptions NetStandard = new() { Target = TargetFramework.NetStandard20 };
    private static readonly TestOptions Net472 = new() { Target = TargetFramework.Net472 };

    // ---- Fields that are elsewhere updated atomically ----------------------------------------------------

    [Fact]
    public Task Decrement_of_a_field_incremented_with_Interlocked_becomes_Decrement() => VerifyCS.FixAsync("""
        using System.Threading;

        class InFlight
        {
            private int _inFlight;

            public void Start() => Interlocked.Increment(ref _inFlight);

            public void Finish()
            {
                [|_inFlight--|];
            }
        }
        """, """
        using System.Threading;

        class InFlight
        {
            private int _inFlight;

            public void Start() => Interlocked.Increment(ref _inFlight);

            public void Finish()
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
        """);

    [Fact]
    public Task Using_is_added_and_expression_bodies_and_values_keep_their_meaning() => VerifyCS.FixAsync("""
        class Stats
        {
            private long _bytes;
            private int _requests;

            public long Read() => System.Threading.Volatile.Read(ref _bytes) + System.Threading.Interlocked.CompareExchange(ref _requests, 0, 0);

            public void Add(int count) => [|_bytes += count|];

            public int Next() => [|++_requests|];

            public int Previous() => [|_requests++|] * 2;

            public void Remove(long count, long extra) => [|this._bytes -= count + extra|];
        }
        """, """
        using System.Threading;

        class Stats
        {
            private long _bytes;
            private int _requests;

            public long Read() => System.Threading.Volatile.Read(ref _bytes) + System.Threading.Interlocked.CompareExchange(ref _requests, 0, 0);

            public void Add(int count) => Interlocked.Add(ref _bytes, count);

            public int Next() => Interlocked.Increment(ref _requests);

            public int Previous() => (Interlocked.Increment(ref _requests) - 1) * 2;

            public void Remove(long count, long extra) => Interlocked.Add(ref this._bytes, -(count + extra));
        }
        """);

    [Fact]
    public Task Simple_assignment_adding_to_the_field_becomes_Add() => VerifyCS.FixAsync("""
        using System.Threading;

        class Counter
        {
            private static long s_total;

            public static long Total => Interlocked.Read(ref s_total);

            public static void Record(long amount)
            {
                [|s_total = s_total + amount|];
                [|s_total = 1 + s_total|];
            }
        }
        """, """
        using System.Threading;

        class Counter
        {
            private static long s_total;

            public static long Total => Interlocked.Read(ref s_total);

            public static void Record(long amount)
            {
                Interlocked.Add(ref s_total, amount);
                Interlocked.Add(ref s_total, 1);
            }
        }
        """);

    [Fact]
    public Task Other_updates_become_compare_exchange_loops_with_distinct_names() => VerifyCS.FixAsync("""
        using System;
        using System.Threading;

        class Limits
        {
            private int _flags;
            private long _max;
            private double _load;

            public int Flags => Volatile.Read(ref _flags);
            public long Max => Interlocked.Read(ref _max);
            public double Load => Volatile.Read(ref _load);

            public void Observe(long value, int flag, double sample)
            {
                // Keep the largest value seen.
                [|_max = Math.Max(_max, value)|];
                [|_flags |= flag|];
                [|_load *= 0.5 + sample|];
            }
        }
        """, """
        using System;
        using System.Threading;

        class Limits
        {
            private int _flags;
            private long _max;
            private double _load;

            public int Flags => Volatile.Read(ref _flags);
            public long Max => Interlocked.Read(ref _max);
            public double Load => Volatile.Read(ref _load);

            public void Observe(long value, int flag, double sample)
            {
                // Keep the largest value seen.
                long initial, computed;
                do
                {
                    initial = Volatile.Read(ref _max);
                    computed = Math.Max(initial, value);
                }
                while (Interlocked.CompareExchange(ref _max, computed, initial) != initial);
                int initial2, computed2;
                do
                {
                    initial2 = Volatile.Read(ref _flags);
                    computed2 = initial2 | flag;
                }
                while (Interlocked.CompareExchange(ref _flags, computed2, initial2) != initial2);
                double initial3, computed3;
                do
                {
                    initial3 = Volatile.Read(ref _load);
                    computed3 = initial3 * (0.5 + sample);
                }
                while (BitConverter.DoubleToInt64Bits(Interlocked.CompareExchange(ref _load, computed3, initial3)) != BitConverter.DoubleToInt64Bits(initial3));
            }
        }
        """);

    [Fact]
    public Task Volatile_field_is_reported() => VerifyCS.FixAsync("""
        class Flag
        {
            private volatile int _generation;

            public void Bump()
            {
                [|_generation++|];
            }
        }
        """, """
        using System.Threading;

        class Flag
        {
            private volatile int _generation;

            public void Bump()
            {
                Interlocked.Increment(ref _generation);
            }
        }
        """);

    // ---- Variables captured by concurrently running lambdas ----------------------------------------------

    [Fact]
    public Task Captured_local_in_Parallel_ForEach_is_fixed() => VerifyCS.FixAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class Importer
        {
            private int _failed;

            public int Import(IEnumerable<string> rows)
            {
                var imported = 0;
                Parallel.ForEach(rows, row =>
                {
                    if (row.Length == 0)
                    {
                        [|_failed++|];
                        return;
                    }

                    var local = 0;
                    local++;
                    [|imported += 1|];
                });
                return imported;
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class Importer
        {
            private int _failed;

            public int Import(IEnumerable<string> rows)
            {
                var imported = 0;
                Parallel.ForEach(rows, row =>
                {
                    if (row.Length == 0)
                    {
                        Interlocked.Increment(ref _failed);
                        return;
                    }

                    var local = 0;
                    local++;
                    Interlocked.Add(ref imported, 1);
                });
                return imported;
            }
        }
        """);

    [Fact]
    public Task Parallel_For_localFinally_and_ForEachAsync_are_reported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class Sums
        {
            public long Sum(int[] values)
            {
                long total = 0;
                Parallel.For(0, values.Length, () => 0L, (i, state, subtotal) =>
                {
                    subtotal += values[i];
                    return subtotal;
                },
                subtotal => [|total += subtotal|]);
                return total;
            }

            public async Task<int> CountAsync(IEnumerable<string> urls, CancellationToken token)
            {
                var ok = 0;
                await Parallel.ForEachAsync(urls, token, async (url, ct) =>
                {
                    await Task.Delay(1, ct);
                    [|ok = ok + 1|];
                });
                return ok;
            }
        }
        """);

    [Fact]
    public Task Parallel_Invoke_actions_updating_the_same_variable_are_reported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        class Work
        {
            public int Run()
            {
                int done = 0, alone = 0;
                Parallel.Invoke(() => [|done++|], () => [|done += 2|], () => alone++);
                return done + alone;
            }
        }
        """);

    [Fact]
    public Task Post_increments_in_void_lambdas_and_members_are_not_values() => VerifyCS.FixAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Work
        {
            private int _calls;

            public int Calls => Volatile.Read(ref _calls);

            public void Call() => [|_calls++|];

            public Func<int> Counter() => () => [|_calls++|];

            public int Run()
            {
                var done = 0;
                Parallel.Invoke(() => [|done++|], () => [|done--|]);
                return done;
            }
        }
        """, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Work
        {
            private int _calls;

            public int Calls => Volatile.Read(ref _calls);

            public void Call() => Interlocked.Increment(ref _calls);

            public Func<int> Counter() => () => Interlocked.Increment(ref _calls) - 1;

            public int Run()
            {
                var done = 0;
                Parallel.Invoke(() => Interlocked.Increment(ref done), () => Interlocked.Decrement(ref done));
                return done;
            }
        }
        """);

    [Fact]
    public Task Task_Run_in_a_loop_or_racing_the_caller_is_reported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class Pump
        {
            private int _sent;

            public async Task SendAllAsync(IEnumerable<string> messages)
            {
                var tasks = new List<Task>();
                foreach (var message in messages)
                {
                    tasks.Add(Task.Run(() => [|_sent++|]));
                }

                await Task.WhenAll(tasks);
            }

            public async Task<int> RaceAsync()
            {
                var count = 0;
                var background = Task.Factory.StartNew(() => [|count++|]);
                count++; // Races the task too, but only the update inside the lambda is reported (documented gap).
                await background;
                return count;
            }
        }
        """);

    [Fact]
    public Task Float_loop_needs_SingleToInt32Bits_so_net472_gets_no_fix() => VerifyCS.NoFixAsync("""
        using System.Threading;

        class Gauge
        {
            private float _value;

            public float Value => Volatile.Read(ref _value);

            public void Scale(float factor)
            {
                [|_value *= factor|];
            }
        }
        """, Net472);

    [Fact]
    public Task Increment_on_netstandard_and_double_increment_as_a_loop() => VerifyCS.FixAsync("""
        using System.Threading;

        class Meter
        {
            private int _count;
            private double _sum;

            public int Count => Volatile.Read(ref _count);
            public double Sum => Volatile.Read(ref _sum);

            public void Mark()
            {
                [|_count++|];
                [|_sum++|];
            }
        }
        """, """
        using System;
        using System.Threading;

        class Meter
        {
            private int _count;
            private double _sum;

            public int Count => Volatile.Read(ref _count);
            public double Sum => Volatile.Read(ref _sum);

            public void Mark()
            {
                Interlocked.Increment(ref _count);
                double initial, computed;
                do
                {
                    initial = Volatile.Read(ref _sum);
                    computed = initial + 1;
                }
                while (BitConverter.DoubleToInt64Bits(Interlocked.CompareExchange(ref _sum, computed, initial)) != BitConverter.DoubleToInt64Bits(initial));
            }
        }
        """, NetStandard);

    [Fact]
    public Task Updates_with_side_effects_or_as_values_get_no_loop() => VerifyCS.NoFixAsync("""
        using System.Threading;

        class Unfixable
        {
            private long _value;
            private short _small;

            public long Value => Interlocked.Read(ref _value);
            public short Small => Volatile.Read(ref _small);

            public long Step() => [|_value *= 2|];

            public void Compute() { [|_value = Next(_value)|]; }

            public void Bump() { [|_small++|]; }

            private long Next(long v) => v + 1;
        }
        """);

    // ---- Left alone --------------------------------------------------------------------------------------

    [Fact]
    public Task Updates_under_a_lock_or_after_acquiring_one_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class Guarded
        {
            private readonly object _gate = new();
            private readonly SemaphoreSlim _semaphore = new(1, 1);
            private int _count;

            public int Count => Volatile.Read(ref _count);

            public void Locked()
            {
                lock (_gate)
                {
                    _count++;
                }
            }

            public void Monitored()
            {
                var taken = false;
                try
                {
                    Monitor.Enter(_gate, ref taken);
                    _count += 2;
                }
                finally
                {
                    if (taken) Monitor.Exit(_gate);
                }
            }

            public async Task SemaphoreAsync()
            {
                await _semaphore.WaitAsync();
                try
                {
                    _count = _count * 2;
                }
                finally
                {
                    _semaphore.Release();
                }
            }

            public void ParallelLocked(IEnumerable<int> items)
            {
                var total = 0;
                Parallel.ForEach(items, item =>
                {
                    lock (_gate)
                    {
                        total += item;
                    }
                });
            }

            public void LockAroundForEach(List<int> items)
            {
                lock (_gate)
                {
                    items.ForEach(item => _count += item);
                }
            }
        }
        """);

    [Fact]
    public Task Fields_never_touched_atomically_or_concurrently_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class Plain
        {
            private int _count;
            private int _atomic;
            private int Property { get; set; }

            public Plain() { _atomic++; }

            public void Add(List<int> items)
            {
                _count++;
                _count = _count + 1;
                items.ForEach(i => _count += i);
                Property++;
                Interlocked.Increment(ref _atomic);
                _atomic = Interlocked.Exchange(ref _atomic, 0) + 1;
                _atomic = 0;
            }

            public void Other(Plain other)
            {
                other._atomic++;
            }
        }
        """);

    [Fact]
    public Task Lambda_locals_thread_local_state_and_ThreadStatic_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Local
        {
            [ThreadStatic] private static int t_calls;
            private readonly ThreadLocal<int> _perThread = new(() => 0);

            public long Sum(int[] values)
            {
                long total = 0;
                Parallel.For(0, values.Length, () => 0L, (i, state, subtotal) =>
                {
                    var square = values[i];
                    square *= square;
                    subtotal += square;
                    t_calls++;
                    _perThread.Value++;
                    return subtotal;
                },
                subtotal => Interlocked.Add(ref total, subtotal));
                return total;
            }
        }
        """);

    [Fact]
    public Task Task_Run_awaited_before_the_next_update_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class Sequential
        {
            public async Task<int> RunAsync(IEnumerable<int> items)
            {
                var count = 0;
                await Task.Run(() => count++);
                count++;
                foreach (var item in items)
                {
                    await Task.Run(() => count += item);
                }

                var single = 0;
                var task = Task.Run(() => single++);
                await task;
                return count + single;
            }
        }
        """);

    [Fact]
    public async Task Half_typed_code_does_not_throw()
    {
        const string source = """
            using System.Threading;
            using System.Threading.Tasks;

            class Broken
            {
                private int _x;

                public void M()
                {
                    Interlocked.Increment(ref );
                    Parallel.For(0, 10, i => y++);
                    Unknown += 1;
                    _x = _x +;
                    Task.Run(() => _x++
                }
            }
            """;

        await DiagnosticsAsync(source, TestOptions.Default);
    }

    // ---- Confidence and message ------------------------------------------------------------------------

    [Theory]
    [InlineData("int _x; void A() => System.Threading.Interlocked.Increment(ref _x); void B() => _x++;", 90)]
    [InlineData("int _x; int A() => System.Threading.Volatile.Read(ref _x); void B() => _x++;", 85)]
    [InlineData("volatile int _x; void B() => _x++;", 75)]
    [InlineData("void B(int[] a) { var n = 0; System.Threading.Tasks.Parallel.For(0, a.Length, i => n++); }", 90)]
    [InlineData("void B() { var n = 0; System.Threading.Tasks.Parallel.Invoke(() => n++, () => n--); }", 85)]
    [InlineData("int _n; void B() { for (var i = 0; i < 3; i++) System.Threading.Tasks.Task.Run(() => _n++); }", 80)]
    public async Task Confidence_follows_the_evidence(string members, int confidence)
    {
        var diagnostics = await DiagnosticsAsync($$"""class Evidence { {{members}} }""", TestOptions.Default);

        Assert.NotEmpty(diagnostics);
        Assert.All(diagnostics, diagnostic =>
        {
            ConfidenceAssert.Has(diagnostic, confidence);
        });
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData("distributed_review.min_confidence = 75", 1)]
    [InlineData("distributed_review.min_confidence = 76", 0)]
    public async Task Min_confidence_from_editorconfig_drops_weaker_findings(string? editorConfig, int expected)
    {
        var diagnostics = await DiagnosticsAsync("class C { volatile int _x; void B() => _x++; }", new TestOptions { EditorConfig = editorConfig });

        Assert.Equal(expected, diagnostics.Length);
    }

    [Fact]
    public async Task Diagnostic_message_and_docs_link()
    {
        var diagnostic = Assert.Single(await DiagnosticsAsync(
            "class C { int _n; void A() => System.Threading.Interlocked.Increment(ref _n); void B() => _n--; }", TestOptions.Default));

        Assert.Equal("https://github.com/DistributedReview/DistributedReview/blob/main/docs/rules/DR3003.md", diagnostic.Descriptor.HelpLinkUri);
        Assert.Equal("DistributedReview.Concurrency", diagnostic.Descriptor.Category);
        Assert.Contains("Impact=Critical", diagnostic.Descriptor.CustomTags);
        Assert.Equal("'_n--' is a read-modify-write of state that other threads update concurrently, so updates are lost; use Interlocked or a compare-and-swap loop (confidence 90%)", diagnostic.GetMessage());
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(string source, TestOptions options)
    {
        var document = TestWorkspace.CreateDocument(source, options);
        var diagnostics = await Analysis.RunAsync(document.Project, ImmutableArray.Create<DiagnosticAnalyzer>(new NonAtomicSharedUpdateAnalyzer()));
        return diagnostics.Where(d => d.Id == RuleIds.NonAtomicSharedUpdate).ToImmutableArray();
    }
}
