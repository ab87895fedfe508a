using System.Buffers.Binary;

namespace FastLaDeDa.Imaging;

/// <summary>
/// A walk over a GIF up to the end of its first frame, and the two corrections that make
/// StbImageSharp's first frame equal to Pillow 9.4's <c>Image.open(f).convert("RGB")</c>.
/// </summary>
/// <remarks>
/// Pillow loads frame 0 as a palette ("P") image and <c>convert("RGB")</c> looks every index up
/// in the palette, the transparent index included (the transparency is simply dropped). Pixels
/// outside the first frame's rectangle hold the transparent index when there is one, else
/// index 0. stb instead leaves transparent pixels black and paints the outside with the
/// background colour (or black). So the decoder hands stb a copy in which the transparency flag
/// of every Graphic Control Extension before the first frame is cleared
/// (<see cref="WithoutTransparency"/>), and then paints the outside of the frame rectangle
/// itself (<see cref="FillOutsideFrame"/>).
/// A first frame that reaches beyond the logical screen (which Pillow answers by growing the
/// canvas) is refused.
/// </remarks>
internal sealed class GifStructure
{
    private GifStructure(int width, int height, int frameLeft, int frameTop, int frameWidth, int frameHeight,
        (byte R, byte G, byte B) fill, int[] controlFlagOffsets)
    {
        Width = width;
        Height = height;
        FrameLeft = frameLeft;
        FrameTop = frameTop;
        FrameWidth = frameWidth;
        FrameHeight = frameHeight;
        Fill = fill;
        ControlFlagOffsets = controlFlagOffsets;
    }

    /// <summary>Logical screen width.</summary>
    public int Width { get; }

    /// <summary>Logical screen height.</summary>
    public int Height { get; }

    /// <summary>The first frame's rectangle on the logical screen.</summary>
    public int FrameLeft { get; }

    /// <inheritdoc cref="FrameLeft"/>
    public int FrameTop { get; }

    /// <inheritdoc cref="FrameLeft"/>
    public int FrameWidth { get; }

    /// <inheritdoc cref="FrameLeft"/>
    public int FrameHeight { get; }

    /// <summary>The colour Pillow shows outside the first frame: palette[transparent index, else 0].</summary>
    public (byte R, byte G, byte B) Fill { get; }

    /// <summary>Offsets of the packed-flags byte of each Graphic Control Extension before the first frame.</summary>
    public IReadOnlyList<int> ControlFlagOffsets { get; }

