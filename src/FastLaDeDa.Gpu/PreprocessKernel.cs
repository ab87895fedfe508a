using FastLaDeDa.Preprocessing;
using ILGPU;

namespace FastLaDeDa.Gpu;

/// <summary>What <see cref="PreprocessKernel"/> computes.</summary>
internal enum PreprocessMode
{
    /// <summary>The normalized value.</summary>
    Raw = 0,
    /// <summary>NPR times a scale (1 or 2/3).</summary>
    Npr = 1,
    /// <summary>A 3×3 gradient with zero padding.</summary>
    Gradient = 2,
}

/// <summary>Arguments of <see cref="PreprocessKernel"/> (plain data).</summary>
internal struct PreprocessShape
{
    public int Batch, Height, Width, Mode;
    public float Scale;
}

/// <summary>
/// Bytes → model input in one pass: interleaved RGB <c>[batch][y][x][3]</c> → planar float32
/// <c>[channel][batch][y][x]</c>. Normalization reads a 3 × 256 table the host fills with the
/// library's own <see cref="ImageNetNormalization"/> (so it is the same float32 formula
/// <c>(v/255f − mean)/std</c>, bit for bit); NPR is <c>(x[y,x] − x[2⌊y/2⌋, 2⌊x/2⌋]) · scale</c>,
/// one subtraction and one multiplication as in <c>NprFilterScalar</c>; a gradient sums its
/// non-zero taps row by row in float32 as <c>GradientFilterScalar</c> does (taps are 0, ±1 or ±2,
/// so every product is exact and a fused multiply-add rounds the same way). Bit-identical to
/// <see cref="Preprocessor"/> on every accelerator.
/// </summary>
internal static class PreprocessKernel
{
    /// <summary>One thread per output value (3 · batch · height · width).</summary>
    public static void Run(Index1D index, ArrayView<byte> rgb, ArrayView<float> table, ArrayView<float> taps, ArrayView<float> output, PreprocessShape p)
    {
        int i = index;
        int hw = p.Height * p.Width, plane = p.Batch * hw;
        int c = i / plane, rem = i - c * plane;
        int b = rem / hw, pix = rem - b * hw;
        int y = pix / p.Width, x = pix - y * p.Width;
        if (p.Mode == (int)PreprocessMode.Gradient)
        {
            float acc = 0f;
            for (int u = 0; u < 3; u++)
            {
                int sy = y + u - 1;
                if (sy < 0 || sy >= p.Height) continue;
                for (int v = 0; v < 3; v++)
                {
                    int sx = x + v - 1;
                    float k = taps[u * 3 + v];
                    if (k == 0f || sx < 0 || sx >= p.Width) continue;
                    acc += k * Value(rgb, table, p, b, sy, sx, c);
                }
            }
            output[i] = acc;
            return;
        }
        float value = Value(rgb, table, p, b, y, x, c);
        if (p.Mode == (int)PreprocessMode.Npr)
        {
            float diff = value - Value(rgb, table, p, b, y & ~1, x & ~1, c);
            value = diff * p.Scale;
        }
        output[i] = value;
    }

    private static float Value(ArrayView<byte> rgb, ArrayView<float> table, PreprocessShape p, int b, int y, int x, int c) =>
        table[c * 256 + rgb[((b * p.Height + y) * p.Width + x) * 3 + c]];

    /// <summary>The 3 × 256 normalization table, computed by the library's normalizer.</summary>
    public static float[] NormalizationTable()
    {
        var rgb = new byte[256 * 3];
        for (int v = 0; v < 256; v++) rgb[v * 3] = rgb[v * 3 + 1] = rgb[v * 3 + 2] = (byte)v;
        var planes = new float[256 * 3];
        ImageNetNormalization.Normalize(rgb, planes);
        return planes; // plane c holds channel c's value for byte v at index c * 256 + v
    }

    /// <summary>The kernel's mode, scale and 9 taps for <paramref name="kind"/>.</summary>
    public static (PreprocessMode Mode, float Scale, float[] Taps) Describe(PreprocessKind kind) => kind switch
    {
        PreprocessKind.Raw => (PreprocessMode.Raw, 1f, new float[9]),
        // The library's own definition of each NPR variant's scale (1 or 2/3).
        PreprocessKind.Npr or PreprocessKind.NprTwoThirds => (PreprocessMode.Npr, NprFilter.Scale(kind), new float[9]),
        _ when GradientKernels.IsGradient(kind) => (PreprocessMode.Gradient, 1f, GradientKernels.Taps(kind).ToArray()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown preprocessing"),
    };
}
