using System.Runtime.Intrinsics;

namespace FastLaDeDa.Preprocessing;

/// <summary>
/// NPR with 512-bit vectors: per row, one vector of columns at a time (blocks start at even
/// columns, so the anchor values are the block's anchor-row values with every even lane duplicated
/// into the odd lane after it); the columns after the last whole block use the scalar formula.
/// </summary>
internal sealed class NprFilterVector512 : NprFilter
{
    /// <summary>The single instance.</summary>
    public static NprFilterVector512 Instance { get; } = new();

    private NprFilterVector512() { }

    /// <inheritdoc/>
    public override string Isa => "Vector512";

    /// <inheritdoc/>
    public override bool IsSupported => Vector512.IsHardwareAccelerated;

    /// <inheritdoc/>
    public override unsafe void Apply(ReadOnlySpan<float> src, Span<float> dst, int height, int width, float scale)
    {
        CheckSizes(src, dst, height, width);
        int lanes = Vector512<float>.Count;
        Vector512<float> factor = Vector512.Create(scale);
        fixed (float* source = src, destination = dst)
        {
            for (int y = 0; y < height; y++)
            {
                float* row = source + (long)y * width;
                float* anchorRow = source + (long)(y & ~1) * width;
                float* output = destination + (long)y * width;
                int x = 0;
                for (; x <= width - lanes; x += lanes)
                {
                    // Duplicate the even lanes (constant indices: one permute instruction).
                    Vector512<float> anchor = Vector512.Shuffle(Vector512.Load(anchorRow + x), Vector512.Create(0, 0, 2, 2, 4, 4, 6, 6, 8, 8, 10, 10, 12, 12, 14, 14));
                    // dst[y,x] = (src[y,x] - src[anchorRow, x & ~1]) * scale
                    ((Vector512.Load(row + x) - anchor) * factor).Store(output + x);
                }
                NprFilterScalar.Row(src, dst, width, y, x, scale);
            }
        }
    }
}
