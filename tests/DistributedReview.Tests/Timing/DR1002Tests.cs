using System.Collections.Immutable;
using System.Threading.Tasks;
using DistributedReview.Tests.Verification;
using DistributedReview.Timing;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using VerifyAnalyzer = DistributedReview.Tests.Verification.Verify<DistributedReview.Tests.Timing.WallClockDeadlineOnly>;
using VerifyCS = DistributedReview.Tests.Verification.Verify<DistributedReview.Tests.Timing.WallClockDeadlineOnly, DistributedReview.Timing.WallClockDeadlineCodeFix>;

namespace DistributedReview.Tests.Timing;

/// <summary>DR1002: an in-process deadline, lease or timeout checked against a wall clock.</summary>
public class DR1002Tests
{
    private const string LocalDeadline = """
        using System;

        class Poller
        {
            bool WaitFor(Func<bool> done, TimeSpan timeout)
            {
                var deadline = DateTime.UtcNow + timeout;
                while ([|DateTime.UtcNow < deadline|])
                {
                    if (done()) return true;
                }

                return false;
            }
        }
        """;

    private const string LocalDeadlineFixed = """
        using System;
        using System.Diagnostics;

        class Poller
        {
            bool WaitFor(Func<bool> done, TimeSpan timeout)
            {
                var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    if (done()) return true;
                }

                return false;
            }
        }
        """;

    // ---- Reported, and fixed -------------------------------------------------------------------------

    [Fact]
    public Task Local_deadline_in_a_loop_becomes_a_timestamp_deadline() => VerifyCS.FixAsync(LocalDeadline, LocalDeadlineFixed);

    [Fact]
    public Task Timestamp_deadline_works_on_netstandard_too() =>
        VerifyCS.FixAsync(LocalDeadline, LocalDeadlineFixed, new TestOptions { Target = TargetFramework.NetStandard20 });

    [Fact]
    public Task Private_lease_field_is_fixed_everywhere() => VerifyCS.FixAsync("""
        using System;

        class LeaderLease
        {
            private DateTime _leaseExpiry;

            public void Renew() => _leaseExpiry = DateTime.UtcNow.AddSeconds(30);

            public void Release() { _leaseExpiry = DateTime.UtcNow - TimeSpan.FromSeconds(1); }

            public bool IsHeld => [|DateTime.UtcNow < _leaseExpiry|];

            public bool Expired() => [|_leaseExpiry <= DateTime.UtcNow|];
        }
        """, """
        using System;
        using System.Diagnostics;

        class LeaderLease
        {
            private long _leaseExpiry;

            public void Renew() => _leaseExpiry = Stopwatch.GetTimestamp() + (long)(TimeSpan.FromSeconds(30).TotalSeconds * Stopwatch.Frequency);

            public void Release() { _leaseExpiry = Stopwatch.GetTimestamp() - (long)(TimeSpan.FromSeconds(1).TotalSeconds * Stopwatch.Frequency); }

            public bool IsHeld => Stopwatch.GetTimestamp() < _leaseExpiry;

            public bool Expired() => _leaseExpiry <= Stopwatch.GetTimestamp();
        }
        """);

    [Fact]
    public Task TimeProvider_deadline_keeps_the_provider() => VerifyCS.FixAsync("""
        using System;

        class CachedToken
        {
            private readonly TimeProvider _time;
            private readonly TimeSpan _ttl = TimeSpan.FromMinutes(5);
            private DateTimeOffset _refreshAt;

            public CachedToken(TimeProvider time) => _time = time;

            public void Refreshed() => _refreshAt = _time.GetUtcNow().Add(_ttl);

            public bool NeedsRefresh => [|_time.GetUtcNow() >= _refreshAt|];
        }
        """, """
        using System;

        class CachedToken
        {
            private readonly TimeProvider _time;
            private readonly TimeSpan _ttl = TimeSpan.FromMinutes(5);
            private long _refreshAt;

            public CachedToken(TimeProvider time) => _time = time;

            public void Refreshed() => _refreshAt = _time.GetTimestamp() + (long)(_ttl.TotalSeconds * _time.TimestampFrequency);

            public bool NeedsRefresh => _time.GetTimestamp() >= _refreshAt;
        }
        """);

    [Fact]
    public Task A_TimeProvider_parameter_in_scope_is_used() => VerifyCS.FixAsync("""
        using System;

        class Poller
        {
            bool WaitFor(Func<bool> done, TimeSpan timeout, TimeProvider time)
            {
                var deadline = DateTime.UtcNow + timeout;
                while ([|DateTime.UtcNow < deadline|])
                {
                    if (done()) return true;
                }

                return false;
            }
        }
        """, """
        using System;

        class Poller
        {
            bool WaitFor(Func<bool> done, TimeSpan timeout, TimeProvider time)
            {
                var deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
                while (time.GetTimestamp() < deadline)
                {
                    if (done()) return true;
                }

                return false;
            }
        }
        """);