    /// <summary>Walks <paramref name="data"/> to the end of the first frame; throws <see cref="ImageDecodeException"/> when it is incomplete or invalid.</summary>
    public static GifStructure Read(ReadOnlySpan<byte> data, ImageLimits limits, string? source)
    {
        if (data.Length < 13) throw Truncated(source);
        int width = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
        int height = BinaryPrimitives.ReadUInt16LittleEndian(data[8..]);
        int screenFlags = data[10];
        ImageLimitGuard.CheckDimensions(width, height, limits, source, "GIF");

        int pos = 13;
        ReadOnlySpan<byte> globalPalette = default;
        if ((screenFlags & 0x80) != 0)
            globalPalette = ReadColorTable(data, ref pos, screenFlags, source);

        int? transparentIndex = null;
        var controlFlagOffsets = new List<int>();
        while (true)
        {
            if (pos >= data.Length) throw Truncated(source);
            byte block = data[pos++];
            switch (block)
            {
                case 0x21: // extension
                    if (pos >= data.Length) throw Truncated(source);
                    byte label = data[pos++];
                    if (label == 0xF9 && pos + 5 <= data.Length && data[pos] == 4)
                    {
                        controlFlagOffsets.Add(pos + 1);
                        // Like Pillow, a later extension without the flag keeps an earlier index.
                        if ((data[pos + 1] & 1) != 0) transparentIndex = data[pos + 4];
                    }
                    pos = SkipSubBlocks(data, pos, source);
                    break;

                case 0x2C: // image descriptor: the first frame
                    if (data.Length - pos < 9) throw Truncated(source);
                    int left = BinaryPrimitives.ReadUInt16LittleEndian(data[pos..]);
                    int top = BinaryPrimitives.ReadUInt16LittleEndian(data[(pos + 2)..]);
                    int frameWidth = BinaryPrimitives.ReadUInt16LittleEndian(data[(pos + 4)..]);
                    int frameHeight = BinaryPrimitives.ReadUInt16LittleEndian(data[(pos + 6)..]);
                    int frameFlags = data[pos + 8];
                    pos += 9;
                    if (left + frameWidth > width || top + frameHeight > height)
                        throw new ImageDecodeException(source, "GIF first frame extends beyond the logical screen");
                    ReadOnlySpan<byte> palette = globalPalette;
                    if ((frameFlags & 0x80) != 0)
                        palette = ReadColorTable(data, ref pos, frameFlags, source);
                    if (palette.IsEmpty)
                        throw new UnsupportedImageFormatException(source, "GIF without a colour table is not supported");
                    if (pos >= data.Length) throw Truncated(source);
                    int lzwMinimumCodeSize = data[pos++];
                    if (lzwMinimumCodeSize is < 1 or > 11) throw new ImageDecodeException(source, $"corrupt GIF: invalid LZW code size {lzwMinimumCodeSize}");
                    SkipSubBlocks(data, pos, source);
                    return new GifStructure(width, height, left, top, frameWidth, frameHeight,
                        PaletteColor(palette, transparentIndex ?? 0), [.. controlFlagOffsets]);

                case 0x3B: // trailer
                    throw new ImageDecodeException(source, "corrupt GIF: no image before the trailer");

                default:
                    throw new ImageDecodeException(source, $"corrupt GIF: unexpected block 0x{block:X2} at offset {pos - 1}");
            }
        }
    }

    /// <summary>A copy of <paramref name="data"/> in which no Graphic Control Extension before the first frame marks a transparent index.</summary>
    public byte[] WithoutTransparency(ReadOnlySpan<byte> data)
    {
        byte[] copy = data.ToArray();
        foreach (int offset in ControlFlagOffsets)
            copy[offset] &= 0xFE;
        return copy;
    }

    /// <summary>Paints the pixels outside the first frame's rectangle with <see cref="Fill"/>, as Pillow shows them.</summary>
    public void FillOutsideFrame(Rgb24Image image)
    {
        byte[] pixels = image.Pixels;
        for (int y = 0; y < Height; y++)
        {
            bool rowInFrame = y >= FrameTop && y < FrameTop + FrameHeight;
            for (int x = 0; x < Width; x++)
            {
                if (rowInFrame && x >= FrameLeft && x < FrameLeft + FrameWidth) continue;
                int i = (y * Width + x) * 3;
                pixels[i] = Fill.R;
                pixels[i + 1] = Fill.G;
                pixels[i + 2] = Fill.B;
            }
        }
    }

    private static ReadOnlySpan<byte> ReadColorTable(ReadOnlySpan<byte> data, scoped ref int pos, int flags, string? source)
    {
        int bytes = 3 << ((flags & 7) + 1);
        if (data.Length - pos < bytes) throw Truncated(source);
        ReadOnlySpan<byte> table = data.Slice(pos, bytes);
        pos += bytes;
        return table;
    }

    // Pillow's palettes start as a grey ramp (entry i = (i, i, i)) and the file's colours
    // overwrite the first entries, so an index past the table shows as grey.
    private static (byte R, byte G, byte B) PaletteColor(ReadOnlySpan<byte> palette, int index) =>
        index * 3 + 2 < palette.Length
            ? (palette[index * 3], palette[index * 3 + 1], palette[index * 3 + 2])
            : ((byte)index, (byte)index, (byte)index);

    private static int SkipSubBlocks(ReadOnlySpan<byte> data, int pos, string? source)
    {
        while (true)
        {
            if (pos >= data.Length) throw Truncated(source);
            int size = data[pos++];
            if (size == 0) return pos;
            pos += size;
        }
    }

    private static ImageDecodeException Truncated(string? source) =>
        new(source, "truncated GIF (first frame incomplete)");
}
