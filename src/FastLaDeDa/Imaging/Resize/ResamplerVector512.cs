using System.Runtime.Intrinsics;

namespace FastLaDeDa.Imaging.Resize;

/// <summary>The resampling passes with 512-bit vectors (see <see cref="ResamplerSimd{TOps, TQuad, TInt}"/> and <see cref="Avx512ResampleOps"/>).</summary>
internal sealed class ResamplerVector512 : ResamplerSimd<Avx512ResampleOps, Vector512<int>, Vector512<int>>
{
    /// <summary>The single instance.</summary>
    public static ResamplerVector512 Instance { get; } = new();

    private ResamplerVector512() { }
}
