using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// <see cref="Vp8Transform.AddInverseDct"/> with SSE2, as libwebp's <c>Transform_SSE2</c>
/// computes it: the four columns (then rows) of a block are the lanes, 16-bit wrapping adds,
/// signed <c>mulhi</c>, a 4x4 transpose between the passes and after, an unsigned-saturating pack.
/// </summary>
internal static class Vp8TransformVector
{
    /// <summary>True when the vector transform can run on this machine.</summary>
    public static bool IsSupported => Sse2.IsSupported;

    /// <summary>Same contract as <see cref="Vp8Transform.AddInverseDct"/>.</summary>
    public static void AddInverseDct(ReadOnlySpan<short> coeffs, Span<byte> dst, int offset, int stride)
    {
        coeffs = coeffs[..16];
        if (offset < 0 || stride < 4 || (long)offset + 3L * stride + 4 > dst.Length)
            throw new ArgumentOutOfRangeException(nameof(offset), "4x4 block outside the buffer");
        ref short input = ref MemoryMarshal.GetReference(coeffs);
        Vector128<short> rows01 = Vector128.LoadUnsafe(ref input), rows23 = Vector128.LoadUnsafe(ref input, 8);
        Vector128<short> row1 = Sse2.UnpackHigh(rows01.AsInt64(), rows01.AsInt64()).AsInt16();
        Vector128<short> row3 = Sse2.UnpackHigh(rows23.AsInt64(), rows23.AsInt64()).AsInt16();

        // Vertical pass, one column per lane, then transposed so the lanes become rows.
        Pass(rows01, row1, rows23, row3, Vector128<short>.Zero, out var t0, out var t1, out var t2, out var t3);
        Transpose(t0, t1, t2, t3, out var v0, out var v1, out var v2, out var v3);
        // Horizontal pass (+4 rounding), descale, transposed back to pixel rows.
        Pass(v0, v1, v2, v3, Vector128.Create((short)4), out t0, out t1, out t2, out t3);
        Transpose(Sse2.ShiftRightArithmetic(t0, 3), Sse2.ShiftRightArithmetic(t1, 3), Sse2.ShiftRightArithmetic(t2, 3), Sse2.ShiftRightArithmetic(t3, 3),
            out v0, out v1, out v2, out v3);

        ref byte pixels = ref Unsafe.Add(ref MemoryMarshal.GetReference(dst), offset);
        AddRow(ref pixels, v0);
        AddRow(ref Unsafe.Add(ref pixels, stride), v1);
        AddRow(ref Unsafe.Add(ref pixels, 2 * stride), v2);
        AddRow(ref Unsafe.Add(ref pixels, 3 * stride), v3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pass(Vector128<short> in0, Vector128<short> in1, Vector128<short> in2, Vector128<short> in3, Vector128<short> rounding,
        out Vector128<short> out0, out Vector128<short> out1, out Vector128<short> out2, out Vector128<short> out3)
    {
        Vector128<short> k1 = Vector128.Create((short)20091), k2 = Vector128.Create((short)(35468 - 65536));
        Vector128<short> dc = Sse2.Add(in0, rounding);
        Vector128<short> a = Sse2.Add(dc, in2);
        Vector128<short> b = Sse2.Subtract(dc, in2);
        // x * 35468 >> 16 = mulhi(x, 35468 - 65536) + x; x * 85627 >> 16 = mulhi(x, 20091) + x.
        Vector128<short> c = Sse2.Add(Sse2.Subtract(in1, in3), Sse2.Subtract(Sse2.MultiplyHigh(in1, k2), Sse2.MultiplyHigh(in3, k1)));
        Vector128<short> d = Sse2.Add(Sse2.Add(in1, in3), Sse2.Add(Sse2.MultiplyHigh(in1, k1), Sse2.MultiplyHigh(in3, k2)));
        out0 = Sse2.Add(a, d);
        out1 = Sse2.Add(b, c);
        out2 = Sse2.Subtract(b, c);
        out3 = Sse2.Subtract(a, d);
    }

    /// <summary>Transposes the 4x4 block held in the low four lanes of the inputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(Vector128<short> r0, Vector128<short> r1, Vector128<short> r2, Vector128<short> r3,
        out Vector128<short> c0, out Vector128<short> c1, out Vector128<short> c2, out Vector128<short> c3)
    {
        Vector128<int> r01 = Sse2.UnpackLow(r0, r1).AsInt32(), r23 = Sse2.UnpackLow(r2, r3).AsInt32();
        Vector128<long> c01 = Sse2.UnpackLow(r01, r23).AsInt64(), c23 = Sse2.UnpackHigh(r01, r23).AsInt64();
        c0 = c01.AsInt16();
        c1 = Sse2.UnpackHigh(c01, c01).AsInt16();
        c2 = c23.AsInt16();
        c3 = Sse2.UnpackHigh(c23, c23).AsInt16();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(ref byte row, Vector128<short> residual)
    {
        Vector128<short> pixels = Sse2.UnpackLow(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref row)).AsByte(), Vector128<byte>.Zero).AsInt16();
        Vector128<byte> sum = Sse2.PackUnsignedSaturate(Sse2.Add(pixels, residual), Vector128<short>.Zero);
        Unsafe.WriteUnaligned(ref row, sum.AsUInt32().ToScalar());
    }
}
