namespace FastLaDeDa.Imaging.Formats.Jpeg;

/// <summary>One colour component of a JPEG frame: its sampling, tables, geometry and buffers.</summary>
internal sealed class JpegComponent(int index, int id, int horizontalFactor, int verticalFactor, int quantizationSlot)
{
    /// <summary>Position in the frame header.</summary>
    public int Index { get; } = index;

    /// <summary>The component identifier scans refer to.</summary>
    public int Id { get; } = id;

    /// <summary>Horizontal sampling factor (1–4).</summary>
    public int H { get; } = horizontalFactor;

    /// <summary>Vertical sampling factor (1–4).</summary>
    public int V { get; } = verticalFactor;

    /// <summary>Quantization table slot named in the frame header.</summary>
    public int QuantizationSlot { get; } = quantizationSlot;

    /// <summary>
    /// The quantization table as 16-bit multipliers in natural order, copied from its slot when the
    /// first scan containing the component starts (libjpeg latches it: later DQT segments do not
    /// change an image already being decoded).
    /// </summary>
    public short[]? Quantization { get; set; }

    /// <summary>DC Huffman table slot of the current scan.</summary>
    public int DcTable { get; set; }

    /// <summary>AC Huffman table slot of the current scan.</summary>
    public int AcTable { get; set; }

    /// <summary>Blocks per row that hold image data.</summary>
    public int WidthInBlocks { get; set; }

    /// <summary>Block rows that hold image data.</summary>
    public int HeightInBlocks { get; set; }

    /// <summary>Samples per row before upsampling: ceil(width × H / max H).</summary>
    public int DownsampledWidth { get; set; }

    /// <summary>Sample rows before upsampling: ceil(height × V / max V).</summary>
    public int DownsampledHeight { get; set; }

    /// <summary>Blocks across one MCU of the current scan.</summary>
    public int McuWidth { get; set; }

    /// <summary>Blocks down one MCU of the current scan.</summary>
    public int McuHeight { get; set; }

    /// <summary>Blocks in the last MCU column that hold data (the rest are padding).</summary>
    public int LastColumnWidth { get; set; }

    /// <summary>Block rows in the last MCU row that hold data.</summary>
    public int LastRowHeight { get; set; }

    /// <summary>Coefficient blocks (64 shorts each, natural order), <see cref="BlocksPerRow"/> per block row.</summary>
    public short[] Coefficients { get; set; } = [];

    /// <summary>Blocks per row of <see cref="Coefficients"/>.</summary>
    public int BlocksPerRow { get; set; }

    /// <summary>
    /// Progressive decoding: per coefficient the successive-approximation bit position known so far
    /// (−1: none yet), and its value before the current scan (libjpeg's <c>coef_bits</c>).
    /// </summary>
    public int[] CoefficientBits { get; } = [.. Enumerable.Repeat(-1, 64)];

    /// <summary>The previous scan's <see cref="CoefficientBits"/> (used by block smoothing).</summary>
    public int[] PreviousCoefficientBits { get; } = new int[64];

    /// <summary>How the samples are upsampled to the output grid.</summary>
    public JpegUpsamplingKind Upsampling { get; set; }

    /// <summary>Replication factors (<see cref="JpegUpsamplingKind.Replicate"/>).</summary>
    public int HorizontalExpansion { get; set; } = 1;

    /// <summary>Replication factors (<see cref="JpegUpsamplingKind.Replicate"/>).</summary>
    public int VerticalExpansion { get; set; } = 1;

    /// <summary>Sample rows of three consecutive iMCU rows (a ring), <see cref="SampleStride"/> bytes each.</summary>
    public byte[] Samples { get; set; } = [];

    /// <summary>Bytes per sample row in <see cref="Samples"/>.</summary>
    public int SampleStride { get; set; }

    /// <summary>Samples per block side after the inverse DCT: 8, or 4, 2, 1 in reduced decoding (libjpeg's DCT_scaled_size).</summary>
    public int ScaledSize { get; set; } = 8;

    /// <summary>Sample rows per iMCU row (V × <see cref="ScaledSize"/>).</summary>
    public int RowsPerIMcuRow => V * ScaledSize;

    /// <summary>Sample row <paramref name="row"/> (absolute), which must be in one of the three iMCU rows the ring holds.</summary>
    public Span<byte> SampleRow(int row)
    {
        int perIMcu = RowsPerIMcuRow;
        int slot = row / perIMcu % 3;
        return Samples.AsSpan((slot * perIMcu + row % perIMcu) * SampleStride, SampleStride);
    }
}
