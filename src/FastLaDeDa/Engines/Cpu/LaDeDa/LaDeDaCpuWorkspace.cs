namespace FastLaDeDa.Engines.Cpu.LaDeDa;

/// <summary>
/// The buffers one run of a LaDeDa CPU network needs: the plan's activation buffers, the normalized
/// and filtered rows of the band being scored, and a scratch row for the tiles past a layer's last
/// pixel. Grown when a plan needs more, then reused, so steady-state runs allocate nothing. Used by
/// one run at a time (the network keeps a pool of them); the worker threads of that run share it.
/// </summary>
internal sealed unsafe class LaDeDaCpuWorkspace
{
    private readonly AlignedFloatBuffer?[] _slots = new AlignedFloatBuffer?[LaDeDaCpuPlan.SlotCount];
    private AlignedFloatBuffer? _planes;
    private readonly AlignedFloatBuffer _scratch = new(ScratchRow * LaDeDaStepJob.MaxItems);

    /// <summary>Floats of scratch per work item (the widest panel).</summary>
    public const int ScratchRow = 64;

    public LaDeDaCpuWorkspace(LaDeDaCpuNetwork network)
    {
        Job = new LaDeDaStepJob(network.Kernels, this);
        ChainJob = new LaDeDaChainJob(network.Kernels, this);
    }

    /// <summary>The parallel loop body of single convolutions, bound to this workspace.</summary>
    public LaDeDaStepJob Job { get; }

    /// <summary>The parallel loop body of fused chains, bound to this workspace.</summary>
    public LaDeDaChainJob ChainJob { get; }

    /// <summary>Makes every buffer large enough for <paramref name="plan"/> and <paramref name="planeFloats"/> preprocessing floats.</summary>
    public void Ensure(LaDeDaCpuPlan plan, long planeFloats)
    {
        for (int s = 0; s < LaDeDaCpuPlan.SlotCount; s++)
            if (_slots[s] is not { } buffer || buffer.Length < plan.SlotFloats[s])
                _slots[s] = new AlignedFloatBuffer(plan.SlotFloats[s], SlotPageOffset(s));
        if (_planes is null || _planes.Length < planeFloats) _planes = new AlignedFloatBuffer(planeFloats);
    }

    /// <summary>
    /// Where buffer <paramref name="slot"/> starts within a 4 KB page: 13 cache lines apart, so no two
    /// buffers' pixels line up modulo 4 KB (see <see cref="AlignedFloatBuffer"/> on 4K aliasing).
    /// </summary>
    private static int SlotPageOffset(int slot) => LaDeDaCpuTuning.Default.SpreadSlots ? slot * 13 * 64 % 4096 : 0;

    /// <summary>Start of workspace buffer <paramref name="slot"/>.</summary>
    public float* Slot(int slot) => _slots[slot]!.Pointer;

    /// <summary>Workspace buffer <paramref name="slot"/> as a span of <paramref name="floats"/>.</summary>
    public Span<float> SlotSpan(int slot, long floats) => _slots[slot]!.Span[..(int)floats];

    /// <summary>Normalized then filtered image rows (two areas of <c>planeFloats / 2</c>).</summary>
    public Span<float> Planes => _planes!.Span;

    /// <summary>One row per work item that the tiles past a layer's end write to.</summary>
    public float* Scratch => _scratch.Pointer;
}
