using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// The loop filters of <see cref="Vp8DeblockingFilter"/> with 128-bit vectors: eight lines across an
/// edge at a time, each pixel widened to a 16-bit lane so that every step is the scalar integer
/// formula (no saturating shortcuts), narrowed back with the same [0, 255] clamp. Horizontal
/// edges load rows directly; vertical edges transpose 8x8 pixel tiles with SSE2 unpacks, so
/// <see cref="IsSupported"/> requires SSE2 (callers fall back to the scalar filter otherwise).
/// Each call checks once that the pixels it touches lie inside the plane.
/// </summary>
internal static class Vp8DeblockingFilterVector
{
    /// <summary>True when the vector filters can run on this machine.</summary>
    public static bool IsSupported => Sse2.IsSupported && Vector128.IsHardwareAccelerated;

    /// <summary>Simple filter across the vertical edge left of <paramref name="offset"/>, 16 rows.</summary>
    public static void SimpleHorizontal(Span<byte> plane, int offset, int stride, int threshold)
    {
        CheckTile(plane, offset - 4, stride, 16, 8);
        for (int half = 0; half < 16; half += 8)
        {
            ref byte tile = ref Unsafe.Add(ref MemoryMarshal.GetReference(plane), offset - 4 + half * stride);
            LoadTransposed(ref tile, stride, out var p3, out var p2, out var p1, out var p0, out var q0, out var q1, out var q2, out var q3);
            FilterSimple(ref p1, ref p0, ref q0, ref q1, threshold);
            StoreTransposed(ref tile, stride, p3, p2, p1, p0, q0, q1, q2, q3);
        }
    }

    /// <summary>Simple filter across the horizontal edge above <paramref name="offset"/>, 16 columns.</summary>
    public static void SimpleVertical(Span<byte> plane, int offset, int stride, int threshold)
    {
        CheckTile(plane, offset - 2 * stride, stride, 4, 16);
        ref byte edge = ref Unsafe.Add(ref MemoryMarshal.GetReference(plane), offset);
        for (int half = 0; half < 16; half += 8)
        {
            ref byte at = ref Unsafe.Add(ref edge, half);
            Vector128<short> p1 = Load8(ref at, -2 * stride), p0 = Load8(ref at, -stride);
            Vector128<short> q0 = Load8(ref at, 0), q1 = Load8(ref at, stride);
            FilterSimple(ref p1, ref p0, ref q0, ref q1, threshold);
            Store8(ref at, -stride, p0);
            Store8(ref at, 0, q0);
        }
    }

    /// <summary>
    /// Normal filter across <paramref name="count"/> (8 or 16) rows of a vertical edge left of
    /// <paramref name="offset"/>: a macroblock edge (6-tap) or an inner edge (4-tap).
    /// </summary>
    public static void HorizontalEdge(Span<byte> plane, int offset, int stride, int count, bool macroblockEdge, int threshold, int interior, int hevThreshold)
    {
        CheckTile(plane, offset - 4, stride, count, 8);
        for (int group = 0; group < count; group += 8)
        {
            ref byte tile = ref Unsafe.Add(ref MemoryMarshal.GetReference(plane), offset - 4 + group * stride);
            LoadTransposed(ref tile, stride, out var p3, out var p2, out var p1, out var p0, out var q0, out var q1, out var q2, out var q3);
            FilterNormal(p3, ref p2, ref p1, ref p0, ref q0, ref q1, ref q2, q3, macroblockEdge, threshold, interior, hevThreshold);
            StoreTransposed(ref tile, stride, p3, p2, p1, p0, q0, q1, q2, q3);
        }
    }

