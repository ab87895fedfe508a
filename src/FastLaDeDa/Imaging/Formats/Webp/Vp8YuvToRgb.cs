using System.Runtime.CompilerServices;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// libwebp 1.2.4's YUV to RGB conversion (BT.601, limited range) in 14-bit fixed point:
/// <c>MultHi(v, c) = (v * c) >> 8</c> emulates SSE2's <c>mulhi_epu16(v &lt;&lt; 8, c)</c>, sums are
/// descaled by 6 bits and clipped to [0, 255].
/// </summary>
internal static class Vp8YuvToRgb
{
    /// <summary>Bits of fraction kept before the final descale.</summary>
    private const int FractionBits = 6;

    /// <summary>Values in [0, 256 &lt;&lt; 6) need no clipping.</summary>
    private const int Mask = (256 << FractionBits) - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MultHi(int v, int coefficient) => (v * coefficient) >> 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Clip8(int v) => (v & ~Mask) == 0 ? (byte)(v >> FractionBits) : v < 0 ? (byte)0 : (byte)255;

    /// <summary>Red from luma and V.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Red(int y, int v) => Clip8(MultHi(y, 19077) + MultHi(v, 26149) - 14234);

    /// <summary>Green from luma, U and V.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Green(int y, int u, int v) => Clip8(MultHi(y, 19077) - MultHi(u, 6419) - MultHi(v, 13320) + 8708);

    /// <summary>Blue from luma and U.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Blue(int y, int u) => Clip8(MultHi(y, 19077) + MultHi(u, 33050) - 17685);

    /// <summary>
    /// Converts a row: pixel i from <paramref name="y"/>[i], <paramref name="u"/>[i], <paramref name="v"/>[i]
    /// (chroma already upsampled to full width) to R, G, B at <paramref name="rgb"/>[3 i].
    /// </summary>
    public static void ConvertRow(ReadOnlySpan<byte> y, ReadOnlySpan<byte> u, ReadOnlySpan<byte> v, Span<byte> rgb)
    {
        int width = y.Length;
        u = u[..width];
        v = v[..width];
        rgb = rgb[..(3 * width)];
        for (int i = 0; i < width; i++)
        {
            int luma = y[i], cb = u[i], cr = v[i];
            rgb[3 * i] = Red(luma, cr);
            rgb[3 * i + 1] = Green(luma, cb, cr);
            rgb[3 * i + 2] = Blue(luma, cb);
        }
    }
}
