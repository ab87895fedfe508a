namespace FastLaDeDa.Engines.Cpu;

/// <summary>
/// One convolution step as a parallel loop: item i computes a contiguous range of the step's tiles
/// (all output channels). Bound to a workspace; the network sets the step before each loop.
/// </summary>
internal sealed unsafe class LaDeDaStepJob(ILaDeDaConvKernels kernels, LaDeDaCpuWorkspace workspace) : ILaDeDaParallelJob
{
    private LaDeDaConvStep? _step;
    private int _items;

    /// <summary>Prepares the loop over <paramref name="step"/> in <paramref name="items"/> items.</summary>
    public void Set(LaDeDaConvStep step, int items) => (_step, _items) = (step, items);

    public void Execute(int item)
    {
        LaDeDaConvStep step = _step!;
        int tiles = step.Tiles;
        int start = (int)((long)tiles * item / _items), end = (int)((long)tiles * (item + 1) / _items);
        if (start >= end) return;
        float* residual = step.ResidualSlot < 0 ? null : workspace.Slot(step.ResidualSlot);
        kernels.Run(step, workspace.Slot(step.InSlot), workspace.Slot(step.OutSlot), residual, workspace.Scratch, start, end);
    }
}
