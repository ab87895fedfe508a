namespace FastLaDeDa.Preprocessing;

/// <summary>
/// The scalar reference implementation of every preprocessing operator. Simple on purpose:
/// faster implementations are tested against it.
/// </summary>
public static class Preprocessor
{
    /// <summary>Applies <paramref name="kind"/> to <paramref name="input"/>, returning a new tensor of the same size.</summary>
    public static ChwTensor Apply(PreprocessKind kind, ChwTensor input)
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
                case PreprocessKind.Npr: Npr(src, dst, input.Height, input.Width, 1f); break;
                case PreprocessKind.NprTwoThirds: Npr(src, dst, input.Height, input.Width, 2f / 3f); break;
                default: Gradient(GradientKernels.Taps(kind), src, dst, input.Height, input.Width); break;
            }
        }
        return output;
    }

    /// <summary>
    /// NPR on one plane: <c>out[y,x] = (in[y,x] - in[2⌊y/2⌋, 2⌊x/2⌋]) · scale</c>. The official code
    /// (nearest down ×0.5 then up ×2) only works for even sizes; this formula is the same there and
    /// extends naturally to odd sizes (the last odd row/column references itself, giving 0).
    /// </summary>
    public static void Npr(ReadOnlySpan<float> src, Span<float> dst, int height, int width, float scale)
    {
        for (int y = 0; y < height; y++)
        {
            int anchorRow = (y & ~1) * width;
            for (int x = 0; x < width; x++)
            {
                float diff = src[y * width + x] - src[anchorRow + (x & ~1)];
                // Multiplying by exactly 1 changes nothing, so plain NPR stays one subtraction.
                dst[y * width + x] = diff * scale;
            }
        }
    }

    /// <summary>
    /// 3×3 cross-correlation with zero padding of 1 (output size = input size). Taps are summed in
    /// float32, row by row, skipping zero taps — the order the SIMD paths reproduce bit for bit.
    /// </summary>
    public static void Gradient(ReadOnlySpan<float> taps, ReadOnlySpan<float> src, Span<float> dst, int height, int width)
    {
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                float acc = 0f;
                for (int u = 0; u < 3; u++)
                {
                    int sy = y + u - 1;
                    if ((uint)sy >= (uint)height) continue;
                    for (int v = 0; v < 3; v++)
                    {
                        int sx = x + v - 1;
                        float k = taps[u * 3 + v];
                        if (k == 0f || (uint)sx >= (uint)width) continue;
                        acc += k * src[sy * width + sx];
                    }
                }
                dst[y * width + x] = acc;
            }
    }
}
