namespace FastLaDeDa.Engines.Cpu.LaDeDa;

/// <summary>
/// The CPU LaDeDa engine's tuning, read-only: cache budgets and memory-layout switches chosen by
/// measurement (bench/README.md). One immutable instance; a benchmark comparing settings builds its
/// own with <c>with</c> rather than flipping process-wide statics under running networks.
/// </summary>
internal sealed record LaDeDaCpuTuning
{
    /// <summary>The settings every network uses.</summary>
    public static LaDeDaCpuTuning Default { get; } = new();

    /// <summary>Fused chains whose packed weights exceed this are run layer by layer (their weights, not their activations, dominate the traffic).</summary>
    public long ChainWeightBudgetBytes { get; init; } = 256 << 10;

    /// <summary>Packed weights of the panels one pass over the tiles covers (they stay in L2 together).</summary>
    public long PanelGroupBytes { get; init; } = 256 << 10;

    /// <summary>Prefetch each tile's output and residual lines.</summary>
    public bool PrefetchOutputs { get; init; } = true;

    /// <summary>Give the workspace buffers distinct page offsets (see <see cref="LaDeDaCpuWorkspace"/>).</summary>
    public bool SpreadSlots { get; init; } = true;
}
