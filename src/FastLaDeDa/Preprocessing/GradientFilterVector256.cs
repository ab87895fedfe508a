using System.Runtime.Intrinsics;
using FastLaDeDa.Simd;

namespace FastLaDeDa.Preprocessing;

/// <summary>The 3×3 gradient with 256-bit vectors (see <see cref="GradientFilterSimd{TOps, TVec}"/>).</summary>
internal sealed class GradientFilterVector256 : GradientFilterSimd<Avx2Ops, Vector256<float>>
{
    /// <summary>The single instance.</summary>
    public static GradientFilterVector256 Instance { get; } = new();

    private GradientFilterVector256() { }
}
