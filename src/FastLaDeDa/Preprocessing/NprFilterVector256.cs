using System.Runtime.Intrinsics;
using FastLaDeDa.Simd;

namespace FastLaDeDa.Preprocessing;

/// <summary>NPR with 256-bit vectors (see <see cref="NprFilterSimd{TOps, TVec}"/>).</summary>
internal sealed class NprFilterVector256 : NprFilterSimd<Avx2Ops, Vector256<float>>
{
    /// <summary>The single instance.</summary>
    public static NprFilterVector256 Instance { get; } = new();

    private NprFilterVector256() { }
}