    /// <summary>
    /// Normal filter across <paramref name="count"/> (8 or 16) columns of a horizontal edge above
    /// <paramref name="offset"/>: a macroblock edge (6-tap) or an inner edge (4-tap).
    /// </summary>
    public static void VerticalEdge(Span<byte> plane, int offset, int stride, int count, bool macroblockEdge, int threshold, int interior, int hevThreshold)
    {
        CheckTile(plane, offset - 4 * stride, stride, 8, count);
        ref byte edge = ref Unsafe.Add(ref MemoryMarshal.GetReference(plane), offset);
        for (int group = 0; group < count; group += 8)
        {
            ref byte at = ref Unsafe.Add(ref edge, group);
            Vector128<short> p3 = Load8(ref at, -4 * stride), p2 = Load8(ref at, -3 * stride);
            Vector128<short> p1 = Load8(ref at, -2 * stride), p0 = Load8(ref at, -stride);
            Vector128<short> q0 = Load8(ref at, 0), q1 = Load8(ref at, stride);
            Vector128<short> q2 = Load8(ref at, 2 * stride), q3 = Load8(ref at, 3 * stride);
            FilterNormal(p3, ref p2, ref p1, ref p0, ref q0, ref q1, ref q2, q3, macroblockEdge, threshold, interior, hevThreshold);
            if (macroblockEdge)
            {
                Store8(ref at, -3 * stride, p2);
                Store8(ref at, 2 * stride, q2);
            }
            Store8(ref at, -2 * stride, p1);
            Store8(ref at, -stride, p0);
            Store8(ref at, 0, q0);
            Store8(ref at, stride, q1);
        }
    }

