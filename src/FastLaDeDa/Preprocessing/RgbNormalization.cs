using System.Runtime.CompilerServices;
using FastLaDeDa.Simd;

namespace FastLaDeDa.Preprocessing;

/// <summary>
/// The three channels' <see cref="ChannelNormalization{TOps, TVec}"/>, applied together to one
/// vector of each plane in place (three independent chains). Built once per pass, shared by the
/// SIMD normalizers and the fused Tiny-LaDeDa kernel.
/// </summary>
internal readonly struct RgbNormalization<TOps, TVec>
    where TOps : struct, ISimdOps<TVec>
    where TVec : struct
{
    private readonly ChannelNormalization<TOps, TVec> _red, _green, _blue;

    private RgbNormalization(ChannelNormalization<TOps, TVec> red, ChannelNormalization<TOps, TVec> green, ChannelNormalization<TOps, TVec> blue) =>
        (_red, _green, _blue) = (red, green, blue);

    /// <summary>The ImageNet constants of R, G and B in registers.</summary>
    public static RgbNormalization<TOps, TVec> Create() => new(new(0), new(1), new(2));

    /// <summary>Normalizes the byte values (as floats) of one vector at each of <paramref name="r"/>, <paramref name="g"/>, <paramref name="b"/>, in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(ref float r, ref float g, ref float b)
    {
        TOps.Store(ref r, _red.Apply(TOps.Load(ref r)));
        TOps.Store(ref g, _green.Apply(TOps.Load(ref g)));
        TOps.Store(ref b, _blue.Apply(TOps.Load(ref b)));
    }
}
