using System.Runtime.Intrinsics;
using FastLaDeDa.Simd;

namespace FastLaDeDa.Preprocessing;

/// <summary>Normalization with 512-bit vectors (see <see cref="ImageNetNormalizerSimd{TOps, TVec}"/>).</summary>
internal sealed class ImageNetNormalizerVector512 : ImageNetNormalizerSimd<Avx512Ops, Vector512<float>>
{
    /// <summary>The single instance.</summary>
    public static ImageNetNormalizerVector512 Instance { get; } = new();

    private ImageNetNormalizerVector512() { }
}
