using FastLaDeDa.Simd;

namespace FastLaDeDa.Preprocessing;

/// <summary>
/// 3×3 cross-correlation with zero padding (see <see cref="Preprocessor.Gradient"/>). Every
/// implementation sums, for each output value, the products of the non-zero taps with the
/// in-range input values in float32, starting from 0, row by row and left to right, one
/// multiplication then one addition per tap (no fused multiply-add): so all are bit-identical.
/// Implementations: <see cref="GradientFilterScalar"/> (the reference),
/// <see cref="GradientFilterVector256"/>, <see cref="GradientFilterVector512"/>.
/// </summary>
internal abstract class GradientFilter : SimdImplementation
{
    /// <summary>Every implementation, widest first (supported or not).</summary>
    public static IReadOnlyList<GradientFilter> All { get; } =
        [GradientFilterVector512.Instance, GradientFilterVector256.Instance, GradientFilterVector128.Instance, GradientFilterScalar.Instance];

    /// <summary>The widest implementation this process supports.</summary>
    public static GradientFilter Best { get; } = Widest<GradientFilter>([.. All]);

    /// <summary>
    /// Filters the <paramref name="height"/> × <paramref name="width"/> plane <paramref name="src"/>
    /// with the 9 row-major <paramref name="taps"/> into <paramref name="dst"/> (same size, not overlapping).
    /// </summary>
    public abstract void Apply(ReadOnlySpan<float> taps, ReadOnlySpan<float> src, Span<float> dst, int height, int width);

    /// <summary>Checks the sizes every implementation relies on.</summary>
    protected static void CheckSizes(ReadOnlySpan<float> taps, ReadOnlySpan<float> src, Span<float> dst, int height, int width)
    {
        if (taps.Length != 9) throw new ArgumentException("a 3x3 filter has 9 taps", nameof(taps));
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        if (src.Length < (long)height * width || dst.Length < (long)height * width)
            throw new ArgumentException($"a {height}x{width} plane needs {(long)height * width} values");
    }

    /// <summary>Bit <c>u * 3 + v</c> is set for each non-zero tap <c>taps[u * 3 + v]</c>.</summary>
    protected static int NonZeroTaps(ReadOnlySpan<float> taps)
    {
        int mask = 0;
        for (int i = 0; i < 9; i++)
            if (taps[i] != 0f) mask |= 1 << i;
        return mask;
    }

    /// <summary>
    /// <paramref name="nonZero"/> without the taps of the rows above the first or below the last
    /// row: for row <paramref name="y"/>, the taps that read inside the plane vertically.
    /// </summary>
    protected static int ActiveTaps(int nonZero, int y, int height)
    {
        if (y == 0) nonZero &= ~0b000_000_111;
        if (y == height - 1) nonZero &= ~0b111_000_000;
        return nonZero;
    }
}
