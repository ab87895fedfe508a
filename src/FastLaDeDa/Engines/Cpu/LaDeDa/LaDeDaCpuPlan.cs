namespace FastLaDeDa.Engines.Cpu.LaDeDa;

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

    /// <summary>Tiles per chunk of a fused chain by default (96 pixels: a layer1 chunk's activations take ~150 KB).</summary>
    public const int DefaultChainChunkTiles = 16;

    private LaDeDaCpuPlan(int imageWidth, int bandRows, LaDeDaGrid stemInput, IReadOnlyList<LaDeDaConvStep> steps, LaDeDaGrid output, long[] slotFloats, int chainChunkTiles)
    {
        (ImageWidth, BandRows, StemInput, Steps, Output, SlotFloats) = (imageWidth, bandRows, stemInput, steps, output, slotFloats);
        Passes = BuildPasses(steps, chainChunkTiles);
    }

    /// <summary>
    /// The steps grouped into passes: maximal runs that <see cref="LaDeDaPass.CanChain"/> allows,
    /// fused when their weights fit <see cref="LaDeDaCpuTuning.ChainWeightBudgetBytes"/> (in LaDeDa9 at 256×256:
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
                   && weightBytes + WeightBytes(steps[i + chain.Count]) <= LaDeDaCpuTuning.Default.ChainWeightBudgetBytes)
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
        var graph = weights.Graph;
        var nodes = graph.Nodes;

        // Backwards: the needed positions of every value, rows and columns separately. A node's
        // output positions need its k×k stride-s windows of its input, and its residual at the same
        // positions (the bottom/right crop).
        var rows = new int[nodes.Count + 1][];
        var cols = new int[nodes.Count + 1][];
        void Need(int value, int[] r, int[] c) =>
            (rows[value], cols[value]) = rows[value] is null ? (r, c) : (LaDeDaGrid.Union(rows[value], r), LaDeDaGrid.Union(cols[value], c));
        Need(graph.Output, [.. Enumerable.Range(0, bandRows)], [.. Enumerable.Range(0, mapWidth)]);
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            var node = nodes[i];
            int[] r = rows[node.Output], c = cols[node.Output];
            Need(node.Input, LaDeDaGrid.Window(r, node.Stride, node.Kernel), LaDeDaGrid.Window(c, node.Stride, node.Kernel));
            if (node.Residual >= 0) Need(node.Residual, r, c);
        }

        // Forwards: a slot for every value and the steps. The input has its own slot; values read by
        // several nodes or as a residual (block inputs and outputs) alternate between A and B; values
        // read once by the next convolution (conv1 and conv2 outputs) between the two conv slots; a
        // residual read only by one node at that node's own positions (the downsample) is written
        // where that node's output goes, which then adds to it in place.
        var grids = new LaDeDaGrid[nodes.Count + 1];
        var slotOf = new int[nodes.Count + 1];
        Array.Fill(slotOf, -1);
        slotOf[0] = StemInputSlot;
        bool IsInPlaceResidual(int value) =>
            graph.Consumers(value) is [var only] && only.Residual == value && only.Input != value
            && rows[value].AsSpan().SequenceEqual(rows[only.Output]) && cols[value].AsSpan().SequenceEqual(cols[only.Output]);
        bool IsTrunk(int value) =>
            value == graph.Output || graph.Consumers(value).Count > 1 || graph.Consumers(value).Any(n => n.Residual == value) || nodes[value - 1].Residual >= 0;
        int FreeSlot(int node, int[] candidates)
        {
            // A slot is busy while a value in it has a reader at or after this node.
            foreach (int slot in candidates)
            {
                bool busy = false;
                for (int v = 0; v <= node && !busy; v++)
                    busy = slotOf[v] == slot && graph.Consumers(v).Any(n => n.Index >= node);
                if (!busy) return slot;
            }
            throw new InvalidOperationException($"plan error: no free slot for {nodes[node].Name}");
        }
        int[] trunkSlots = [SlotA, SlotB], convSlots = [Conv1Slot, Conv2Slot];

        var slots = new long[SlotCount];
        void Use(LaDeDaGrid g) => slots[g.Slot] = Math.Max(slots[g.Slot], g.Floats);
        grids[0] = new LaDeDaGrid(rows[0], cols[0], 3, weights.InputPitch(0), StemInputSlot);
        Use(grids[0]);
        var steps = new List<LaDeDaConvStep>();
        foreach (var node in nodes)
        {
            int v = node.Output;
            if (IsInPlaceResidual(v))
            {
                var reader = graph.Consumers(v)[0];
                if (slotOf[reader.Output] < 0) slotOf[reader.Output] = FreeSlot(node.Index, trunkSlots);
                slotOf[v] = slotOf[reader.Output];
            }
            else if (slotOf[v] < 0)
            {
                slotOf[v] = FreeSlot(node.Index, IsTrunk(v) ? trunkSlots : convSlots);
            }
            grids[v] = new LaDeDaGrid(rows[v], cols[v], node.OutChannels, weights.Pitch(node.OutChannels), slotOf[v]);
            Use(grids[v]);
            var conv = weights.Convs[node.Index];
            if (node.Residual < 0)
                steps.Add(Conv(node.Name, conv, grids[node.Input], grids[v], node.Relu));
            else if (IsInPlaceResidual(node.Residual))
                steps.Add(Conv(node.Name, conv, grids[node.Input], grids[v], node.Relu, grids[v].Slot, [.. Enumerable.Range(0, grids[v].Pixels).Select(p => p * grids[v].Pitch)]));
            else
                steps.Add(Conv(node.Name, conv, grids[node.Input], grids[v], node.Relu, grids[node.Residual].Slot, grids[node.Residual].WindowOffsets(grids[v].Rows, grids[v].Cols, 1, 1)));
        }
        return new LaDeDaCpuPlan(imageWidth, bandRows, grids[0], steps, grids[graph.Output], slots, chainChunkTiles);
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
