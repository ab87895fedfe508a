namespace FastLaDeDa.Engines.Cpu.LaDeDa;

/// <summary>
/// One convolution step as a parallel loop over a grid of work items: the step's tiles cut into
/// <c>tileChunks</c> contiguous ranges × its panels cut into <c>panelChunks</c> ranges (whole panel
/// groups). Items that share a panel range are numbered consecutively, so a thread moving to its next
/// item usually finds those weights still in its L2. Bound to a workspace; the network sets the step
/// before each loop.
/// </summary>
internal sealed unsafe class LaDeDaStepJob(ILaDeDaConvKernels kernels, LaDeDaCpuWorkspace workspace) : ILaDeDaParallelJob
{
    /// <summary>Most items per step (each has its own scratch row).</summary>
    public const int MaxItems = 64;

    private LaDeDaConvStep? _step;
    private int _tileChunks, _panelChunks, _groups, _group;

    /// <summary>Items per step with <paramref name="threads"/> threads: 1 alone; otherwise enough for the threads to even out (see <see cref="Set"/>).</summary>
    public int Set(LaDeDaConvStep step, int threads)
    {
        _step = step;
        _group = LaDeDaConvKernels.PanelGroup(step.Conv);
        _groups = (step.Conv.Panels + _group - 1) / _group;
        if (threads <= 1)
        {
            (_tileChunks, _panelChunks) = (1, 1);
            return 1;
        }
        // About 8 items per thread, so a thread slowed down (the machine may be shared) costs little:
        // first split the panel groups (each item then streams only its own weights), then the
        // tiles, keeping at least 4 tiles per item.
        int target = Math.Min(MaxItems, 8 * threads);
        _panelChunks = Math.Min(_groups, target);
        _tileChunks = Math.Clamp(target / _panelChunks, 1, Math.Max(1, step.Tiles / 4));
        return _tileChunks * _panelChunks;
    }

    public void Execute(int item)
    {
        LaDeDaConvStep step = _step!;
        int panelChunk = item / _tileChunks, tileChunk = item % _tileChunks;
        int tiles = step.Tiles;
        int tileStart = (int)((long)tiles * tileChunk / _tileChunks), tileEnd = (int)((long)tiles * (tileChunk + 1) / _tileChunks);
        int groupStart = _groups * panelChunk / _panelChunks, groupEnd = _groups * (panelChunk + 1) / _panelChunks;
        int panelStart = groupStart * _group, panelEnd = Math.Min(step.Conv.Panels, groupEnd * _group);
        if (tileStart >= tileEnd || panelStart >= panelEnd) return;
        float* residual = step.ResidualSlot < 0 ? null : workspace.Slot(step.ResidualSlot);
        kernels.Run(step, workspace.Slot(step.InSlot), workspace.Slot(step.OutSlot), residual, workspace.Scratch + item * LaDeDaCpuWorkspace.ScratchRow,
                    tileStart, tileEnd, panelStart, panelEnd);
    }
}
