using System.Buffers.Binary;
using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Bmp;

/// <summary>
/// The info header of a bitmap (the part a DIB file starts with and a BMP file has after its
/// 14-byte file header), read the way Pillow 9.4's <c>BmpImageFile._bitmap</c> reads it.
/// </summary>
/// <remarks>
/// Pillow knows the 12-byte OS/2 1.x core header and the 40-, 64-, 108- and 124-byte headers
/// (Windows INFO/V4/V5 and OS/2 2.x, whose first 40 bytes share one layout); the 16-, 52- and
/// 56-byte variants are refused, as Pillow refuses them. Two of Pillow's readings differ from
/// the Windows documentation and are kept on purpose: the width is unsigned, and a height is
/// top-down (negative) only when its top byte is 0xFF.
/// </remarks>
/// <param name="Size">The header's declared size in bytes: 12, 40, 64, 108 or 124.</param>
/// <param name="Width">Width in pixels (unsigned, so a negative field reads as a huge width).</param>
/// <param name="Height">Height in pixels, positive.</param>
/// <param name="TopDown">Rows are stored top row first.</param>
/// <param name="BitsPerPixel">The declared bit depth (not yet validated).</param>
/// <param name="Compression">0 none, 1 RLE8, 2 RLE4, 3 bit fields, others not decoded.</param>
/// <param name="Colors">Palette entries: the declared count, or 2^bits when it is 0 (or absent).</param>
/// <param name="Masks">Red, green, blue and alpha bit masks when <see cref="Compression"/> is bit fields; otherwise zeros.</param>
/// <param name="End">Offset just past the header (and past the masks that follow a 40-byte header): where the palette starts.</param>
internal readonly record struct BmpHeader(
    int Size, long Width, long Height, bool TopDown, int BitsPerPixel, uint Compression, long Colors,
    BmpBitMasks Masks, int End)
{
    /// <summary>Compression values Pillow tells apart.</summary>
    public const uint Uncompressed = 0, Rle8 = 1, Rle4 = 2, BitFields = 3;

    /// <summary>Whether Pillow recognises a header of <paramref name="size"/> bytes (also its test for a DIB file's first four bytes).</summary>
    public static bool IsKnownSize(uint size) => size is 12 or 40 or 64 or 108 or 124;

    /// <summary>Bytes per palette entry after this header: 3 for OS/2 1.x, 4 otherwise.</summary>
    public int PaletteEntryBytes => Size == 12 ? 3 : 4;

    /// <summary>Reads the header starting at <paramref name="start"/>; throws <see cref="ImageDecodeException"/> when it is cut or of an unknown kind.</summary>
    /// <param name="data">The whole file.</param>
    /// <param name="start">14 for a BMP file, 0 for a DIB.</param>
    /// <param name="format">"BMP" or "DIB", for messages.</param>
    /// <param name="source">The file name for messages.</param>
    public static BmpHeader Read(ReadOnlySpan<byte> data, int start, string format, string? source)
    {
        if (data.Length < start + 4) throw Truncated(format, "info header", source);
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(data[start..]);
        if (!IsKnownSize(size))
        {
            throw size is 16 or 52 or 56
                ? new UnsupportedImageFormatException(source, $"{format} with a {size}-byte info header is not supported (Pillow 9.4 refuses it too)")
                : new ImageDecodeException(source, $"corrupt {format}: unknown info header size {size}");
        }
        if (data.Length < start + (int)size) throw Truncated(format, "info header", source);
        ReadOnlySpan<byte> header = data.Slice(start, (int)size);
        int end = start + (int)size;

        if (size == 12)
        {
            // OS/2 1.x: 16-bit unsigned sizes, always bottom-up, never compressed, no colour count.
            int bits12 = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
            return new BmpHeader(12,
                Width: BinaryPrimitives.ReadUInt16LittleEndian(header[4..]),
                Height: BinaryPrimitives.ReadUInt16LittleEndian(header[6..]),
                TopDown: false, bits12, Uncompressed, DefaultColors(0, bits12), default, end);
        }

        uint heightField = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        bool topDown = header[11] == 0xFF;
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(header[14..]);
        uint compression = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
        uint declaredColors = BinaryPrimitives.ReadUInt32LittleEndian(header[32..]);

        BmpBitMasks masks = default;
        if (compression == BitFields)
        {
            if (size >= 56)
            {
                // Inside the header (V4/V5, and the OS/2 2.x header, whose fields there mean something else).
                masks = BmpBitMasks.Read(header[40..], withAlpha: true);
            }
            else
            {
                // A 40-byte header is followed by three masks; its reserved fourth is not alpha.
                if (data.Length < end + 12) throw Truncated(format, "bit masks", source);
                masks = BmpBitMasks.Read(data[end..], withAlpha: false);
                end += 12;
            }
        }

        return new BmpHeader((int)size,
            Width: BinaryPrimitives.ReadUInt32LittleEndian(header[4..]),
            Height: topDown ? (1L << 32) - heightField : heightField,
            topDown, bits, compression, DefaultColors(declaredColors, bits), masks, end);
    }

    // Pillow falls back to 2^bits when no count is declared (the value only matters up to 8 bits).
    private static long DefaultColors(uint declared, int bits) =>
        declared != 0 ? declared : 1L << Math.Min(bits, 62);

    private static ImageDecodeException Truncated(string format, string part, string? source) =>
        new(source, $"truncated {format} ({part} incomplete)");
}
