using System.Runtime.Intrinsics;
using FastLaDeDa.Simd;

namespace FastLaDeDa.Preprocessing;

/// <summary>Normalization with 128-bit vectors (see <see cref="ImageNetNormalizerSimd{TOps, TVec}"/>).</summary>
internal sealed class ImageNetNormalizerVector128 : ImageNetNormalizerSimd<Vector128Ops, Vector128<float>>
{
    /// <summary>The single instance.</summary>
    public static ImageNetNormalizerVector128 Instance { get; } = new();

    private ImageNetNormalizerVector128() { }
}
