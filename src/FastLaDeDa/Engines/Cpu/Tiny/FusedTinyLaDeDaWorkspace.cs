namespace FastLaDeDa.Engines.Cpu.Tiny;

/// <summary>
/// Scratch rows for one run of the fused kernel: rolling windows of three rows per stage, so the
/// working set stays in L1/L2 whatever the image height. One per thread ([ThreadStatic]), grown
/// when a wider image arrives and then reused: no allocation per image in steady state.
/// </summary>
internal sealed class FusedTinyLaDeDaWorkspace
{
    [ThreadStatic] private static FusedTinyLaDeDaWorkspace? _current;

    private readonly AlignedFloatBuffer _buffer;
    private readonly int _input, _filtered, _transformed, _hidden, _stem, _products, _mapRow;

    private FusedTinyLaDeDaWorkspace(int width)
    {
        // Room for the widest vector step (2 × 16 floats) past the end of a row, plus the one
        // column of zero padding on the left of the input rows. Strides are whole cache lines.
        RowStride = (width + 2 + 64 + 15) & ~15;
        HalfStride = (RowStride / 2 + 32 + 15) & ~15;
        QuarterStride = (RowStride / 4 + 32 + 15) & ~15;
        Capacity = width;

        // One aligned buffer, every part starting on a 64-byte boundary, so the vector loads of
        // the transformed rows and the scratch never straddle two cache lines.
        int length = 0;
        int Part(int floats) { int start = length; length += (floats + 15) & ~15; return start; }
        _input = Part(4 * 3 * RowStride); // 3 rolling rows + 1 row of zeros (above/below the image)
        _filtered = Part(3 * 3 * RowStride);
        _transformed = Part(3 * 3 * 4 * HalfStride);
        _hidden = Part(3 * 8 * 4 * QuarterStride);
        _stem = Part(8 * 64);
        _products = Part(4 * 4 * 32);
        _mapRow = Part(RowStride);
        _buffer = new AlignedFloatBuffer(length);
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

    /// <summary>Floats per row of <see cref="Transformed"/> (one value per column pair).</summary>
    public int HalfStride { get; }

    /// <summary>Floats per phase row of <see cref="Hidden"/> (one value per column ≡ k mod 4).</summary>
    public int QuarterStride { get; }

    /// <summary>3 rolling rows (+ a zero row) × 3 channels of byte values as floats, column x at index x + 1 (index 0 is the zero padding).</summary>
    public Span<float> Input => _buffer.Span.Slice(_input, 4 * 3 * RowStride);

    /// <summary>3 rows × 3 channels of the preprocessing filter's output (Q).</summary>
    public Span<float> Filtered => _buffer.Span.Slice(_filtered, 3 * 3 * RowStride);

    /// <summary>3 rows × 3 channels × 4 rows of Q's Winograd input transform, one value per column pair.</summary>
    public Span<float> Transformed => _buffer.Span.Slice(_transformed, 3 * 3 * 4 * HalfStride);

    /// <summary>3 rows × 8 channels × 4 phases (columns ≡ 0, 1, 2, 3 mod 4) of the pointwise layer's output.</summary>
    public Span<float> Hidden => _buffer.Span.Slice(_hidden, 3 * 8 * 4 * QuarterStride);

    /// <summary>The stem's 8 channels for one vector step (even then odd columns, up to 2 × 2 × 16 pixels each).</summary>
    public Span<float> Stem => _buffer.Span.Slice(_stem, 8 * 64);

    /// <summary>The stem's 4 Winograd products for 4 channels and one vector step (up to 2 × 16 column pairs each).</summary>
    public Span<float> Products => _buffer.Span.Slice(_products, 4 * 4 * 32);

    /// <summary>One row of patch logits, padded to whole vector steps.</summary>
    public Span<float> MapRow => _buffer.Span.Slice(_mapRow, RowStride);
}
