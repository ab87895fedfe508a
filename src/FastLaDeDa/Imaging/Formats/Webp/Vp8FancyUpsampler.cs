using System.Runtime.CompilerServices;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// libwebp 1.2.4's "fancy" chroma upsampling: each output chroma sample is
/// <c>(9 a + 3 b + 3 c + d + 8) / 16</c> of the four nearest half-resolution samples (a nearest),
/// computed through the same two-step rounding as libwebp's <c>UpsampleRgbLinePair</c>; the first
/// and (even-width) last columns use <c>(3 a + b + 2) / 4</c> vertically only, the first and
/// (even-height) last rows repeat their chroma row. This is the scalar reference of
/// <see cref="Vp8FancyUpsamplerVector"/>.
/// </summary>
internal static class Vp8FancyUpsampler
{
    /// <summary>
    /// Upsamples two chroma rows to the chroma of two output rows: <paramref name="nearTop"/> gets
    /// the row next to <paramref name="top"/> (3/4 top, 1/4 bottom), <paramref name="nearBottom"/> the
    /// row next to <paramref name="bottom"/>. Each output is <paramref name="width"/> samples.
    /// </summary>
    public static void UpsampleRows(ReadOnlySpan<byte> top, ReadOnlySpan<byte> bottom, Span<byte> nearTop, Span<byte> nearBottom, int width)
    {
        int pairs = (width - 1) >> 1;
        top = top[..(pairs + 1)];
        bottom = bottom[..(pairs + 1)];
        nearTop = nearTop[..width];
        nearBottom = nearBottom[..width];
        FirstColumn(top, bottom, nearTop, nearBottom);
        UpsamplePairs(top, bottom, nearTop, nearBottom, 1, pairs);
        LastColumn(top, bottom, nearTop, nearBottom, width);
    }

    /// <summary>Column 0: vertical interpolation only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void FirstColumn(ReadOnlySpan<byte> top, ReadOnlySpan<byte> bottom, Span<byte> nearTop, Span<byte> nearBottom)
    {
        nearTop[0] = (byte)((3 * top[0] + bottom[0] + 2) >> 2);
        nearBottom[0] = (byte)((3 * bottom[0] + top[0] + 2) >> 2);
    }

    /// <summary>The last column of an even width, which has no chroma sample to its right.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void LastColumn(ReadOnlySpan<byte> top, ReadOnlySpan<byte> bottom, Span<byte> nearTop, Span<byte> nearBottom, int width)
    {
        if ((width & 1) != 0) return;
        int last = (width - 1) >> 1;
        nearTop[width - 1] = (byte)((3 * top[last] + bottom[last] + 2) >> 2);
        nearBottom[width - 1] = (byte)((3 * bottom[last] + top[last] + 2) >> 2);
    }

    /// <summary>Output columns 2x - 1 and 2x for x in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    internal static void UpsamplePairs(ReadOnlySpan<byte> top, ReadOnlySpan<byte> bottom, Span<byte> nearTop, Span<byte> nearBottom, int from, int to)
    {
        for (int x = from; x <= to; x++)
        {
            int topLeft = top[x - 1], left = bottom[x - 1], t = top[x], b = bottom[x];
            int sum = topLeft + t + left + b + 8;
            int diagonal12 = (sum + 2 * (t + left)) >> 3;
            int diagonal03 = (sum + 2 * (topLeft + b)) >> 3;
            nearTop[2 * x - 1] = (byte)((diagonal12 + topLeft) >> 1);
            nearTop[2 * x] = (byte)((diagonal03 + t) >> 1);
            nearBottom[2 * x - 1] = (byte)((diagonal03 + left) >> 1);
            nearBottom[2 * x] = (byte)((diagonal12 + b) >> 1);
        }
    }
}
