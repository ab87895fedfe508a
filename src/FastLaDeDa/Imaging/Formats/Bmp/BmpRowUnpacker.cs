using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastLaDeDa.Imaging.Formats.Bmp;

/// <summary>
/// Turns one stored row of a bitmap into RGB the way Pillow 9.4's unpackers followed by
/// <c>convert("RGB")</c> do: palette indices are looked up, "1" pixels are 0 or 255, grey is
/// replicated, 5- and 6-bit channels are widened by <c>v * 255 / max</c> (truncating, not bit
/// replication) and a fourth byte is dropped.
/// </summary>
internal static class BmpRowUnpacker
{
    // v * 255 / 31 and v * 255 / 63, Pillow's BGR;15 and BGR;16 arithmetic.
    private static ReadOnlySpan<byte> FiveBitLevels => [0, 8, 16, 24, 32, 41, 49, 57, 65, 74, 82, 90, 98, 106, 115, 123, 131, 139, 148, 156, 164, 172, 180, 189, 197, 205, 213, 222, 230, 238, 246, 255];

    private static ReadOnlySpan<byte> SixBitLevels => [0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60, 64, 68, 72, 76, 80, 85, 89, 93, 97, 101, 105, 109, 113, 117, 121, 125, 129, 133, 137, 141, 145, 149, 153, 157, 161, 165, 170, 174, 178, 182, 186, 190, 194, 198, 202, 206, 210, 214, 218, 222, 226, 230, 234, 238, 242, 246, 250, 255];

    /// <summary>Bytes of one unpacked row of <paramref name="width"/> pixels in <paramref name="layout"/> (what Pillow's raw decoder consumes per row).</summary>
    public static long RowBytes(BmpPixelLayout layout, long width) => (width * layout.BitsPerPixel() + 7) / 8;

    /// <summary>
    /// Converts the row <paramref name="stored"/> to <paramref name="rgb"/> (3 bytes per pixel;
    /// its length sets the width). <paramref name="indices"/> is scratch space of at least the
    /// width, used for packed palette indices.
    /// </summary>
    public static void Unpack(BmpPixelLayout layout, ReadOnlySpan<byte> stored, Span<byte> rgb, IndexedPalette? palette, Span<byte> indices)
    {
        int width = rgb.Length / 3;
        switch (layout)
        {
            case BmpPixelLayout.Palette8:
                palette!.Expand(stored[..width], rgb);
                break;
            case BmpPixelLayout.Palette4:
                for (int x = 0; x < width; x++)
                    indices[x] = (byte)((x & 1) == 0 ? stored[x >> 1] >> 4 : stored[x >> 1] & 0x0F);
                palette!.Expand(indices[..width], rgb);
                break;
            case BmpPixelLayout.Palette1:
                for (int x = 0; x < width; x++)
                    indices[x] = (byte)((stored[x >> 3] >> (7 - (x & 7))) & 1);
                palette!.Expand(indices[..width], rgb);
                break;
            case BmpPixelLayout.Bilevel:
                for (int x = 0, o = 0; x < width; x++, o += 3)
                {
                    byte level = (stored[x >> 3] & (0x80 >> (x & 7))) != 0 ? (byte)255 : (byte)0;
                    rgb[o] = rgb[o + 1] = rgb[o + 2] = level;
                }
                break;
            case BmpPixelLayout.Grey8:
                stored = stored[..width];
                for (int x = 0, o = 0; x < stored.Length; x++, o += 3)
                    rgb[o] = rgb[o + 1] = rgb[o + 2] = stored[x];
                break;
            case BmpPixelLayout.Bgr555:
            case BmpPixelLayout.Bgr565:
                UnpackSixteenBit(stored, rgb, layout == BmpPixelLayout.Bgr565);
                break;
            case BmpPixelLayout.Bgr24:
                UnpackBytes(stored, rgb, bytesPerPixel: 3, red: 2, green: 1, blue: 0);
                break;
            case BmpPixelLayout.Bgrx32:
                UnpackBytes(stored, rgb, bytesPerPixel: 4, red: 2, green: 1, blue: 0);
                break;
            case BmpPixelLayout.Xbgr32:
                UnpackBytes(stored, rgb, bytesPerPixel: 4, red: 3, green: 2, blue: 1);
                break;
            case BmpPixelLayout.Rgbx32:
                UnpackBytes(stored, rgb, bytesPerPixel: 4, red: 0, green: 1, blue: 2);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(layout), layout, null);
        }
    }

    private static void UnpackSixteenBit(ReadOnlySpan<byte> stored, Span<byte> rgb, bool sixBitGreen)
    {
        ReadOnlySpan<byte> five = FiveBitLevels, six = SixBitLevels;
        int width = rgb.Length / 3;
        stored = stored[..(width * 2)];
        for (int x = 0, o = 0; x < width; x++, o += 3)
        {
            int pixel = stored[2 * x] | (stored[2 * x + 1] << 8);
            if (sixBitGreen)
            {
                rgb[o] = five[(pixel >> 11) & 31];
                rgb[o + 1] = six[(pixel >> 5) & 63];
            }
            else
            {
                rgb[o] = five[(pixel >> 10) & 31];
                rgb[o + 1] = five[(pixel >> 5) & 31];
            }
            rgb[o + 2] = five[pixel & 31];
        }
    }

    private static void UnpackBytes(ReadOnlySpan<byte> stored, Span<byte> rgb, int bytesPerPixel, int red, int green, int blue)
    {
        int width = rgb.Length / 3;
        stored = stored[..(width * bytesPerPixel)];
        int i = 0, o = 0;
        if (Vector128.IsHardwareAccelerated && rgb.Length >= Vector128<byte>.Count)
        {
            // Whole pixels of 16 loaded bytes, reordered in one shuffle; the 16-byte store runs past
            // those pixels into bytes the next store (or the scalar tail) overwrites.
            int pixelsPerVector = Vector128<byte>.Count / bytesPerPixel;
            Vector128<byte> order = ShuffleOrder(bytesPerPixel, red, green, blue);
            ref byte source = ref MemoryMarshal.GetReference(stored);
            ref byte target = ref MemoryMarshal.GetReference(rgb);
            for (; i + Vector128<byte>.Count <= stored.Length && o + Vector128<byte>.Count <= rgb.Length;
                 i += pixelsPerVector * bytesPerPixel, o += pixelsPerVector * 3)
            {
                Vector128.Shuffle(Vector128.LoadUnsafe(ref source, (nuint)i), order).StoreUnsafe(ref target, (nuint)o);
            }
        }
        for (; o < rgb.Length; i += bytesPerPixel, o += 3)
        {
            rgb[o] = stored[i + red];
            rgb[o + 1] = stored[i + green];
            rgb[o + 2] = stored[i + blue];
        }
    }

    // For each output byte, the input byte it comes from (bytes past the whole pixels read 0).
    private static Vector128<byte> ShuffleOrder(int bytesPerPixel, int red, int green, int blue)
    {
        Span<byte> order = stackalloc byte[Vector128<byte>.Count];
        order.Fill(0x80);
        for (int p = 0; p < Vector128<byte>.Count / bytesPerPixel; p++)
        {
            order[3 * p] = (byte)(p * bytesPerPixel + red);
            order[3 * p + 1] = (byte)(p * bytesPerPixel + green);
            order[3 * p + 2] = (byte)(p * bytesPerPixel + blue);
        }
        return Vector128.Create<byte>(order);
    }
}
