using System.Buffers.Binary;
using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Gif;

/// <summary>
/// What Pillow 9.4's <c>GifImageFile</c> knows about a GIF once it has found the first frame:
/// the canvas, where the frame's pixels go, the colours they index and where the LZW data starts.
/// </summary>
/// <remarks>
/// <para>The walk mirrors Pillow's, which is lenient in some places and strict in others: bytes
/// between blocks that are not an introducer are skipped one by one; a cut colour table or
/// extension is read as far as it goes; but a Graphic Control Extension shorter than 3 bytes (4
/// with the transparency flag), an application extension without data, or a cut image
/// descriptor makes Pillow give up on the file.</para>
/// <para>Colours: a table that is exactly the grey ramp is dropped (see
/// <see cref="GifColorTable"/>). The frame uses its local table when that is needed, otherwise
/// the global one (Pillow puts the global palette on the frame even when the local table was a
/// dropped grey ramp), otherwise grey levels.</para>
/// </remarks>
internal sealed record GifFirstFrame
{
    private const byte ExtensionIntroducer = 0x21, ImageSeparator = 0x2C, Trailer = 0x3B;
    private const byte GraphicControlLabel = 0xF9, CommentLabel = 0xFE, ApplicationLabel = 0xFF;

    /// <summary>Canvas width: the logical screen's, widened when the frame reaches beyond it (as Pillow does).</summary>
    public required int CanvasWidth { get; init; }

    /// <summary>Canvas height, grown like <see cref="CanvasWidth"/>.</summary>
    public required int CanvasHeight { get; init; }

    /// <summary>The rectangle the LZW decoder fills: the frame's, or the whole canvas when the frame has left 0 and width 0 (Pillow's tile convention).</summary>
    public required (int Left, int Top, int Width, int Height) Region { get; init; }

    /// <summary>Whether rows are stored in the four interlaced passes.</summary>
    public required bool Interlaced { get; init; }

    /// <summary>The transparent index of the last Graphic Control Extension before the frame that set one; Pillow fills the canvas with it.</summary>
    public required int? TransparentIndex { get; init; }

    /// <summary>The colours of the indices (a grey ramp when the file has no table that is needed).</summary>
    public required IndexedPalette Palette { get; init; }

    /// <summary>The LZW minimum code size byte (Pillow accepts 0 to 12).</summary>
    public required int LzwMinimumCodeSize { get; init; }

    /// <summary>Offset of the first data sub-block.</summary>
    public required int DataOffset { get; init; }

    /// <summary>Walks <paramref name="data"/> to the first frame; throws <see cref="ImageDecodeException"/> where Pillow fails.</summary>
    public static GifFirstFrame Read(ReadOnlySpan<byte> data, string? source)
    {
        if (data.Length < 11) throw Truncated("screen descriptor", source);
        int screenWidth = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
        int screenHeight = BinaryPrimitives.ReadUInt16LittleEndian(data[8..]);
        int screenFlags = data[10];
        int position = Math.Min(13, data.Length);

        ReadOnlySpan<byte> globalTable = default;
        if ((screenFlags & 0x80) != 0)
        {
            if (data.Length < 12) throw Truncated("screen descriptor", source);
            ReadOnlySpan<byte> table = ReadTable(data, ref position, screenFlags);
            if (GifColorTable.IsNeeded(table, source)) globalTable = table;
        }

        int? transparentIndex = null;
        while (position < data.Length)
        {
            byte introducer = data[position++];
            if (introducer == Trailer) break;
            if (introducer == ExtensionIntroducer)
            {
                ReadExtension(data, ref position, ref transparentIndex, source);
            }
            else if (introducer == ImageSeparator)
            {
                return ReadImage(data, position, screenWidth, screenHeight, globalTable, transparentIndex, source);
            }
            // Anything else is skipped, as Pillow skips it.
        }
        throw NoFrame(source);
    }

    private static void ReadExtension(ReadOnlySpan<byte> data, ref int position, ref int? transparentIndex, string? source)
    {
        if (position >= data.Length) throw Truncated("extension", source);
        byte label = data[position++];
        bool present = GifSubBlocks.TryRead(data, ref position, out ReadOnlySpan<byte> block);
        switch (label)
        {
            case GraphicControlLabel:
                // Pillow reads the flags, the transparent index when flagged, and the delay.
                if (!present || block.Length < 3 || ((block[0] & 1) != 0 && block.Length < 4))
                    throw new ImageDecodeException(source, "corrupt GIF: graphic control extension too short");
                if ((block[0] & 1) != 0) transparentIndex = block[3];
                break;
            case CommentLabel:
                // Pillow reads comment blocks up to the first empty one and nothing after it.
                while (present && !block.IsEmpty) present = GifSubBlocks.TryRead(data, ref position, out block);
                return;
            case ApplicationLabel:
                if (!present) throw new ImageDecodeException(source, "corrupt GIF: application extension without data");
                if (block.StartsWith("NETSCAPE2.0"u8) && !GifSubBlocks.TryRead(data, ref position, out _))
                    throw new ImageDecodeException(source, "corrupt GIF: NETSCAPE2.0 extension without its loop block");
                break;
        }
        GifSubBlocks.Skip(data, ref position);
    }

    private static GifFirstFrame ReadImage(ReadOnlySpan<byte> data, int position, int screenWidth, int screenHeight,
        ReadOnlySpan<byte> globalTable, int? transparentIndex, string? source)
    {
        if (data.Length - position < 9) throw Truncated("image descriptor", source);
        int left = BinaryPrimitives.ReadUInt16LittleEndian(data[position..]);
        int top = BinaryPrimitives.ReadUInt16LittleEndian(data[(position + 2)..]);
        int width = BinaryPrimitives.ReadUInt16LittleEndian(data[(position + 4)..]);
        int height = BinaryPrimitives.ReadUInt16LittleEndian(data[(position + 6)..]);
        int flags = data[position + 8];
        position += 9;

        ReadOnlySpan<byte> colors = globalTable;
        if ((flags & 0x80) != 0)
        {
            ReadOnlySpan<byte> local = ReadTable(data, ref position, flags);
            if (GifColorTable.IsNeeded(local, source)) colors = local;
        }
        if (position >= data.Length) throw Truncated("image data", source);
        int codeSize = data[position++];

        int canvasWidth = Math.Max(screenWidth, left + width), canvasHeight = Math.Max(screenHeight, top + height);
        // Pillow's decoder takes a tile with x0 = x1 = 0 to mean the whole image.
        var region = left == 0 && width == 0 ? (0, 0, canvasWidth, canvasHeight) : (left, top, width, height);
        return new GifFirstFrame
        {
            CanvasWidth = canvasWidth,
            CanvasHeight = canvasHeight,
            Region = region,
            Interlaced = (flags & 0x40) != 0,
            TransparentIndex = transparentIndex,
            Palette = colors.IsEmpty ? IndexedPalette.GreyRamp() : IndexedPalette.FromTable(colors, 3, blueFirst: false),
            LzwMinimumCodeSize = codeSize,
            DataOffset = position,
        };
    }

    private static ReadOnlySpan<byte> ReadTable(ReadOnlySpan<byte> data, scoped ref int position, int flags)
    {
        int length = Math.Min(GifColorTable.DeclaredBytes(flags), data.Length - position);
        ReadOnlySpan<byte> table = data.Slice(position, length);
        position += length;
        return table;
    }

    private static ImageDecodeException Truncated(string part, string? source) => new(source, $"truncated GIF ({part} incomplete)");

    private static ImageDecodeException NoFrame(string? source) => new(source, "corrupt GIF: no image before the end of the file");
}
