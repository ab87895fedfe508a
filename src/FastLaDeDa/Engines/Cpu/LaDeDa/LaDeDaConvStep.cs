namespace FastLaDeDa.Engines.Cpu.LaDeDa;

/// <summary>
/// One convolution of a LaDeDa plan, ready to run: the packed weights, which workspace buffers it
/// reads and writes, and where every output pixel's window starts in its input (and its residual,
/// if any). Output pixels are stored densely, <see cref="OutPitch"/> floats each, in the order of
/// <see cref="InOffsets"/>. Immutable; the buffers' addresses come from the workspace at run time.
/// </summary>
internal sealed class LaDeDaConvStep
{
    public LaDeDaConvStep(string name, LaDeDaPackedConv conv, int inSlot, int outSlot, int residualSlot,
                          int outPitch, int[] inOffsets, int[]? residualOffsets, nint[] tapOffsets, bool relu,
                          int[]? outRows = null, int[]? outCols = null)
    {
        if (outPitch < conv.Panels * conv.PanelWidth) throw new ArgumentOutOfRangeException(nameof(outPitch), "the output pitch must hold whole panels");
        if ((residualSlot >= 0) != (residualOffsets is not null)) throw new ArgumentException("a residual needs its offsets");
        if (residualOffsets is not null && residualOffsets.Length != inOffsets.Length) throw new ArgumentException("one residual offset per output pixel");
        if (tapOffsets.Length != conv.Taps) throw new ArgumentException("one offset per tap");
        (Name, Conv, InSlot, OutSlot, ResidualSlot, OutPitch) = (name, conv, inSlot, outSlot, residualSlot, outPitch);
        (InOffsets, ResidualOffsets, TapOffsets, Relu) = (inOffsets, residualOffsets, tapOffsets, relu);
        OutRows = outRows ?? [];
        OutCols = outCols ?? [];
        if (outRows is not null && outRows.Length * OutCols.Length != inOffsets.Length) throw new ArgumentException("one input offset per output position");
    }

    /// <summary>The output positions (rows × columns of the layer's full output), or empty where not known.</summary>
    public int[] OutRows { get; }

    public int[] OutCols { get; }

    /// <summary>State-dict name of the convolution, e.g. <c>layer2.0.conv2</c> (<c>stem</c> for the fused stem).</summary>
    public string Name { get; }

    public LaDeDaPackedConv Conv { get; }

    /// <summary>Workspace buffer read.</summary>
    public int InSlot { get; }

    /// <summary>Workspace buffer written.</summary>
    public int OutSlot { get; }

    /// <summary>Workspace buffer the residual is read from, or −1 (may equal <see cref="OutSlot"/>: added in place).</summary>
    public int ResidualSlot { get; }

    /// <summary>Floats per output pixel (a multiple of the panel width).</summary>
    public int OutPitch { get; }

    /// <summary>Per output pixel: offset (floats) of its window's first input in the input buffer.</summary>
    public int[] InOffsets { get; }

    /// <summary>Per output pixel: offset of its residual in the residual buffer, or null.</summary>
    public int[]? ResidualOffsets { get; }

    /// <summary>Offset of each tap's run from the window start.</summary>
    public nint[] TapOffsets { get; }

    /// <summary>ReLU after BatchNorm (and the residual).</summary>
    public bool Relu { get; }

    /// <summary>Output pixels computed.</summary>
    public int Pixels => InOffsets.Length;

    /// <summary>Micro-kernel tiles (pixels rounded up to whole tiles).</summary>
    public int Tiles => (Pixels + LaDeDaConvKernels.TileRows - 1) / LaDeDaConvKernels.TileRows;

    /// <summary>Multiply-adds executed.</summary>
    public long MultiplyAdds => Pixels * Conv.MultiplyAddsPerPixel;
}
