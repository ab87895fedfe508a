namespace FastLaDeDa.Imaging.Formats.Png;

/// <summary>
/// How the unfiltering kernels see a scanline in memory. Each unfiltered row is stored after
/// <see cref="Pad"/> zero bytes, which stand for the "left of the first pixel" neighbours the PNG
/// filters define as zero, and is followed by <see cref="Slack"/> bytes that vector loads and
/// stores may touch past the end of the row (their contents never reach an output). Filtered
/// input rows must be followed by <see cref="Slack"/> readable bytes as well.
/// </summary>
internal static class PngRowLayout
{
    /// <summary>Zero bytes before each unfiltered row; at least the largest bytes-per-pixel (8).</summary>
    public const int Pad = 16;

    /// <summary>Bytes after each row that kernels may read or overwrite.</summary>
    public const int Slack = 32;

    /// <summary>Length of a buffer holding one unfiltered row of <paramref name="rowBytes"/> bytes with its pad and slack.</summary>
    public static int PaddedLength(int rowBytes) => Pad + rowBytes + Slack;
}
