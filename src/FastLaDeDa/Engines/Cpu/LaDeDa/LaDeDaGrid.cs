namespace FastLaDeDa.Engines.Cpu.LaDeDa;

/// <summary>
/// The positions of one activation a plan computes: the rows and columns (of that layer's full
/// output, in increasing order) whose product is needed downstream, stored densely — pixel
/// (i, j) of the grid at <c>(i · Cols.Length + j) · Pitch</c> in its workspace buffer.
/// </summary>
/// <remarks>
/// Only positions some patch logit depends on are kept. LaDeDa's patches are 9×9 at stride 8 (for
/// the default receptive field), so e.g. layer3's stride-2 1×1 convolutions read only the even
/// positions of layer2's output, and layer2's pointwise blocks need nothing else; the positions
/// dropped never influence the map, so the result is the same as computing everything.
/// </remarks>
internal sealed class LaDeDaGrid(int[] rows, int[] cols, int channels, int pitch, int slot)
{
    public int[] Rows { get; } = rows;
    public int[] Cols { get; } = cols;
    public int Channels { get; } = channels;

    /// <summary>Floats per pixel.</summary>
    public int Pitch { get; } = pitch;

    /// <summary>The workspace buffer holding it.</summary>
    public int Slot { get; } = slot;

    public int Pixels => Rows.Length * Cols.Length;

    /// <summary>Floats the activation occupies.</summary>
    public long Floats => (long)Pixels * Pitch;

    /// <summary>Floats between vertically adjacent pixels.</summary>
    public long RowPitch => (long)Cols.Length * Pitch;

    /// <summary>
    /// For an output grid <paramref name="outRows"/> × <paramref name="outCols"/> of a k×k convolution
    /// with stride s reading this grid: per output pixel, the offset of its window's top-left input.
    /// Checks that every window lies in this grid with its k rows and k columns adjacent (consecutive
    /// positions are stored next to each other, so tap offsets are the same for all pixels).
    /// </summary>
    public int[] WindowOffsets(int[] outRows, int[] outCols, int stride, int kernel)
    {
        int[] rowIndex = Locate(Rows, outRows, stride, kernel), colIndex = Locate(Cols, outCols, stride, kernel);
        var offsets = new int[checked(outRows.Length * outCols.Length)];
        for (int i = 0; i < outRows.Length; i++)
            for (int j = 0; j < outCols.Length; j++)
                offsets[i * outCols.Length + j] = checked((int)(rowIndex[i] * RowPitch + (long)colIndex[j] * Pitch));
        return offsets;
    }

    /// <summary>Index in <paramref name="have"/> of s·o for each o, checking s·o + 1 … s·o + k − 1 follow it.</summary>
    private static int[] Locate(int[] have, int[] outputs, int stride, int kernel)
    {
        var index = new int[outputs.Length];
        for (int i = 0; i < outputs.Length; i++)
        {
            int start = outputs[i] * stride;
            int at = Array.BinarySearch(have, start);
            if (at < 0 || at + kernel > have.Length || have[at + kernel - 1] != start + kernel - 1)
                throw new InvalidOperationException($"plan error: positions {start}..{start + kernel - 1} are not all computed");
            index[i] = at;
        }
        return index;
    }

    /// <summary>The inputs a k×k convolution with stride s reads for <paramref name="outputs"/>.</summary>
    public static int[] Window(int[] outputs, int stride, int kernel)
    {
        var set = new SortedSet<int>();
        foreach (int o in outputs)
            for (int k = 0; k < kernel; k++) set.Add(o * stride + k);
        return [.. set];
    }

    /// <summary>Positions s·o.</summary>
    public static int[] Strided(int[] outputs, int stride) => [.. outputs.Select(o => o * stride)];

    /// <summary>The sorted union.</summary>
    public static int[] Union(int[] a, int[] b) => [.. new SortedSet<int>(a.Concat(b))];
}
