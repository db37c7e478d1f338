using System.Globalization;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DistributedReview.Tests.Verification;

/// <summary>A finding carries its confidence twice: in <c>Properties["Confidence"]</c> and at the end of its message.</summary>
public static class ConfidenceAssert
{
    public static void Has(Diagnostic diagnostic, int confidence)
    {
        Assert.Equal(confidence.ToString(CultureInfo.InvariantCulture), diagnostic.Properties["Confidence"]);
        Assert.EndsWith($"(confidence {confidence}%)", diagnostic.GetMessage(CultureInfo.InvariantCulture));
    }
}
