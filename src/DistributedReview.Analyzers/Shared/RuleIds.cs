namespace DistributedReview
{
    /// <summary>Every rule ID, in one place. IDs are permanent once shipped.</summary>
    internal static class RuleIds
    {
        /// <summary>Elapsed interval measured with a wall clock.</summary>
        public const string WallClockInterval = "DR1001";
    }
}
