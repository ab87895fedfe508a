using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FastLaDeDa.Simd;

/// <summary>Splits 16 interleaved RGB pixels (48 bytes) into 16 R, 16 G and 16 B bytes with byte shuffles.</summary>
internal static class RgbDeinterleave
{
    /// <summary>Pixels handled by one call of Split.</summary>
    public const int PixelsPerBlock = 16;

    // An index of 0xFF (out of range) makes Vector128.Shuffle write 0, so the three partial
    // gathers can be OR-ed together. With constant indices the JIT emits one pshufb each.
    private const byte Z = 0xFF;

    /// <summary>Reads 48 bytes at <paramref name="source"/> and returns each channel's 16 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Split(byte* source, out Vector128<byte> r, out Vector128<byte> g, out Vector128<byte> b) =>
        Split(ref *source, out r, out g, out b);

    /// <summary>Reads 48 bytes from <paramref name="source"/> on and returns each channel's 16 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Split(ref byte source, out Vector128<byte> r, out Vector128<byte> g, out Vector128<byte> b)
    {
        Vector128<byte> a0 = Vector128.LoadUnsafe(ref source);      // bytes  0..15
        Vector128<byte> a1 = Vector128.LoadUnsafe(ref source, 16);  // bytes 16..31
        Vector128<byte> a2 = Vector128.LoadUnsafe(ref source, 32);  // bytes 32..47
        // R = bytes 0, 3, ..., 45: six from a0, five from a1 (18..30), five from a2 (33..45).
        r = Vector128.Shuffle(a0, Vector128.Create((byte)0, 3, 6, 9, 12, 15, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z))
          | Vector128.Shuffle(a1, Vector128.Create(Z, Z, Z, Z, Z, Z, 2, 5, 8, 11, 14, Z, Z, Z, Z, Z))
          | Vector128.Shuffle(a2, Vector128.Create(Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, 1, 4, 7, 10, 13));
        // G = bytes 1, 4, ..., 46: five from a0, six from a1 (16..31), five from a2 (34..46).
        g = Vector128.Shuffle(a0, Vector128.Create((byte)1, 4, 7, 10, 13, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z))
          | Vector128.Shuffle(a1, Vector128.Create(Z, Z, Z, Z, Z, 0, 3, 6, 9, 12, 15, Z, Z, Z, Z, Z))
          | Vector128.Shuffle(a2, Vector128.Create(Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, 2, 5, 8, 11, 14));
        // B = bytes 2, 5, ..., 47: five from a0, five from a1 (17..29), six from a2 (32..47).
        b = Vector128.Shuffle(a0, Vector128.Create((byte)2, 5, 8, 11, 14, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z))
          | Vector128.Shuffle(a1, Vector128.Create(Z, Z, Z, Z, Z, 1, 4, 7, 10, 13, Z, Z, Z, Z, Z, Z))
          | Vector128.Shuffle(a2, Vector128.Create(Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, 0, 3, 6, 9, 12, 15));
    }
}
