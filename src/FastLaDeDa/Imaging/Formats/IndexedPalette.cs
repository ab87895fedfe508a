namespace FastLaDeDa.Imaging.Formats;

/// <summary>
/// The colour table of a palette ("P") image as Pillow 9.4's <c>convert("RGB")</c> uses it:
/// always 256 entries, starting as a grey ramp (entry i = (i, i, i), what <c>ImagingPaletteNew</c>
/// sets up) of which the file's colours overwrite the first ones. An index past the file's table
/// therefore shows as grey, never as an error or as black.
/// </summary>
internal sealed class IndexedPalette
{
    /// <summary>Entries Pillow's palette holds.</summary>
    public const int Capacity = 256;

    // R, G, B per entry.
    private readonly byte[] _rgb = new byte[Capacity * 3];

    private IndexedPalette()
    {
        for (int i = 0; i < Capacity; i++)
            _rgb[3 * i] = _rgb[3 * i + 1] = _rgb[3 * i + 2] = (byte)i;
    }

    /// <summary>The grey ramp alone: what an "L" image (or a palette image without colours) shows.</summary>
    public static IndexedPalette GreyRamp() => new();

    /// <summary>
    /// A palette whose first entries come from <paramref name="table"/>, each
    /// <paramref name="bytesPerEntry"/> bytes long; a partial last entry is ignored.
    /// </summary>
    /// <param name="table">The colours as stored in the file.</param>
    /// <param name="bytesPerEntry">3 (GIF, OS/2 bitmaps) or 4 (Windows bitmaps: B, G, R, reserved).</param>
    /// <param name="blueFirst">True when each entry stores blue, green, red (bitmaps); false for red, green, blue (GIF).</param>
    public static IndexedPalette FromTable(ReadOnlySpan<byte> table, int bytesPerEntry, bool blueFirst)
    {
        var palette = new IndexedPalette();
        int entries = Math.Min(table.Length / bytesPerEntry, Capacity);
        for (int i = 0; i < entries; i++)
        {
            ReadOnlySpan<byte> entry = table.Slice(i * bytesPerEntry, 3);
            palette._rgb[3 * i] = blueFirst ? entry[2] : entry[0];
            palette._rgb[3 * i + 1] = entry[1];
            palette._rgb[3 * i + 2] = blueFirst ? entry[0] : entry[2];
        }
        return palette;
    }

    /// <summary>Writes the colour of each index in <paramref name="indices"/> to <paramref name="rgb"/> (3 bytes per index).</summary>
    public void Expand(ReadOnlySpan<byte> indices, Span<byte> rgb)
    {
        ReadOnlySpan<byte> table = _rgb;
        rgb = rgb[..(indices.Length * 3)];
        for (int i = 0, o = 0; i < indices.Length; i++, o += 3)
        {
            int t = indices[i] * 3;
            rgb[o] = table[t];
            rgb[o + 1] = table[t + 1];
            rgb[o + 2] = table[t + 2];
        }
    }
}
