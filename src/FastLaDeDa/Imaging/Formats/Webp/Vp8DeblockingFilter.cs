using System.Runtime.CompilerServices;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// VP8's in-loop deblocking filters (RFC 6386 section 15) with libwebp 1.2.4's arithmetic, on a
/// plane of rows <c>stride</c> bytes apart. <c>offset</c> is the first pixel after the edge: for a
/// vertical edge (filtered horizontally, "H") the pixel right of it, for a horizontal edge ("V")
/// the pixel below it. Each of the 16 (luma) or 8 (chroma) lines across the edge is independent.
/// This is the scalar reference of <see cref="Vp8DeblockingFilterVector"/>.
/// </summary>
internal static class Vp8DeblockingFilter
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Clamp127(int v) => Math.Clamp(v, -128, 127);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Clamp15(int v) => Math.Clamp(v, -16, 15);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Clamp255(int v) => (byte)Math.Clamp(v, 0, 255);

    /// <summary>Simple filter across the vertical edge left of <paramref name="offset"/>, 16 rows.</summary>
    public static void SimpleHorizontal(Span<byte> plane, int offset, int stride, int threshold)
    {
        int threshold2 = 2 * threshold + 1;
        for (int i = 0; i < 16; i++, offset += stride)
            if (NeedsFilter(plane, offset, 1, threshold2)) Filter2(plane, offset, 1);
    }

    /// <summary>Simple filter across the horizontal edge above <paramref name="offset"/>, 16 columns.</summary>
    public static void SimpleVertical(Span<byte> plane, int offset, int stride, int threshold)
    {
        int threshold2 = 2 * threshold + 1;
        for (int i = 0; i < 16; i++, offset++)
            if (NeedsFilter(plane, offset, stride, threshold2)) Filter2(plane, offset, stride);
    }

    /// <summary>
    /// Normal filter across <paramref name="count"/> (8 or 16) rows of a vertical edge left of
    /// <paramref name="offset"/>: a macroblock edge (6-tap) or an inner edge (4-tap).
    /// </summary>
    public static void HorizontalEdge(Span<byte> plane, int offset, int stride, int count, bool macroblockEdge, int threshold, int interior, int hevThreshold) =>
        FilterLines(plane, offset, 1, stride, count, macroblockEdge, threshold, interior, hevThreshold);

    /// <summary>
    /// Normal filter across <paramref name="count"/> (8 or 16) columns of a horizontal edge above
    /// <paramref name="offset"/>: a macroblock edge (6-tap) or an inner edge (4-tap).
    /// </summary>
    public static void VerticalEdge(Span<byte> plane, int offset, int stride, int count, bool macroblockEdge, int threshold, int interior, int hevThreshold) =>
        FilterLines(plane, offset, stride, 1, count, macroblockEdge, threshold, interior, hevThreshold);

    /// <summary><paramref name="step"/> crosses the edge, <paramref name="advance"/> moves along it.</summary>
    private static void FilterLines(Span<byte> plane, int offset, int step, int advance, int count, bool macroblockEdge, int threshold, int interior, int hevThreshold)
    {
        int threshold2 = 2 * threshold + 1;
        for (int i = 0; i < count; i++, offset += advance)
        {
            if (!NeedsFilterNormal(plane, offset, step, threshold2, interior)) continue;
            if (HighEdgeVariance(plane, offset, step, hevThreshold)) Filter2(plane, offset, step);
            else if (macroblockEdge) Filter6(plane, offset, step);
            else Filter4(plane, offset, step);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool NeedsFilter(ReadOnlySpan<byte> p, int at, int step, int threshold2)
    {
        int p1 = p[at - 2 * step], p0 = p[at - step], q0 = p[at], q1 = p[at + step];
        return 4 * Math.Abs(p0 - q0) + Math.Abs(p1 - q1) <= threshold2;
    }

    private static bool NeedsFilterNormal(ReadOnlySpan<byte> p, int at, int step, int threshold2, int interior)
    {
        int p3 = p[at - 4 * step], p2 = p[at - 3 * step], p1 = p[at - 2 * step], p0 = p[at - step];
        int q0 = p[at], q1 = p[at + step], q2 = p[at + 2 * step], q3 = p[at + 3 * step];
        if (4 * Math.Abs(p0 - q0) + Math.Abs(p1 - q1) > threshold2) return false;
        return Math.Abs(p3 - p2) <= interior && Math.Abs(p2 - p1) <= interior && Math.Abs(p1 - p0) <= interior
            && Math.Abs(q3 - q2) <= interior && Math.Abs(q2 - q1) <= interior && Math.Abs(q1 - q0) <= interior;
    }

    private static bool HighEdgeVariance(ReadOnlySpan<byte> p, int at, int step, int threshold)
    {
        int p1 = p[at - 2 * step], p0 = p[at - step], q0 = p[at], q1 = p[at + step];
        return Math.Abs(p1 - p0) > threshold || Math.Abs(q1 - q0) > threshold;
    }

    /// <summary>Changes p0 and q0 (the "common adjustment" with the outer taps).</summary>
    private static void Filter2(Span<byte> p, int at, int step)
    {
        int p1 = p[at - 2 * step], p0 = p[at - step], q0 = p[at], q1 = p[at + step];
        int a = 3 * (q0 - p0) + Clamp127(p1 - q1);
        int a1 = Clamp15((a + 4) >> 3);
        int a2 = Clamp15((a + 3) >> 3);
        p[at - step] = Clamp255(p0 + a2);
        p[at] = Clamp255(q0 - a1);
    }

    /// <summary>Changes p1, p0, q0, q1 (inner edges without high variance).</summary>
    private static void Filter4(Span<byte> p, int at, int step)
    {
        int p1 = p[at - 2 * step], p0 = p[at - step], q0 = p[at], q1 = p[at + step];
        int a = 3 * (q0 - p0);
        int a1 = Clamp15((a + 4) >> 3);
        int a2 = Clamp15((a + 3) >> 3);
        int a3 = (a1 + 1) >> 1;
        p[at - 2 * step] = Clamp255(p1 + a3);
        p[at - step] = Clamp255(p0 + a2);
        p[at] = Clamp255(q0 - a1);
        p[at + step] = Clamp255(q1 - a3);
    }

    /// <summary>Changes p2..q2 (macroblock edges without high variance), weights 27, 18, 9 over 128.</summary>
    private static void Filter6(Span<byte> p, int at, int step)
    {
        int p2 = p[at - 3 * step], p1 = p[at - 2 * step], p0 = p[at - step];
        int q0 = p[at], q1 = p[at + step], q2 = p[at + 2 * step];
        int a = Clamp127(3 * (q0 - p0) + Clamp127(p1 - q1));
        int a1 = (27 * a + 63) >> 7;
        int a2 = (18 * a + 63) >> 7;
        int a3 = (9 * a + 63) >> 7;
        p[at - 3 * step] = Clamp255(p2 + a3);
        p[at - 2 * step] = Clamp255(p1 + a2);
        p[at - step] = Clamp255(p0 + a1);
        p[at] = Clamp255(q0 - a1);
        p[at + step] = Clamp255(q1 - a2);
        p[at + 2 * step] = Clamp255(q2 - a3);
    }
}
