using System.Collections.Immutable;
using System.Threading.Tasks;
using DistributedReview.Partitions;
using DistributedReview.Tests.StandIns;
using DistributedReview.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using VerifyAnalyzer = DistributedReview.Tests.Verification.Verify<DistributedReview.Partitions.UncheckedDistributedLockAnalyzer>;
using VerifyCS = DistributedReview.Tests.Verification.Verify<DistributedReview.Partitions.UncheckedDistributedLockAnalyzer, DistributedReview.Partitions.UncheckedDistributedLockCodeFix>;

namespace DistributedReview.Tests.Partitions;

/// <summary>DR4004: a distributed lock used without checking it was acquired.</summary>
public class DR4004Tests
{
    /// <summary>Stands for the protected work in the inputs (Console output would count as logging, which is not work).</summary>
    private const string WorkSource = """
        public static class Work
        {
            public static void Do(string what) { }
        }
        """;

    private static readonly TestOptions Libraries = new() { AdditionalSources = ImmutableArray.Create(RedLock.Source, Medallion.Source, WorkSource) };

    // ---- Reported, and fixed ---------------------------------------------------------------------------

    [Fact]
    public Task RedLock_using_declaration_gets_a_guard_after_it() => VerifyCS.FixAsync("""
        using System;
        using System.Threading.Tasks;
        using RedLockNet;

        class InvoiceSender
        {
            private readonly IDistributedLockFactory _locks;

            public InvoiceSender(IDistributedLockFactory locks) => _locks = locks;

            public async Task SendAsync(string invoiceId)
            {
                using var redLock = await [|_locks.CreateLockAsync($"invoice:{invoiceId}", TimeSpan.FromSeconds(30))|];

                // Only one node may send an invoice.
                await DeliverAsync(invoiceId);
            }

            private static Task DeliverAsync(string invoiceId) => Task.CompletedTask;
        }
        """, """
        using System;
        using System.Threading.Tasks;
        using RedLockNet;

        class InvoiceSender
        {
            private readonly IDistributedLockFactory _locks;

            public InvoiceSender(IDistributedLockFactory locks) => _locks = locks;

            public async Task SendAsync(string invoiceId)
            {
                using var redLock = await _locks.CreateLockAsync($"invoice:{invoiceId}", TimeSpan.FromSeconds(30));
                if (!redLock.IsAcquired) return;

                // Only one node may send an invoice.
                await DeliverAsync(invoiceId);
            }

            private static Task DeliverAsync(string invoiceId) => Task.CompletedTask;
        }
        """, Libraries);

    [Fact]
    public Task RedLock_using_statement_gets_a_guard_first_in_its_block() => VerifyCS.FixAsync("""
        using System;
        using RedLockNet.SERedis;

        class Compactor
        {
            private readonly RedLockFactory _factory = new();
            private int _compactions;

            public void Compact()
            {
                using (var redLock = [|_factory.CreateLock("compaction", TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1))|])
                {
                    _compactions++;
                    Work.Do("compacting");
                }
            }
        }
        """, """
        using System;
        using RedLockNet.SERedis;

        class Compactor
        {
            private readonly RedLockFactory _factory = new();
            private int _compactions;

            public void Compact()
            {
                using (var redLock = _factory.CreateLock("compaction", TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1)))
                {
                    if (!redLock.IsAcquired) return;
                    _compactions++;
                    Work.Do("compacting");
                }
            }
        }
        """, Libraries);

    [Fact]
    public Task Medallion_handles_get_a_null_check() => VerifyCS.FixAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Medallion.Threading;
        using Medallion.Threading.Redis;

        class Scheduler
        {
            private readonly IDistributedLock _lock;
            private readonly IDistributedLockProvider _provider;

            public Scheduler(IDistributedLock @lock, IDistributedLockProvider provider) { _lock = @lock; _provider = provider; }

            public async Task RunAsync(CancellationToken cancellationToken)
            {
                await using var handle = await [|_lock.TryAcquireAsync(TimeSpan.FromSeconds(5), cancellationToken)|];
                await Task.Delay(10, cancellationToken);
            }

