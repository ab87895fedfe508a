using System.Buffers.Binary;

namespace FastLaDeDa.Imaging;

/// <summary>
/// The headers of a Windows/OS2 bitmap, read before the pixels are decoded: dimensions (checked
/// against <see cref="ImageLimits"/>), bit depth and compression, refusing the variants stb does
/// not decode or decodes differently from Pillow 9.4, and checking that the pixel data is all
/// there (stb reads zeros past the end of a cut file; Pillow raises).
/// </summary>
/// <remarks>
/// One conversion differs: for 16-bit pixels stb widens each 5- or 6-bit channel by bit
/// replication, Pillow's BGR;15/BGR;16 unpackers by <c>v * 255 / max</c> (truncating). Both keep the
/// original value in the top bits, so <see cref="RemapSixteenBitChannels"/> recovers it and applies
/// Pillow's formula.
/// </remarks>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels (positive; top-down files store it negated).</param>
/// <param name="BitsPerPixel">1, 4, 8, 16, 24 or 32.</param>
/// <param name="GreenBits">For 16-bit pixels, 5 (RGB 555) or 6 (RGB 565); otherwise 0.</param>
internal readonly record struct BmpStructure(int Width, int Height, int BitsPerPixel, int GreenBits)
{
    private const int FileHeaderSize = 14;
    private const int BiRgb = 0, BiRle8 = 1, BiRle4 = 2, BiBitfields = 3, BiJpeg = 4, BiPng = 5;

    /// <summary>"BM" followed by a DIB header size stb and Pillow know; enough to call the bytes a bitmap.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> data) =>
        data.Length >= 18 && data[0] == 'B' && data[1] == 'M' &&
        BinaryPrimitives.ReadUInt32LittleEndian(data[14..]) is 12 or 40 or 52 or 56 or 64 or 108 or 124;

    /// <summary>Reads and validates the headers; throws <see cref="ImageDecodeException"/> (or a subclass) otherwise.</summary>
    public static BmpStructure Read(ReadOnlySpan<byte> data, ImageLimits limits, string? source)
    {
        if (data.Length < FileHeaderSize + 4) throw Truncated(source);
        uint pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);
        uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(data[14..]);
        if (headerSize is 52 or 64)
            throw new UnsupportedImageFormatException(source, $"BMP with a {headerSize}-byte info header is not supported");
        if (data.Length < FileHeaderSize + headerSize) throw Truncated(source);
        ReadOnlySpan<byte> header = data.Slice(FileHeaderSize, (int)headerSize);

        long width, height;
        int bitsPerPixel, compression;
        if (headerSize == 12)
        {
            width = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
            height = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
            bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
            compression = BiRgb;
        }
        else
        {
            width = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
            height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(header[8..]));
            bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(header[14..]);
            compression = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
        }

        switch (compression)
        {
            case BiRgb or BiBitfields: break;
            case BiRle8 or BiRle4: throw new UnsupportedImageFormatException(source, "RLE-compressed BMP is not supported");
            case BiJpeg or BiPng: throw new UnsupportedImageFormatException(source, "BMP with embedded JPEG or PNG data is not supported");
            default: throw new UnsupportedImageFormatException(source, $"BMP compression {compression} is not supported");
        }
        if (bitsPerPixel is not (1 or 4 or 8 or 16 or 24 or 32))
            throw new UnsupportedImageFormatException(source, $"{bitsPerPixel}-bit BMP is not supported");
        if (compression == BiBitfields && bitsPerPixel is not (16 or 32))
            throw new ImageDecodeException(source, $"corrupt BMP: bit fields with {bitsPerPixel}-bit pixels");
        // stb looks for the masks of a 56-byte header after it instead of inside it.
        if (compression == BiBitfields && headerSize == 56)
            throw new UnsupportedImageFormatException(source, "BMP with a 56-byte info header and bit fields is not supported");

        int greenBits = 0;
        if (bitsPerPixel == 16)
            greenBits = compression == BiRgb ? 5 : SixteenBitGreenBits(data, headerSize, source);
        else if (bitsPerPixel == 32 && compression == BiBitfields)
            CheckByteAlignedMasks(data, headerSize, source);

        ImageLimitGuard.CheckDimensions(width, height, limits, source, "BMP");

        // Rows are padded to 4 bytes; the last row's padding may be missing.
        long rowBytes = (width * bitsPerPixel + 31) / 32 * 4;
        long needed = pixelOffset + rowBytes * (height - 1) + (width * bitsPerPixel + 7) / 8;
        if (pixelOffset < FileHeaderSize + headerSize || needed > data.Length)
            throw Truncated(source);
        return new BmpStructure((int)width, (int)height, bitsPerPixel, greenBits);
    }

    /// <summary>Rewrites stb's bit-replicated 16-bit channels with Pillow's <c>v * 255 / max</c>.</summary>
    public void RemapSixteenBitChannels(Rgb24Image image)
    {
        if (BitsPerPixel != 16) return;
        Span<byte> fiveBit = stackalloc byte[256];
        Span<byte> green = stackalloc byte[256];
        for (int v = 0; v < 256; v++)
        {
            fiveBit[v] = (byte)((v >> 3) * 255 / 31);
            green[v] = GreenBits == 6 ? (byte)((v >> 2) * 255 / 63) : fiveBit[v];
        }
        byte[] pixels = image.Pixels;
        for (int i = 0; i < pixels.Length; i += 3)
        {
            pixels[i] = fiveBit[pixels[i]];
            pixels[i + 1] = green[pixels[i + 1]];
            pixels[i + 2] = fiveBit[pixels[i + 2]];
        }
    }

    // Pillow 9.4 reads exactly two 16-bit layouts: RGB 555 and RGB 565.
    private static int SixteenBitGreenBits(ReadOnlySpan<byte> data, uint headerSize, string? source)
    {
        var (red, green, blue) = ColorMasks(data, headerSize, source);
        if (red == 0x7C00 && green == 0x03E0 && blue == 0x001F) return 5;
        if (red == 0xF800 && green == 0x07E0 && blue == 0x001F) return 6;
        throw new UnsupportedImageFormatException(source, $"16-bit BMP with bit masks {red:X}/{green:X}/{blue:X} is not supported");
    }

    // 8-bit channels at byte boundaries decode identically in stb and Pillow.
    private static void CheckByteAlignedMasks(ReadOnlySpan<byte> data, uint headerSize, string? source)
    {
        var (red, green, blue) = ColorMasks(data, headerSize, source);
        static bool IsByteMask(uint m) => m is 0xFFu or 0xFF00u or 0xFF0000u or 0xFF000000u;
        if (!IsByteMask(red) || !IsByteMask(green) || !IsByteMask(blue) || red == green || green == blue || red == blue)
            throw new UnsupportedImageFormatException(source, $"32-bit BMP with bit masks {red:X}/{green:X}/{blue:X} is not supported");
    }

    // The masks follow a 40-byte header, or sit inside the V4/V5 headers at the same offset.
    private static (uint Red, uint Green, uint Blue) ColorMasks(ReadOnlySpan<byte> data, uint headerSize, string? source)
    {
        const int offset = FileHeaderSize + 40;
        if (headerSize == 12 || data.Length < offset + 12) throw Truncated(source);
        return (BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]),
                BinaryPrimitives.ReadUInt32LittleEndian(data[(offset + 4)..]),
                BinaryPrimitives.ReadUInt32LittleEndian(data[(offset + 8)..]));
    }

    private static ImageDecodeException Truncated(string? source) =>
        new(source, "truncated BMP (pixel data incomplete)");
}
