using DistributedReview.Timing;

namespace DistributedReview.Tests.Timing;

/// <summary>
/// <see cref="WallClockAnalyzer"/> reports DR1001, DR1002 and DR1006 from one pass; each rule's tests look at that
/// rule alone (the one-pass analyzer is run whole by the catalog, robustness and end-to-end tests).
/// </summary>
public sealed class WallClockIntervalOnly : WallClockAnalyzer
{
    public WallClockIntervalOnly()
        : base(Rules.WallClockInterval)
    {
    }
}

/// <inheritdoc cref="WallClockIntervalOnly"/>
public sealed class WallClockDeadlineOnly : WallClockAnalyzer
{
    public WallClockDeadlineOnly()
        : base(Rules.WallClockDeadline)
    {
    }
}

/// <inheritdoc cref="WallClockIntervalOnly"/>
public sealed class UnclampedWallClockDelayOnly : WallClockAnalyzer
{
    public UnclampedWallClockDelayOnly()
        : base(Rules.UnclampedWallClockDelay)
    {
    }
}
