using System.Runtime.Intrinsics;

namespace FastLaDeDa.Imaging.Resize;

/// <summary>The resampling passes with 128-bit vectors (see <see cref="ResamplerSimd{TOps, TQuad, TInt}"/> and <see cref="Vector128ResampleOps"/>).</summary>
internal sealed class ResamplerVector128 : ResamplerSimd<Vector128ResampleOps, Vector128Quad, Vector128<int>>
{
    /// <summary>The single instance.</summary>
    public static ResamplerVector128 Instance { get; } = new();

    private ResamplerVector128() { }
}
