namespace FastLaDeDa.Engines.Cpu.LaDeDa;

/// <summary>
/// One pass of a plan over its pixels: a single convolution (its tiles × panels split into work
/// items), or a fused chain of convolutions that all write the same positions and read one another
/// pixel for pixel, run chunk by chunk — each chunk of <see cref="ChunkTiles"/> tiles goes through
/// every convolution of the chain while its activations are still in L2, instead of each layer
/// streaming whole activations (megabytes) through memory.
/// </summary>
internal sealed class LaDeDaPass
{
    public LaDeDaPass(IReadOnlyList<LaDeDaConvStep> steps, int chunkTiles)
    {
        if (steps.Count == 0) throw new ArgumentException("a pass has at least one step", nameof(steps));
        if (steps.Count > 1 && chunkTiles < 1) throw new ArgumentOutOfRangeException(nameof(chunkTiles), "a chain runs in chunks");
        Steps = steps;
        ChunkTiles = steps.Count == 1 ? 0 : chunkTiles;
    }

    public IReadOnlyList<LaDeDaConvStep> Steps { get; }

    /// <summary>Tiles per chunk of a fused chain; 0 for a single convolution.</summary>
    public int ChunkTiles { get; }

    public bool IsChain => ChunkTiles > 0;

    /// <summary>The convolutions' names joined by '+'.</summary>
    public string Name => string.Join('+', Steps.Select(s => s.Name));

    public long MultiplyAdds => Steps.Sum(s => s.MultiplyAdds);

    /// <summary>Tiles of every step (chained steps have the same pixels).</summary>
    public int Tiles => Steps[0].Tiles;

    /// <summary>
    /// Whether <paramref name="next"/> may join a chain of <paramref name="chain"/>: it computes the
    /// same positions in the same order, and every read and write of every step at the pixels of a
    /// chunk stays within that chunk's part of its buffer (reads at the pixel itself, one pitch per
    /// buffer), so chunks are independent and may run in any order or at once. Only the chain's first
    /// step may gather its input from anywhere (a strided or k×k window), and then nothing in the
    /// chain may write that input's buffer.
    /// </summary>
    public static bool CanChain(IReadOnlyList<LaDeDaConvStep> chain, LaDeDaConvStep next)
    {
        LaDeDaConvStep first = chain[0];
        if (next.Pixels != first.Pixels || !next.OutRows.AsSpan().SequenceEqual(first.OutRows) || !next.OutCols.AsSpan().SequenceEqual(first.OutCols))
            return false;
        var steps = chain.Append(next).ToList();
        int gatherSlot = IsAligned(first.InOffsets, first.Conv.InputPitch) ? -1 : first.InSlot;
        var pitch = new Dictionary<int, int>();
        bool Access(int slot, int slotPitch) => pitch.TryAdd(slot, slotPitch) || pitch[slot] == slotPitch;
        for (int i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            if (s.OutSlot == gatherSlot || !Access(s.OutSlot, s.OutPitch)) return false;
            if (i > 0 || gatherSlot < 0)
            {
                if (!IsAligned(s.InOffsets, s.Conv.InputPitch) || !Access(s.InSlot, s.Conv.InputPitch)) return false;
            }
            if (s.ResidualOffsets is { } residual)
            {
                int residualPitch = s.Pixels > 1 ? residual[1] - residual[0] : s.OutPitch;
                if (s.ResidualSlot == gatherSlot || !IsAligned(residual, residualPitch) || !Access(s.ResidualSlot, residualPitch)) return false;
            }
        }
        return true;
    }

    private static bool IsAligned(int[] offsets, int pitch)
    {
        for (int p = 0; p < offsets.Length; p++)
            if (offsets[p] != p * pitch) return false;
        return true;
    }
}
