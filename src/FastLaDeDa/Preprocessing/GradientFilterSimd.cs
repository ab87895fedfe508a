using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastLaDeDa.Simd;

namespace FastLaDeDa.Preprocessing;

/// <summary>
/// The 3×3 gradient with vectors of one width (<typeparamref name="TOps"/>), written once: per row,
/// one vector of interior columns at a time (the last block overlaps the one before it), each
/// non-zero tap a broadcast multiplication then an addition in the scalar code's order; the first
/// and last column, which read the zero padding, and planes too narrow for one vector use the
/// scalar formula. <see cref="GradientFilterVector256"/> and <see cref="GradientFilterVector512"/>
/// are its named instances.
/// </summary>
internal abstract class GradientFilterSimd<TOps, TVec> : GradientFilter
    where TOps : struct, ISimdOps<TVec>
    where TVec : struct
{
    /// <inheritdoc/>
    public override string Isa => TOps.Isa;

    /// <inheritdoc/>
    public override bool IsSupported => TOps.IsSupported;

    /// <inheritdoc/>
    public override void Apply(ReadOnlySpan<float> taps, ReadOnlySpan<float> src, Span<float> dst, int height, int width)
    {
        CheckSizes(taps, src, dst, height, width);
        int lanes = TOps.Count;
        if (width < lanes + 2)
        {
            GradientFilterScalar.Instance.Apply(taps, src, dst, height, width);
            return;
        }
        int nonZero = NonZeroTaps(taps);
        TVec k0 = TOps.Broadcast(taps[0]), k1 = TOps.Broadcast(taps[1]), k2 = TOps.Broadcast(taps[2]);
        TVec k3 = TOps.Broadcast(taps[3]), k4 = TOps.Broadcast(taps[4]), k5 = TOps.Broadcast(taps[5]);
        TVec k6 = TOps.Broadcast(taps[6]), k7 = TOps.Broadcast(taps[7]), k8 = TOps.Broadcast(taps[8]);
        int lastX = width - 1 - lanes; // the last block ends just before the last column
        ref float source = ref MemoryMarshal.GetReference(src);
        ref float destination = ref MemoryMarshal.GetReference(dst);
        for (int y = 0; y < height; y++)
        {
            int active = ActiveTaps(nonZero, y, height);
            // Rows outside the plane are never read (their taps are not active); the references
            // stay inside it.
            ref float up = ref Unsafe.Add(ref source, (nint)Math.Max(y - 1, 0) * width);
            ref float mid = ref Unsafe.Add(ref source, (nint)y * width);
            ref float down = ref Unsafe.Add(ref source, (nint)Math.Min(y + 1, height - 1) * width);
            ref float output = ref Unsafe.Add(ref destination, (nint)y * width);
            output = GradientFilterScalar.At(taps, src, height, width, y, 0);
            Unsafe.Add(ref output, width - 1) = GradientFilterScalar.At(taps, src, height, width, y, width - 1);
            for (int x = 1; ; x += lanes)
            {
                if (x > lastX) x = lastX;
                // acc = 0f; acc += k[u,v] * src[y+u-1, x+v-1] for each non-zero tap, row-major
                TVec acc = TOps.Zero;
                if ((active & 0x001) != 0) acc = TOps.Add(acc, TOps.Multiply(k0, TOps.Load(ref Unsafe.Add(ref up, x - 1))));
                if ((active & 0x002) != 0) acc = TOps.Add(acc, TOps.Multiply(k1, TOps.Load(ref Unsafe.Add(ref up, x))));
                if ((active & 0x004) != 0) acc = TOps.Add(acc, TOps.Multiply(k2, TOps.Load(ref Unsafe.Add(ref up, x + 1))));
                if ((active & 0x008) != 0) acc = TOps.Add(acc, TOps.Multiply(k3, TOps.Load(ref Unsafe.Add(ref mid, x - 1))));
                if ((active & 0x010) != 0) acc = TOps.Add(acc, TOps.Multiply(k4, TOps.Load(ref Unsafe.Add(ref mid, x))));
                if ((active & 0x020) != 0) acc = TOps.Add(acc, TOps.Multiply(k5, TOps.Load(ref Unsafe.Add(ref mid, x + 1))));
                if ((active & 0x040) != 0) acc = TOps.Add(acc, TOps.Multiply(k6, TOps.Load(ref Unsafe.Add(ref down, x - 1))));
                if ((active & 0x080) != 0) acc = TOps.Add(acc, TOps.Multiply(k7, TOps.Load(ref Unsafe.Add(ref down, x))));
                if ((active & 0x100) != 0) acc = TOps.Add(acc, TOps.Multiply(k8, TOps.Load(ref Unsafe.Add(ref down, x + 1))));
                TOps.Store(ref Unsafe.Add(ref output, x), acc);
                if (x == lastX) break;
            }
        }
    }
}
