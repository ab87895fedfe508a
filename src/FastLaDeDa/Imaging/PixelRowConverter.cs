using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Imaging;

/// <summary>
/// Converts one row of a raw frame (<see cref="PixelFormat"/>) to interleaved RGB, the layout every
/// later stage reads. A byte shuffle (one <c>pshufb</c>/<c>tbl</c> per 4 or 5 pixels) where the CPU
/// has one; the scalar loop otherwise and for the last few pixels. Every path gives the same bytes.
/// </summary>
internal static class PixelRowConverter
{
    /// <summary>Bytes per pixel of <paramref name="format"/>.</summary>
    public static int BytesPerPixel(PixelFormat format) => format is PixelFormat.Rgba32 or PixelFormat.Bgra32 ? 4 : 3;

    /// <summary>Whether the byte shuffle is a single instruction here.</summary>
    public static bool IsVectorized => Ssse3.IsSupported || AdvSimd.Arm64.IsSupported;

    /// <summary>
    /// Writes <paramref name="width"/> RGB pixels of <paramref name="source"/> (at least width ×
    /// bytes-per-pixel bytes) into <paramref name="rgb"/> (at least width × 3 bytes).
    /// </summary>
    public static void ToRgb(ReadOnlySpan<byte> source, PixelFormat format, int width, Span<byte> rgb) =>
        ToRgb(source, format, width, rgb, IsVectorized);

    /// <summary><see cref="ToRgb(ReadOnlySpan{byte}, PixelFormat, int, Span{byte})"/> with the vector path on or off (tests pin both).</summary>
    internal static void ToRgb(ReadOnlySpan<byte> source, PixelFormat format, int width, Span<byte> rgb, bool vectorized)
    {
        int bpp = BytesPerPixel(format);
        source = source[..(width * bpp)];
        rgb = rgb[..(width * 3)];
        int x = 0;
        switch (format)
        {
            case PixelFormat.Rgb24:
                source.CopyTo(rgb);
                return;
            case PixelFormat.Bgr24:
                if (vectorized)
                {
                    // 5 pixels per 16-byte load; the 16th byte stored is overwritten by the next step.
                    var swap = Vector128.Create((byte)2, 1, 0, 5, 4, 3, 8, 7, 6, 11, 10, 9, 14, 13, 12, 15);
                    ref byte src = ref MemoryMarshal.GetReference(source), dst = ref MemoryMarshal.GetReference(rgb);
                    // Both spans hold width × 3 bytes, so every 16-byte access below is inside them.
                    for (; x * 3 + 16 <= rgb.Length; x += 5)
                        Shuffle(Vector128.LoadUnsafe(ref src, (nuint)(x * 3)), swap).StoreUnsafe(ref dst, (nuint)(x * 3));
                }
                for (; x < width; x++)
                {
                    rgb[x * 3] = source[x * 3 + 2];
                    rgb[x * 3 + 1] = source[x * 3 + 1];
                    rgb[x * 3 + 2] = source[x * 3];
                }
                return;
            case PixelFormat.Rgba32:
            case PixelFormat.Bgra32:
                bool bgr = format == PixelFormat.Bgra32;
                if (vectorized)
                {
                    // 4 pixels per load into 12 bytes; the 4 zero bytes stored are overwritten by the next step.
                    var pack = bgr
                        ? Vector128.Create((byte)2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, 255, 255, 255, 255)
                        : Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 255, 255, 255, 255);
                    ref byte src = ref MemoryMarshal.GetReference(source), dst = ref MemoryMarshal.GetReference(rgb);
                    // x + 4 <= width keeps the load inside width × 4 bytes, x × 3 + 16 the store inside width × 3.
                    for (; x + 4 <= width && x * 3 + 16 <= rgb.Length; x += 4)
                        Shuffle(Vector128.LoadUnsafe(ref src, (nuint)(x * 4)), pack).StoreUnsafe(ref dst, (nuint)(x * 3));
                }
                int r = bgr ? 2 : 0, b = bgr ? 0 : 2;
                for (; x < width; x++)
                {
                    rgb[x * 3] = source[x * 4 + r];
                    rgb[x * 3 + 1] = source[x * 4 + 1];
                    rgb[x * 3 + 2] = source[x * 4 + b];
                }
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "unknown pixel format");
        }
    }

    /// <summary>
    /// One table lookup per byte: <c>pshufb</c> or <c>tbl</c>, which take a mask from a register
    /// (Vector128.Shuffle is only one instruction for a constant mask; this one is chosen per format).
    /// Mask bytes of 255 give 0 on both.
    /// </summary>
    private static Vector128<byte> Shuffle(Vector128<byte> value, Vector128<byte> mask) =>
        Ssse3.IsSupported ? Ssse3.Shuffle(value, mask) : AdvSimd.Arm64.VectorTableLookup(value, mask);
}
