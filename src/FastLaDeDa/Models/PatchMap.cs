namespace FastLaDeDa.Models;

/// <summary>
/// The grid of per-patch logits a model produces: cell (y, x) scores the input window starting at
/// (y·Stride, x·Stride) of size ReceptiveField (in the model's input coordinates).
/// </summary>
public sealed class PatchMap
{
    /// <summary>Wraps <paramref name="logits"/> (row-major, not copied).</summary>
    public PatchMap(int width, int height, float[] logits, int stride, int receptiveField)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(logits);
        if ((long)width * height != logits.Length) throw new ArgumentException("logits must hold width × height values", nameof(logits));
        Width = width;
        Height = height;
        Logits = logits;
        Stride = stride;
        ReceptiveField = receptiveField;
    }

    /// <summary>Cells per row.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Row-major logits.</summary>
    public float[] Logits { get; }

    /// <summary>Input pixels between neighbouring cells.</summary>
    public int Stride { get; }

    /// <summary>Input pixels seen by one cell, per axis.</summary>
    public int ReceptiveField { get; }

    /// <summary>The logit of cell (y, x).</summary>
    public float this[int y, int x] => Logits[y * Width + x];

    /// <summary>The map reduced to one image logit (mean in double precision, or max).</summary>
    public double Pool(PoolingKind pooling)
    {
        if (pooling == PoolingKind.Max) return Logits.Max();
        double sum = 0;
        foreach (float v in Logits) sum += v;
        return sum / Logits.Length;
    }
}