    /// <summary>Throws unless rows [0, rows) × bytes [0, columns) from <paramref name="start"/> lie inside the plane.</summary>
    private static void CheckTile(Span<byte> plane, int start, int stride, int rows, int columns)
    {
        if (start < 0 || stride < columns || (long)start + (long)(rows - 1) * stride + columns > plane.Length)
            throw new ArgumentOutOfRangeException(nameof(start), "loop-filter edge outside the plane");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Load8(ref byte at, int offset) =>
        Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref at, offset))).AsByte()).AsInt16();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store8(ref byte at, int offset, Vector128<short> value)
    {
        Vector128<byte> bytes = Narrow(value, value);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, offset), bytes.AsUInt64().ToScalar());
    }

    /// <summary>Clamps both vectors to [0, 255] and packs them to bytes (first one in the low half).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Narrow(Vector128<short> low, Vector128<short> high) => Sse2.PackUnsignedSaturate(low, high);

    /// <summary>Loads an 8x8 tile (8 rows of 8 pixels) as its 8 columns, widened.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadTransposed(ref byte tile, int stride,
        out Vector128<short> c0, out Vector128<short> c1, out Vector128<short> c2, out Vector128<short> c3,
        out Vector128<short> c4, out Vector128<short> c5, out Vector128<short> c6, out Vector128<short> c7)
    {
        Transpose(
            LoadRow(ref tile, 0), LoadRow(ref tile, stride), LoadRow(ref tile, 2 * stride), LoadRow(ref tile, 3 * stride),
            LoadRow(ref tile, 4 * stride), LoadRow(ref tile, 5 * stride), LoadRow(ref tile, 6 * stride), LoadRow(ref tile, 7 * stride),
            out var c01, out var c23, out var c45, out var c67);
        c0 = Vector128.WidenLower(c01).AsInt16();
        c1 = Vector128.WidenUpper(c01).AsInt16();
        c2 = Vector128.WidenLower(c23).AsInt16();
        c3 = Vector128.WidenUpper(c23).AsInt16();
        c4 = Vector128.WidenLower(c45).AsInt16();
        c5 = Vector128.WidenUpper(c45).AsInt16();
        c6 = Vector128.WidenLower(c67).AsInt16();
        c7 = Vector128.WidenUpper(c67).AsInt16();
    }

    /// <summary>Stores 8 columns (clamped to bytes) back as the rows of an 8x8 tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTransposed(ref byte tile, int stride,
        Vector128<short> c0, Vector128<short> c1, Vector128<short> c2, Vector128<short> c3,
        Vector128<short> c4, Vector128<short> c5, Vector128<short> c6, Vector128<short> c7)
    {
        Vector128<byte> c01 = Narrow(c0, c1), c23 = Narrow(c2, c3), c45 = Narrow(c4, c5), c67 = Narrow(c6, c7);
        Transpose(c01, Sse2.UnpackHigh(c01.AsUInt64(), c01.AsUInt64()).AsByte(), c23, Sse2.UnpackHigh(c23.AsUInt64(), c23.AsUInt64()).AsByte(),
            c45, Sse2.UnpackHigh(c45.AsUInt64(), c45.AsUInt64()).AsByte(), c67, Sse2.UnpackHigh(c67.AsUInt64(), c67.AsUInt64()).AsByte(),
            out var r01, out var r23, out var r45, out var r67);
        StoreRows(ref tile, 0, stride, r01);
        StoreRows(ref tile, 2 * stride, stride, r23);
        StoreRows(ref tile, 4 * stride, stride, r45);
        StoreRows(ref tile, 6 * stride, stride, r67);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> LoadRow(ref byte tile, int offset) =>
        Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref tile, offset))).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRows(ref byte tile, int offset, int stride, Vector128<byte> rows)
    {
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref tile, offset), rows.AsUInt64().GetElement(0));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref tile, offset + stride), rows.AsUInt64().GetElement(1));
    }

    /// <summary>
    /// Transposes 8 rows of 8 bytes (in the low halves of <paramref name="r0"/>..<paramref name="r7"/>)
    /// into columns, two per result: column 2k in the low half, 2k + 1 in the high half.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(Vector128<byte> r0, Vector128<byte> r1, Vector128<byte> r2, Vector128<byte> r3,
        Vector128<byte> r4, Vector128<byte> r5, Vector128<byte> r6, Vector128<byte> r7,
        out Vector128<byte> c01, out Vector128<byte> c23, out Vector128<byte> c45, out Vector128<byte> c67)
    {
        // Bytes of row pairs interleaved, then 2-byte pairs of row quads, then 4-byte quads.
        Vector128<short> a01 = Sse2.UnpackLow(r0, r1).AsInt16(), a23 = Sse2.UnpackLow(r2, r3).AsInt16();
        Vector128<short> a45 = Sse2.UnpackLow(r4, r5).AsInt16(), a67 = Sse2.UnpackLow(r6, r7).AsInt16();
        Vector128<int> b0 = Sse2.UnpackLow(a01, a23).AsInt32(), b1 = Sse2.UnpackHigh(a01, a23).AsInt32();
        Vector128<int> b2 = Sse2.UnpackLow(a45, a67).AsInt32(), b3 = Sse2.UnpackHigh(a45, a67).AsInt32();
        c01 = Sse2.UnpackLow(b0, b2).AsByte();
        c23 = Sse2.UnpackHigh(b0, b2).AsByte();
        c45 = Sse2.UnpackLow(b1, b3).AsByte();
        c67 = Sse2.UnpackHigh(b1, b3).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Clamp(Vector128<short> v, short min, short max) =>
        Vector128.Min(Vector128.Max(v, Vector128.Create(min)), Vector128.Create(max));

    /// <summary>Lanes where <c>4 |p0 - q0| + |p1 - q1| &lt;= 2 threshold + 1</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> EdgeMask(Vector128<short> p1, Vector128<short> p0, Vector128<short> q0, Vector128<short> q1, int threshold) =>
        Vector128.LessThanOrEqual(Vector128.Abs(p0 - q0) * 4 + Vector128.Abs(p1 - q1), Vector128.Create((short)(2 * threshold + 1)));

    /// <summary>The p0/q0 adjustment with outer taps, applied where <paramref name="mask"/> is set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Filter2(Vector128<short> p1, ref Vector128<short> p0, ref Vector128<short> q0, Vector128<short> q1, Vector128<short> mask)
    {
        Vector128<short> a = (q0 - p0) * 3 + Clamp(p1 - q1, -128, 127);
        Vector128<short> a1 = Clamp(Vector128.ShiftRightArithmetic(a + Vector128.Create((short)4), 3), -16, 15);
        Vector128<short> a2 = Clamp(Vector128.ShiftRightArithmetic(a + Vector128.Create((short)3), 3), -16, 15);
        p0 = Vector128.ConditionalSelect(mask, p0 + a2, p0);
        q0 = Vector128.ConditionalSelect(mask, q0 - a1, q0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FilterSimple(ref Vector128<short> p1, ref Vector128<short> p0, ref Vector128<short> q0, ref Vector128<short> q1, int threshold) =>
        Filter2(p1, ref p0, ref q0, q1, EdgeMask(p1, p0, q0, q1, threshold));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FilterNormal(Vector128<short> p3, ref Vector128<short> p2, ref Vector128<short> p1, ref Vector128<short> p0,
        ref Vector128<short> q0, ref Vector128<short> q1, ref Vector128<short> q2, Vector128<short> q3,
        bool macroblockEdge, int threshold, int interior, int hevThreshold)
    {
        Vector128<short> it = Vector128.Create((short)interior);
        Vector128<short> mask = EdgeMask(p1, p0, q0, q1, threshold)
            & Vector128.LessThanOrEqual(Vector128.Abs(p3 - p2), it) & Vector128.LessThanOrEqual(Vector128.Abs(p2 - p1), it)
            & Vector128.LessThanOrEqual(Vector128.Abs(p1 - p0), it) & Vector128.LessThanOrEqual(Vector128.Abs(q3 - q2), it)
            & Vector128.LessThanOrEqual(Vector128.Abs(q2 - q1), it) & Vector128.LessThanOrEqual(Vector128.Abs(q1 - q0), it);
        if (mask == Vector128<short>.Zero) return;
        Vector128<short> hevLimit = Vector128.Create((short)hevThreshold);
        Vector128<short> hev = Vector128.GreaterThan(Vector128.Abs(p1 - p0), hevLimit) | Vector128.GreaterThan(Vector128.Abs(q1 - q0), hevLimit);
        Vector128<short> smooth = Vector128.AndNot(mask, hev);

        // Smooth lanes: the 6-tap (macroblock edge) or 4-tap (inner edge) filter.
        Vector128<short> delta = (q0 - p0) * 3;
        if (macroblockEdge)
        {
            Vector128<short> a = Clamp(delta + Clamp(p1 - q1, -128, 127), -128, 127);
            Vector128<short> round = Vector128.Create((short)63);
            Vector128<short> a1 = Vector128.ShiftRightArithmetic(a * 27 + round, 7);
            Vector128<short> a2 = Vector128.ShiftRightArithmetic(a * 18 + round, 7);
            Vector128<short> a3 = Vector128.ShiftRightArithmetic(a * 9 + round, 7);
            Vector128<short> newP0 = p0 + a1, newQ0 = q0 - a1;
            p2 = Vector128.ConditionalSelect(smooth, p2 + a3, p2);
            q2 = Vector128.ConditionalSelect(smooth, q2 - a3, q2);
            Merge(ref p1, ref p0, ref q0, ref q1, p1 + a2, newP0, newQ0, q1 - a2, smooth, mask & hev);
        }
        else
        {
            Vector128<short> a1 = Clamp(Vector128.ShiftRightArithmetic(delta + Vector128.Create((short)4), 3), -16, 15);
            Vector128<short> a2 = Clamp(Vector128.ShiftRightArithmetic(delta + Vector128.Create((short)3), 3), -16, 15);
            Vector128<short> a3 = Vector128.ShiftRightArithmetic(a1 + Vector128<short>.One, 1);
            Vector128<short> newP0 = p0 + a2, newQ0 = q0 - a1;
            Merge(ref p1, ref p0, ref q0, ref q1, p1 + a3, newP0, newQ0, q1 - a3, smooth, mask & hev);
        }
    }

    /// <summary>
    /// Smooth lanes take the filtered values; high-variance lanes get the 2-tap filter, computed
    /// from the unchanged p1/q1; other lanes keep their pixels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Merge(ref Vector128<short> p1, ref Vector128<short> p0, ref Vector128<short> q0, ref Vector128<short> q1,
        Vector128<short> newP1, Vector128<short> newP0, Vector128<short> newQ0, Vector128<short> newQ1, Vector128<short> smooth, Vector128<short> hevMask)
    {
        Vector128<short> hp0 = p0, hq0 = q0;
        Filter2(p1, ref hp0, ref hq0, q1, hevMask);
        p1 = Vector128.ConditionalSelect(smooth, newP1, p1);
        q1 = Vector128.ConditionalSelect(smooth, newQ1, q1);
        p0 = Vector128.ConditionalSelect(smooth, newP0, hp0);
        q0 = Vector128.ConditionalSelect(smooth, newQ0, hq0);
    }
}
