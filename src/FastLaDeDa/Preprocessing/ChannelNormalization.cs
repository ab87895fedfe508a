using System.Runtime.CompilerServices;
using FastLaDeDa.Simd;

namespace FastLaDeDa.Preprocessing;

/// <summary>
/// One channel's <c>(v / 255 − mean) / std</c> on a vector of byte values held as floats,
/// bit-identical to the scalar formula: each division a multiplication by the reciprocal plus one
/// FMA correction step (<see cref="ReciprocalDivisor"/>) when
/// <see cref="ImageNetNormalization.ReciprocalDivisionIsExact"/> — several times cheaper than a
/// vector division — IEEE division otherwise. Shared by the SIMD normalizers and the fused
/// Tiny-LaDeDa kernel.
/// </summary>
internal readonly struct ChannelNormalization<TOps, TVec>
    where TOps : struct, ISimdOps<TVec>
    where TVec : struct
{
    private readonly TVec _mean, _std, _reciprocal255, _negated255, _reciprocalStd, _negatedStd;

    /// <summary>The constants of channel <paramref name="channel"/> (0 R, 1 G, 2 B) in registers.</summary>
    public ChannelNormalization(int channel)
    {
        var by255 = new ReciprocalDivisor(255f);
        var byStd = new ReciprocalDivisor(ImageNetNormalization.Std[channel]);
        _mean = TOps.Broadcast(ImageNetNormalization.Mean[channel]);
        _std = TOps.Broadcast(byStd.Divisor);
        _reciprocal255 = TOps.Broadcast(by255.Reciprocal);
        _negated255 = TOps.Broadcast(by255.NegatedDivisor);
        _reciprocalStd = TOps.Broadcast(byStd.Reciprocal);
        _negatedStd = TOps.Broadcast(byStd.NegatedDivisor);
    }

    /// <summary>(v / 255 − mean) / std for byte values <paramref name="value"/> (0..255 as floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Apply(TVec value)
    {
        if (ImageNetNormalization.ReciprocalDivisionIsExact)
            return Divide(TOps.Subtract(Divide(value, _reciprocal255, _negated255), _mean), _reciprocalStd, _negatedStd);
        return TOps.Divide(TOps.Subtract(TOps.Divide(value, TOps.Broadcast(255f)), _mean), _std);
    }

    /// <summary>a / d as q = a·(1/d), q + (a − q·d)·(1/d).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Divide(TVec a, TVec reciprocal, TVec negatedDivisor)
    {
        TVec q = TOps.Multiply(a, reciprocal);
        return TOps.MultiplyAdd(TOps.MultiplyAdd(q, negatedDivisor, a), reciprocal, q);
    }
}
