namespace FastLaDeDa.Preprocessing;

/// <summary>The reference 3×3 gradient: one output value at a time, taps in row-major order.</summary>
internal sealed class GradientFilterScalar : GradientFilter
{
    /// <summary>The single instance.</summary>
    public static GradientFilterScalar Instance { get; } = new();

    private GradientFilterScalar() { }

    /// <inheritdoc/>
    public override string Isa => "Scalar";

    /// <inheritdoc/>
    public override bool IsSupported => true;

    /// <inheritdoc/>
    public override void Apply(ReadOnlySpan<float> taps, ReadOnlySpan<float> src, Span<float> dst, int height, int width)
    {
        CheckSizes(taps, src, dst, height, width);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                dst[y * width + x] = At(taps, src, height, width, y, x);
    }

    /// <summary>
    /// The reference formula for one output value (the vector paths use it for the first and last
    /// column): taps are summed in float32, row by row, skipping zero taps and taps outside the plane.
    /// </summary>
    internal static float At(ReadOnlySpan<float> taps, ReadOnlySpan<float> src, int height, int width, int y, int x)
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
        return acc;
    }
}
