using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastLaDeDa.Simd;

namespace FastLaDeDa.Preprocessing;

/// <summary>
/// Normalization with vectors of one width (<typeparamref name="TOps"/>), written once: 2·Count
/// pixels at a time, de-interleaved into the three planes as byte values, then normalized in place
/// (<see cref="RgbNormalization{TOps, TVec}"/>, bit-identical to the scalar formula); the last
/// block overlaps the one before it. <see cref="ImageNetNormalizerVector256"/> and
/// <see cref="ImageNetNormalizerVector512"/> are its named instances.
/// </summary>
internal abstract class ImageNetNormalizerSimd<TOps, TVec> : ImageNetNormalizer
    where TOps : struct, ISimdOps<TVec>
    where TVec : struct
{
    /// <inheritdoc/>
    public override string Isa => TOps.Isa;

    /// <inheritdoc/>
    public override bool IsSupported => TOps.IsSupported;

    /// <inheritdoc/>
    public override void Normalize(ReadOnlySpan<byte> rgb, Span<float> planes)
    {
        int pixels = rgb.Length / 3, n = TOps.Count, block = 2 * n;
        if (rgb.Length != pixels * 3 || planes.Length != rgb.Length)
            throw new ArgumentException("rgb must hold 3 bytes per pixel and planes 3 floats per pixel");
        if (pixels < block)
        {
            ImageNetNormalizerScalar.Instance.Normalize(rgb, planes);
            return;
        }
        var normalization = RgbNormalization<TOps, TVec>.Create();
        ref byte source = ref MemoryMarshal.GetReference(rgb);
        ref float r = ref MemoryMarshal.GetReference(planes);
        ref float g = ref Unsafe.Add(ref r, pixels);
        ref float b = ref Unsafe.Add(ref r, 2 * pixels);
        // The last block overlaps the one before it: its byte values are written again from the
        // source and normalized again, to the same results.
        for (int i = 0; ; i += block)
        {
            if (i > pixels - block) i = pixels - block;
            TOps.DeinterleaveRgb(ref Unsafe.Add(ref source, 3 * i), ref Unsafe.Add(ref r, i), ref Unsafe.Add(ref g, i), ref Unsafe.Add(ref b, i));
            for (int k = i; k < i + block; k += n)
                normalization.Apply(ref Unsafe.Add(ref r, k), ref Unsafe.Add(ref g, k), ref Unsafe.Add(ref b, k));
            if (i == pixels - block) break;
        }
    }
}
