using FastLaDeDa.Simd;

namespace FastLaDeDa.Preprocessing;

/// <summary>
/// NPR on one plane, <c>out[y,x] = (in[y,x] - in[2⌊y/2⌋, 2⌊x/2⌋]) · scale</c> (see
/// <see cref="Preprocessor.Npr"/>). Implementations: <see cref="NprFilterScalar"/> (the reference),
/// <see cref="NprFilterVector256"/>, <see cref="NprFilterVector512"/>; all bit-identical.
/// </summary>
internal abstract class NprFilter : SimdImplementation
{
    /// <summary>Every implementation, widest first (supported or not).</summary>
    public static IReadOnlyList<NprFilter> All { get; } =
        [NprFilterVector512.Instance, NprFilterVector256.Instance, NprFilterVector128.Instance, NprFilterScalar.Instance];

    /// <summary>The widest implementation this process supports.</summary>
    public static NprFilter Best { get; } = Widest<NprFilter>([.. All]);

    /// <summary>The factor NPR is scaled by: 2/3 for <see cref="PreprocessKind.NprTwoThirds"/>, else 1.</summary>
    public static float Scale(PreprocessKind kind) => kind == PreprocessKind.NprTwoThirds ? 2f / 3f : 1f;

    /// <summary>
    /// Filters the <paramref name="height"/> × <paramref name="width"/> plane <paramref name="src"/>
    /// into <paramref name="dst"/> (same size, not overlapping).
    /// </summary>
    public abstract void Apply(ReadOnlySpan<float> src, Span<float> dst, int height, int width, float scale);

    /// <summary>Checks the sizes every implementation relies on.</summary>
    protected static void CheckSizes(ReadOnlySpan<float> src, Span<float> dst, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        if (src.Length < (long)height * width || dst.Length < (long)height * width)
            throw new ArgumentException($"a {height}x{width} plane needs {(long)height * width} values");
    }
}
