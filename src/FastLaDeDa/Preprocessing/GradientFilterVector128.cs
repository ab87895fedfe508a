using System.Runtime.Intrinsics;
using FastLaDeDa.Simd;

namespace FastLaDeDa.Preprocessing;

/// <summary>The 3×3 gradient with 128-bit vectors (see <see cref="GradientFilterSimd{TOps, TVec}"/>).</summary>
internal sealed class GradientFilterVector128 : GradientFilterSimd<Vector128Ops, Vector128<float>>
{
    /// <summary>The single instance.</summary>
    public static GradientFilterVector128 Instance { get; } = new();

    private GradientFilterVector128() { }
}
