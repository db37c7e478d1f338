using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace DistributedReview.Tests.Shared;

/// <summary>
/// The name and operator filters the shared pass dispatches by: the table's answer for a name must agree with the set's
/// own test, or a rule would miss calls in the package that it sees on its own (as the tests run it).
/// </summary>
public class OperationFilterTests
{
    private static readonly CallNames Locks = CallNames.Of(new[] { "CreateLock", "CreateLockAsync" }, prefixes: new[] { "TryAcquire" });

    [Theory]
    [InlineData("CreateLock", true)]
    [InlineData("CreateLockAsync", true)]
    [InlineData("TryAcquire", true)]
    [InlineData("TryAcquireLockAsync", true)]
    [InlineData("CreateLocker", false)]
    [InlineData("createLock", false)]
    [InlineData("Acquire", false)]
    [InlineData("", false)]
    public void A_name_is_in_the_table_exactly_when_the_set_matches_it(string name, bool expected)
    {
        Assert.Equal(expected, Locks.Matches(name));
        Assert.Equal(expected, (CallNames.MaskOf(name) & Locks.Bit) != 0);
    }

    [Fact]
    public void Sets_sharing_a_name_each_get_it()
    {
        var first = CallNames.Exactly("Probe", "OnlyFirst");
        var second = CallNames.Of(new[] { "OnlySecond" }, prefixes: new[] { "Pro" });

        Assert.Equal(first.Bit | second.Bit, CallNames.MaskOf("Probe") & (first.Bit | second.Bit));
        Assert.Equal(first.Bit, CallNames.MaskOf("OnlyFirst") & (first.Bit | second.Bit));
        Assert.Equal(second.Bit, CallNames.MaskOf("Prologue") & (first.Bit | second.Bit));
    }

    [Theory]
    [InlineData(BinaryOperatorKind.LessThan, true)]
    [InlineData(BinaryOperatorKind.GreaterThanOrEqual, true)]
    [InlineData(BinaryOperatorKind.Equals, false)]
    [InlineData(BinaryOperatorKind.Add, false)]
    public void Orderings_are_the_four_relational_operators(BinaryOperatorKind kind, bool expected) =>
        Assert.Equal(expected, (BinaryOperators.Orderings.Kinds & BinaryOperators.BitOf(kind)) != 0);
}
