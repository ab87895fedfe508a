namespace FastLaDeDa.Imaging.Formats.Jpeg;

/// <summary>
/// Inverse DCTs that produce a block at 1/2, 1/4 or 1/8 of its size (4×4, 2×2 or 1×1 samples)
/// from its lowest frequencies, for the opt-in reduced decoding: an N-point IDCT of the top-left
/// N×N coefficients with the 8-point transform's scaling, so the block keeps its mean and its
/// low-frequency content. Deterministic (one fixed order of float operations), not bit-identical to
/// any libjpeg variant — reduced decoding is never the official pipeline.
/// </summary>
internal static class JpegReducedIdct
{
    // Basis[n][n * size + k] = ½ C(k) cos((2n + 1) k π / 2N): the 8-point IDCT's scaling on an N-point grid.
    private static readonly float[][] Basis = [[], BuildBasis(1), BuildBasis(2), [], BuildBasis(4)];

    private static float[] BuildBasis(int size)
    {
        var basis = new float[size * size];
        for (int n = 0; n < size; n++)
            for (int k = 0; k < size; k++)
                basis[n * size + k] = (float)(0.5 * (k == 0 ? Math.Sqrt(0.5) : 1.0) * Math.Cos((2 * n + 1) * k * Math.PI / (2 * size)));
        return basis;
    }

    /// <summary>
    /// Transforms one block into <paramref name="size"/> (1, 2 or 4) rows of <paramref name="size"/>
    /// samples at <paramref name="output"/>, rows <paramref name="stride"/> bytes apart.
    /// </summary>
    public static void Transform(ReadOnlySpan<short> coefficients, ReadOnlySpan<short> quantization, int size, Span<byte> output, int stride)
    {
        if (size == 1)
        {
            // Only the DC term: the block's mean, F(0,0) / 8.
            int dc = coefficients[0] * quantization[0];
            output[0] = Clamp(MathF.Round(dc / 8f));
            return;
        }
        float[] basis = Basis[size];
        Span<float> input = stackalloc float[16];
        Span<float> rows = stackalloc float[16];
        for (int v = 0; v < size; v++)
            for (int u = 0; u < size; u++)
                input[v * size + u] = coefficients[v * 8 + u] * quantization[v * 8 + u];
        // Columns, then rows: rows[y][u] = Σ_v B[y][v] F[v][u]; out[y][x] = Σ_u B[x][u] rows[y][u].
        for (int y = 0; y < size; y++)
            for (int u = 0; u < size; u++)
            {
                float sum = 0;
                for (int v = 0; v < size; v++) sum += basis[y * size + v] * input[v * size + u];
                rows[y * size + u] = sum;
            }
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                float sum = 0;
                for (int u = 0; u < size; u++) sum += basis[x * size + u] * rows[y * size + u];
                output[y * stride + x] = Clamp(MathF.Round(sum));
            }
    }

    private static byte Clamp(float value) => (byte)Math.Clamp((int)value + 128, 0, 255);
}