    [Fact]
    public Task Fix_all_rewrites_several_deadlines_in_one_file() => VerifyCS.FixAsync("""
        using System;
        using System.Threading.Tasks;

        class Election
        {
            private DateTimeOffset _electionTimeout = DateTimeOffset.UtcNow.AddMilliseconds(300);

            public void OnHeartbeat() { _electionTimeout = DateTimeOffset.UtcNow.AddMilliseconds(300); }

            public bool ShouldStartElection() => [|DateTimeOffset.UtcNow > _electionTimeout|];

            public async Task<bool> CollectVotesAsync(Func<bool> quorum)
            {
                DateTime giveUpAt = DateTime.UtcNow.AddSeconds(2);
                while ([|DateTime.UtcNow < giveUpAt|] && !quorum())
                {
                    await Task.Delay(10);
                }

                return quorum();
            }
        }
        """, """
        using System;
        using System.Diagnostics;
        using System.Threading.Tasks;

        class Election
        {
            private long _electionTimeout = Stopwatch.GetTimestamp() + (long)(TimeSpan.FromMilliseconds(300).TotalSeconds * Stopwatch.Frequency);

            public void OnHeartbeat() { _electionTimeout = Stopwatch.GetTimestamp() + (long)(TimeSpan.FromMilliseconds(300).TotalSeconds * Stopwatch.Frequency); }

            public bool ShouldStartElection() => Stopwatch.GetTimestamp() > _electionTimeout;

            public async Task<bool> CollectVotesAsync(Func<bool> quorum)
            {
                long giveUpAt = Stopwatch.GetTimestamp() + (long)(TimeSpan.FromSeconds(2).TotalSeconds * Stopwatch.Frequency);
                while (Stopwatch.GetTimestamp() < giveUpAt && !quorum())
                {
                    await Task.Delay(10);
                }

                return quorum();
            }
        }
        """);

    // ---- Reported, no fix ----------------------------------------------------------------------------

    [Fact]
    public Task Stored_heartbeat_compared_with_a_shifted_now_is_reported_without_a_fix() => VerifyCS.NoFixAsync("""
        using System;

        class Peer
        {
            private readonly TimeSpan _timeout = TimeSpan.FromSeconds(10);
            private DateTime _lastHeartbeat = DateTime.UtcNow;

            public void OnHeartbeat() => _lastHeartbeat = DateTime.UtcNow;

            public bool Dead => [|_lastHeartbeat < DateTime.UtcNow.AddSeconds(-30)|];

            public bool Suspected => [|_lastHeartbeat + _timeout < DateTime.UtcNow|];
        }
        """);

    [Fact]
    public Task Deadline_from_a_stored_start_or_checked_through_a_variable_is_reported_without_a_fix() => VerifyCS.NoFixAsync("""
        using System;

        class Attempt
        {
            bool Run(TimeSpan budget)
            {
                var started = DateTime.UtcNow;
                var deadline = started + budget;
                var now = DateTime.UtcNow;
                return [|now > deadline|] || [|DateTime.UtcNow > deadline|];
            }
        }
        """);

    [Theory]
    [InlineData("var until = DateTime.UtcNow + t; return DateTime.UtcNow < until;", 95)]
    [InlineData("var leaseEnd = DateTime.UtcNow + t; return DateTime.UtcNow < leaseEnd;", 99)]
    [InlineData("var end = DateTime.UtcNow + t; var now = DateTime.UtcNow; return now < end;", 90)]
    [InlineData("return DateTime.UtcNow < _until;", 80)]
    [InlineData("return DateTime.UtcNow < Until;", 70)]
    public async Task Confidence_follows_the_evidence(string body, int confidence)
    {
        var source = $$"""
            using System;

            class Evidence
            {
                private DateTime _until = DateTime.UtcNow.AddMinutes(1);
                public DateTime Until = DateTime.UtcNow.AddMinutes(1);

                bool Check(TimeSpan t) { {{body}} }
            }
            """;
        var document = TestWorkspace.CreateDocument(source, TestOptions.Default);
        var diagnostic = Assert.Single(await Analysis.RunAsync(document.Project, ImmutableArray.Create<DiagnosticAnalyzer>(new WallClockDeadlineOnly())));

        ConfidenceAssert.Has(diagnostic, confidence);
    }

    // ---- Left alone ----------------------------------------------------------------------------------

    [Fact]
    public Task Expiry_instants_from_elsewhere_and_business_dates_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Security.Cryptography.X509Certificates;

        class AccessToken { public DateTimeOffset ExpiresOn { get; init; } }
        class Job { public DateTime DueAt { get; set; } }

        class Checks
        {
            private DateTime _persistedDeadline;

            public Checks(DateTime loaded) => _persistedDeadline = loaded;

            bool TokenValid(AccessToken token) => DateTimeOffset.UtcNow < token.ExpiresOn;
            bool CertificateValid(X509Certificate2 certificate) => DateTime.Now < certificate.NotAfter;
            bool Due(Job job) => job.DueAt <= DateTime.UtcNow;
            bool Persisted() => DateTime.UtcNow > _persistedDeadline;
            bool TrialOver(DateTime signedUp) => DateTime.UtcNow > signedUp.AddDays(30);
            bool InvoiceOverdue() { var due = DateTime.Today.AddDays(30); return DateTime.Today > due; }
            bool Nonsense() => DateTime.UtcNow < DateTime.UtcNow.AddSeconds(1);
        }
        """);

    [Fact]
    public Task Comparing_two_plain_instants_is_not_a_deadline() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        class Ordering
        {
            private DateTime _last = DateTime.UtcNow;

            bool Later() { var now = DateTime.UtcNow; return now > _last; }
        }
        """);

    [Fact]
    public Task Clock_implementations_are_left_alone() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        interface ISystemClock { DateTimeOffset UtcNow { get; } }

        class ManualClock : ISystemClock
        {
            private DateTimeOffset _frozenUntil = DateTimeOffset.UtcNow.AddSeconds(5);
            public DateTimeOffset UtcNow => DateTimeOffset.UtcNow < _frozenUntil ? _frozenUntil : DateTimeOffset.UtcNow;
        }
        """);
}
