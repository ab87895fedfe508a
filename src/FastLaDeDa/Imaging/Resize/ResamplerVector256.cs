using System.Runtime.Intrinsics;

namespace FastLaDeDa.Imaging.Resize;

/// <summary>The resampling passes with 256-bit vectors (see <see cref="ResamplerSimd{TOps, TQuad, TInt}"/> and <see cref="Avx2ResampleOps"/>).</summary>
internal sealed class ResamplerVector256 : ResamplerSimd<Avx2ResampleOps, Vector256Pair, Vector256<int>>
{
    /// <summary>The single instance.</summary>
    public static ResamplerVector256 Instance { get; } = new();

    private ResamplerVector256() { }
}
