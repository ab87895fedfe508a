namespace FastLaDeDa.Engines.Cpu;

/// <summary>
/// Scratch rows for one run of the fused kernel: rolling windows of three rows per stage, so the
/// working set stays in L1/L2 whatever the image height. One per thread ([ThreadStatic]), grown
/// when a wider image arrives and then reused: no allocation per image in steady state.
/// </summary>
internal sealed class FusedTinyLaDeDaWorkspace
{
    [ThreadStatic] private static FusedTinyLaDeDaWorkspace? _current;

    private FusedTinyLaDeDaWorkspace(int width)
    {
        // Room for the widest vector step (2 × 16 floats) past the end of a row, plus the one
        // column of zero padding on the left of the input rows.
        RowStride = (width + 2 + 64 + 15) & ~15;
        HalfStride = RowStride / 2 + 32;
        Capacity = width;
        Input = new float[4 * 3 * RowStride]; // 3 rolling rows + 1 row of zeros (above/below the image)
        Filtered = new float[3 * 3 * RowStride];
        Hidden = new float[3 * 8 * 2 * HalfStride];
        Stem = new float[8 * 64];
        MapRow = new float[RowStride];
    }

    /// <summary>The calling thread's workspace, big enough for <paramref name="width"/>.</summary>
    public static FusedTinyLaDeDaWorkspace ForCurrentThread(int width)
    {
        var ws = _current;
        if (ws is null || ws.Capacity < width) _current = ws = new FusedTinyLaDeDaWorkspace(width);
        return ws;
    }

    /// <summary>Widest image this workspace serves.</summary>
    public int Capacity { get; }

    /// <summary>Floats per row in <see cref="Input"/> and <see cref="Filtered"/>.</summary>
    public int RowStride { get; }

    /// <summary>Floats per even- or odd-column half row in <see cref="Hidden"/>.</summary>
    public int HalfStride { get; }

    /// <summary>3 rolling rows (+ a zero row) × 3 channels of byte values as floats, column x at index x + 1 (index 0 is the zero padding).</summary>
    public float[] Input { get; }

    /// <summary>3 rows × 3 channels of the preprocessing filter's output (Q).</summary>
    public float[] Filtered { get; }

    /// <summary>3 rows × 8 channels × (even columns, odd columns) of the pointwise layer's output.</summary>
    public float[] Hidden { get; }

    /// <summary>The stem's 8 channels for one vector step (up to 2 × 16 pixels each).</summary>
    public float[] Stem { get; }

    /// <summary>One row of patch logits, padded to whole vector steps.</summary>
    public float[] MapRow { get; }
}
