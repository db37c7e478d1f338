using DistributedReview.Concurrency;

namespace DistributedReview.Tests.Concurrency;

/// <summary>
/// <see cref="SharedStoreAnalyzer"/> reports DR3001 and DR6001 from one pass; each rule's tests look at that rule
/// alone (the one-pass analyzer is run whole by the catalog, robustness and end-to-end tests).
/// </summary>
public sealed class UnversionedStoreUpdateOnly : SharedStoreAnalyzer
{
    public UnversionedStoreUpdateOnly()
        : base(Rules.UnversionedStoreUpdate)
    {
    }
}

/// <inheritdoc cref="UnversionedStoreUpdateOnly"/>
public sealed class ReplicaReadFeedsWriteOnly : SharedStoreAnalyzer
{
    public ReplicaReadFeedsWriteOnly()
        : base(Rules.ReplicaReadFeedsWrite)
    {
    }
}
