namespace FastLaDeDa.Tests.Support;

/// <summary>Array comparisons that report the size of the difference.</summary>
public static class Compare
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
}
