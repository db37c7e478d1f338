using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace DistributedReview.Benchmarks;

/// <summary>One generated source file.</summary>
public sealed record CorpusFile(string Path, string Text);

/// <summary>
/// Generates a deterministic corpus of service code: models, services, workers, endpoints, helpers and cluster
/// plumbing. Most of it is ordinary code; it is dense in the shapes the rules look at (clock reads, divisions,
/// dictionary and counter updates, store and HTTP calls, loops with try/catch) and, at a low rate, contains the
/// bugs the rules report. The same seed always produces the same text.
/// </summary>
public sealed class Corpus
{
    /// <summary>Chance that a template with a buggy variant is written buggy: about one finding per 3,000 lines.</summary>
    public const double BugRate = 0.015;

    private static readonly (string Area, string[] Nouns)[] Areas =
    {
        ("Billing", new[] { "Invoice", "Payment", "Refund", "Ledger", "TaxRate", "CreditNote", "Statement", "Charge" }),
        ("Shipping", new[] { "Shipment", "Parcel", "Carrier", "Route", "Manifest", "Label", "Depot", "Tracking" }),
        ("Catalog", new[] { "Product", "Category", "PriceList", "Variant", "Bundle", "Review", "Brand", "Listing" }),
        ("Identity", new[] { "Account", "Session", "Role", "Grant", "Device", "Credential", "Profile", "Consent" }),
        ("Messaging", new[] { "Message", "Topic", "Subscription", "Envelope", "Mailbox", "Template", "Broadcast", "Receipt" }),
        ("Scheduling", new[] { "Job", "Schedule", "Slot", "Booking", "Reminder", "Calendar", "Shift", "Window" }),
        ("Inventory", new[] { "Stock", "Warehouse", "Reservation", "Bin", "Transfer", "Count", "Supplier", "Batch" }),
        ("Orders", new[] { "Order", "Cart", "Basket", "Quote", "Return", "Discount", "Voucher", "Checkout" }),
        ("Analytics", new[] { "Report", "Metric", "Dashboard", "Funnel", "Cohort", "Segment", "Event", "Export" }),
        ("Support", new[] { "Ticket", "Case", "Agent", "Escalation", "Survey", "Article", "Queue", "Reply" }),
    };

    private static readonly string[] Qualifiers = { "", "Pending", "Archived", "Recurring", "Partner", "Regional", "Draft", "Bulk", "Priority", "Legacy", "External", "Scheduled" };

    private readonly Random _random;
    private readonly double _bugRate;
    private readonly List<CorpusFile> _files = new();
    private readonly Dictionary<string, List<string>> _entitiesByArea = new();

    private Corpus(int seed, double bugRate)
    {
        _random = new Random(seed);
        _bugRate = bugRate;
    }

    /// <summary>
    /// Generates <paramref name="fileCount"/> files (at least one of each kind) plus the shared infrastructure file.
    /// With an <paramref name="ordinaryShare"/>, that share of the files is ordinary application code (handlers,
    /// mappers, validators, reports: none of the shapes the rules judge beyond what such code has), and the rest is the
    /// corpus <paramref name="fileCount"/> times the other share would be without it, unchanged.
    /// </summary>
    public static IReadOnlyList<CorpusFile> Generate(int fileCount, int seed = 20240611, double bugRate = BugRate, double ordinaryShare = 0)
    {
        var ordinary = (int)Math.Round(Math.Max(fileCount, 20) * Math.Clamp(ordinaryShare, 0, 0.95));
        var corpus = new Corpus(seed, bugRate);
        corpus.Build(Math.Max(fileCount, 20) - ordinary);
        corpus.AddOrdinary(ordinary, new Random(seed + 7919));
        return corpus._files;
    }

    private enum Kind { Model, Service, Worker, Endpoints, Helpers, Cluster, Hosting }

    private void Build(int fileCount)
    {
        _files.Add(new CorpusFile("Common/Infrastructure.cs", Infrastructure));

        // Plan: a quarter of the files declare the entities the rest use.
        var kinds = new List<(Kind Kind, string Area)>();
        for (var i = 0; i < fileCount - 1; i++)
        {
            var area = Areas[i % Areas.Length].Area;
            var roll = _random.NextDouble();
            var kind = i < Areas.Length ? Kind.Model
                : roll < 0.25 ? Kind.Model
                : roll < 0.58 ? Kind.Service
                : roll < 0.70 ? Kind.Worker
                : roll < 0.83 ? Kind.Endpoints
                : roll < 0.93 ? Kind.Helpers
                : roll < 0.995 ? Kind.Cluster
                : Kind.Hosting;
            kinds.Add((kind, area));
        }

        var models = new List<(string Area, string Entity)>();
        foreach (var (kind, area) in kinds.Where(k => k.Kind == Kind.Model))
        {
            var entity = NewEntityName(area);
            models.Add((area, entity));
        }

        foreach (var (area, entity) in models)
        {
            _files.Add(new CorpusFile($"{area}/Models/{entity}.cs", Model(area, entity)));
        }

        var counter = 0;
        foreach (var (kind, area) in kinds.Where(k => k.Kind != Kind.Model))
        {
            counter++;
            var entity = Pick(_entitiesByArea[area]);
            var (path, text) = kind switch
            {
                Kind.Service => ($"{area}/Services/{entity}Service{counter}.cs", Service(area, entity, $"{entity}Service{counter}")),
                Kind.Worker => ($"{area}/Workers/{entity}Worker{counter}.cs", Worker(area, entity, $"{entity}Worker{counter}")),
                Kind.Endpoints => ($"{area}/Endpoints/{entity}Endpoints{counter}.cs", Endpoints(area, entity, $"{entity}Endpoints{counter}")),
                Kind.Helpers => ($"{area}/Helpers/{area}Helpers{counter}.cs", Helpers(area, $"{area}Helpers{counter}")),
                Kind.Cluster => ($"{area}/Cluster/{area}Cluster{counter}.cs", Cluster(area, counter)),
                _ => ($"{area}/Hosting/{area}Host{counter}.cs", Hosting(area, counter)),
            };
            _files.Add(new CorpusFile(path, text));
        }
    }

