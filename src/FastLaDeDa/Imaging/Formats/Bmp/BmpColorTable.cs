using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Bmp;

/// <summary>
/// The colour table of a 1-, 4- or 8-bit bitmap as Pillow 9.4 reads it, and the image mode that
/// reading implies.
/// </summary>
/// <remarks>
/// Pillow reads as many entries as the header declares (2^bits when it declares none), straight
/// after the info header and whatever the pixel offset says. When those entries are exactly
/// black and white (two entries) or exactly the grey ramp 0, 1, 2, ... it drops the palette and
/// opens the image as mode "1" or "L", which also changes how pixels are unpacked (see
/// <see cref="BmpPixelLayout"/>). Otherwise the entries become the palette, of which Pillow
/// accepts at most 256.
/// </remarks>
/// <param name="Mode">What the pixels are: palette indices, bilevel or grey.</param>
/// <param name="Palette">The colours for <see cref="BmpColorMode.Palette"/>; null otherwise.</param>
/// <param name="End">Offset just past the bytes read for the table (where Pillow's file position is afterwards).</param>
internal readonly record struct BmpColorTable(BmpColorMode Mode, IndexedPalette? Palette, long End)
{
    /// <summary>Pillow's largest accepted colour count in the header.</summary>
    private const long MaxDeclaredColors = 65536;

    /// <summary>Reads the table that follows <paramref name="header"/>; throws <see cref="ImageDecodeException"/> for a colour count Pillow rejects.</summary>
    public static BmpColorTable Read(ReadOnlySpan<byte> data, BmpHeader header, string format, string? source)
    {
        long colors = header.Colors;
        if (colors is <= 0 or > MaxDeclaredColors)
            throw new ImageDecodeException(source, $"corrupt {format}: header declares a palette of {colors} colours");

        int entryBytes = header.PaletteEntryBytes;
        int start = header.End;
        // A cut file leaves a short table, as Pillow's read() does.
        int length = (int)Math.Min(entryBytes * colors, data.Length - start);
        ReadOnlySpan<byte> table = data.Slice(start, length);

        if (IsGreyscale(table, entryBytes, colors))
            return new BmpColorTable(colors == 2 ? BmpColorMode.Bilevel : BmpColorMode.Grey, null, start + length);

        int entries = length / entryBytes;
        if (entries > IndexedPalette.Capacity)
            throw new ImageDecodeException(source, $"corrupt {format}: palette of {entries} colours (at most {IndexedPalette.Capacity})");
        return new BmpColorTable(BmpColorMode.Palette, IndexedPalette.FromTable(table, entryBytes, blueFirst: true), start + length);
    }

    // Two entries must be black then white; more (or one) must be the ramp i = (i, i, i), i
    // taken modulo 256 as Pillow's o8() does. A missing entry never matches.
    private static bool IsGreyscale(ReadOnlySpan<byte> table, int entryBytes, long colors)
    {
        for (int i = 0; i < colors; i++)
        {
            int start = i * entryBytes;
            if (start + 3 > table.Length) return false;
            byte expected = colors == 2 ? (byte)(i * 255) : (byte)i;
            if (table[start] != expected || table[start + 1] != expected || table[start + 2] != expected) return false;
        }
        return true;
    }
}
