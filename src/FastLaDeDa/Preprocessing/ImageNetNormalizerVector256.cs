using System.Runtime.Intrinsics;
using FastLaDeDa.Simd;

namespace FastLaDeDa.Preprocessing;

/// <summary>Normalization with 256-bit vectors (see <see cref="ImageNetNormalizerSimd{TOps, TVec}"/>).</summary>
internal sealed class ImageNetNormalizerVector256 : ImageNetNormalizerSimd<Avx2Ops, Vector256<float>>
{
    /// <summary>The single instance.</summary>
    public static ImageNetNormalizerVector256 Instance { get; } = new();

    private ImageNetNormalizerVector256() { }
}
