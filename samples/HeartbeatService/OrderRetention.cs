using System;
using System.Collections.Generic;
using System.Linq;

namespace HeartbeatService;

/// <summary>An order as stored in the database; <c>CreatedAt</c> was stamped by whichever node took it.</summary>
public sealed record Order(Guid Id, DateTime CreatedAt, DateTime? CompletedAt);

/// <summary>
/// Retention of completed orders. Wall-clock arithmetic that is fine: none of it measures an interval
/// between two clock reads of this process, so DR1001 leaves all of it alone.
/// </summary>
public static class OrderRetention
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    /// <summary>A timestamp for storage.</summary>
    public static Order Place() => new(Guid.NewGuid(), DateTime.UtcNow, CompletedAt: null);

    /// <summary>The age of a persisted instant, for the support dashboard.</summary>
    public static TimeSpan Age(Order order) => DateTime.UtcNow - order.CreatedAt;

    /// <summary>A cutoff: "now minus a duration" is an instant, not an interval.</summary>
    public static IEnumerable<Order> ToPurge(IEnumerable<Order> orders)
    {
        var cutoff = DateTime.UtcNow - Retention;
        return orders.Where(order => order.CompletedAt < cutoff);
    }
}
