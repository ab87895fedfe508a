namespace FastLaDeDa.Preprocessing;

/// <summary>The reference NPR: one subtraction and one multiplication per value.</summary>
internal sealed class NprFilterScalar : NprFilter
{
    /// <summary>The single instance.</summary>
    public static NprFilterScalar Instance { get; } = new();

    private NprFilterScalar() { }

    /// <inheritdoc/>
    public override string Isa => "Scalar";

    /// <inheritdoc/>
    public override bool IsSupported => true;

    /// <inheritdoc/>
    public override void Apply(ReadOnlySpan<float> src, Span<float> dst, int height, int width, float scale)
    {
        CheckSizes(src, dst, height, width);
        for (int y = 0; y < height; y++)
            Row(src, dst, width, y, 0, scale);
    }

    /// <summary>The reference formula for columns <paramref name="fromX"/>..width−1 of row <paramref name="y"/> (the vector paths use it for their remainders).</summary>
    internal static void Row(ReadOnlySpan<float> src, Span<float> dst, int width, int y, int fromX, float scale)
    {
        int anchorRow = (y & ~1) * width;
        for (int x = fromX; x < width; x++)
        {
            float diff = src[y * width + x] - src[anchorRow + (x & ~1)];
            // Multiplying by exactly 1 changes nothing, so plain NPR stays one subtraction.
            dst[y * width + x] = diff * scale;
        }
    }
}
