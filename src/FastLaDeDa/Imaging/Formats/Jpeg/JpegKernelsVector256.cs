using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static FastLaDeDa.Imaging.Formats.Jpeg.JpegInverseDct;

namespace FastLaDeDa.Imaging.Formats.Jpeg;

/// <summary>
/// The JPEG kernels with x86 SIMD (AVX2 machines; the inverse DCT and upsamplers use 128-bit
/// operations, the colour conversion 256-bit ones). The inverse DCT is libjpeg-turbo's SSE2/AVX2
/// algorithm — 16-bit lanes, products through <c>pmaddwd</c>, saturating packs — so its results are
/// those of the scalar emulation in <see cref="JpegInverseDct"/> by construction.
/// </summary>
internal sealed class JpegKernelsVector256 : JpegKernels
{
    /// <summary>The single instance.</summary>
    public static JpegKernelsVector256 Instance { get; } = new();

    private JpegKernelsVector256() { }

    /// <inheritdoc/>
    public override string Isa => "Vector256";

    /// <inheritdoc/>
    public override bool IsSupported => Vector256.IsHardwareAccelerated && Avx2.IsSupported;

    // Constant pairs for pmaddwd over interleaved (a, b) 16-bit lanes: a × first + b × second.
    private static readonly Vector128<short> EvenTmp3 = Pair(F0541 + F0765, F0541);
    private static readonly Vector128<short> EvenTmp2 = Pair(F0541, F0541 - F1847);
    private static readonly Vector128<short> OddZ3 = Pair(F1175 - F1961, F1175);
    private static readonly Vector128<short> OddZ4 = Pair(F1175, F1175 - F0390);
    private static readonly Vector128<short> Odd71For0 = Pair(F0298 - F0899, -F0899);
    private static readonly Vector128<short> Odd71For3 = Pair(-F0899, F1501 - F0899);
    private static readonly Vector128<short> Odd53For1 = Pair(F2053 - F2562, -F2562);
    private static readonly Vector128<short> Odd53For2 = Pair(-F2562, F3072 - F2562);

    private static Vector128<short> Pair(int first, int second) =>
        Vector128.Create((short)first, (short)second, (short)first, (short)second, (short)first, (short)second, (short)first, (short)second);

    /// <inheritdoc/>
    public override void InverseDct(ReadOnlySpan<short> coefficients, ReadOnlySpan<short> quantization, Span<byte> output, int stride)
    {
        if (coefficients.Length < 64 || quantization.Length < 64 || stride < 8 || output.Length < 7 * stride + 8)
            throw new ArgumentException("a block needs 64 coefficients, 64 quantizers and 8 output rows");
        ref short c = ref MemoryMarshal.GetReference(coefficients);
        ref short q = ref MemoryMarshal.GetReference(quantization);

        Vector128<short> c1 = Vector128.LoadUnsafe(ref c, 8), c2 = Vector128.LoadUnsafe(ref c, 16), c3 = Vector128.LoadUnsafe(ref c, 24);
        Vector128<short> c4 = Vector128.LoadUnsafe(ref c, 32), c5 = Vector128.LoadUnsafe(ref c, 40), c6 = Vector128.LoadUnsafe(ref c, 48);
        Vector128<short> c7 = Vector128.LoadUnsafe(ref c, 56);
        Vector128<short> w0, w1, w2, w3, w4, w5, w6, w7;
        Vector128<short> dequantized0 = Sse2.MultiplyLow(Vector128.LoadUnsafe(ref c), Vector128.LoadUnsafe(ref q));
        if ((c1 | c2 | c3 | c4 | c5 | c6 | c7) == Vector128<short>.Zero)
        {
            // Rows 1–7 all zero: every pass-1 output of a column is its DC << 2, in 16 bits.
            w0 = w1 = w2 = w3 = w4 = w5 = w6 = w7 = Sse2.ShiftLeftLogical(dequantized0, 2);
        }
        else
        {
            Pass(dequantized0,
                Sse2.MultiplyLow(c1, Vector128.LoadUnsafe(ref q, 8)), Sse2.MultiplyLow(c2, Vector128.LoadUnsafe(ref q, 16)),
                Sse2.MultiplyLow(c3, Vector128.LoadUnsafe(ref q, 24)), Sse2.MultiplyLow(c4, Vector128.LoadUnsafe(ref q, 32)),
                Sse2.MultiplyLow(c5, Vector128.LoadUnsafe(ref q, 40)), Sse2.MultiplyLow(c6, Vector128.LoadUnsafe(ref q, 48)),
                Sse2.MultiplyLow(c7, Vector128.LoadUnsafe(ref q, 56)),
                11, out w0, out w1, out w2, out w3, out w4, out w5, out w6, out w7);
        }
        Transpose(ref w0, ref w1, ref w2, ref w3, ref w4, ref w5, ref w6, ref w7);
        Pass(w0, w1, w2, w3, w4, w5, w6, w7, 18, out Vector128<short> o0, out Vector128<short> o1, out Vector128<short> o2,
            out Vector128<short> o3, out Vector128<short> o4, out Vector128<short> o5, out Vector128<short> o6, out Vector128<short> o7);
        Transpose(ref o0, ref o1, ref o2, ref o3, ref o4, ref o5, ref o6, ref o7);

        ref byte destination = ref MemoryMarshal.GetReference(output);
        StoreRows(ref destination, stride, 0, o0, o1);
        StoreRows(ref destination, stride, 2, o2, o3);
        StoreRows(ref destination, stride, 4, o4, o5);
        StoreRows(ref destination, stride, 6, o6, o7);
    }