    private string NewEntityName(string area)
    {
        var nouns = Areas.First(a => a.Area == area).Nouns;
        if (!_entitiesByArea.TryGetValue(area, out var list))
        {
            _entitiesByArea[area] = list = new List<string>();
        }

        for (var attempt = 0; ; attempt++)
        {
            var name = Pick(Qualifiers) + Pick(nouns) + (attempt > 50 ? (list.Count + 1).ToString() : "");
            if (!list.Contains(name))
            {
                list.Add(name);
                return name;
            }
        }
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private bool Chance(double p) => _random.NextDouble() < p;

    private bool Bug() => Chance(_bugRate);

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name.Substring(1);

    // ---- Shared infrastructure ----------------------------------------------------------------------------

    private const string Infrastructure = """
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Contoso.Common
        {
            public interface ILog
            {
                void Info(string message);
                void Warn(string message, Exception? error = null);
                void Error(string message, Exception? error = null);
            }

            public interface IRepository<T> where T : class
            {
                Task<T?> FindAsync(string id, CancellationToken cancellationToken);
                Task<IReadOnlyList<T>> ListAsync(int skip, int take, CancellationToken cancellationToken);
                Task SaveAsync(T item, CancellationToken cancellationToken);
                Task DeleteAsync(string id, CancellationToken cancellationToken);
            }

            public interface ISystemClock
            {
                DateTimeOffset UtcNow { get; }
            }

            public sealed class SystemClock : ISystemClock
            {
                public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
            }

            public abstract class EntityBase
            {
                public string Id { get; set; } = Guid.NewGuid().ToString("N");
                public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
                public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
                public long Version { get; set; }
            }

            public sealed class ValidationException : Exception
            {
                public ValidationException(string message) : base(message) { }
            }

            public sealed record Result<T>(bool Succeeded, T? Value, string? Error)
            {
                public static Result<T> Ok(T value) => new(true, value, null);
                public static Result<T> Fail(string error) => new(false, default, error);
            }

            public sealed class Metrics
            {
                private readonly ConcurrentDictionary<string, long> _counters = new();
                private readonly ConcurrentDictionary<string, double> _gauges = new();

                public void Increment(string name) => _counters.AddOrUpdate(name, 1, (_, current) => current + 1);

                public void Observe(string name, double value) => _gauges[name] = value;

                public long Read(string name) => _counters.TryGetValue(name, out var value) ? value : 0;
            }

            public static class Guard
            {
                public static string NotEmpty(string? value, string name) =>
                    string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"{name} is required.", name) : value;

                public static int Positive(int value, string name) =>
                    value <= 0 ? throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.") : value;
            }
        }
        """;

    // ---- Models -------------------------------------------------------------------------------------------

    private string Model(string area, string entity)
    {
        var extra = new StringBuilder();
        var extraCount = _random.Next(3, 9);
        var extras = new[]
        {
            ("string", "Description", "\"\""), ("string?", "ExternalReference", "null"), ("string", "Currency", "\"EUR\""),
            ("int", "Priority", "0"), ("bool", "IsArchived", "false"), ("Guid", "CorrelationId", "Guid.NewGuid()"),
            ("DateTime?", "ExpiresAt", "null"), ("string", "Region", "\"eu-west\""), ("double", "Weight", "0"),
            ("Dictionary<string, string>", "Attributes", "new()"), ("string", "Owner", "\"\""), ("int", "RetryCount", "0"),
        }.OrderBy(_ => _random.Next()).Take(extraCount);
        foreach (var (type, name, init) in extras)
        {
            extra.Append($$"""

                        public {{type}} {{name}} { get; set; } = {{init}};
                """);
        }

        var e = Camel(entity);
        var merge = Bug()
            ? $$"""
                        /// <summary>Keeps the most recently updated copy when two replicas disagree.</summary>
                        public static {{entity}} Merge({{entity}} incoming, {{entity}} current) =>
                            incoming.UpdatedAt > current.UpdatedAt ? incoming : current;
                """
            : $$"""
                        /// <summary>Keeps the copy with the higher version when two replicas disagree.</summary>
                        public static {{entity}} Merge({{entity}} incoming, {{entity}} current) =>
                            incoming.Version > current.Version ? incoming : current;
                """;

        return $$"""
            using System;
            using System.Collections.Generic;
            using System.Globalization;
            using System.Linq;
            using System.Text;
            using Contoso.Common;

            namespace Contoso.{{area}}
            {
                public enum {{entity}}Status
                {
                    Draft,
                    Active,
                    Suspended,
                    Cancelled,
                    Completed,
                }

                public sealed record {{entity}}Dto(string Id, string Name, string Status, decimal Amount, int Quantity, DateTime UpdatedAt);

                public sealed record {{entity}}Stats(int Count, decimal Total, decimal Average, double CancelledShare, int Pages, int MaxQuantity);

                public sealed class {{entity}} : EntityBase
                {
                    public const int MaxNameLength = {{_random.Next(40, 200)}};

                    public string Name { get; set; } = "";

                    public {{entity}}Status Status { get; set; } = {{entity}}Status.Draft;

                    public decimal Amount { get; set; }

                    public int Quantity { get; set; }

                    public List<string> Tags { get; } = new();{{extra}}

                    public IReadOnlyList<string> Validate()
                    {
                        var errors = new List<string>();
                        if (string.IsNullOrWhiteSpace(Name))
                        {
                            errors.Add("Name is required.");
                        }
                        else if (Name.Length > MaxNameLength)
                        {
                            errors.Add($"Name must be at most {MaxNameLength} characters.");
                        }

                        if (Amount < 0)
                        {
                            errors.Add("Amount cannot be negative.");
                        }

                        if (Quantity < 0 || Quantity > {{_random.Next(100, 10000)}})
                        {
                            errors.Add("Quantity is out of range.");
                        }

                        if (Tags.Any(tag => tag.Length == 0 || tag.Contains(' ')))
                        {
                            errors.Add("Tags must be single non-empty words.");
                        }

                        return errors;
                    }

                    public void Touch()
                    {
                        UpdatedAt = DateTime.UtcNow;
                        Version++;
                    }

                    public bool CanTransitionTo({{entity}}Status next) => (Status, next) switch
                    {
                        ({{entity}}Status.Draft, {{entity}}Status.Active) => true,
                        ({{entity}}Status.Active, {{entity}}Status.Suspended) => true,
                        ({{entity}}Status.Suspended, {{entity}}Status.Active) => true,
                        ({{entity}}Status.Active, {{entity}}Status.Completed) => true,
                        (_, {{entity}}Status.Cancelled) => Status != {{entity}}Status.Completed,
                        _ => false,
                    };

                    public void TransitionTo({{entity}}Status next)
                    {
                        if (!CanTransitionTo(next))
                        {
                            throw new InvalidOperationException($"{{entity}} {Id} cannot go from {Status} to {next}.");
                        }

                        Status = next;
                        Touch();
                    }

                    public decimal LineTotal(decimal taxRate) => Math.Round(Amount * Quantity * (1 + taxRate), 2, MidpointRounding.AwayFromZero);

                    public string ToSummary()
                    {
                        var builder = new StringBuilder();
                        builder.Append(Name).Append(" (").Append(Status).Append(')');
                        builder.Append(", ").Append(Amount.ToString("0.00", CultureInfo.InvariantCulture));
                        if (Tags.Count > 0)
                        {
                            builder.Append(" [").Append(string.Join(", ", Tags.OrderBy(t => t, StringComparer.Ordinal))).Append(']');
                        }

                        return builder.ToString();
                    }

                    public {{entity}}Dto ToDto() => new(Id, Name, Status.ToString(), Amount, Quantity, UpdatedAt);

                    public static {{entity}} FromDto({{entity}}Dto dto) => new()
                    {
                        Id = dto.Id,
                        Name = dto.Name,
                        Status = Enum.TryParse<{{entity}}Status>(dto.Status, out var status) ? status : {{entity}}Status.Draft,
                        Amount = dto.Amount,
                        Quantity = dto.Quantity,
                        UpdatedAt = dto.UpdatedAt,
                    };

            {{merge}}

                    public override string ToString() => $"{{entity}}({Id}, v{Version})";
                }

                public static class {{entity}}Extensions
                {
                    public static IEnumerable<{{entity}}> Active(this IEnumerable<{{entity}}> {{e}}s) =>
                        {{e}}s.Where(item => item.Status == {{entity}}Status.Active);

                    public static decimal TotalAmount(this IEnumerable<{{entity}}> {{e}}s) => {{e}}s.Sum(item => item.Amount * item.Quantity);

                    public static ILookup<string, {{entity}}> ByTag(this IEnumerable<{{entity}}> {{e}}s) =>
                        {{e}}s.SelectMany(item => item.Tags.Select(tag => (tag, item))).ToLookup(pair => pair.tag, pair => pair.item);
                }
            }

            """;
    }

    // ---- Services -----------------------------------------------------------------------------------------

    /// <summary>What a method template needs from its class.</summary>
    [Flags]
    private enum Needs
    {
        None = 0,
        Repository = 1,
        Log = 2,
        Metrics = 4,
        Cache = 8,
        Redis = 16,
        Http = 32,
        Counters = 64,
        Locks = 128,
        Clock = 256,
        Processed = 512,
    }

    private sealed record Member(string Text, Needs Needs);

    private string Service(string area, string entity, string className)
    {
        var templates = new List<Func<string, Member>>
        {
            GetCached, ListPage, Stats, Update, CachedSummary, ViewCount, CounterMetric, ProcessedCount, FetchRemote,
            SendWithRetry, TimedOperation, ProcessBatch, ExpireOld, ExclusiveRun, Describe, ReplicaBalance, ImportCsv,
        };
        var chosen = templates.OrderBy(_ => _random.Next()).Take(_random.Next(7, 11)).Select(t => t(entity)).ToList();
        return Class(area, entity, className, chosen, "");
    }

    private string Class(string area, string entity, string className, List<Member> members, string extraFields)
    {
        var needs = members.Aggregate(Needs.Repository | Needs.Log, (all, m) => all | m.Needs);
        var fields = new StringBuilder();
        var parameters = new List<string>();
        var assignments = new StringBuilder();
        void Dependency(Needs need, string type, string name)
        {
            if (needs.HasFlag(need))
            {
                fields.Append($"\n        private readonly {type} _{name};");
                parameters.Add($"{type} {name}");
                assignments.Append($"\n            _{name} = {name};");
            }
        }

        Dependency(Needs.Repository, $"IRepository<{entity}>", "repository");
        Dependency(Needs.Log, "ILog", "log");
        Dependency(Needs.Metrics, "Metrics", "metrics");
        Dependency(Needs.Redis, "IDatabase", "db");
        Dependency(Needs.Http, "HttpClient", "http");
        Dependency(Needs.Locks, "IDistributedLockFactory", "locks");
        Dependency(Needs.Clock, "ISystemClock", "clock");
        if (needs.HasFlag(Needs.Cache))
        {
            fields.Append($"\n        private readonly object _gate = new();\n        private readonly Dictionary<string, {entity}> _cache = new(StringComparer.Ordinal);\n        private int _hits;");
        }

        if (needs.HasFlag(Needs.Counters))
        {
            fields.Append("\n        private readonly ConcurrentDictionary<string, long> _counters = new();");
        }

        if (needs.HasFlag(Needs.Processed))
        {
            fields.Append("\n        private long _processed;");
        }

        var body = string.Join("\n\n", members.Select(m => m.Text.TrimEnd()));
        return $$"""
            using System;
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Diagnostics;
            using System.Globalization;
            using System.IO;
            using System.Linq;
            using System.Net;
            using System.Net.Http;
            using System.Text;
            using System.Text.Json;
            using System.Threading;
            using System.Threading.Tasks;
            using Contoso.Common;
            using RedLockNet;
            using StackExchange.Redis;

            namespace Contoso.{{area}}
            {
                public sealed class {{className}}
                {
                    private const int PageSize = {{_random.Next(2, 10) * 10}};
                    private const int MaxAttempts = {{_random.Next(3, 7)}};
            {{fields.ToString().TrimStart('\n')}}{{extraFields}}

                    public {{className}}({{string.Join(", ", parameters)}})
                    {{{assignments}}
                    }

            {{body}}
                }
            }

            """;
    }

    private Member GetCached(string entity) => new($$"""
                public async Task<{{entity}}?> GetAsync(string id, CancellationToken cancellationToken)
                {
                    if (string.IsNullOrWhiteSpace(id))
                    {
                        throw new ArgumentException("An id is required.", nameof(id));
                    }

                    lock (_gate)
                    {
                        if (_cache.TryGetValue(id, out var cached))
                        {
                            _hits++;
                            return cached;
                        }
                    }

                    var item = await _repository.FindAsync(id, cancellationToken);
                    if (item is not null)
                    {
                        lock (_gate)
                        {
                            _cache[id] = item;
                        }
                    }

                    return item;
                }

                public int CacheHits
                {
                    get
                    {
                        lock (_gate)
                        {
                            return _hits;
                        }
                    }
                }
        """, Needs.Cache);

    private Member ListPage(string entity) => new($$"""
                public async Task<IReadOnlyList<{{entity}}Dto>> ListAsync(int page, int pageSize, string? filter, CancellationToken cancellationToken)
                {
                    pageSize = Math.Clamp(pageSize, 1, 200);
                    var items = await _repository.ListAsync(page * pageSize, pageSize, cancellationToken);
                    return items
                        .Where(item => filter is null || item.Name.Contains(filter, StringComparison.OrdinalIgnoreCase))
                        .OrderByDescending(item => item.UpdatedAt)
                        .ThenBy(item => item.Name, StringComparer.Ordinal)
                        .Select(item => item.ToDto())
                        .ToList();
                }
        """, Needs.None);

    private Member Stats(string entity) => new($$"""
                public {{entity}}Stats ComputeStats(IReadOnlyCollection<{{entity}}> items)
                {
                    var total = 0m;
                    var count = 0;
                    var maxQuantity = 0;
                    foreach (var item in items)
                    {
                        if (item.Status == {{entity}}Status.Cancelled)
                        {
                            continue;
                        }

                        total += item.Amount * item.Quantity;
                        count++;
                        maxQuantity = Math.Max(maxQuantity, item.Quantity);
                    }

                    var average = count == 0 ? 0m : total / count;
                    var cancelled = items.Count(item => item.Status == {{entity}}Status.Cancelled);
                    var cancelledShare = items.Count == 0 ? 0.0 : (double)cancelled / items.Count;
                    var pages = (items.Count + PageSize - 1) / PageSize;
                    return new {{entity}}Stats(count, total, average, cancelledShare, pages, maxQuantity);
                }

                public static decimal MedianAmount(IReadOnlyList<{{entity}}> items)
                {
                    if (items.Count == 0)
                    {
                        return 0m;
                    }

                    var sorted = items.Select(item => item.Amount).OrderBy(amount => amount).ToArray();
                    var middle = sorted.Length / 2;
                    return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
                }
        """, Needs.None);

    private Member Update(string entity) => new($$"""
                public async Task UpdateAsync({{entity}} item, CancellationToken cancellationToken)
                {
                    var errors = item.Validate();
                    if (errors.Count > 0)
                    {
                        throw new ValidationException(string.Join("; ", errors));
                    }

                    item.UpdatedAt = DateTime.UtcNow;
                    item.Version++;
                    await _repository.SaveAsync(item, cancellationToken);
                    _metrics.Increment("{{Camel(entity)}}.updated");
                    _log.Info($"Updated {{entity}} {item.Id} to version {item.Version}");
                }
        """, Needs.Metrics);

    private Member CachedSummary(string entity) => new($$"""
                public async Task<string?> GetSummaryAsync(string id, CancellationToken cancellationToken)
                {
                    var key = $"{{Camel(entity)}}:summary:{id}";
                    var cached = await _db.StringGetAsync(key);
                    if (cached.HasValue)
                    {
                        return cached;
                    }

                    var item = await _repository.FindAsync(id, cancellationToken);
                    if (item is null)
                    {
                        return null;
                    }

                    var summary = item.ToSummary();
                    await _db.StringSetAsync(key, summary, TimeSpan.FromMinutes({{_random.Next(1, 30)}}));
                    return summary;
                }
        """, Needs.Redis);

    private Member ViewCount(string entity) => Bug()
        ? new($$"""
                public void RecordView(string id)
                {
                    var key = $"{{Camel(entity)}}:views:{id}";
                    var views = (long)_db.StringGet(key);
                    _db.StringSet(key, views + 1);
                }
        """, Needs.Redis)
        : new($$"""
                public void RecordView(string id)
                {
                    var key = $"{{Camel(entity)}}:views:{id}";
                    _db.StringIncrement(key);
                }

                public long ReadViews(string id)
                {
                    var views = _db.StringGet($"{{Camel(entity)}}:views:{id}", CommandFlags.PreferReplica);
                    return views.HasValue ? (long)views : 0;
                }
        """, Needs.Redis);

    private Member ReplicaBalance(string entity) => Bug()
        ? new($$"""
                public void Credit(string account, long amount)
                {
                    var balance = (long)_db.HashGet("balances", account, CommandFlags.PreferReplica);
                    _db.HashSet("balances", account, balance + amount);
                }
        """, Needs.Redis)
        : new($$"""
                public void Credit(string account, long amount)
                {
                    _db.HashIncrement("balances", account, amount);
                    _log.Info($"Credited {amount} to {account}");
                }

                public string DisplayBalance(string account)
                {
                    var balance = _db.HashGet("balances", account, CommandFlags.PreferReplica);
                    return balance.HasValue ? ((long)balance).ToString("N0", CultureInfo.InvariantCulture) : "-";
                }
        """, Needs.Redis);

    private Member CounterMetric(string entity) => Bug()
        ? new($$"""
                public void CountRequest(string route, int bytes)
                {
                    _counters[route] += bytes;
                }

                public long RequestBytes(string route) => _counters.TryGetValue(route, out var bytes) ? bytes : 0;
        """, Needs.Counters)
        : new($$"""
                public void CountRequest(string route, int bytes)
                {
                    _counters.AddOrUpdate(route, bytes, (_, current) => current + bytes);
                }

                public long RequestBytes(string route) => _counters.TryGetValue(route, out var bytes) ? bytes : 0;

                public void ResetCounters()
                {
                    foreach (var route in _counters.Keys.ToList())
                    {
                        _counters[route] = 0;
                    }
                }
        """, Needs.Counters);

    private Member ProcessedCount(string entity) => new($$"""
                public void MarkProcessed({{entity}} item)
                {
                    Interlocked.Increment(ref _processed);
                    _log.Info($"Processed {item}");
                }

                public void MarkSkipped()
                {
                    {{(Bug() ? "_processed--;" : "Interlocked.Decrement(ref _processed);")}}
                }

                public long Processed => Interlocked.Read(ref _processed);
        """, Needs.Processed);

    private Member FetchRemote(string entity)
    {
        var handler = Bug()
            ? """
                        catch (HttpRequestException)
                        {
                        }

                        return null;
            """
            : """
                        catch (HttpRequestException ex)
                        {
                            _log.Warn($"Fetching {id} failed", ex);
                            throw;
                        }
            """;
        return new($$"""
                public async Task<{{entity}}Dto?> FetchRemoteAsync(string id, CancellationToken cancellationToken)
                {
                    try
                    {
                        using var response = await _http.GetAsync($"api/{{Camel(entity)}}s/{Uri.EscapeDataString(id)}", cancellationToken);
                        if (response.StatusCode == HttpStatusCode.NotFound)
                        {
                            return null;
                        }

                        response.EnsureSuccessStatusCode();
                        var body = await response.Content.ReadAsStringAsync(cancellationToken);
                        return JsonSerializer.Deserialize<{{entity}}Dto>(body);
                    }
        {{handler}}
                }
        """, Needs.Http | Needs.Log);
    }

    private Member SendWithRetry(string entity) => Bug()
        ? new($$"""
                public async Task<string> SendAsync(string payload, CancellationToken cancellationToken)
                {
                    for (var attempt = 0; attempt < MaxAttempts; attempt++)
                    {
                        try
                        {
                            using var content = new StringContent(payload, Encoding.UTF8, "application/json");
                            using var response = await _http.PostAsync("api/{{Camel(entity)}}s", content, cancellationToken);
                            response.EnsureSuccessStatusCode();
                            return await response.Content.ReadAsStringAsync(cancellationToken);
                        }
                        catch (HttpRequestException ex)
                        {
                            _log.Warn($"Attempt {attempt} failed", ex);
                            await Task.Delay(1000, cancellationToken);
                        }
                    }

                    throw new TimeoutException("The peer did not answer.");
                }
        """, Needs.Http)
        : new($$"""
                public async Task<string> SendAsync(string payload, CancellationToken cancellationToken)
                {
                    var delay = TimeSpan.FromMilliseconds({{_random.Next(1, 5) * 100}});
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            using var content = new StringContent(payload, Encoding.UTF8, "application/json");
                            using var response = await _http.PostAsync("api/{{Camel(entity)}}s", content, cancellationToken);
                            response.EnsureSuccessStatusCode();
                            return await response.Content.ReadAsStringAsync(cancellationToken);
                        }
                        catch (HttpRequestException ex) when (attempt < MaxAttempts)
                        {
                            _log.Warn($"Attempt {attempt} failed; retrying in {delay.TotalMilliseconds} ms", ex);
                            await Task.Delay(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100)), cancellationToken);
                            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
                        }
                    }
                }
        """, Needs.Http);

    private Member TimedOperation(string entity) => Bug()
        ? new($$"""
                public async Task<int> RefreshAsync(CancellationToken cancellationToken)
                {
                    var started = DateTime.UtcNow;
                    var items = await _repository.ListAsync(0, PageSize, cancellationToken);
                    foreach (var item in items)
                    {
                        item.Touch();
                        await _repository.SaveAsync(item, cancellationToken);
                    }

                    var elapsed = DateTime.UtcNow - started;
                    _metrics.Observe("{{Camel(entity)}}.refresh.ms", elapsed.TotalMilliseconds);
                    return items.Count;
                }
        """, Needs.Metrics)
        : new($$"""
                public async Task<int> RefreshAsync(CancellationToken cancellationToken)
                {
                    var stopwatch = Stopwatch.StartNew();
                    var items = await _repository.ListAsync(0, PageSize, cancellationToken);
                    foreach (var item in items)
                    {
                        item.Touch();
                        await _repository.SaveAsync(item, cancellationToken);
                    }

                    _metrics.Observe("{{Camel(entity)}}.refresh.ms", stopwatch.Elapsed.TotalMilliseconds);
                    _log.Info($"Refreshed {items.Count} items at {DateTime.UtcNow:O}");
                    return items.Count;
                }
        """, Needs.Metrics);

    private Member ProcessBatch(string entity) => new($$"""
                public async Task<int> ProcessBatchAsync(IEnumerable<{{entity}}> items, CancellationToken cancellationToken)
                {
                    var processed = 0;
                    var failures = new List<string>();
                    foreach (var item in items)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        try
                        {
                            if (item.Status == {{entity}}Status.Draft)
                            {
                                item.TransitionTo({{entity}}Status.Active);
                            }

                            await _repository.SaveAsync(item, cancellationToken);
                            processed++;
                        }
                        catch (InvalidOperationException ex)
                        {
                            failures.Add(item.Id);
                            _log.Warn($"Skipping {item.Id}: {ex.Message}");
                        }
                    }

                    if (failures.Count > 0)
                    {
                        _log.Warn($"{failures.Count} of {processed + failures.Count} items failed: {string.Join(", ", failures.Take(10))}");
                    }

                    return processed;
                }
        """, Needs.None);

    private Member ExpireOld(string entity) => new($$"""
                public async Task<int> ArchiveStaleAsync(TimeSpan maxAge, CancellationToken cancellationToken)
                {
                    var cutoff = _clock.UtcNow.UtcDateTime - maxAge;
                    var archived = 0;
                    var items = await _repository.ListAsync(0, PageSize, cancellationToken);
                    foreach (var item in items.Where(i => i.Status is {{entity}}Status.Completed or {{entity}}Status.Cancelled))
                    {
                        if (item.UpdatedAt < cutoff)
                        {
                            await _repository.DeleteAsync(item.Id, cancellationToken);
                            archived++;
                        }
                    }

                    return archived;
                }
        """, Needs.Clock);

    private Member ExclusiveRun(string entity) => Bug()
        ? new($$"""
                public async Task RebuildIndexAsync(CancellationToken cancellationToken)
                {
                    using var redLock = await _locks.CreateLockAsync("{{Camel(entity)}}:rebuild", TimeSpan.FromSeconds(30));
                    var items = await _repository.ListAsync(0, PageSize, cancellationToken);
                    _log.Info($"Rebuilt index over {items.Count} items");
                }
        """, Needs.Locks)
        : new($$"""
                public async Task RebuildIndexAsync(CancellationToken cancellationToken)
                {
                    using var redLock = await _locks.CreateLockAsync("{{Camel(entity)}}:rebuild", TimeSpan.FromSeconds(30));
                    if (!redLock.IsAcquired)
                    {
                        _log.Info("Another node is rebuilding the index");
                        return;
                    }

                    var items = await _repository.ListAsync(0, PageSize, cancellationToken);
                    _log.Info($"Rebuilt index over {items.Count} items");
                }
        """, Needs.Locks);

    private Member Describe(string entity) => new($$"""
                public static string Describe({{entity}} item) => item.Status switch
                {
                    {{entity}}Status.Draft => $"{item.Name} (not yet active)",
                    {{entity}}Status.Active when item.Quantity == 0 => $"{item.Name} (active, empty)",
                    {{entity}}Status.Active => $"{item.Name} (active, {item.Quantity} units)",
                    {{entity}}Status.Suspended => $"{item.Name} (suspended since {item.UpdatedAt:d})",
                    {{entity}}Status.Cancelled => $"{item.Name} (cancelled)",
                    _ => item.Name,
                };

                public static string ToCsvLine({{entity}} item) =>
                    string.Join(",", item.Id, Quote(item.Name), item.Status, item.Amount.ToString(CultureInfo.InvariantCulture), item.Quantity);

                private static string Quote(string value) =>
                    value.IndexOfAny(new[] { ',', '"', '\n' }) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
        """, Needs.None);

    private Member ImportCsv(string entity) => new($$"""
                public IReadOnlyList<{{entity}}> Import(TextReader reader)
                {
                    var imported = new List<{{entity}}>();
                    var lineNumber = 0;
                    string? line;
                    while ((line = reader.ReadLine()) is not null)
                    {
                        lineNumber++;
                        if (lineNumber == 1 || line.Length == 0)
                        {
                            continue;
                        }

                        var parts = line.Split(',');
                        if (parts.Length < 4)
                        {
                            _log.Warn($"Line {lineNumber}: expected 4 columns, found {parts.Length}");
                            continue;
                        }

                        try
                        {
                            imported.Add(new {{entity}}
                            {
                                Name = parts[0].Trim(),
                                Amount = decimal.Parse(parts[1], NumberStyles.Number, CultureInfo.InvariantCulture),
                                Quantity = int.Parse(parts[2], CultureInfo.InvariantCulture),
                                Status = Enum.Parse<{{entity}}Status>(parts[3], ignoreCase: true),
                            });
                        }
                        catch (FormatException ex)
                        {
                            _log.Warn($"Line {lineNumber}: {ex.Message}");
                        }
                    }

                    return imported;
                }
        """, Needs.None);

    // ---- Workers ------------------------------------------------------------------------------------------

    private string Worker(string area, string entity, string className)
    {
        var members = new List<Member>
        {
            new($$"""
                public async Task RunAsync(CancellationToken cancellationToken)
                {
                    _log.Info("{{className}} started");
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        try
                        {
                            var handled = await RunOnceAsync(cancellationToken);
                            _metrics.Observe("{{Camel(className)}}.batch", handled);
                        }
                        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                        {
                            break;
                        }
                        catch (Exception ex)
                        {
                            _log.Error("{{className}} iteration failed", ex);
                        }

        {{(Bug() ? "                await Task.Delay(_nextRun - DateTime.UtcNow, cancellationToken);" : "                await Task.Delay(_interval, cancellationToken);")}}
                        _nextRun = DateTime.UtcNow + _interval;
                    }
                }

                private async Task<int> RunOnceAsync(CancellationToken cancellationToken)
                {
                    var stopwatch = Stopwatch.StartNew();
                    var items = await _repository.ListAsync(0, PageSize, cancellationToken);
                    var handled = 0;
                    foreach (var item in items)
                    {
                        if (item.Status != {{entity}}Status.Active)
                        {
                            continue;
                        }

                        try
                        {
                            item.Touch();
                            await _repository.SaveAsync(item, cancellationToken);
                            handled++;
                        }
                        catch (InvalidOperationException ex)
                        {
                            _log.Warn($"Could not handle {item.Id}", ex);
                        }
                    }

                    _log.Info($"Handled {handled}/{items.Count} in {stopwatch.ElapsedMilliseconds} ms");
                    return handled;
                }
        """, Needs.Metrics),
        };

        if (Chance(0.5))
        {
            members.Add(Chance(0.06)
                ? new("""
                public bool WaitForDrain(Func<bool> drained, int timeoutMs)
                {
                    var deadline = Environment.TickCount + timeoutMs;
                    while (!drained())
                    {
                        if (Environment.TickCount > deadline)
                        {
                            return false;
                        }

                        Thread.Sleep(10);
                    }

                    return true;
                }
        """, Needs.None)
                : new("""
                public bool WaitForDrain(Func<bool> drained, int timeoutMs)
                {
                    var start = Environment.TickCount64;
                    while (!drained())
                    {
                        if (Environment.TickCount64 - start > timeoutMs)
                        {
                            return false;
                        }

                        Thread.Sleep(10);
                    }

                    return true;
                }
        """, Needs.None));
        }

        if (Chance(0.5))
        {
            members.Add(new($$"""
                public TimeSpan MeasureFlush(Action flush)
                {
                    var watch = Stopwatch.StartNew();
                    flush();
                    watch.Stop();
                    return {{(Bug() ? "TimeSpan.FromTicks(watch.ElapsedTicks)" : "watch.Elapsed")}};
                }
        """, Needs.None));
        }

        if (Chance(0.4))
        {
            members.Add(Bug()
                ? new("""
                public async Task<bool> WaitUntilReadyAsync(Func<Task<bool>> probe, TimeSpan timeout, CancellationToken cancellationToken)
                {
                    var deadline = DateTime.UtcNow + timeout;
                    while (DateTime.UtcNow < deadline)
                    {
                        if (await probe())
                        {
                            return true;
                        }

                        await Task.Delay(250, cancellationToken);
                    }

                    return false;
                }
        """, Needs.None)
                : new("""
                public async Task<bool> WaitUntilReadyAsync(Func<Task<bool>> probe, TimeSpan timeout, CancellationToken cancellationToken)
                {
                    var stopwatch = Stopwatch.StartNew();
                    while (stopwatch.Elapsed < timeout)
                    {
                        if (await probe())
                        {
                            return true;
                        }

                        await Task.Delay(250, cancellationToken);
                    }

                    return false;
                }
        """, Needs.None));
        }

        members.Add(ProcessedCount(entity));
        if (Chance(0.5))
        {
            members.Add(CounterMetric(entity));
        }

        if (Chance(0.4))
        {
            members.Add(ProcessBatch(entity));
        }

        var text = Class(area, entity, className, members, $"\n        private readonly TimeSpan _interval = TimeSpan.FromSeconds({_random.Next(5, 120)});\n        private DateTime _nextRun = DateTime.UtcNow;");
        return text;
    }

    // ---- Endpoints ----------------------------------------------------------------------------------------

    private string Endpoints(string area, string entity, string className)
    {
        var e = Camel(entity) + "s";
        var members = new List<Member>
        {
            new($$"""
                public async Task<Result<{{entity}}Dto>> CreateAsync(Create{{className}}Request request, CancellationToken cancellationToken)
                {
                    if (request is null)
                    {
                        return Result<{{entity}}Dto>.Fail("A request body is required.");
                    }

                    var item = new {{entity}}
                    {
                        Name = request.Name.Trim(),
                        Amount = request.Amount,
                        Quantity = request.Quantity,
                    };
                    item.Tags.AddRange(request.Tags ?? Array.Empty<string>());
                    var errors = item.Validate();
                    if (errors.Count > 0)
                    {
                        return Result<{{entity}}Dto>.Fail(string.Join(" ", errors));
                    }

                    await _repository.SaveAsync(item, cancellationToken);
                    _metrics.Increment("{{e}}.created");
                    return Result<{{entity}}Dto>.Ok(item.ToDto());
                }

                public async Task<Result<{{entity}}Dto>> ChangeStatusAsync(string id, string status, long expectedVersion, CancellationToken cancellationToken)
                {
                    if (!Enum.TryParse<{{entity}}Status>(status, ignoreCase: true, out var next))
                    {
                        return Result<{{entity}}Dto>.Fail($"Unknown status '{status}'.");
                    }

                    var item = await _repository.FindAsync(id, cancellationToken);
                    if (item is null)
                    {
                        return Result<{{entity}}Dto>.Fail($"{{entity}} {id} was not found.");
                    }

                    if (item.Version != expectedVersion)
                    {
                        return Result<{{entity}}Dto>.Fail($"{{entity}} {id} was changed by someone else (version {item.Version}).");
                    }

                    try
                    {
                        item.TransitionTo(next);
                    }
                    catch (InvalidOperationException ex)
                    {
                        return Result<{{entity}}Dto>.Fail(ex.Message);
                    }

                    await _repository.SaveAsync(item, cancellationToken);
                    return Result<{{entity}}Dto>.Ok(item.ToDto());
                }

                public async Task<IReadOnlyList<{{entity}}Dto>> SearchAsync(string? query, int page, CancellationToken cancellationToken)
                {
                    var items = await _repository.ListAsync(Math.Max(0, page) * PageSize, PageSize, cancellationToken);
                    var terms = (query ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    return items
                        .Where(item => terms.All(term => item.Name.Contains(term, StringComparison.OrdinalIgnoreCase) || item.Tags.Contains(term)))
                        .Select(item => item.ToDto())
                        .ToList();
                }
        """, Needs.Metrics),
        };
        var templates = new List<Func<string, Member>> { Stats, Describe, GetCached, FetchRemote, ImportCsv, ExpireOld };
        members.AddRange(templates.OrderBy(_ => _random.Next()).Take(_random.Next(1, 4)).Select(t => t(entity)));
        var text = Class(area, entity, className, members, "");
        var request = $"    public sealed record Create{className}Request(string Name, decimal Amount, int Quantity, string[]? Tags);\n\n";
        var at = text.IndexOf("    public sealed class", StringComparison.Ordinal);
        return text.Insert(at, request);
    }

    // ---- Ordinary application code ------------------------------------------------------------------------

    /// <summary>
    /// Files of ordinary application code, as most of a real service is: handlers that load, check, map and save
    /// entities, reports, option parsing, validation. They have the calls, catches, loops, look-ups and comparisons
    /// such code has, and no clock reads, locks, halves, delays or remote calls. Their own random source, so that the
    /// rest of the corpus is the same with or without them.
    /// </summary>
    private void AddOrdinary(int count, Random random)
    {
        var templates = new List<Func<string, Member>>
        {
            OrdinaryGet, OrdinaryDelete, OrdinaryTable, OrdinaryOptions, OrdinaryImport, OrdinaryTotals, OrdinaryCheck,
            OrdinaryTerms, OrdinaryDisplayName, OrdinaryRename, OrdinaryListItem, OrdinaryNotice, OrdinarySort, OrdinaryPage,
        };
        for (var i = 0; i < count; i++)
        {
            var (area, _) = Areas[random.Next(Areas.Length)];
            var entities = _entitiesByArea[area];
            var entity = entities[random.Next(entities.Count)];
            var className = $"{entity}Handlers{i + 1}";
            var members = templates.OrderBy(_ => random.Next()).Take(random.Next(6, 11)).Select(t => t(entity)).ToList();
            var text = Class(area, entity, className, members, "");
            var records = $"    public sealed record {className}Query(string? Text, int Page, int PageSize);\n\n"
                + $"    public sealed record {className}Reply(bool Found, {entity}Dto? Item, string? Problem);\n\n";
            var at = text.IndexOf("    public sealed class", StringComparison.Ordinal);
            _files.Add(new CorpusFile($"{area}/Application/{className}.cs", text.Insert(at, records)));
        }
    }

    private static Member OrdinaryGet(string entity) => new($$"""
                public async Task<Result<{{entity}}Dto>> Find{{entity}}Async(string id, CancellationToken cancellationToken)
                {
                    var item = await _repository.FindAsync(id, cancellationToken);
                    if (item is null)
                    {
                        _log.Info($"{{entity}} {id} was not found.");
                        return Result<{{entity}}Dto>.Fail($"{{entity}} {id} was not found.");
                    }

                    return Result<{{entity}}Dto>.Ok(item.ToDto());
                }
        """, Needs.None);

    private static Member OrdinaryDelete(string entity) => new($$"""
                public async Task<bool> DeleteIfCancelledAsync(string id, CancellationToken cancellationToken)
                {
                    var item = await _repository.FindAsync(id, cancellationToken);
                    if (item is null || item.Status != {{entity}}Status.Cancelled)
                    {
                        return false;
                    }

                    await _repository.DeleteAsync(id, cancellationToken);
                    _log.Info($"Deleted cancelled {{entity}} {id}.");
                    return true;
                }
        """, Needs.None);

    private static Member OrdinaryTable(string entity) => new($$"""
                public string RenderTable(IEnumerable<{{entity}}> items)
                {
                    var builder = new StringBuilder();
                    builder.AppendLine("Id,Name,Status,Amount,Quantity");
                    foreach (var item in items.OrderBy(i => i.Name, StringComparer.Ordinal))
                    {
                        builder.Append(item.Id).Append(',')
                            .Append(item.Name.Replace(",", " ", StringComparison.Ordinal)).Append(',')
                            .Append(item.Status).Append(',')
                            .Append(item.Amount.ToString("0.00", CultureInfo.InvariantCulture)).Append(',')
                            .Append(item.Quantity.ToString(CultureInfo.InvariantCulture))
                            .AppendLine();
                    }

                    return builder.ToString();
                }
        """, Needs.None);

    private static Member OrdinaryOptions(string entity) => new($$"""
                public static (int PageSize, string Region, bool IncludeArchived) Read{{entity}}Options(IReadOnlyDictionary<string, string> settings)
                {
                    var pageSize = settings.TryGetValue("PageSize", out var size) && int.TryParse(size, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
                        ? parsed
                        : 50;
                    var region = settings.GetValueOrDefault("Region")?.Trim() ?? "eu-west";
                    var includeArchived = string.Equals(settings.GetValueOrDefault("IncludeArchived"), "true", StringComparison.OrdinalIgnoreCase);
                    return (pageSize, region, includeArchived);
                }
        """, Needs.None);

    private static Member OrdinaryImport(string entity) => new($$"""
                public async Task<Result<int>> ImportRowsAsync(IEnumerable<{{entity}}Dto> rows, CancellationToken cancellationToken)
                {
                    var imported = 0;
                    foreach (var row in rows)
                    {
                        var item = {{entity}}.FromDto(row);
                        var errors = item.Validate();
                        if (errors.Count != 0)
                        {
                            _log.Warn($"Skipped {{entity}} {row.Id}: {string.Join(" ", errors)}");
                            continue;
                        }

                        try
                        {
                            await _repository.SaveAsync(item, cancellationToken);
                            imported++;
                        }
                        catch (ValidationException ex)
                        {
                            _log.Warn($"Rejected {{entity}} {row.Id}.", ex);
                        }
                    }

                    return Result<int>.Ok(imported);
                }
        """, Needs.None);

    private static Member OrdinaryTotals(string entity) => new($$"""
                public IReadOnlyDictionary<{{entity}}Status, decimal> TotalsByStatus(IEnumerable<{{entity}}> items) =>
                    items.GroupBy(item => item.Status)
                        .ToDictionary(group => group.Key, group => group.Sum(item => item.LineTotal(0m)));
        """, Needs.None);

    private static Member OrdinaryCheck(string entity) => new($$"""
                public IReadOnlyList<string> CheckUpdate({{entity}}Dto dto, {{entity}} current)
                {
                    var problems = new List<string>();
                    if (!string.Equals(dto.Id, current.Id, StringComparison.Ordinal))
                    {
                        problems.Add("The id cannot change.");
                    }

                    if (dto.Amount < 0m)
                    {
                        problems.Add("The amount cannot be negative.");
                    }

                    if (dto.Quantity > current.Quantity * 10)
                    {
                        problems.Add("The quantity grew too much at once.");
                    }

                    if (dto.Name.Length == 0)
                    {
                        problems.Add("A name is required.");
                    }

                    return problems;
                }
        """, Needs.None);

    private static Member OrdinaryTerms(string entity) => new($$"""
                public static string[] NormaliseTerms(string? query)
                {
                    if (string.IsNullOrWhiteSpace(query))
                    {
                        return Array.Empty<string>();
                    }

                    return query
                        .Split(new[] { ' ', ',', ';' }, StringSplitOptions.RemoveEmptyEntries)
                        .Select(term => term.Trim().ToLowerInvariant())
                        .Where(term => term.Length > 1)
                        .Distinct(StringComparer.Ordinal)
                        .ToArray();
                }
        """, Needs.None);

    private static Member OrdinaryDisplayName(string entity) => new($$"""
                public static string DisplayName({{entity}}Status status) => status switch
                {
                    {{entity}}Status.Draft => "Draft",
                    {{entity}}Status.Active => "Active",
                    {{entity}}Status.Suspended => "On hold",
                    {{entity}}Status.Cancelled => "Cancelled",
                    {{entity}}Status.Completed => "Done",
                    _ => status.ToString(),
                };
        """, Needs.None);

    private static Member OrdinaryRename(string entity) => new($$"""
                public async Task<Result<{{entity}}Dto>> RenameAsync(string id, string? name, CancellationToken cancellationToken)
                {
                    var trimmed = name?.Trim() ?? "";
                    if (trimmed.Length == 0 || trimmed.Length > {{entity}}.MaxNameLength)
                    {
                        return Result<{{entity}}Dto>.Fail("The name is empty or too long.");
                    }

                    var item = await _repository.FindAsync(id, cancellationToken);
                    if (item is null)
                    {
                        return Result<{{entity}}Dto>.Fail($"{{entity}} {id} was not found.");
                    }

                    item.Name = trimmed;
                    try
                    {
                        await _repository.SaveAsync(item, cancellationToken);
                    }
                    catch (ValidationException ex)
                    {
                        _log.Warn($"{{entity}} {id} was not renamed.", ex);
                        return Result<{{entity}}Dto>.Fail(ex.Message);
                    }

                    return Result<{{entity}}Dto>.Ok(item.ToDto());
                }
        """, Needs.None);

    private static Member OrdinaryListItem(string entity) => new($$"""
                public static {{entity}}Dto ToListItem({{entity}} item) => new(
                    item.Id,
                    item.Name.Trim(),
                    item.Status.ToString(),
                    Math.Round(item.Amount, 2, MidpointRounding.AwayFromZero),
                    item.Quantity,
                    item.UpdatedAt);

                public static IReadOnlyList<{{entity}}Dto> ToListItems(IEnumerable<{{entity}}> items) =>
                    items.Select(ToListItem).ToList();
        """, Needs.None);

    private static Member OrdinaryNotice(string entity) => new($$"""
                public string NoticeFor({{entity}} item, string recipient)
                {
                    var tags = item.Tags.Count == 0 ? "none" : string.Join(", ", item.Tags);
                    return string.Join(
                        Environment.NewLine,
                        $"Dear {recipient},",
                        "",
                        $"{{entity}} '{item.Name}' is now {item.Status}.",
                        $"Amount: {item.Amount.ToString("0.00", CultureInfo.InvariantCulture)} for {item.Quantity} item(s).",
                        $"Tags: {tags}.",
                        "",
                        "This message was sent automatically.");
                }
        """, Needs.None);

    private static Member OrdinarySort(string entity) => new($$"""
                public IReadOnlyList<{{entity}}> SortForDisplay(IEnumerable<{{entity}}> items, string? sortBy, bool descending)
                {
                    IOrderedEnumerable<{{entity}}> sorted = (sortBy ?? "name").ToLowerInvariant() switch
                    {
                        "amount" => items.OrderBy(item => item.Amount),
                        "quantity" => items.OrderBy(item => item.Quantity),
                        "status" => items.OrderBy(item => item.Status),
                        _ => items.OrderBy(item => item.Name, StringComparer.OrdinalIgnoreCase),
                    };
                    var list = sorted.ThenBy(item => item.Id, StringComparer.Ordinal).ToList();
                    if (descending)
                    {
                        list.Reverse();
                    }

                    return list;
                }
        """, Needs.None);

    private static Member OrdinaryPage(string entity) => new($$"""
                public static IReadOnlyList<{{entity}}Dto> PageOf(IReadOnlyList<{{entity}}Dto> items, int page, int size)
                {
                    if (size <= 0)
                    {
                        throw new ArgumentOutOfRangeException(nameof(size), size, "The page size must be positive.");
                    }

                    return items.Skip(Math.Max(0, page) * size).Take(size).ToList();
                }
        """, Needs.None);

    // ---- Helpers ------------------------------------------------------------------------------------------

    private string Helpers(string area, string className) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Globalization;
        using System.Linq;
        using System.Text;

        namespace Contoso.{{area}}
        {
            public static class {{className}}
            {
                private static readonly string[] Units = { "B", "KB", "MB", "GB", "TB" };

                public static string Truncate(string value, int maxLength)
                {
                    if (string.IsNullOrEmpty(value) || value.Length <= maxLength)
                    {
                        return value;
                    }

                    return maxLength <= 1 ? value.Substring(0, maxLength) : value.Substring(0, maxLength - 1) + "…";
                }

                public static string Slugify(string value)
                {
                    var builder = new StringBuilder(value.Length);
                    var lastWasDash = false;
                    foreach (var c in value.Trim().ToLowerInvariant())
                    {
                        if (char.IsLetterOrDigit(c))
                        {
                            builder.Append(c);
                            lastWasDash = false;
                        }
                        else if (!lastWasDash && builder.Length > 0)
                        {
                            builder.Append('-');
                            lastWasDash = true;
                        }
                    }

                    return builder.ToString().TrimEnd('-');
                }

                public static double Percent(long part, long whole) => whole == 0 ? 0 : Math.Round(100.0 * part / whole, {{_random.Next(0, 3)}});

                public static string FormatSize(long bytes)
                {
                    double size = bytes;
                    var unit = 0;
                    while (size >= 1024 && unit < Units.Length - 1)
                    {
                        size /= 1024;
                        unit++;
                    }

                    return size.ToString(unit == 0 ? "0" : "0.#", CultureInfo.InvariantCulture) + " " + Units[unit];
                }

                public static TimeSpan ParseDuration(string text)
                {
                    if (string.IsNullOrWhiteSpace(text))
                    {
                        throw new FormatException("A duration is required.");
                    }

                    var number = double.Parse(text.Substring(0, text.Length - 1), CultureInfo.InvariantCulture);
                    return char.ToLowerInvariant(text[text.Length - 1]) switch
                    {
                        's' => TimeSpan.FromSeconds(number),
                        'm' => TimeSpan.FromMinutes(number),
                        'h' => TimeSpan.FromHours(number),
                        'd' => TimeSpan.FromDays(number),
                        _ => throw new FormatException($"Unknown duration unit in '{text}'."),
                    };
                }

                public static double Median(IReadOnlyList<double> values)
                {
                    if (values.Count == 0)
                    {
                        return double.NaN;
                    }

                    var sorted = values.OrderBy(v => v).ToArray();
                    var half = sorted.Length / 2;
                    return sorted.Length % 2 == 0 ? (sorted[half - 1] + sorted[half]) / 2 : sorted[half];
                }

                public static double Percentile(IReadOnlyList<double> values, double percentile)
                {
                    if (values.Count == 0)
                    {
                        return double.NaN;
                    }

                    var sorted = values.OrderBy(v => v).ToArray();
                    var rank = percentile / 100 * (sorted.Length - 1);
                    var lower = (int)Math.Floor(rank);
                    var upper = (int)Math.Ceiling(rank);
                    return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
                }

                public static IEnumerable<IReadOnlyList<T>> Batches<T>(IEnumerable<T> source, int size)
                {
                    var batch = new List<T>(size);
                    foreach (var item in source)
                    {
                        batch.Add(item);
                        if (batch.Count == size)
                        {
                            yield return batch;
                            batch = new List<T>(size);
                        }
                    }

                    if (batch.Count > 0)
                    {
                        yield return batch;
                    }
                }

                public static int PageCount(int total, int pageSize) => pageSize <= 0 ? 0 : (total + pageSize - 1) / pageSize;

                public static string Mask(string value, int visible = 4) =>
                    value.Length <= visible ? new string('*', value.Length) : new string('*', value.Length - visible) + value.Substring(value.Length - visible);

                public static bool TryParseKeyValue(string text, out string key, out string value)
                {
                    var index = text.IndexOf('=');
                    if (index <= 0)
                    {
                        key = value = "";
                        return false;
                    }

                    key = text.Substring(0, index).Trim();
                    value = text.Substring(index + 1).Trim();
                    return key.Length > 0;
                }

                public static Dictionary<string, int> WordFrequencies(IEnumerable<string> lines)
                {
                    var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
                    foreach (var line in lines)
                    {
                        foreach (var word in line.Split(new[] { ' ', '\t', ',', '.' }, StringSplitOptions.RemoveEmptyEntries))
                        {
                            counts[word] = counts.TryGetValue(word, out var count) ? count + 1 : 1;
                        }
                    }

                    return counts;
                }

                public static string Age(DateTime createdAtUtc) => (DateTime.UtcNow - createdAtUtc) switch
                {
                    { TotalMinutes: < 1 } => "just now",
                    { TotalHours: < 1 } age => $"{(int)age.TotalMinutes} minutes ago",
                    { TotalDays: < 1 } age => $"{(int)age.TotalHours} hours ago",
                    var age => $"{(int)age.TotalDays} days ago",
                };
            }
        }

        """;

    // ---- Cluster plumbing ---------------------------------------------------------------------------------

    private string Cluster(string area, int index)
    {
        var quorum = Bug() ? "_members.Count / 2" : "_members.Count / 2 + 1";
        var visible = Bug();
        var lastSeen = Bug()
            ? """
                    public bool IsSuspected(string node, TimeSpan timeout) =>
                        _lastSeen.TryGetValue(node, out var seen) && DateTime.UtcNow - seen > timeout;

                    public void OnHeartbeat(string node) => _lastSeen[node] = DateTime.UtcNow;

                    private readonly ConcurrentDictionary<string, DateTime> _lastSeen = new();
            """
            : """
                    public bool IsSuspected(string node, TimeSpan timeout) =>
                        _lastSeen.TryGetValue(node, out var seen) && Stopwatch.GetElapsedTime(seen) > timeout;

                    public void OnHeartbeat(string node) => _lastSeen[node] = Stopwatch.GetTimestamp();

                    private readonly ConcurrentDictionary<string, long> _lastSeen = new();
            """;
        var election = Bug()
            ? """
                    public void OnElectionTimeout()
                    {
                        if (Stopwatch.GetElapsedTime(_lastLeaderContact) > _electionTimeout)
                        {
                            BecomeLeader();
                        }
                    }
            """
            : """
                    public void OnElectionTimeout()
                    {
                        if (Stopwatch.GetElapsedTime(_lastLeaderContact) > _electionTimeout)
                        {
                            _term++;
                            _votes = 1;
                            _log.Info($"Starting election for term {_term}");
                        }
                    }

                    public void OnVoteGranted(long term)
                    {
                        if (term == _term && ++_votes >= Quorum)
                        {
                            BecomeLeader();
                        }
                    }
            """;
        var grpc = Bug()
            ? "var reply = _inventory.Reserve(new ReserveRequest { Sku = sku, Quantity = quantity });"
            : "var reply = _inventory.Reserve(new ReserveRequest { Sku = sku, Quantity = quantity }, deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken);";
        var timeout = Bug() ? "Timeout.InfiniteTimeSpan" : $"TimeSpan.FromSeconds({_random.Next(5, 100)})";
        var akka = Chance(0.05)
            ? $$"""

                    public static Config ClusterConfig(string host) => ConfigurationFactory.ParseString(@"
                        akka {
                            actor.provider = cluster
                            remote.dot-netty.tcp { hostname = " + host + @", port = 4053 }
                            cluster {
                                seed-nodes = [""akka.tcp://{{Camel(area)}}@10.0.0.1:4053""]
                                {{(Bug() || Chance(0.3) ? "auto-down-unreachable-after = 10s" : "downing-provider-class = \"\"Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster\"\"")}}
                            }
                        }");
            """
            : "";

        return $$"""
            using System;
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Diagnostics;
            using System.Linq;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;
            using Akka.Configuration;
            using Contoso.Common;
            using Warehouse.V1;

            namespace Contoso.{{area}}.Cluster{{index}}
            {
                public sealed class MembershipView
                {
                    private readonly object _gate = new();
                    private readonly HashSet<string> _members = new(StringComparer.Ordinal);
                    private readonly HashSet<string> _reachableNodes = new(StringComparer.Ordinal);
                    private readonly ILog _log;
                    private readonly TimeSpan _electionTimeout = TimeSpan.FromMilliseconds({{_random.Next(150, 600)}});
                    private long _lastLeaderContact = Stopwatch.GetTimestamp();
                    private long _term;
                    private int _votes;

                    public MembershipView(ILog log) => _log = log;

                    public bool IsLeader { get; private set; }

                    public int Quorum
                    {
                        get
                        {
                            lock (_gate)
                            {
                                return {{(visible ? "_reachableNodes.Count / 2 + 1" : quorum)}};
                            }
                        }
                    }

                    public void Join(string node)
                    {
                        lock (_gate)
                        {
                            _members.Add(node);
                            _reachableNodes.Add(node);
                        }

                        _log.Info($"{node} joined; quorum is now {Quorum}");
                    }

                    public void Leave(string node)
                    {
                        lock (_gate)
                        {
                            _members.Remove(node);
                            _reachableNodes.Remove(node);
                        }
                    }

                    public void OnUnreachable(string node)
                    {
                        lock (_gate)
                        {
                            _reachableNodes.Remove(node);
                        }
                    }

                    public bool HasQuorum(int acks) => acks >= Quorum;

                    public void OnLeaderHeartbeat(long term)
                    {
                        if (term >= _term)
                        {
                            _term = term;
                            _lastLeaderContact = Stopwatch.GetTimestamp();
                            IsLeader = false;
                        }
                    }

            {{election}}

                    private void BecomeLeader()
                    {
                        IsLeader = true;
                        _log.Info($"Leader for term {_term}");
                    }
                }

                public sealed class FailureDetector
                {
            {{lastSeen}}

                    public IReadOnlyList<string> Suspects(IEnumerable<string> nodes, TimeSpan timeout) =>
                        nodes.Where(node => IsSuspected(node, timeout)).OrderBy(node => node, StringComparer.Ordinal).ToList();
                }

                public sealed class InventoryGateway
                {
                    private readonly global::Warehouse.V1.Inventory.InventoryClient _inventory;
                    private readonly HttpClient _http;
                    private readonly ILog _log;

                    public InventoryGateway(global::Warehouse.V1.Inventory.InventoryClient inventory, HttpClient http, ILog log)
                    {
                        _inventory = inventory;
                        _http = http;
                        _http.Timeout = {{timeout}};
                        _log = log;
                    }

                    public bool Reserve(string sku, int quantity, CancellationToken cancellationToken)
                    {
                        {{grpc}}
                        _log.Info($"Reserved {quantity} x {sku}: {reply.Reserved}");
                        return reply.Reserved;
                    }

                    public async Task<string> HealthAsync(CancellationToken cancellationToken)
                    {
                        using var response = await _http.GetAsync("health", cancellationToken);
                        return response.IsSuccessStatusCode ? "healthy" : $"unhealthy ({(int)response.StatusCode})";
                    }{{akka}}
                }
            }

            """;
    }

    // ---- Hosting ------------------------------------------------------------------------------------------

    private string Hosting(string area, int index)
    {
        var guarded = !Bug() && !Chance(0.2);
        var clustering = guarded
            ? """
                            if (context.HostingEnvironment.IsDevelopment())
                            {
                                silo.UseLocalhostClustering();
                            }
                            else
                            {
                                silo.UseAdoNetClustering(options =>
                                {
                                    options.Invariant = "Npgsql";
                                    options.ConnectionString = connectionString;
                                });
                            }
            """
            : """
                            silo.UseLocalhostClustering();
            """;
        return $$"""
            using System;
            using Microsoft.Extensions.Hosting;
            using Orleans.Hosting;

            namespace Contoso.{{area}}.Hosting{{index}}
            {
                public static class SiloHost
                {
                    public static IHost Build(string[] args, string connectionString)
                    {
                        if (string.IsNullOrEmpty(connectionString))
                        {
                            throw new ArgumentException("A clustering connection string is required.", nameof(connectionString));
                        }

                        return Host.CreateDefaultBuilder(args)
                            .UseOrleans((context, silo) =>
                            {
            {{clustering}}
                            })
                            .Build();
                    }
                }
            }

            """;
    }
}
