using System.Runtime.Intrinsics;
using FastLaDeDa.Simd;

namespace FastLaDeDa.Preprocessing;

/// <summary>NPR with 128-bit vectors (see <see cref="NprFilterSimd{TOps, TVec}"/>).</summary>
internal sealed class NprFilterVector128 : NprFilterSimd<Vector128Ops, Vector128<float>>
{
    /// <summary>The single instance.</summary>
    public static NprFilterVector128 Instance { get; } = new();

    private NprFilterVector128() { }
}
