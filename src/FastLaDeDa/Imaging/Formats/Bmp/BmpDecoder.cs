using System.Buffers.Binary;
using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Bmp;

/// <summary>
/// Decodes Windows and OS/2 bitmaps (BMP files, and DIB data without the 14-byte file header)
/// to the RGB bytes Pillow 9.4's <c>Image.open(path).convert("RGB")</c> yields, and refuses with
/// a typed error every file Pillow refuses.
/// </summary>
/// <remarks>
/// <para>Supported as Pillow supports them: OS/2 1.x (12-byte), Windows INFO, V4, V5 and OS/2 2.x
/// (40-, 108-, 124- and 64-byte) headers; 1-, 4- and 8-bit palettes, 16-bit 5-5-5 and 5-6-5,
/// 24- and 32-bit pixels; the bit-field layouts Pillow lists (see
/// <see cref="BmpBitMasks.PillowLayout"/>); RLE8 and RLE4 (see <see cref="BmpRleExpander"/>);
/// bottom-up and top-down rows.</para>
/// <para>Pillow's readings that differ from other decoders and are reproduced: the palette is
/// read right after the header whatever the pixel offset; an offset pointing straight after the
/// header is moved past a palette of 4-byte entries (even for OS/2 1.x's 3-byte ones); a zero
/// offset means "right after the palette" (or the header); indices past the palette are grey;
/// a black-and-white or grey-ramp palette switches the unpacking to 1 bit or 8 bits per pixel
/// whatever the depth (<see cref="BmpColorTable"/>); a missing padding at the end of the last
/// stored row is tolerated.</para>
/// <para>The reference pipeline opens files by path, and then Pillow maps a file with 8-bit grey
/// or palette rows into memory instead of decoding it. The only visible effect is for the odd 1-
/// or 4-bit bitmap with a grey-ramp palette, read a byte per pixel: its rows overlap (each reads
/// past its stride into the next) and the mapping reads zeros past the end of the file. That is
/// reproduced; opened from a file object, Pillow refuses such a file instead.</para>
/// </remarks>
internal static class BmpDecoder
{
    private const int FileHeaderSize = 14;

    /// <summary>Pillow's test for a BMP file: "BM".</summary>
    public static bool HasFileHeader(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] == 'B' && data[1] == 'M';

    /// <summary>Pillow's test for DIB data: the first four bytes are a known info header size.</summary>
    public static bool IsDib(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && BmpHeader.IsKnownSize(BinaryPrimitives.ReadUInt32LittleEndian(data));

    /// <summary>Decodes a BMP file or DIB data; throws <see cref="ImageDecodeException"/> (or a subclass) where Pillow 9.4 fails.</summary>
    public static Rgb24Image Decode(ReadOnlySpan<byte> data, ImageLimits limits, string? source)
    {
        bool dib = !HasFileHeader(data);
        string format = dib ? "DIB" : "BMP";
        if (!dib && data.Length < FileHeaderSize) throw new ImageDecodeException(source, "truncated BMP (file header incomplete)");
        long pixelOffset = dib ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);

        BmpHeader header = BmpHeader.Read(data, dib ? 0 : FileHeaderSize, format, source);
        if (header.BitsPerPixel is not (1 or 4 or 8 or 16 or 24 or 32))
        {
            throw new UnsupportedImageFormatException(source,
                $"{format} with {header.BitsPerPixel} bits per pixel is not supported (Pillow 9.4 refuses it too)");
        }
        BmpPixelLayout? directLayout = DirectColorLayout(header, format, source);
        BmpColorTable? colorTable = directLayout is null ? BmpColorTable.Read(data, header, format, source) : null;

        ImageLimitGuard.CheckDimensions(header.Width, header.Height, limits, source, format);
        int width = (int)header.Width, height = (int)header.Height;

        // Pillow moves an offset that points straight after the header past a palette (of 4-byte
        // entries, whatever the header), and reads a zero offset as "where the file position is".
        if (pixelOffset == FileHeaderSize + header.Size && header.BitsPerPixel <= 8)
            pixelOffset += 4 * header.Colors;
        if (pixelOffset == 0)
            pixelOffset = colorTable?.End ?? header.End;

        var rgb = new byte[(long)width * height * 3];
        bool rle = header.Compression is BmpHeader.Rle8 or BmpHeader.Rle4;
        if (rle)
            DecodeRle(data, header, colorTable!.Value, pixelOffset, rgb, format, source);
        else
            DecodeRows(data, header, directLayout ?? IndexedLayout(header, colorTable!.Value), colorTable?.Palette, pixelOffset, rgb, format, source);
        return new Rgb24Image(width, height, rgb);
    }

