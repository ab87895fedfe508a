using FastLaDeDa.Models;

namespace FastLaDeDa.Tests.Support;

/// <summary>Array comparisons that report the size of the difference.</summary>
internal static class Compare
{
    /// <summary>max |a[i] − b[i]|.</summary>
    public static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        return max;
    }

    /// <summary>max |a[i]|.</summary>
    public static double MaxAbs(ReadOnlySpan<float> a)
    {
        double max = 0;
        foreach (float v in a) max = Math.Max(max, Math.Abs(v));
        return max;
    }

    /// <summary>max |Δ logit| between two maps of the same shape, relative to the expected map's largest |logit| (at least 1e-3).</summary>
    public static double RelativeMapError(PatchMap expected, PatchMap actual)
    {
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        return RelativeError(expected.Logits, actual.Logits);
    }

    /// <summary>max |a[i] − b[i]| relative to the expected values' largest magnitude (at least 1e-3).</summary>
    public static double RelativeError(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual) =>
        MaxAbsDiff(expected, actual) / Math.Max(MaxAbs(expected), 1e-3);
}
