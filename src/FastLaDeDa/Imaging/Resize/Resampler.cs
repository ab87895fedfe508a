using FastLaDeDa.Simd;

namespace FastLaDeDa.Imaging.Resize;

/// <summary>
/// The two passes of Pillow's fixed-point resampling of 8-bit RGB (libImaging/Resample.c,
/// <c>ImagingResampleHorizontal_8bpc</c> and <c>ImagingResampleVertical_8bpc</c>): each output
/// byte is <c>clip8((½ + Σ pixel × weight) &gt;&gt; PrecisionBits)</c> with 32-bit integer sums.
/// Integer arithmetic is exact and wraps identically in any order, so every implementation gives
/// the same bytes. Implementations: <see cref="ResamplerScalar"/> (the reference),
/// <see cref="ResamplerVector128"/>, <see cref="ResamplerVector256"/>, <see cref="ResamplerVector512"/>, all
/// instances of <see cref="ResamplerSimd{TOps, TQuad, TInt}"/>.
/// </summary>
internal abstract class Resampler : SimdImplementation
{
    /// <summary>Pillow's rounding offset, ½ in fixed point.</summary>
    protected const int Half = 1 << (ResampleAxis.PrecisionBits - 1);

    /// <summary>Every implementation, widest first (supported or not).</summary>
    public static IReadOnlyList<Resampler> All { get; } =
        [ResamplerVector512.Instance, ResamplerVector256.Instance, ResamplerVector128.Instance, ResamplerScalar.Instance];

    /// <summary>The widest implementation this process supports.</summary>
    public static Resampler Best { get; } = Widest<Resampler>([.. All]);

    /// <summary>
    /// Horizontal pass: resamples rows <paramref name="firstRow"/> .. <paramref name="firstRow"/> +
    /// <paramref name="rowCount"/> − 1 of <paramref name="source"/> (interleaved RGB,
    /// <paramref name="sourceWidth"/> pixels per row) along x with <paramref name="axis"/>, writing
    /// <paramref name="rowCount"/> rows of <c>axis.OutputSize</c> pixels into <paramref name="output"/>.
    /// </summary>
    public void Horizontal(ReadOnlySpan<byte> source, int sourceWidth, ResampleAxis axis, int firstRow, int rowCount, Span<byte> output)
    {
        using var pass = new HorizontalResampling(axis);
        Horizontal(source, sourceWidth, pass, firstRow, rowCount, output);
    }

    /// <summary>The horizontal pass with its taps prepared once (<paramref name="pass"/>), for callers that run it repeatedly.</summary>
    public abstract void Horizontal(ReadOnlySpan<byte> source, int sourceWidth, HorizontalResampling pass, int firstRow, int rowCount, Span<byte> output);

    /// <summary>
    /// Vertical pass: <paramref name="rows"/> holds consecutive rows of <paramref name="width"/>
    /// RGB pixels, the first of them being source row <paramref name="firstRow"/>; writes
    /// <c>axis.OutputSize</c> rows into <paramref name="output"/>.
    /// </summary>
    public abstract void Vertical(ReadOnlySpan<byte> rows, int width, ResampleAxis axis, int firstRow, Span<byte> output);

    /// <summary>Checks the buffer sizes every implementation relies on.</summary>
    protected static void CheckHorizontal(ReadOnlySpan<byte> source, int sourceWidth, ResampleAxis axis, int firstRow, int rowCount, Span<byte> output)
    {
        if (axis.InputSize != sourceWidth) throw new ArgumentException("the axis does not start from the source width", nameof(axis));
        if (firstRow < 0 || rowCount < 0 || (long)(firstRow + rowCount) * sourceWidth * 3 > source.Length)
            throw new ArgumentException("the rows are not inside the source", nameof(source));
        if (output.Length < (long)rowCount * axis.OutputSize * 3)
            throw new ArgumentException("the output is too small", nameof(output));
    }

    /// <summary>Checks the buffer sizes every implementation relies on.</summary>
    protected static void CheckVertical(ReadOnlySpan<byte> rows, int width, ResampleAxis axis, int firstRow, Span<byte> output)
    {
        long stride = width * 3L;
        int last = axis.OutputSize - 1;
        if (axis.Start[0] < firstRow || (axis.Start[last] + axis.Count[last] - firstRow) * stride > rows.Length)
            throw new ArgumentException("the rows do not cover the taps", nameof(rows));
        if (output.Length < stride * axis.OutputSize)
            throw new ArgumentException("the output is too small", nameof(output));
    }

    /// <summary>Pillow's <c>clip8</c>: the sum shifted down to an integer, clamped to 0..255.</summary>
    protected static byte ClipToByte(int sum)
    {
        int v = sum >> ResampleAxis.PrecisionBits;
        return v < 0 ? (byte)0 : v > 255 ? (byte)255 : (byte)v;
    }
}