            public async ValueTask RunNamedAsync(string job)
            {
                await using var handle = await [|_provider.TryAcquireLockAsync($"job:{job}")|].ConfigureAwait(false);
                await Task.Yield();
            }

            public bool TryRun(RedisDistributedLock @lock)
            {
                using var handle = [|@lock.TryAcquire()|];
                Work.Do("running");
                return true;
            }
        }
        """, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Medallion.Threading;
        using Medallion.Threading.Redis;

        class Scheduler
        {
            private readonly IDistributedLock _lock;
            private readonly IDistributedLockProvider _provider;

            public Scheduler(IDistributedLock @lock, IDistributedLockProvider provider) { _lock = @lock; _provider = provider; }

            public async Task RunAsync(CancellationToken cancellationToken)
            {
                await using var handle = await _lock.TryAcquireAsync(TimeSpan.FromSeconds(5), cancellationToken);
                if (handle == null) return;
                await Task.Delay(10, cancellationToken);
            }

            public async ValueTask RunNamedAsync(string job)
            {
                await using var handle = await _provider.TryAcquireLockAsync($"job:{job}").ConfigureAwait(false);
                if (handle == null) return;
                await Task.Yield();
            }

            public bool TryRun(RedisDistributedLock @lock)
            {
                using var handle = @lock.TryAcquire();
                if (handle == null) return false;
                Work.Do("running");
                return true;
            }
        }
        """, Libraries);

    [Fact]
    public Task Lambdas_local_functions_and_plain_locals_are_fixed() => VerifyCS.FixAsync("""
        using System;
        using System.Threading.Tasks;
        using RedLockNet;

        class Jobs
        {
            public Func<Task> Nightly(IDistributedLockFactory locks) => async () =>
            {
                using var @lock = await [|locks.CreateLockAsync("nightly", TimeSpan.FromMinutes(5))|];
                await Task.Delay(1);
            };

            public async Task<bool> TryRunAsync(IDistributedLockFactory locks)
            {
                return await Run();

                async Task<bool> Run()
                {
                    var redLock = [|locks.CreateLock("run", TimeSpan.FromMinutes(5))|];
                    try
                    {
                        await Task.Delay(1);
                        return true;
                    }
                    finally
                    {
                        redLock.Dispose();
                    }
                }
            }
        }
        """, """
        using System;
        using System.Threading.Tasks;
        using RedLockNet;

        class Jobs
        {
            public Func<Task> Nightly(IDistributedLockFactory locks) => async () =>
            {
                using var @lock = await locks.CreateLockAsync("nightly", TimeSpan.FromMinutes(5));
                if (!@lock.IsAcquired) return;
                await Task.Delay(1);
            };

            public async Task<bool> TryRunAsync(IDistributedLockFactory locks)
            {
                return await Run();

                async Task<bool> Run()
                {
                    var redLock = locks.CreateLock("run", TimeSpan.FromMinutes(5));
                    if (!redLock.IsAcquired) return false;
                    try
                    {
                        await Task.Delay(1);
                        return true;
                    }
                    finally
                    {
                        redLock.Dispose();
                    }
                }
            }
        }
        """, Libraries);

    [Fact]
    public Task A_check_after_some_of_the_work_gets_a_guard_before_it() => VerifyCS.FixAsync("""
        using System;
        using RedLockNet;

        class Late
        {
            public void Run(IDistributedLockFactory locks)
            {
                using var redLock = [|locks.CreateLock("late", TimeSpan.FromSeconds(30))|];
                Work.Do("working");
                if (!redLock.IsAcquired) return;
                Work.Do("more work");
            }
        }
        """, """
        using System;
        using RedLockNet;

        class Late
        {
            public void Run(IDistributedLockFactory locks)
            {
                using var redLock = locks.CreateLock("late", TimeSpan.FromSeconds(30));
                if (!redLock.IsAcquired) return;
                Work.Do("working");
                if (!redLock.IsAcquired) return;
                Work.Do("more work");
            }
        }
        """, Libraries);

    [Fact]
    public Task Fix_all_guards_every_lock_in_a_file() => VerifyCS.FixAsync("""
        using System;
        using System.Threading.Tasks;
        using Medallion.Threading;
        using RedLockNet;

        class Rebalancer
        {
            private readonly IDistributedLockFactory _locks;
            private readonly IDistributedLock _shardLock;

            public Rebalancer(IDistributedLockFactory locks, IDistributedLock shardLock) { _locks = locks; _shardLock = shardLock; }

            public async Task RebalanceAsync(string from, string to)
            {
                using IRedLock source = await [|_locks.CreateLockAsync(from, TimeSpan.FromSeconds(30))|], target = await [|_locks.CreateLockAsync(to, TimeSpan.FromSeconds(30))|];
                await using (var shard = await [|_shardLock.TryAcquireAsync()|])
                {
                    await MoveAsync(from, to);
                }

                using (var again = [|_locks.CreateLock(to, TimeSpan.FromSeconds(30))|])
                {
                    await MoveAsync(to, from);
                }
            }

            private static Task MoveAsync(string from, string to) => Task.CompletedTask;
        }
        """, """
        using System;
        using System.Threading.Tasks;
        using Medallion.Threading;
        using RedLockNet;

        class Rebalancer
        {
            private readonly IDistributedLockFactory _locks;
            private readonly IDistributedLock _shardLock;

            public Rebalancer(IDistributedLockFactory locks, IDistributedLock shardLock) { _locks = locks; _shardLock = shardLock; }

            public async Task RebalanceAsync(string from, string to)
            {
                using IRedLock source = await _locks.CreateLockAsync(from, TimeSpan.FromSeconds(30)), target = await _locks.CreateLockAsync(to, TimeSpan.FromSeconds(30));
                if (!source.IsAcquired) return;
                if (!target.IsAcquired) return;
                await using (var shard = await _shardLock.TryAcquireAsync())
                {
                    if (shard == null) return;
                    await MoveAsync(from, to);
                }

                using (var again = _locks.CreateLock(to, TimeSpan.FromSeconds(30)))
                {
                    if (!again.IsAcquired) return;
                    await MoveAsync(to, from);
                }
            }

            private static Task MoveAsync(string from, string to) => Task.CompletedTask;
        }
        """, Libraries);

    [Fact]
    public Task Fix_compiles_on_older_frameworks() => VerifyCS.FixAsync("""
        using System;
        using System.Threading.Tasks;
        using RedLockNet;

        class Legacy
        {
            public async Task RunAsync(IDistributedLockFactory locks)
            {
                using (var redLock = await [|locks.CreateLockAsync("legacy", TimeSpan.FromSeconds(30))|])
                {
                    await Task.Delay(1);
                }
            }
        }
        """, """
        using System;
        using System.Threading.Tasks;
        using RedLockNet;

        class Legacy
        {
            public async Task RunAsync(IDistributedLockFactory locks)
            {
                using (var redLock = await locks.CreateLockAsync("legacy", TimeSpan.FromSeconds(30)))
                {
                    if (!redLock.IsAcquired) return;
                    await Task.Delay(1);
                }
            }
        }
        """, new TestOptions
    {
        Target = TargetFramework.Net472,
        Nullable = NullableContextOptions.Disable,

        // RedLock.net's netstandard2.0 build: no IAsyncDisposable, no nullable annotations.
        AdditionalSources = ImmutableArray.Create(RedLock.Source.Replace(", IAsyncDisposable", string.Empty)),
    });

    // ---- Reported, no fix ------------------------------------------------------------------------------

    [Fact]
    public Task Locks_without_a_variable_or_where_leaving_is_not_clear_get_no_fix() => VerifyCS.NoFixAsync("""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Medallion.Threading;
        using RedLockNet;

        class NoFix
        {
            private readonly IDistributedLockFactory _locks;
            private readonly IDistributedLock _lock;

            public NoFix(IDistributedLockFactory locks, IDistributedLock @lock) { _locks = locks; _lock = @lock; }

            public async Task NoVariableAsync()
            {
                using (await [|_locks.CreateLockAsync("a", TimeSpan.FromSeconds(30))|])
                {
                    await Task.Delay(1);
                }

                await [|_lock.TryAcquireAsync()|];
                await Task.Delay(1);
            }

            public async Task<int> CountAsync()
            {
                using var redLock = await [|_locks.CreateLockAsync("count", TimeSpan.FromSeconds(30))|];
                await Task.Delay(1);
                return 42;
            }

            public Task NotAsync()
            {
                using var redLock = [|_locks.CreateLock("sync", TimeSpan.FromSeconds(30))|];
                Work.Do("work");
                return Task.CompletedTask;
            }

            public async Task InLoopAsync(IEnumerable<string> jobs)
            {
                foreach (var job in jobs)
                {
                    using var redLock = await [|_locks.CreateLockAsync(job, TimeSpan.FromSeconds(30))|];
                    await Task.Delay(1);
                }
            }

            public void InFinally()
            {
                try { Work.Do("a"); }
                finally
                {
                    using var handle = [|_lock.TryAcquire()|];
                    Work.Do("b");
                }
            }

            public void SingleStatementBody()
            {
                using (var redLock = [|_locks.CreateLock("one", TimeSpan.FromSeconds(30))|])
                    Work.Do("work");
            }
        }
        """, Libraries);

    // ---- Confidence ------------------------------------------------------------------------------------

    [Theory]
    [InlineData("using (locks.CreateLock(\"k\", ttl)) { Work(); }", 95)]
    [InlineData("using var l = locks.CreateLock(\"k\", ttl); Work();", 90)]
    [InlineData("var h = handles.TryAcquire(); Work();", 90)]
    [InlineData("using var l = locks.CreateLock(\"k\", ttl); Work(); if (!l.IsAcquired) return;", 75)]
    public async Task Confidence_follows_the_evidence(string body, int confidence)
    {
        var source = $$"""
            using System;
            using Medallion.Threading;
            using RedLockNet;

            class Evidence
            {
                void Run(IDistributedLockFactory locks, IDistributedLock handles, TimeSpan ttl) { {{body}} }
                static void Work() { }
            }
            """;
        var diagnostic = Assert.Single(await DiagnosticsAsync(source, Libraries));

        ConfidenceAssert.Has(diagnostic, confidence);
    }

    [Theory]
    [InlineData(null, 2)]
    [InlineData("distributed_review.min_confidence = 90", 1)]
    [InlineData("distributed_review.min_confidence = 96", 0)]
    public async Task Min_confidence_from_editorconfig_drops_weaker_findings(string? editorConfig, int expected)
    {
        const string source = """
            using System;
            using RedLockNet;

            class Evidence
            {
                void Run(IDistributedLockFactory locks)
                {
                    using (locks.CreateLock("a", TimeSpan.FromSeconds(1))) { Work.Do("a"); }
                    using var l = locks.CreateLock("b", TimeSpan.FromSeconds(1));
                    Work.Do("b");
                    if (!l.IsAcquired) return;
                }
            }
            """;

        Assert.Equal(expected, (await DiagnosticsAsync(source, Libraries with { EditorConfig = editorConfig })).Length);
    }

    [Fact]
    public async Task Diagnostic_message_and_docs_link()
    {
        var diagnostic = Assert.Single(await DiagnosticsAsync(
            "class C { void M(RedLockNet.IDistributedLockFactory f) { using var l = f.CreateLock(\"k\", System.TimeSpan.FromSeconds(1)); System.GC.Collect(); } }", Libraries));

        Assert.Equal("https://github.com/DistributedReview/DistributedReview/blob/main/docs/rules/DR4004.md", diagnostic.Descriptor.HelpLinkUri);
        Assert.Equal("DistributedReview.Partitions", diagnostic.Descriptor.Category);
        Assert.Contains("Impact=Critical", diagnostic.Descriptor.CustomTags);
        Assert.Equal("'f.CreateLock(\"k\", System.TimeSpan.FromSeconds(1))' may return without the lock and the protected work runs anyway, so two nodes can be in the critical section at once; check that the lock was acquired first (confidence 90%)", diagnostic.GetMessage());
    }

    // ---- Left alone ------------------------------------------------------------------------------------

    [Fact]
    public Task Checked_RedLock_results_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;
        using RedLockNet;

        class Checked
        {
            private readonly IDistributedLockFactory _locks;

            public Checked(IDistributedLockFactory locks) => _locks = locks;

            async Task EarlyReturn()
            {
                using var redLock = await _locks.CreateLockAsync("a", TimeSpan.FromSeconds(30));
                if (!redLock.IsAcquired) return;
                await Task.Delay(1);
            }

            async Task Guarded()
            {
                using (var redLock = await _locks.CreateLockAsync("b", TimeSpan.FromSeconds(30)))
                {
                    if (redLock.IsAcquired)
                    {
                        await Task.Delay(1);
                    }
                }
            }

            void ThroughALocal()
            {
                using var redLock = _locks.CreateLock("c", TimeSpan.FromSeconds(30));
                var acquired = redLock.IsAcquired;
                if (!acquired) throw new InvalidOperationException("busy");
                Work.Do("work");
            }

            void ByStatus()
            {
                using var redLock = _locks.CreateLock("d", TimeSpan.FromSeconds(30));
                if (redLock.Status != RedLockStatus.Acquired) return;
                Work.Do("work");
            }

            void LoggedFirst()
            {
                using var redLock = _locks.CreateLock("e", TimeSpan.FromSeconds(30));
                Console.WriteLine($"lock {redLock.Resource} requested");
                if (redLock?.IsAcquired != true) return;
                Work.Do("work");
            }

            async Task InTheSameCondition(Func<Task<bool>> isLeader)
            {
                using var redLock = _locks.CreateLock("f", TimeSpan.FromSeconds(30));
                if (!await isLeader() || !redLock.IsAcquired) return;
                Work.Do("work");
            }

            void NothingProtected()
            {
                using (_locks.CreateLock("g", TimeSpan.FromSeconds(30))) { }
                using var unused = _locks.CreateLock("h", TimeSpan.FromSeconds(30));
            }
        }
        """, Libraries);

    [Fact]
    public Task Checked_Medallion_handles_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Medallion.Threading;

        class Checked
        {
            private readonly IDistributedLock _lock;

            public Checked(IDistributedLock @lock) => _lock = @lock;

            async Task IsNull()
            {
                await using var handle = await _lock.TryAcquireAsync();
                if (handle is null) return;
                await Task.Delay(1);
            }

            async Task EqualsNull()
            {
                await using var handle = await _lock.TryAcquireAsync();
                if (handle == null) { return; }
                await Task.Delay(1);
            }

            async Task NotNull()
            {
                await using var handle = await _lock.TryAcquireAsync();
                if (handle != null)
                {
                    await Task.Delay(1);
                }
            }

            void PropertyPattern()
            {
                using (var handle = _lock.TryAcquire())
                {
                    if (handle is { }) Work.Do("work");
                }
            }

            void IsNotNull()
            {
                using var handle = _lock.TryAcquire();
                if (handle is not null) Work.Do("work");
            }

            void Throws()
            {
                using var handle = _lock.TryAcquire() ?? throw new TimeoutException("busy");
                Work.Do("work");
            }

            void CoalescedLater()
            {
                using var handle = _lock.TryAcquire();
                var held = handle ?? throw new TimeoutException("busy");
                Work.Do("work");
            }

            void Dereferenced(CancellationToken cancellationToken)
            {
                var handle = _lock.TryAcquire();
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, handle!.HandleLostToken);
                Work.Do("work");
            }

            void WaitsForever()
            {
                using var handle = _lock.TryAcquire(Timeout.InfiniteTimeSpan);
                Work.Do("work");
            }
        }
        """, Libraries);

    [Fact]
    public Task Acquire_which_throws_on_failure_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;
        using Medallion.Threading;
        using Medallion.Threading.Redis;

        class Throwing
        {
            async Task Run(IDistributedLock @lock, RedisDistributedLock redis, IDistributedLockProvider provider)
            {
                await using (await @lock.AcquireAsync()) { await Task.Delay(1); }
                using (@lock.Acquire()) { Work.Do("work"); }
                using (redis.Acquire(TimeSpan.FromSeconds(5))) { Work.Do("work"); }
                await using var handle = await provider.AcquireLockAsync("job");
                Work.Do("work");
            }
        }
        """, Libraries);

    [Fact]
    public Task Results_passed_elsewhere_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;
        using Medallion.Threading;
        using RedLockNet;

        class Elsewhere
        {
            private readonly IDistributedLockFactory _locks;
            private IRedLock? _held;
            private IDistributedSynchronizationHandle? _handle;

            public Elsewhere(IDistributedLockFactory locks) => _locks = locks;

            public Task<IRedLock> Acquire(string resource) => _locks.CreateLockAsync(resource, TimeSpan.FromSeconds(30));

            public async Task<IRedLock> AcquireAsync(string resource) => await _locks.CreateLockAsync(resource, TimeSpan.FromSeconds(30));

            public IRedLock Create(string resource)
            {
                var redLock = _locks.CreateLock(resource, TimeSpan.FromSeconds(30));
                Work.Do("created");
                return redLock;
            }

            public void Hold(IDistributedLock @lock)
            {
                _held = _locks.CreateLock("held", TimeSpan.FromSeconds(30));
                _handle = @lock.TryAcquire();
                Work.Do("work");
            }

            public void Helper()
            {
                using var redLock = _locks.CreateLock("helper", TimeSpan.FromSeconds(30));
                EnsureAcquired(redLock);
                Work.Do("work");
            }

            public void Captured()
            {
                using var redLock = _locks.CreateLock("captured", TimeSpan.FromSeconds(30));
                Func<bool> acquired = () => redLock.IsAcquired;
                Work.Do("work");
            }

            public void Checked(IDistributedLock @lock)
            {
                if (@lock.TryAcquire() is { } handle)
                {
                    using (handle) Work.Do("work");
                }
            }

            private static void EnsureAcquired(IRedLock redLock)
            {
                if (!redLock.IsAcquired) throw new InvalidOperationException("not acquired");
            }
        }
        """, Libraries);

    [Fact]
    public Task Look_alikes_in_other_namespaces_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        namespace MyLocks
        {
            public interface IRedLock : IDisposable { bool IsAcquired { get; } }
            public interface ILockHandle : IDisposable { }

            public interface IDistributedLockFactory
            {
                IRedLock CreateLock(string resource, TimeSpan expiry);
                ILockHandle? TryAcquire(string resource);
            }

            class User
            {
                void Run(IDistributedLockFactory locks)
                {
                    using var redLock = locks.CreateLock("a", TimeSpan.FromSeconds(1));
                    using var handle = locks.TryAcquire("b");
                    Work.Do("work");
                }
            }
        }
        """, Libraries);

    [Fact]
    public Task Generated_code_is_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        // <auto-generated/>
        using System;
        using RedLockNet;

        class Generated
        {
            void Run(IDistributedLockFactory locks)
            {
                using var redLock = locks.CreateLock("a", TimeSpan.FromSeconds(1));
                Work.Do("work");
            }
        }
        """, Libraries);

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(string source, TestOptions options)
    {
        var document = TestWorkspace.CreateDocument(source, options);
        return await Analysis.RunAsync(document.Project, ImmutableArray.Create<DiagnosticAnalyzer>(new UncheckedDistributedLockAnalyzer()));
    }
}
