using System.Runtime.CompilerServices;

namespace FastLaDeDa.Imaging.Formats.Jpeg;

/// <summary>
/// The accurate integer inverse DCT (libjpeg's "islow", <c>jidctint.c</c>: 13-bit constants, two
/// passes, 2 extra bits between them) with dequantization, with the integer semantics of
/// libjpeg-turbo's x86 SIMD version — the code that decodes every JPEG Pillow opens on x86-64.
/// </summary>
/// <remarks>
/// The SIMD version computes in 16-bit lanes where the C version uses 32-bit integers, which only
/// matters for coefficients far outside what an encoder produces (corrupt or hand-made files):
/// the dequantized coefficient is the low 16 bits of the product; the sums in0 + in4, in0 − in4,
/// in7 + in3 and in5 + in1 wrap at 16 bits; each pass's results saturate to 16 bits; the output
/// saturates to −128..127 before the +128 level shift (C wraps modulo 1024 through its range-limit
/// table instead). A block whose rows 1–7 are all zero takes a shortcut in the first pass whose
/// 16-bit shift wraps where the full pass would saturate. The products themselves are exact.
/// </remarks>
internal static class JpegInverseDct
{
    internal const int ConstBits = 13;
    private const int Pass1Shift = ConstBits - 2;     // PASS1_BITS = 2 extra bits kept after pass 1
    private const int Pass2Shift = ConstBits + 2 + 3; // ... removed in pass 2 together with the /8

    internal const int F0298 = 2446, F0390 = 3196, F0541 = 4433, F0765 = 6270, F0899 = 7373, F1175 = 9633,
        F1501 = 12299, F1847 = 15137, F1961 = 16069, F2053 = 16819, F2562 = 20995, F3072 = 25172;

    /// <summary>
    /// Transforms one block: <paramref name="coefficients"/> (64, natural order, not dequantized)
    /// with <paramref name="quantization"/> (64, natural order) into 8 rows of 8 samples at
    /// <paramref name="output"/>, rows <paramref name="stride"/> bytes apart.
    /// </summary>
    public static void Transform(ReadOnlySpan<short> coefficients, ReadOnlySpan<short> quantization, Span<byte> output, int stride)
    {
        Span<short> workspace = stackalloc short[64]; // pass-1 results, [row * 8 + column]
        bool rowsBelowFirstAreZero = true;
        for (int i = 8; i < 64; i++)
        {
            if (coefficients[i] != 0)
            {
                rowsBelowFirstAreZero = false;
                break;
            }
        }

        Span<int> result = stackalloc int[8];
        for (int column = 0; column < 8; column++)
        {
            if (rowsBelowFirstAreZero)
            {
                // Only the DC term of each column: every output of the column is in0 << 2, in 16 bits.
                short dc = (short)((short)(coefficients[column] * quantization[column]) << 2);
                for (int row = 0; row < 8; row++) workspace[row * 8 + column] = dc;
                continue;
            }
            Pass(
                Dequantize(coefficients, quantization, column), Dequantize(coefficients, quantization, 8 + column),
                Dequantize(coefficients, quantization, 16 + column), Dequantize(coefficients, quantization, 24 + column),
                Dequantize(coefficients, quantization, 32 + column), Dequantize(coefficients, quantization, 40 + column),
                Dequantize(coefficients, quantization, 48 + column), Dequantize(coefficients, quantization, 56 + column),
                Pass1Shift, result);
            for (int row = 0; row < 8; row++) workspace[row * 8 + column] = SaturateToShort(result[row]);
        }

        for (int row = 0; row < 8; row++)
        {
            ReadOnlySpan<short> w = workspace.Slice(row * 8, 8);
            Pass(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], Pass2Shift, result);
            Span<byte> outputRow = output.Slice(row * stride, 8);
            for (int column = 0; column < 8; column++)
                outputRow[column] = (byte)(Math.Clamp(result[column], -128, 127) + 128);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static short Dequantize(ReadOnlySpan<short> coefficients, ReadOnlySpan<short> quantization, int index) =>
        (short)(coefficients[index] * quantization[index]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static short SaturateToShort(int value) => (short)Math.Clamp(value, short.MinValue, short.MaxValue);

    /// <summary>One 8-point pass; <paramref name="result"/> gets the 8 outputs rounded and shifted right by <paramref name="shift"/>.</summary>
    private static void Pass(short in0, short in1, short in2, short in3, short in4, short in5, short in6, short in7, int shift, Span<int> result)
    {
        // Even part.
        int tmp0 = (short)(in0 + in4) << ConstBits;
        int tmp1 = (short)(in0 - in4) << ConstBits;
        int tmp3 = in2 * (F0541 + F0765) + in6 * F0541;
        int tmp2 = in2 * F0541 + in6 * (F0541 - F1847);
        int tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;

        // Odd part: z3 = in7 + in3 and z4 = in5 + in1 in 16 bits, then exact products.
        short z3 = (short)(in7 + in3), z4 = (short)(in5 + in1);
        int z3Part = z3 * (F1175 - F1961) + z4 * F1175;
        int z4Part = z3 * F1175 + z4 * (F1175 - F0390);
        int odd0 = in7 * (F0298 - F0899) - in1 * F0899 + z3Part;
        int odd3 = -in7 * F0899 + in1 * (F1501 - F0899) + z4Part;
        int odd1 = in5 * (F2053 - F2562) - in3 * F2562 + z4Part;
        int odd2 = -in5 * F2562 + in3 * (F3072 - F2562) + z3Part;

        int round = 1 << (shift - 1);
        result[0] = (tmp10 + odd3 + round) >> shift;
        result[7] = (tmp10 - odd3 + round) >> shift;
        result[1] = (tmp11 + odd2 + round) >> shift;
        result[6] = (tmp11 - odd2 + round) >> shift;
        result[2] = (tmp12 + odd1 + round) >> shift;
        result[5] = (tmp12 - odd1 + round) >> shift;
        result[3] = (tmp13 + odd0 + round) >> shift;
        result[4] = (tmp13 - odd0 + round) >> shift;
    }
}
