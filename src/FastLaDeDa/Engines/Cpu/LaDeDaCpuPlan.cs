namespace FastLaDeDa.Engines.Cpu;

/// <summary>
/// What the CPU engine computes for a band of <see cref="BandRows"/> patch-map rows of an image
/// <see cref="ImageWidth"/> pixels wide: the positions each layer needs (<see cref="LaDeDaGrid"/>),
/// the convolutions in order (<see cref="LaDeDaConvStep"/>) and the workspace they need. Built once
/// per (width, band rows) and cached by the network; a band whose first map row is i reads image
/// rows from 8·i on (LaDeDa's total stride), so one plan serves every full band of an image.
/// </summary>
/// <remarks>
/// Positions are propagated backwards from the map: a bottleneck's output positions O need conv2
/// windows W = ∪ (s·o + 0..k−1) from conv1 (and so from the block input), and the residual at s·o
/// (downsample) or o (identity); the block input needs the union. Rows and columns are independent.
/// Every convolution is then evaluated only at its needed positions, so a stride-2 1×1 conv never
/// sees its skipped inputs, and the rows/columns no patch reads are never computed.
/// </remarks>
internal sealed class LaDeDaCpuPlan
{
    /// <summary>Workspace buffers: the stem input, the block input/output pair, conv1 and conv2 outputs.</summary>
    public const int StemInputSlot = 0, SlotA = 1, SlotB = 2, Conv1Slot = 3, Conv2Slot = 4, SlotCount = 5;

    /// <summary>Fused chains whose packed weights exceed this are run layer by layer (their weights, not their activations, dominate the traffic).</summary>
    internal static long ChainWeightBudgetBytes { get; set; } = 256 << 10;

    /// <summary>Tiles per chunk of a fused chain by default (96 pixels: a layer1 chunk's activations take ~150 KB).</summary>
    public const int DefaultChainChunkTiles = 16;

    private LaDeDaCpuPlan(int imageWidth, int bandRows, LaDeDaGrid stemInput, IReadOnlyList<LaDeDaConvStep> steps, LaDeDaGrid output, long[] slotFloats, int chainChunkTiles)
    {
        (ImageWidth, BandRows, StemInput, Steps, Output, SlotFloats) = (imageWidth, bandRows, stemInput, steps, output, slotFloats);
        Passes = BuildPasses(steps, chainChunkTiles);
    }

    /// <summary>
    /// The steps grouped into passes: maximal runs that <see cref="LaDeDaPass.CanChain"/> allows,
    /// fused when their weights fit <see cref="ChainWeightBudgetBytes"/> (in LaDeDa9 at 256×256:
    /// the stem with layer1.0.conv1, and layer1's pointwise runs), the others one step per pass.
    /// </summary>
    private static List<LaDeDaPass> BuildPasses(IReadOnlyList<LaDeDaConvStep> steps, int chainChunkTiles)
    {
        var passes = new List<LaDeDaPass>();
        for (int i = 0; i < steps.Count;)
        {
            var chain = new List<LaDeDaConvStep> { steps[i] };
            long weightBytes = WeightBytes(steps[i]);
            while (chainChunkTiles > 0 && i + chain.Count < steps.Count && LaDeDaPass.CanChain(chain, steps[i + chain.Count])
                   && weightBytes + WeightBytes(steps[i + chain.Count]) <= ChainWeightBudgetBytes)
            {
                weightBytes += WeightBytes(steps[i + chain.Count]);
                chain.Add(steps[i + chain.Count]);
            }
            if (chain.Count > 1) passes.Add(new LaDeDaPass(chain, chainChunkTiles));
            else passes.Add(new LaDeDaPass(chain, 0));
            i += chain.Count;
        }
        return passes;
    }

    private static long WeightBytes(LaDeDaConvStep step) => step.Conv.Panels * step.Conv.PanelFloats * sizeof(float);

    public int ImageWidth { get; }

    /// <summary>Patch-map rows this plan computes.</summary>
    public int BandRows { get; }

    /// <summary>Image rows (relative to the band's first, 8·i) and columns the stem reads; 3 floats per pixel.</summary>
    public LaDeDaGrid StemInput { get; }

    public IReadOnlyList<LaDeDaConvStep> Steps { get; }

    /// <summary>The steps as they run: single convolutions and fused chains, in order.</summary>
    public IReadOnlyList<LaDeDaPass> Passes { get; }

    /// <summary>layer4's output: BandRows × map width pixels, 2048 channels.</summary>
    public LaDeDaGrid Output { get; }

    /// <summary>Floats each workspace buffer needs.</summary>
    public IReadOnlyList<long> SlotFloats { get; }

    /// <summary>Multiply-adds the plan executes (convolutions only).</summary>
    public long MultiplyAdds => Steps.Sum(s => s.MultiplyAdds);

