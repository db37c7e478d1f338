using DistributedReview.Consensus;

namespace DistributedReview.Tests.Consensus;

/// <summary>
/// <see cref="QuorumAnalyzer"/> reports DR2001 and DR2002 from one pass; each rule's tests look at that rule alone
/// (the one-pass analyzer is run whole in <see cref="DR2002Tests"/> and the catalog tests).
/// </summary>
public sealed class QuorumOffByOneOnly : QuorumAnalyzer
{
    public QuorumOffByOneOnly()
        : base(Rules.QuorumOffByOne)
    {
    }
}

/// <inheritdoc cref="QuorumOffByOneOnly"/>
public sealed class QuorumOfVisibleNodesOnly : QuorumAnalyzer
{
    public QuorumOfVisibleNodesOnly()
        : base(Rules.QuorumOfVisibleNodes)
    {
    }
}