    /// <summary>Two rows of 16-bit results → bytes: saturate to −128..127, then add 128 (libjpeg-turbo's packsswb + paddb).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRows(ref byte destination, int stride, int row, Vector128<short> upper, Vector128<short> lower)
    {
        Vector128<ulong> bytes = (Sse2.PackSignedSaturate(upper, lower).AsByte() + Vector128.Create((byte)128)).AsUInt64();
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, row * stride), bytes.ToScalar());
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, (row + 1) * stride), bytes.GetElement(1));
    }

    /// <summary>One 8-point pass on eight lanes at once (lane = column in pass 1, row in pass 2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pass(Vector128<short> in0, Vector128<short> in1, Vector128<short> in2, Vector128<short> in3,
        Vector128<short> in4, Vector128<short> in5, Vector128<short> in6, Vector128<short> in7, [ConstantExpected] byte shift,
        out Vector128<short> out0, out Vector128<short> out1, out Vector128<short> out2, out Vector128<short> out3,
        out Vector128<short> out4, out Vector128<short> out5, out Vector128<short> out6, out Vector128<short> out7)
    {
        // Even part. (in0 ± in4) << 13 as int32: the sum in the high half of each lane, shifted right by 3.
        Vector128<short> sum04 = in0 + in4, difference04 = in0 - in4;
        Vector128<int> tmp0Low = Sse2.ShiftRightArithmetic(Sse2.UnpackLow(Vector128<short>.Zero, sum04).AsInt32(), 16 - ConstBitsValue);
        Vector128<int> tmp0High = Sse2.ShiftRightArithmetic(Sse2.UnpackHigh(Vector128<short>.Zero, sum04).AsInt32(), 16 - ConstBitsValue);
        Vector128<int> tmp1Low = Sse2.ShiftRightArithmetic(Sse2.UnpackLow(Vector128<short>.Zero, difference04).AsInt32(), 16 - ConstBitsValue);
        Vector128<int> tmp1High = Sse2.ShiftRightArithmetic(Sse2.UnpackHigh(Vector128<short>.Zero, difference04).AsInt32(), 16 - ConstBitsValue);
        Vector128<short> in26Low = Sse2.UnpackLow(in2, in6), in26High = Sse2.UnpackHigh(in2, in6);
        Vector128<int> tmp3Low = Sse2.MultiplyAddAdjacent(in26Low, EvenTmp3), tmp3High = Sse2.MultiplyAddAdjacent(in26High, EvenTmp3);
        Vector128<int> tmp2Low = Sse2.MultiplyAddAdjacent(in26Low, EvenTmp2), tmp2High = Sse2.MultiplyAddAdjacent(in26High, EvenTmp2);
        Vector128<int> tmp10Low = tmp0Low + tmp3Low, tmp10High = tmp0High + tmp3High;
        Vector128<int> tmp13Low = tmp0Low - tmp3Low, tmp13High = tmp0High - tmp3High;
        Vector128<int> tmp11Low = tmp1Low + tmp2Low, tmp11High = tmp1High + tmp2High;
        Vector128<int> tmp12Low = tmp1Low - tmp2Low, tmp12High = tmp1High - tmp2High;

        // Odd part: z3 = in7 + in3 and z4 = in5 + in1 in 16 bits.
        Vector128<short> z3 = in7 + in3, z4 = in5 + in1;
        Vector128<short> z34Low = Sse2.UnpackLow(z3, z4), z34High = Sse2.UnpackHigh(z3, z4);
        Vector128<int> z3Low = Sse2.MultiplyAddAdjacent(z34Low, OddZ3), z3High = Sse2.MultiplyAddAdjacent(z34High, OddZ3);
        Vector128<int> z4Low = Sse2.MultiplyAddAdjacent(z34Low, OddZ4), z4High = Sse2.MultiplyAddAdjacent(z34High, OddZ4);
        Vector128<short> in71Low = Sse2.UnpackLow(in7, in1), in71High = Sse2.UnpackHigh(in7, in1);
        Vector128<short> in53Low = Sse2.UnpackLow(in5, in3), in53High = Sse2.UnpackHigh(in5, in3);
        Vector128<int> odd0Low = Sse2.MultiplyAddAdjacent(in71Low, Odd71For0) + z3Low, odd0High = Sse2.MultiplyAddAdjacent(in71High, Odd71For0) + z3High;
        Vector128<int> odd3Low = Sse2.MultiplyAddAdjacent(in71Low, Odd71For3) + z4Low, odd3High = Sse2.MultiplyAddAdjacent(in71High, Odd71For3) + z4High;
        Vector128<int> odd1Low = Sse2.MultiplyAddAdjacent(in53Low, Odd53For1) + z4Low, odd1High = Sse2.MultiplyAddAdjacent(in53High, Odd53For1) + z4High;
        Vector128<int> odd2Low = Sse2.MultiplyAddAdjacent(in53Low, Odd53For2) + z3Low, odd2High = Sse2.MultiplyAddAdjacent(in53High, Odd53For2) + z3High;

        Vector128<int> round = Vector128.Create(1 << (shift - 1));
        out0 = Descale(tmp10Low + odd3Low, tmp10High + odd3High, round, shift);
        out7 = Descale(tmp10Low - odd3Low, tmp10High - odd3High, round, shift);
        out1 = Descale(tmp11Low + odd2Low, tmp11High + odd2High, round, shift);
        out6 = Descale(tmp11Low - odd2Low, tmp11High - odd2High, round, shift);
        out2 = Descale(tmp12Low + odd1Low, tmp12High + odd1High, round, shift);
        out5 = Descale(tmp12Low - odd1Low, tmp12High - odd1High, round, shift);
        out3 = Descale(tmp13Low + odd0Low, tmp13High + odd0High, round, shift);
        out4 = Descale(tmp13Low - odd0Low, tmp13High - odd0High, round, shift);
    }

    private const byte ConstBitsValue = 13;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Descale(Vector128<int> low, Vector128<int> high, Vector128<int> round, [ConstantExpected] byte shift) =>
        Sse2.PackSignedSaturate(Sse2.ShiftRightArithmetic(low + round, shift), Sse2.ShiftRightArithmetic(high + round, shift));

    /// <summary>Transposes an 8×8 block of 16-bit values held as eight rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(ref Vector128<short> r0, ref Vector128<short> r1, ref Vector128<short> r2, ref Vector128<short> r3,
        ref Vector128<short> r4, ref Vector128<short> r5, ref Vector128<short> r6, ref Vector128<short> r7)
    {
        Vector128<int> a0 = Sse2.UnpackLow(r0, r1).AsInt32(), a1 = Sse2.UnpackHigh(r0, r1).AsInt32();
        Vector128<int> a2 = Sse2.UnpackLow(r2, r3).AsInt32(), a3 = Sse2.UnpackHigh(r2, r3).AsInt32();
        Vector128<int> a4 = Sse2.UnpackLow(r4, r5).AsInt32(), a5 = Sse2.UnpackHigh(r4, r5).AsInt32();
        Vector128<int> a6 = Sse2.UnpackLow(r6, r7).AsInt32(), a7 = Sse2.UnpackHigh(r6, r7).AsInt32();
        Vector128<long> b0 = Sse2.UnpackLow(a0, a2).AsInt64(), b1 = Sse2.UnpackHigh(a0, a2).AsInt64();
        Vector128<long> b2 = Sse2.UnpackLow(a1, a3).AsInt64(), b3 = Sse2.UnpackHigh(a1, a3).AsInt64();
        Vector128<long> b4 = Sse2.UnpackLow(a4, a6).AsInt64(), b5 = Sse2.UnpackHigh(a4, a6).AsInt64();
        Vector128<long> b6 = Sse2.UnpackLow(a5, a7).AsInt64(), b7 = Sse2.UnpackHigh(a5, a7).AsInt64();
        r0 = Sse2.UnpackLow(b0, b4).AsInt16();
        r1 = Sse2.UnpackHigh(b0, b4).AsInt16();
        r2 = Sse2.UnpackLow(b1, b5).AsInt16();
        r3 = Sse2.UnpackHigh(b1, b5).AsInt16();
        r4 = Sse2.UnpackLow(b2, b6).AsInt16();
        r5 = Sse2.UnpackHigh(b2, b6).AsInt16();
        r6 = Sse2.UnpackLow(b3, b7).AsInt16();
        r7 = Sse2.UnpackHigh(b3, b7).AsInt16();
    }

    // Interleaves [e0..e7, o0..o7] into e0 o0 e1 o1 ...
    private static readonly Vector128<byte> InterleaveHalves = Vector128.Create((byte)0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Load8(ref byte source, int offset) =>
        Sse41.ConvertToVector128Int16(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, offset))).AsByte());

    /// <inheritdoc/>
    public override void FancyH2V1(ReadOnlySpan<byte> input, int width, Span<byte> output)
    {
        if (width < 3 || input.Length < width || output.Length < 2 * width)
            throw new ArgumentException("the fancy upsampler needs more than 2 samples and room for twice as many");
        ref byte source = ref MemoryMarshal.GetReference(input);
        ref byte destination = ref MemoryMarshal.GetReference(output);
        output[0] = input[0];
        output[2 * width - 1] = input[width - 1];
        Vector128<short> one = Vector128.Create((short)1), two = Vector128.Create((short)2);
        int x = 1;
        // out[2x] = (3 in[x] + in[x−1] + 1) >> 2, out[2x+1] = (3 in[x] + in[x+1] + 2) >> 2; loads stay in 0..width−1.
        for (; x + 8 <= width - 1; x += 8)
        {
            Vector128<short> here = Load8(ref source, x);
            Vector128<short> nearer = here + here + here;
            Vector128<short> even = Sse2.ShiftRightLogical(nearer + Load8(ref source, x - 1) + one, 2);
            Vector128<short> odd = Sse2.ShiftRightLogical(nearer + Load8(ref source, x + 1) + two, 2);
            Ssse3.Shuffle(Sse2.PackUnsignedSaturate(even, odd), InterleaveHalves).StoreUnsafe(ref destination, (nuint)(2 * x));
        }
        output[1] = (byte)((input[0] * 3 + input[1] + 2) >> 2);
        for (; x < width - 1; x++)
        {
            int nearer = input[x] * 3;
            output[2 * x] = (byte)((nearer + input[x - 1] + 1) >> 2);
            output[2 * x + 1] = (byte)((nearer + input[x + 1] + 2) >> 2);
        }
        output[2 * width - 2] = (byte)((input[width - 1] * 3 + input[width - 2] + 1) >> 2);
    }

    /// <inheritdoc/>
    public override void FancyH2V2(ReadOnlySpan<byte> nearer, ReadOnlySpan<byte> further, int width, Span<byte> output)
    {
        if (width < 3 || nearer.Length < width || further.Length < width || output.Length < 2 * width)
            throw new ArgumentException("the fancy upsampler needs more than 2 samples and room for twice as many");
        ref byte near = ref MemoryMarshal.GetReference(nearer);
        ref byte far = ref MemoryMarshal.GetReference(further);
        ref byte destination = ref MemoryMarshal.GetReference(output);
        Vector128<short> seven = Vector128.Create((short)7), eight = Vector128.Create((short)8);
        int x = 1;
        // Column sums s = 3 near + far; out[2x] = (3 s[x] + s[x−1] + 8) >> 4, out[2x+1] = (3 s[x] + s[x+1] + 7) >> 4.
        for (; x + 8 <= width - 1; x += 8)
        {
            Vector128<short> here = ColumnSum(ref near, ref far, x);
            Vector128<short> weighted = here + here + here;
            Vector128<short> even = Sse2.ShiftRightLogical(weighted + ColumnSum(ref near, ref far, x - 1) + eight, 4);
            Vector128<short> odd = Sse2.ShiftRightLogical(weighted + ColumnSum(ref near, ref far, x + 1) + seven, 4);
            Ssse3.Shuffle(Sse2.PackUnsignedSaturate(even, odd), InterleaveHalves).StoreUnsafe(ref destination, (nuint)(2 * x));
        }
        int first = nearer[0] * 3 + further[0];
        output[0] = (byte)((first * 4 + 8) >> 4);
        output[1] = (byte)((first * 3 + nearer[1] * 3 + further[1] + 7) >> 4);
        for (; x < width - 1; x++)
        {
            int sum = nearer[x] * 3 + further[x];
            output[2 * x] = (byte)((sum * 3 + nearer[x - 1] * 3 + further[x - 1] + 8) >> 4);
            output[2 * x + 1] = (byte)((sum * 3 + nearer[x + 1] * 3 + further[x + 1] + 7) >> 4);
        }
        int last = nearer[width - 1] * 3 + further[width - 1];
        output[2 * width - 2] = (byte)((last * 3 + nearer[width - 2] * 3 + further[width - 2] + 8) >> 4);
        output[2 * width - 1] = (byte)((last * 4 + 7) >> 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> ColumnSum(ref byte near, ref byte far, int x)
    {
        Vector128<short> n = Load8(ref near, x);
        return n + n + n + Load8(ref far, x);
    }

    // pshufb masks that scatter 16 R, G or B bytes into the three 16-byte chunks of 48 interleaved RGB bytes.
    private static readonly Vector128<byte>[] RgbMasks = BuildRgbMasks();

    private static Vector128<byte>[] BuildRgbMasks()
    {
        var masks = new Vector128<byte>[9]; // [chunk * 3 + channel]
        Span<byte> m = stackalloc byte[16];
        for (int chunk = 0; chunk < 3; chunk++)
        {
            for (int channel = 0; channel < 3; channel++)
            {
                for (int i = 0; i < 16; i++)
                {
                    int o = chunk * 16 + i;
                    m[i] = o % 3 == channel ? (byte)(o / 3) : (byte)0x80;
                }
                masks[chunk * 3 + channel] = Vector128.Create((ReadOnlySpan<byte>)m);
            }
        }
        return masks;
    }

    private static readonly int CrToRFactor = Fix(1.40200), CbToBFactor = Fix(1.77200), CrToGFactor = -Fix(0.71414), CbToGFactor = -Fix(0.34414);

    private static int Fix(double x) => (int)(x * 65536 + 0.5);

    /// <inheritdoc/>
    public override void YCbCrToRgb(ReadOnlySpan<byte> y, ReadOnlySpan<byte> cb, ReadOnlySpan<byte> cr, Span<byte> rgb)
    {
        int count = rgb.Length / 3;
        if (y.Length < count || cb.Length < count || cr.Length < count)
            throw new ArgumentException("each component row needs one sample per pixel");
        ref byte luma = ref MemoryMarshal.GetReference(y);
        ref byte blue = ref MemoryMarshal.GetReference(cb);
        ref byte red = ref MemoryMarshal.GetReference(cr);
        ref byte destination = ref MemoryMarshal.GetReference(rgb);
        Vector128<byte>[] masks = RgbMasks;
        int x = 0;
        for (; x + 16 <= count; x += 16)
        {
            Vector128<byte> r = Channels(ref luma, ref blue, ref red, x, out Vector128<byte> g, out Vector128<byte> b);
            for (int chunk = 0; chunk < 3; chunk++)
            {
                Vector128<byte> bytes = Ssse3.Shuffle(r, masks[chunk * 3]) | Ssse3.Shuffle(g, masks[chunk * 3 + 1]) | Ssse3.Shuffle(b, masks[chunk * 3 + 2]);
                bytes.StoreUnsafe(ref destination, (nuint)(3 * x + 16 * chunk));
            }
        }
        if (x < count)
            JpegColorConversion.YCbCrToRgb(y[x..count], cb[x..count], cr[x..count], rgb[(3 * x)..]);
    }

    /// <summary>R, G, B of 16 pixels (libjpeg's fixed-point formulas in 32-bit lanes, clamped by saturating packs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Channels(ref byte luma, ref byte blue, ref byte red, int x, out Vector128<byte> green, out Vector128<byte> bluePixels)
    {
        Vector256<int> half = Vector256.Create(1 << 15), centre = Vector256.Create(128);
        Vector256<int> y0 = Widen(ref luma, x), y1 = Widen(ref luma, x + 8);
        Vector256<int> cb0 = Widen(ref blue, x) - centre, cb1 = Widen(ref blue, x + 8) - centre;
        Vector256<int> cr0 = Widen(ref red, x) - centre, cr1 = Widen(ref red, x + 8) - centre;
        Vector256<int> r0 = y0 + Avx2.ShiftRightArithmetic(cr0 * CrToRFactor + half, 16), r1 = y1 + Avx2.ShiftRightArithmetic(cr1 * CrToRFactor + half, 16);
        Vector256<int> b0 = y0 + Avx2.ShiftRightArithmetic(cb0 * CbToBFactor + half, 16), b1 = y1 + Avx2.ShiftRightArithmetic(cb1 * CbToBFactor + half, 16);
        Vector256<int> g0 = y0 + Avx2.ShiftRightArithmetic(cb0 * CbToGFactor + cr0 * CrToGFactor + half, 16);
        Vector256<int> g1 = y1 + Avx2.ShiftRightArithmetic(cb1 * CbToGFactor + cr1 * CrToGFactor + half, 16);
        green = ToBytes(g0, g1);
        bluePixels = ToBytes(b0, b1);
        return ToBytes(r0, r1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Widen(ref byte source, int x) =>
        Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, x))).AsByte());

    /// <summary>16 int32 lanes → 16 bytes clamped to 0..255, in order (the 256-bit pack interleaves 128-bit lanes, hence the permute).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> ToBytes(Vector256<int> low, Vector256<int> high)
    {
        Vector256<short> shorts = Avx2.Permute4x64(Avx2.PackSignedSaturate(low, high).AsInt64(), 0b11_01_10_00).AsInt16();
        return Sse2.PackUnsignedSaturate(shorts.GetLower(), shorts.GetUpper());
    }
}
