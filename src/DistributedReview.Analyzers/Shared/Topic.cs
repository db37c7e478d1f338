namespace DistributedReview
{
    /// <summary>The rule catalog's topics; each is the category suffix and a docs/topics page.</summary>
    internal enum Topic
    {
        Timing,
        Consensus,
        Concurrency,
        Partitions,
        Clustering,
        Consistency,
    }

    /// <summary>Impact as in the review report: Critical loses data or elects two leaders.</summary>
    internal enum Impact
    {
        Important,
        Critical,
    }
}
