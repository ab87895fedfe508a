namespace FastLaDeDa.Preprocessing;

/// <summary>
/// Division by a constant <c>d</c> as multiplications: <c>q = a · r</c> with <c>r = 1/d</c> rounded,
/// then one correction step <c>q' = q + (a − q·d) · r</c> as two FMAs (the residual <c>a − q·d</c>
/// is exact in an FMA). Not correctly rounded for every float <c>a</c>, but normalization divides
/// only 256 byte values by 255 and 256 values per channel by its std, and for all of them it
/// equals IEEE division bit for bit: <see cref="ImageNetNormalization.ReciprocalDivisionIsExact"/>
/// checks that exhaustively. Six FMA-unit operations instead of two divisions, which a wide
/// vector unit runs several times slower.
/// </summary>
internal readonly record struct ReciprocalDivisor(float Divisor)
{
    /// <summary>1/d rounded to float.</summary>
    public float Reciprocal { get; } = 1f / Divisor;

    /// <summary>−d, so the residual is one FMA: fma(q, −d, a).</summary>
    public float NegatedDivisor => -Divisor;

    /// <summary>a / d by the two-step method above (scalar; <see cref="ChannelNormalization{TOps, TVec}"/> does the same on vectors).</summary>
    public float Divide(float a)
    {
        float q = a * Reciprocal;
        return MathF.FusedMultiplyAdd(MathF.FusedMultiplyAdd(q, NegatedDivisor, a), Reciprocal, q);
    }
}
