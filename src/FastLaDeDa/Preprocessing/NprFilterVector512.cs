using System.Runtime.Intrinsics;
using FastLaDeDa.Simd;

namespace FastLaDeDa.Preprocessing;

/// <summary>NPR with 512-bit vectors (see <see cref="NprFilterSimd{TOps, TVec}"/>).</summary>
internal sealed class NprFilterVector512 : NprFilterSimd<Avx512Ops, Vector512<float>>
{
    /// <summary>The single instance.</summary>
    public static NprFilterVector512 Instance { get; } = new();

    private NprFilterVector512() { }
}
