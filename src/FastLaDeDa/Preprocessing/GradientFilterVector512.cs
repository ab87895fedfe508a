using System.Runtime.Intrinsics;
using FastLaDeDa.Simd;

namespace FastLaDeDa.Preprocessing;

/// <summary>The 3×3 gradient with 512-bit vectors (see <see cref="GradientFilterSimd{TOps, TVec}"/>).</summary>
internal sealed class GradientFilterVector512 : GradientFilterSimd<Avx512Ops, Vector512<float>>
{
    /// <summary>The single instance.</summary>
    public static GradientFilterVector512 Instance { get; } = new();

    private GradientFilterVector512() { }
}
