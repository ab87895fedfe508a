using FastLaDeDa.Simd;

namespace FastLaDeDa.Imaging.Formats.Png;

/// <summary>
/// Undoes the PNG filter of one scanline (see <see cref="PngUnfilterReference.Unfilter"/> for the
/// memory layout). Implementations: <see cref="PngUnfilterScalar"/> (the reference) and
/// <see cref="PngUnfilterVector256"/> (x86 SIMD); they give identical bytes for every input,
/// which the tests check on random rows of every length and pixel size.
/// </summary>
internal abstract class PngUnfilter : SimdImplementation
{
    /// <summary>Every implementation, widest first (supported or not).</summary>
    public static IReadOnlyList<PngUnfilter> All { get; } = [PngUnfilterVector256.Instance, PngUnfilterScalar.Instance];

    /// <summary>The widest implementation this process supports.</summary>
    public static PngUnfilter Best { get; } = Widest<PngUnfilter>([.. All]);

    /// <summary>
    /// Writes the unfiltered row to <c>current[Pad .. Pad + rowBytes]</c> from the filtered bytes
    /// <c>raw[..rowBytes]</c> and the unfiltered row above, <c>prior[Pad .. Pad + rowBytes]</c>.
    /// Every buffer is laid out as <see cref="PngRowLayout"/> says (zero pad before the rows, slack
    /// after all three); bytes in the slack of <paramref name="current"/> may be overwritten.
    /// </summary>
    /// <param name="filter">The row's filter type.</param>
    /// <param name="raw">The filtered bytes, followed by at least <see cref="PngRowLayout.Slack"/> readable bytes.</param>
    /// <param name="prior">The padded unfiltered row above (all zero for the first row of an image or pass).</param>
    /// <param name="current">The padded row to write.</param>
    /// <param name="rowBytes">Bytes in the row (at least 1).</param>
    /// <param name="bytesPerPixel">Bytes per complete pixel, at least 1 (1 for bit depths below 8), at most 8.</param>
    public abstract void Unfilter(PngFilterType filter, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> prior, Span<byte> current, int rowBytes, int bytesPerPixel);

    /// <summary>
    /// Unfilters two consecutive rows that both use the Paeth filter (most rows of photographs):
    /// <paramref name="raw"/> against <paramref name="prior"/> into <paramref name="current"/>, then
    /// <paramref name="nextRaw"/> against that into <paramref name="next"/>; the same bytes as two
    /// <see cref="Unfilter"/> calls. Layouts as for <see cref="Unfilter"/>; the three padded rows are distinct.
    /// </summary>
    public virtual void UnfilterPaethPair(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> nextRaw, ReadOnlySpan<byte> prior, Span<byte> current, Span<byte> next, int rowBytes, int bytesPerPixel)
    {
        Unfilter(PngFilterType.Paeth, raw, prior, current, rowBytes, bytesPerPixel);
        Unfilter(PngFilterType.Paeth, nextRaw, current, next, rowBytes, bytesPerPixel);
    }

    /// <summary>Checks the lengths the kernels rely on, once per row.</summary>
    protected static void CheckLayout(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> prior, Span<byte> current, int rowBytes, int bytesPerPixel)
    {
        int padded = PngRowLayout.PaddedLength(rowBytes);
        if (rowBytes < 1 || bytesPerPixel is < 1 or > 8 || raw.Length < rowBytes + PngRowLayout.Slack || prior.Length < padded || current.Length < padded)
            throw new ArgumentException($"buffers too short for a padded row of {rowBytes} bytes ({bytesPerPixel} per pixel)");
    }
}

/// <summary>The scalar reference kernels.</summary>
internal sealed class PngUnfilterScalar : PngUnfilter
{
    /// <summary>The single instance.</summary>
    public static PngUnfilterScalar Instance { get; } = new();

    private PngUnfilterScalar() { }

    /// <inheritdoc/>
    public override string Isa => "Scalar";

    /// <inheritdoc/>
    public override bool IsSupported => true;

    /// <inheritdoc/>
    public override void Unfilter(PngFilterType filter, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> prior, Span<byte> current, int rowBytes, int bytesPerPixel)
    {
        CheckLayout(raw, prior, current, rowBytes, bytesPerPixel);
        PngUnfilterReference.Unfilter(filter, raw, prior, current, rowBytes, bytesPerPixel);
    }
}
