using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Gif;

/// <summary>
/// A GIF colour table and Pillow 9.4's test of whether it is needed at all: a table that is
/// exactly the grey ramp (entry i = (i, i, i)) is dropped, the frame then being read as grey
/// levels, which gives the same colours for every index.
/// </summary>
internal static class GifColorTable
{
    /// <summary>Bytes of the table announced by the packed <paramref name="flags"/> of a screen or image descriptor.</summary>
    public static int DeclaredBytes(int flags) => 3 << ((flags & 7) + 1);

    /// <summary>
    /// Pillow's <c>_is_palette_needed</c>: true unless every entry is the grey ramp. Like
    /// Pillow, a cut table whose last, partial entry still matches the ramp as far as it goes is
    /// an error (Pillow reads past its end and gives up on the file).
    /// </summary>
    public static bool IsNeeded(ReadOnlySpan<byte> table, string? source)
    {
        for (int i = 0; i < table.Length; i += 3)
        {
            if (table[i] != i / 3) return true;
            for (int c = 1; c < 3; c++)
            {
                if (i + c >= table.Length)
                    throw new ImageDecodeException(source, "truncated GIF (colour table incomplete)");
                if (table[i + c] != table[i + c - 1]) return true;
            }
        }
        return false;
    }
}