    /// <summary>The layout of 16-, 24- and 32-bit pixels, or null for a palette bitmap; throws for what Pillow refuses.</summary>
    private static BmpPixelLayout? DirectColorLayout(BmpHeader header, string format, string? source)
    {
        int bits = header.BitsPerPixel;
        switch (header.Compression)
        {
            case BmpHeader.Uncompressed:
                return bits switch { 16 => BmpPixelLayout.Bgr555, 24 => BmpPixelLayout.Bgr24, 32 => BmpPixelLayout.Bgrx32, _ => null };
            case BmpHeader.BitFields:
                return header.Masks.PillowLayout(bits) ?? throw new UnsupportedImageFormatException(source,
                    $"{format} bit-field layout with {bits}-bit pixels and bit masks {header.Masks} is not supported (Pillow 9.4 refuses it too)");
            case BmpHeader.Rle8 or BmpHeader.Rle4:
                // Pillow accepts the header, then fails to unpack the expanded indices into RGB.
                if (bits > 8) throw new ImageDecodeException(source, $"corrupt {format}: RLE compression with {bits}-bit pixels");
                return null;
            default:
                string name = header.Compression switch { 4 => " (embedded JPEG)", 5 => " (embedded PNG)", 6 => " (alpha bit fields)", _ => "" };
                throw new UnsupportedImageFormatException(source,
                    $"{format} compression {header.Compression}{name} is not supported (Pillow 9.4 refuses it too)");
        }
    }

    private static BmpPixelLayout IndexedLayout(BmpHeader header, BmpColorTable table) => table.Mode switch
    {
        BmpColorMode.Bilevel => BmpPixelLayout.Bilevel,
        BmpColorMode.Grey => BmpPixelLayout.Grey8,
        _ => header.BitsPerPixel switch { 1 => BmpPixelLayout.Palette1, 4 => BmpPixelLayout.Palette4, _ => BmpPixelLayout.Palette8 },
    };

    /// <summary>Uncompressed rows: each starts a stride (the declared depth's row, padded to 4 bytes) after the previous one.</summary>
    private static void DecodeRows(ReadOnlySpan<byte> data, BmpHeader header, BmpPixelLayout layout, IndexedPalette? palette,
        long offset, byte[] rgb, string format, string? source)
    {
        int width = (int)header.Width, height = (int)header.Height;
        long stride = ((header.Width * header.BitsPerPixel + 31) >> 3) & ~3L;
        long rowBytes = BmpRowUnpacker.RowBytes(layout, width);

        // Only a grey-ramp 1- or 4-bit bitmap reads more per row than its stride: Pillow's file
        // mapping allows that when the declared rows fit in the file (its decoder would refuse).
        bool overlappingRows = rowBytes > stride;
        if (overlappingRows ? offset + height * stride > data.Length : offset + (height - 1) * stride + rowBytes > data.Length)
            throw new ImageDecodeException(source, $"truncated {format} (pixel data incomplete)");

        Span<byte> indices = layout is BmpPixelLayout.Palette1 or BmpPixelLayout.Palette4 ? new byte[width] : [];
        Span<byte> overrun = overlappingRows ? new byte[rowBytes] : [];
        int rgbStride = width * 3;
        for (int row = 0; row < height; row++)
        {
            long start = offset + row * stride;
            ReadOnlySpan<byte> stored;
            if (start + rowBytes <= data.Length)
            {
                stored = data.Slice((int)start, (int)rowBytes);
            }
            else
            {
                // Past the end of the file the mapping reads zeros.
                overrun.Clear();
                data[(int)Math.Min(start, data.Length)..].CopyTo(overrun);
                stored = overrun;
            }
            int y = header.TopDown ? row : height - 1 - row;
            BmpRowUnpacker.Unpack(layout, stored, rgb.AsSpan(y * rgbStride, rgbStride), palette, indices);
        }
    }

    /// <summary>RLE data: expanded to one byte per pixel, then looked up (palette) or replicated (grey).</summary>
    private static void DecodeRle(ReadOnlySpan<byte> data, BmpHeader header, BmpColorTable table, long offset,
        byte[] rgb, string format, string? source)
    {
        // Pillow hands the expanded bytes to a "P" unpacker, which a black-and-white ("1") image lacks.
        if (table.Mode == BmpColorMode.Bilevel)
            throw new ImageDecodeException(source, $"corrupt {format}: RLE data with a black-and-white palette cannot be unpacked (Pillow 9.4 fails on it too)");

        int width = (int)header.Width, height = (int)header.Height;
        var pixels = new byte[width * height];
        BmpRleExpander.Expand(data, offset, header.Compression == BmpHeader.Rle4, width, pixels, format, source);

        BmpPixelLayout layout = table.Mode == BmpColorMode.Grey ? BmpPixelLayout.Grey8 : BmpPixelLayout.Palette8;
        int rgbStride = width * 3;
        for (int row = 0; row < height; row++)
        {
            int y = header.TopDown ? row : height - 1 - row;
            BmpRowUnpacker.Unpack(layout, pixels.AsSpan(row * width, width), rgb.AsSpan(y * rgbStride, rgbStride), table.Palette, []);
        }
    }
}
