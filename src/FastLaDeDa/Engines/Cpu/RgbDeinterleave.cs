using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Engines.Cpu;

/// <summary>Splits 16 interleaved RGB pixels (48 bytes) into three byte vectors with SSSE3 shuffles.</summary>
internal static class RgbDeinterleave
{
    // For each output channel and each of the three 16-byte input blocks: where the channel's bytes
    // are in that block (0x80 = none). Pixel p, channel c sits at byte 3p + c.
    private static readonly Vector128<byte> R0 = Vector128.Create((byte)0, 3, 6, 9, 12, 15, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80);
    private static readonly Vector128<byte> R1 = Vector128.Create((byte)0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 2, 5, 8, 11, 14, 0x80, 0x80, 0x80, 0x80, 0x80);
    private static readonly Vector128<byte> R2 = Vector128.Create((byte)0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 1, 4, 7, 10, 13);
    private static readonly Vector128<byte> G0 = Vector128.Create((byte)1, 4, 7, 10, 13, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80);
    private static readonly Vector128<byte> G1 = Vector128.Create((byte)0x80, 0x80, 0x80, 0x80, 0x80, 0, 3, 6, 9, 12, 15, 0x80, 0x80, 0x80, 0x80, 0x80);
    private static readonly Vector128<byte> G2 = Vector128.Create((byte)0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 2, 5, 8, 11, 14);
    private static readonly Vector128<byte> B0 = Vector128.Create((byte)2, 5, 8, 11, 14, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80);
    private static readonly Vector128<byte> B1 = Vector128.Create((byte)0x80, 0x80, 0x80, 0x80, 0x80, 1, 4, 7, 10, 13, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80);
    private static readonly Vector128<byte> B2 = Vector128.Create((byte)0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0, 3, 6, 9, 12, 15);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Split16(ref byte rgb, out Vector128<byte> r, out Vector128<byte> g, out Vector128<byte> b)
    {
        var a = Vector128.LoadUnsafe(ref rgb);
        var m = Vector128.LoadUnsafe(ref rgb, 16);
        var z = Vector128.LoadUnsafe(ref rgb, 32);
        r = Ssse3.Shuffle(a, R0) | Ssse3.Shuffle(m, R1) | Ssse3.Shuffle(z, R2);
        g = Ssse3.Shuffle(a, G0) | Ssse3.Shuffle(m, G1) | Ssse3.Shuffle(z, G2);
        b = Ssse3.Shuffle(a, B0) | Ssse3.Shuffle(m, B1) | Ssse3.Shuffle(z, B2);
    }
}
