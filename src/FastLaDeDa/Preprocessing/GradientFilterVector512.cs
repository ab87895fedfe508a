using System.Runtime.Intrinsics;

namespace FastLaDeDa.Preprocessing;

/// <summary>
/// The 3×3 gradient with 512-bit vectors: per row, one vector of interior columns at a time (the
/// last block overlaps the one before it), each non-zero tap a broadcast multiplication then an
/// addition in the scalar code's order; the first and last column, which read the zero padding,
/// and planes too narrow for one vector use the scalar formula.
/// </summary>
internal sealed class GradientFilterVector512 : GradientFilter
{
    /// <summary>The single instance.</summary>
    public static GradientFilterVector512 Instance { get; } = new();

    private GradientFilterVector512() { }

    /// <inheritdoc/>
    public override string Isa => "Vector512";

    /// <inheritdoc/>
    public override bool IsSupported => Vector512.IsHardwareAccelerated;

    /// <inheritdoc/>
    public override unsafe void Apply(ReadOnlySpan<float> taps, ReadOnlySpan<float> src, Span<float> dst, int height, int width)
    {
        CheckSizes(taps, src, dst, height, width);
        int lanes = Vector512<float>.Count;
        if (width < lanes + 2)
        {
            GradientFilterScalar.Instance.Apply(taps, src, dst, height, width);
            return;
        }
        int nonZero = NonZeroTaps(taps);
        Vector512<float> k0 = Vector512.Create(taps[0]), k1 = Vector512.Create(taps[1]), k2 = Vector512.Create(taps[2]);
        Vector512<float> k3 = Vector512.Create(taps[3]), k4 = Vector512.Create(taps[4]), k5 = Vector512.Create(taps[5]);
        Vector512<float> k6 = Vector512.Create(taps[6]), k7 = Vector512.Create(taps[7]), k8 = Vector512.Create(taps[8]);
        int lastX = width - 1 - lanes; // the last block ends just before the last column
        fixed (float* source = src, destination = dst)
        {
            for (int y = 0; y < height; y++)
            {
                int active = ActiveTaps(nonZero, y, height);
                // Rows outside the plane are never read: their taps are not active.
                float* up = source + (long)(y - 1) * width;
                float* mid = source + (long)y * width;
                float* down = source + (long)(y + 1) * width;
                float* output = destination + (long)y * width;
                output[0] = GradientFilterScalar.At(taps, src, height, width, y, 0);
                output[width - 1] = GradientFilterScalar.At(taps, src, height, width, y, width - 1);
                for (int x = 1; ; x += lanes)
                {
                    if (x > lastX) x = lastX;
                    // acc = 0f; acc += k[u,v] * src[y+u-1, x+v-1] for each non-zero tap, row-major
                    Vector512<float> acc = Vector512<float>.Zero;
                    if ((active & 0x001) != 0) acc += k0 * Vector512.Load(up + x - 1);
                    if ((active & 0x002) != 0) acc += k1 * Vector512.Load(up + x);
                    if ((active & 0x004) != 0) acc += k2 * Vector512.Load(up + x + 1);
                    if ((active & 0x008) != 0) acc += k3 * Vector512.Load(mid + x - 1);
                    if ((active & 0x010) != 0) acc += k4 * Vector512.Load(mid + x);
                    if ((active & 0x020) != 0) acc += k5 * Vector512.Load(mid + x + 1);
                    if ((active & 0x040) != 0) acc += k6 * Vector512.Load(down + x - 1);
                    if ((active & 0x080) != 0) acc += k7 * Vector512.Load(down + x);
                    if ((active & 0x100) != 0) acc += k8 * Vector512.Load(down + x + 1);
                    acc.Store(output + x);
                    if (x == lastX) break;
                }
            }
        }
    }
}
