using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FastLaDeDa.Imaging.Resize;

/// <summary>
/// The in-lane byte shuffles of the horizontal pass: for tap j (0..4) of a 16-byte window, its
/// bytes 3j, 3j+1, 3j+2 each widened to an int32 (an index with the high bit set writes 0:
/// pshufb on x86, tbl on ARM64, <see cref="Vector128.Shuffle(Vector128{byte}, Vector128{byte})"/>).
/// </summary>
internal static class ResampleTapMasks
{
    private const byte Z = 0x80;

    /// <summary>The mask of tap <paramref name="tap"/>; a constant once inlined with a constant tap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Tap(int tap) => tap switch
    {
        0 => Vector128.Create((byte)0, Z, Z, Z, 1, Z, Z, Z, 2, Z, Z, Z, Z, Z, Z, Z),
        1 => Vector128.Create((byte)3, Z, Z, Z, 4, Z, Z, Z, 5, Z, Z, Z, Z, Z, Z, Z),
        2 => Vector128.Create((byte)6, Z, Z, Z, 7, Z, Z, Z, 8, Z, Z, Z, Z, Z, Z, Z),
        3 => Vector128.Create((byte)9, Z, Z, Z, 10, Z, Z, Z, 11, Z, Z, Z, Z, Z, Z, Z),
        _ => Vector128.Create((byte)12, Z, Z, Z, 13, Z, Z, Z, 14, Z, Z, Z, Z, Z, Z, Z),
    };

    /// <summary>Four pixels' R, G, B, unused bytes → their 12 R, G, B bytes first.</summary>
    public static Vector128<byte> Compact => Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, Z, Z, Z, Z);
}
