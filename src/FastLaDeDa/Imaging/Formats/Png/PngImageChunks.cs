using System.Buffers.Binary;
using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Png;

/// <summary>
/// What the chunks around the image data contribute to the pixels, read the way Pillow 9.4's
/// <c>PngImagePlugin</c> reads them, from a file <see cref="PngStructure.Read"/> has already
/// validated (lengths, CRCs, IEND): where the image data starts, the palette, the frame region,
/// and the checks with which Pillow refuses a file for one of these chunks.
/// </summary>
/// <remarks>
/// <para>Pillow parses the chunks up to the first IDAT when it opens a file, then reads the image
/// data from that IDAT and the IDAT chunks directly after it (<c>load_read</c>), then the chunks up
/// to IEND (<c>load_end</c>). So: the palette is the last PLTE before the first IDAT (none there:
/// the grey ramp); more than 256 entries is Pillow's "invalid palette size"; PLTE is ignored for
/// other colour types; an fcTL before the first IDAT sets the frame region (its sequence number
/// must be 0, 1, ... and the frame must lie inside the image); every tRNS chunk, before or after
/// the image data, must hold the two bytes Pillow reads for a grey image or the six for an RGB
/// one. tRNS never changes what <c>convert("RGB")</c> gives.</para>
/// <para>Not followed: Pillow would continue the image data with fdAT or DDAT chunks that directly
/// follow the IDAT run, and would take an fdAT before any IDAT as the image data; both only occur
/// in invalid APNGs and are refused here ("truncated image data" / "frame data before the image").
/// Pillow stops reading an animated APNG's chunks at the fcTL after the image data; a short tRNS
/// after that point is refused here all the same. Ancillary metadata chunks (text, gamma, ...) are not read, so the few files Pillow refuses for
/// a damaged metadata chunk decode here.</para>
/// </remarks>
/// <param name="FirstImageDataOffset">Offset of the first IDAT chunk (its length field).</param>
/// <param name="Palette">The colours of a palette image; null for other colour types.</param>
/// <param name="Region">Where the image data's pixels go.</param>
internal readonly record struct PngImageChunks(int FirstImageDataOffset, IndexedPalette? Palette, PngFrameRegion Region)
{
    private const uint Idat = 0x49444154, Iend = 0x49454E44, Plte = 0x504C5445, Trns = 0x74524E53, Fctl = 0x6663544C, Fdat = 0x66644154;

    /// <summary>Pillow's palette holds at most 256 entries.</summary>
    private const int MaxPaletteEntries = 256;

    /// <summary>Reads the chunks of <paramref name="data"/>; throws <see cref="ImageDecodeException"/> where Pillow 9.4 refuses the file.</summary>
    public static PngImageChunks Read(ReadOnlySpan<byte> data, PngStructure header, string? source)
    {
        int firstImageData = -1;
        ReadOnlySpan<byte> palette = default;
        bool hasPalette = false;
        long? sequence = null;
        var region = new PngFrameRegion(0, 0, header.Width, header.Height);
        for (int pos = PngStructure.Signature.Length; ;)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
            uint type = BinaryPrimitives.ReadUInt32BigEndian(data[(pos + 4)..]);
            ReadOnlySpan<byte> body = data.Slice(pos + 8, length);
            if (type == Iend) break;
            if (type == Idat)
            {
                if (firstImageData < 0) firstImageData = pos;
            }
            else if (type == Trns)
            {
                CheckTransparency(body, header, source);
            }
            else if (firstImageData < 0)
            {
                switch (type)
                {
                    case Plte when header.ColorType == PngStructure.Palette:
                        palette = body;
                        hasPalette = true;
                        break;
                    case Fctl:
                        region = ReadFrameControl(body, header, ref sequence, source);
                        break;
                    case Fdat:
                        throw Corrupt(source, "APNG frame data (fdAT) before the image data");
                }
            }
            pos += 12 + length;
        }

        IndexedPalette? colours = null;
        if (header.ColorType == PngStructure.Palette)
        {
            if (palette.Length / 3 > MaxPaletteEntries)
                throw Corrupt(source, $"PLTE chunk has {palette.Length / 3} entries (at most {MaxPaletteEntries})");
            colours = hasPalette ? IndexedPalette.FromTable(palette, 3, blueFirst: false) : IndexedPalette.GreyRamp();
        }
        return new PngImageChunks(firstImageData, colours, region);
    }

    /// <summary>Refuses a tRNS chunk too short for the values Pillow unpacks from it.</summary>
    private static void CheckTransparency(ReadOnlySpan<byte> body, PngStructure header, string? source)
    {
        // Pillow unpacks one 16-bit value for grey, three for RGB, and fails on a shorter chunk.
        int needed = header.ColorType switch { PngStructure.Grey => 2, PngStructure.Rgb => 6, _ => 0 };
        if (body.Length < needed)
            throw Corrupt(source, $"tRNS chunk of {body.Length} bytes, colour type {header.ColorType} needs {needed}");
    }

    /// <summary>The frame region of an fcTL chunk, with the checks Pillow's <c>chunk_fcTL</c> and tile setup make.</summary>
    private static PngFrameRegion ReadFrameControl(ReadOnlySpan<byte> body, PngStructure header, ref long? sequence, string? source)
    {
        if (body.Length < 26) throw Corrupt(source, "fcTL chunk shorter than 26 bytes");
        long number = BinaryPrimitives.ReadUInt32BigEndian(body);
        if (number != (sequence is long previous ? previous + 1 : 0))
            throw Corrupt(source, "APNG frame sequence numbers out of order");
        sequence = number;
        long width = BinaryPrimitives.ReadUInt32BigEndian(body[4..]), height = BinaryPrimitives.ReadUInt32BigEndian(body[8..]);
        long x = BinaryPrimitives.ReadUInt32BigEndian(body[12..]), y = BinaryPrimitives.ReadUInt32BigEndian(body[16..]);
        if (x + width > header.Width || y + height > header.Height)
            throw Corrupt(source, $"APNG frame {width}x{height} at ({x}, {y}) outside the {header.Width}x{header.Height} image");
        if (width == 0 || height == 0)
            throw Corrupt(source, $"APNG frame of {width}x{height} pixels");
        return new PngFrameRegion((int)x, (int)y, (int)width, (int)height);
    }

    private static ImageDecodeException Corrupt(string? source, string what) => new(source, $"corrupt PNG: {what}");
}
