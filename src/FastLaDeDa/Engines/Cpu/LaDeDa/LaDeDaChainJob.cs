namespace FastLaDeDa.Engines.Cpu.LaDeDa;

/// <summary>
/// A fused chain (<see cref="LaDeDaPass"/>) as a parallel loop: item i runs chunks of the chain's
/// tiles through every convolution of the chain, one chunk after the other. One thread takes all
/// chunks as one item; several take one chunk per item.
/// </summary>
internal sealed unsafe class LaDeDaChainJob(ILaDeDaConvKernels kernels, LaDeDaCpuWorkspace workspace) : ILaDeDaParallelJob
{
    private LaDeDaPass? _pass;
    private int _chunks, _items;

    /// <summary>Prepares the loop over <paramref name="pass"/>; returns the number of items.</summary>
    public int Set(LaDeDaPass pass, int threads)
    {
        _pass = pass;
        _chunks = (pass.Tiles + pass.ChunkTiles - 1) / pass.ChunkTiles;
        _items = threads <= 1 ? 1 : _chunks;
        return _items;
    }

    public void Execute(int item)
    {
        LaDeDaPass pass = _pass!;
        int firstChunk = (int)((long)_chunks * item / _items), endChunk = (int)((long)_chunks * (item + 1) / _items);
        // Only the chunk holding the last tile writes scratch rows: one row serves the chain.
        float* scratch = workspace.Scratch;
        for (int chunk = firstChunk; chunk < endChunk; chunk++)
        {
            int tileStart = chunk * pass.ChunkTiles, tileEnd = Math.Min(pass.Tiles, tileStart + pass.ChunkTiles);
            for (int s = 0; s < pass.Steps.Count; s++)
            {
                LaDeDaConvStep step = pass.Steps[s];
                float* residual = step.ResidualSlot < 0 ? null : workspace.Slot(step.ResidualSlot);
                kernels.Run(step, workspace.Slot(step.InSlot), workspace.Slot(step.OutSlot), residual, scratch, tileStart, tileEnd, 0, step.Conv.Panels);
            }
        }
    }
}