    /// <summary>
    /// Builds the plan for <paramref name="bandRows"/> map rows of an image <paramref name="imageWidth"/>
    /// wide, fusing chains in chunks of <paramref name="chainChunkTiles"/> tiles (0: no fusion).
    /// </summary>
    public static LaDeDaCpuPlan Build(LaDeDaCpuWeights weights, int imageWidth, int bandRows, int chainChunkTiles = DefaultChainChunkTiles)
    {
        int mapWidth = weights.Model.MapSize(imageWidth);
        if (mapWidth < 1 || bandRows < 1) throw new ArgumentOutOfRangeException(nameof(imageWidth), "the image is smaller than the receptive field");
        var blocks = weights.Blocks;
        int n = blocks.Count;

        // Backwards: the needed positions of every level, rows and columns separately.
        var outRows = new int[n][]; var outCols = new int[n][];
        var midRows = new int[n][]; var midCols = new int[n][];
        var inRows = new int[n][]; var inCols = new int[n][];
        int[] needRows = [.. Enumerable.Range(0, bandRows)], needCols = [.. Enumerable.Range(0, mapWidth)];
        for (int b = n - 1; b >= 0; b--)
        {
            var block = blocks[b];
            int k = block.Conv2.Kernel, s = block.Conv2.Stride;
            (outRows[b], outCols[b]) = (needRows, needCols);
            (midRows[b], midCols[b]) = (LaDeDaGrid.Window(needRows, s, k), LaDeDaGrid.Window(needCols, s, k));
            int rs = block.Downsample?.Stride ?? 1;
            inRows[b] = LaDeDaGrid.Union(midRows[b], LaDeDaGrid.Strided(needRows, rs));
            inCols[b] = LaDeDaGrid.Union(midCols[b], LaDeDaGrid.Strided(needCols, rs));
            (needRows, needCols) = (inRows[b], inCols[b]);
        }
        int stemK = weights.Stem.Kernel;
        var stemInput = new LaDeDaGrid(LaDeDaGrid.Window(needRows, 1, stemK), LaDeDaGrid.Window(needCols, 1, stemK), 3, 3, StemInputSlot);

        // Forwards: the steps.
        var slots = new long[SlotCount];
        void Use(LaDeDaGrid g) => slots[g.Slot] = Math.Max(slots[g.Slot], g.Floats);
        Use(stemInput);
        var steps = new List<LaDeDaConvStep>();
        var x = new LaDeDaGrid(inRows[0], inCols[0], weights.Stem.OutChannels, weights.Pitch(weights.Stem.OutChannels), SlotA);
        Use(x);
        steps.Add(Conv("stem", weights.Stem, stemInput, x, relu: true));
        for (int b = 0; b < n; b++)
        {
            var block = blocks[b];
            var mid = new LaDeDaGrid(midRows[b], midCols[b], block.Conv1.OutChannels, weights.Pitch(block.Conv1.OutChannels), Conv1Slot);
            var inner = new LaDeDaGrid(outRows[b], outCols[b], block.Conv2.OutChannels, weights.Pitch(block.Conv2.OutChannels), Conv2Slot);
            var y = new LaDeDaGrid(outRows[b], outCols[b], block.Conv3.OutChannels, weights.Pitch(block.Conv3.OutChannels), x.Slot == SlotA ? SlotB : SlotA);
            Use(mid); Use(inner); Use(y);
            steps.Add(Conv(block.Name + ".conv1", block.Conv1, x, mid, relu: true));
            steps.Add(Conv(block.Name + ".conv2", block.Conv2, mid, inner, relu: true));
            if (block.Downsample is { } downsample)
            {
                // The downsample writes the residual where conv3's output goes; conv3 adds in place.
                steps.Add(Conv(block.Name + ".downsample", downsample, x, y, relu: false));
                int[] inPlace = [.. Enumerable.Range(0, y.Pixels).Select(p => p * y.Pitch)];
                steps.Add(Conv(block.Name + ".conv3", block.Conv3, inner, y, relu: true, y.Slot, inPlace));
            }
            else
            {
                // Identity residual: the block input at the same positions (the bottom/right crop is implicit).
                steps.Add(Conv(block.Name + ".conv3", block.Conv3, inner, y, relu: true, x.Slot, x.WindowOffsets(y.Rows, y.Cols, 1, 1)));
            }
            x = y;
        }
        return new LaDeDaCpuPlan(imageWidth, bandRows, stemInput, steps, x, slots, chainChunkTiles);
    }

    private static LaDeDaConvStep Conv(string name, LaDeDaPackedConv conv, LaDeDaGrid input, LaDeDaGrid output, bool relu,
                                       int residualSlot = -1, int[]? residualOffsets = null)
    {
        if (input.Pitch != conv.InputPitch) throw new InvalidOperationException($"plan error: {name} packed for pitch {conv.InputPitch}, input has {input.Pitch}");
        int[] offsets = input.WindowOffsets(output.Rows, output.Cols, conv.Stride, conv.Kernel);
        return new LaDeDaConvStep(name, conv, input.Slot, output.Slot, residualSlot, output.Pitch, offsets, residualOffsets, conv.TapOffsets(input.RowPitch), relu,
                                  output.Rows, output.Cols);
    }
}
