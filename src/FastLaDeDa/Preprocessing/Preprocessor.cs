namespace FastLaDeDa.Preprocessing;

/// <summary>
/// The preprocessing operators. <see cref="Apply(PreprocessKind, ChwTensor)"/> runs the widest SIMD implementation the CPU
/// supports (Vector512, Vector256 or scalar, chosen once at start-up); <see cref="Npr"/> and
/// <see cref="Gradient"/> are the simple scalar reference implementations the SIMD ones are tested
/// against. All give bit-identical results.
/// </summary>
internal static class Preprocessor
{
    /// <summary>Applies <paramref name="kind"/> to <paramref name="input"/>, returning a new tensor of the same size.</summary>
    public static ChwTensor Apply(PreprocessKind kind, ChwTensor input) =>
        Apply(kind, input, NprFilter.Best, GradientFilter.Best);

    /// <summary><see cref="Apply(PreprocessKind, ChwTensor)"/> with the given implementations (tests pin each one).</summary>
    internal static ChwTensor Apply(PreprocessKind kind, ChwTensor input, NprFilter npr, GradientFilter gradient)
    {
        ArgumentNullException.ThrowIfNull(input);
        var output = new ChwTensor(input.Channels, input.Height, input.Width);
        for (int c = 0; c < input.Channels; c++)
        {
            ReadOnlySpan<float> src = input.Plane(c);
            Span<float> dst = output.Plane(c);
            switch (kind)
            {
                case PreprocessKind.Raw: src.CopyTo(dst); break;
                case PreprocessKind.Npr or PreprocessKind.NprTwoThirds: npr.Apply(src, dst, input.Height, input.Width, NprFilter.Scale(kind)); break;
                default: gradient.Apply(GradientKernels.Taps(kind), src, dst, input.Height, input.Width); break;
            }
        }
        return output;
    }

    /// <summary>
    /// NPR on one plane: <c>out[y,x] = (in[y,x] - in[2⌊y/2⌋, 2⌊x/2⌋]) · scale</c>. The official code
    /// (nearest down ×0.5 then up ×2) only works for even sizes; this formula is the same there and
    /// extends naturally to odd sizes (the last odd row/column references itself, giving 0).
    /// This is the scalar reference implementation.
    /// </summary>
    public static void Npr(ReadOnlySpan<float> src, Span<float> dst, int height, int width, float scale) =>
        NprFilterScalar.Instance.Apply(src, dst, height, width, scale);

    /// <summary>
    /// 3×3 cross-correlation with zero padding of 1 (output size = input size). Taps are summed in
    /// float32, row by row, skipping zero taps — the order the SIMD paths reproduce bit for bit.
    /// This is the scalar reference implementation.
    /// </summary>
    public static void Gradient(ReadOnlySpan<float> taps, ReadOnlySpan<float> src, Span<float> dst, int height, int width) =>
        GradientFilterScalar.Instance.Apply(taps, src, dst, height, width);
}
