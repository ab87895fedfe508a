namespace FastLaDeDa.Imaging.Formats.Gif;

/// <summary>
/// Reading of GIF data sub-blocks (a length byte, then that many bytes) the way Pillow 9.4's
/// <c>GifImageFile.data()</c> reads them: a zero length or the end of the file means "no block",
/// and a block cut by the end of the file is returned short.
/// </summary>
internal static class GifSubBlocks
{
    /// <summary>Reads the sub-block at <paramref name="position"/>; false when there is none (terminator or end of file).</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, scoped ref int position, out ReadOnlySpan<byte> block)
    {
        block = default;
        if (position >= data.Length) return false;
        int length = data[position++];
        if (length == 0) return false;
        block = data.Slice(position, Math.Min(length, data.Length - position));
        position += block.Length;
        return true;
    }

    /// <summary>Skips sub-blocks up to a terminator, an empty (cut) block or the end of the file.</summary>
    public static void Skip(ReadOnlySpan<byte> data, ref int position)
    {
        while (TryRead(data, ref position, out ReadOnlySpan<byte> block) && !block.IsEmpty) { }
    }
}
