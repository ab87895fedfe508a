namespace FastLaDeDa.Bench.Report;

/// <summary>How closely a comparator's patch-logit map must match the reference before its timings count.</summary>
public static class Parity
{
    /// <summary>Largest accepted <see cref="RelativeError"/>.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>max |Δ patch logit| / max |logit| (at least 1e-3); infinity when the maps differ in size.</summary>
    public static double RelativeError(float[] expected, float[] actual)
    {
        if (expected.Length != actual.Length) return double.PositiveInfinity;
        double scale = 1e-3, diff = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(expected[i]));
            diff = Math.Max(diff, Math.Abs((double)expected[i] - actual[i]));
        }
        return diff / scale;
    }
}
