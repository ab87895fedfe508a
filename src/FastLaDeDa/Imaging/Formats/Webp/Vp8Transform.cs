using System.Runtime.CompilerServices;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// VP8's inverse transforms (RFC 6386 section 14) with exactly the integer arithmetic of
/// libwebp 1.2.4 as built for x86-64 (what dwebp and Pillow run there): the full 4x4 inverse DCT
/// is its SSE2 version, every intermediate wrapped to 16 bits and the constants
/// 20091 + 65536 and 35468 applied as <c>mulhi(x, k) + x</c> with k = 20091 and 35468 - 65536;
/// the "AC3" shortcut (only coefficients 0, 1 and 4), the DC-only shortcut and the
/// Walsh-Hadamard transform of the Y2 block are its C versions, in 32-bit ints. For coefficients
/// an encoder can produce (|c| &lt;= 2048) all of these agree with the plain formulas; they differ
/// only on corrupt streams, where we still decode what libwebp decodes.
/// This is the scalar reference of <see cref="Vp8TransformVector"/>.
/// </summary>
internal static class Vp8Transform
{
    private const short K1 = 20091;
    private const short K2 = 35468 - 65536;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static short MulHigh(short a, short k) => (short)((a * k) >> 16);

    /// <summary><c>(a * (20091 + 65536)) >> 16</c>, modulo 2^16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Mul1(short a) => MulHigh(a, K1) + a;

    /// <summary><c>(a * 35468) >> 16</c>, modulo 2^16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Mul2(short a) => MulHigh(a, K2) + a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte AddClamped(byte pixel, int residual) => (byte)Math.Clamp(pixel + residual, 0, 255);

    /// <summary>
    /// Inverse-transforms the 16 coefficients <paramref name="coeffs"/> and adds the result to the
    /// 4x4 pixels at <paramref name="offset"/> of <paramref name="dst"/> (rows <paramref name="stride"/> apart).
    /// </summary>
    public static void AddInverseDct(ReadOnlySpan<short> coeffs, Span<byte> dst, int offset, int stride)
    {
        coeffs = coeffs[..16];
        Span<short> tmp = stackalloc short[16];
        for (int i = 0; i < 4; i++)
        {
            // Vertical pass over column i.
            short a = (short)(coeffs[i] + coeffs[8 + i]);
            short b = (short)(coeffs[i] - coeffs[8 + i]);
            short c = (short)(Mul2(coeffs[4 + i]) - Mul1(coeffs[12 + i]));
            short d = (short)(Mul1(coeffs[4 + i]) + Mul2(coeffs[12 + i]));
            tmp[4 * i + 0] = (short)(a + d);
            tmp[4 * i + 1] = (short)(b + c);
            tmp[4 * i + 2] = (short)(b - c);
            tmp[4 * i + 3] = (short)(a - d);
        }
        for (int i = 0; i < 4; i++)
        {
            // Horizontal pass over row i, with the final rounding.
            short dc = (short)(tmp[i] + 4);
            short a = (short)(dc + tmp[8 + i]);
            short b = (short)(dc - tmp[8 + i]);
            short c = (short)(Mul2(tmp[4 + i]) - Mul1(tmp[12 + i]));
            short d = (short)(Mul1(tmp[4 + i]) + Mul2(tmp[12 + i]));
            Span<byte> row = dst.Slice(offset + i * stride, 4);
            row[0] = AddClamped(row[0], (short)(a + d) >> 3);
            row[1] = AddClamped(row[1], (short)(b + c) >> 3);
            row[2] = AddClamped(row[2], (short)(b - c) >> 3);
            row[3] = AddClamped(row[3], (short)(a - d) >> 3);
        }
    }

    /// <summary>
    /// The inverse DCT when only coefficients 0, 1 and 4 can be non-zero (libwebp's C
    /// <c>TransformAC3</c>, 32-bit arithmetic): every row is <c>dc ± d1, dc ± c1</c>.
    /// </summary>
    public static void AddInverseDctAc3(ReadOnlySpan<short> coeffs, Span<byte> dst, int offset, int stride)
    {
        int a = coeffs[0] + 4;
        int c4 = (coeffs[4] * 35468) >> 16, d4 = ((coeffs[4] * 20091) >> 16) + coeffs[4];
        int c1 = (coeffs[1] * 35468) >> 16, d1 = ((coeffs[1] * 20091) >> 16) + coeffs[1];
        ReadOnlySpan<int> rowDc = [a + d4, a + c4, a - c4, a - d4];
        for (int i = 0; i < 4; i++)
        {
            Span<byte> row = dst.Slice(offset + i * stride, 4);
            int dc = rowDc[i];
            row[0] = AddClamped(row[0], (dc + d1) >> 3);
            row[1] = AddClamped(row[1], (dc + c1) >> 3);
            row[2] = AddClamped(row[2], (dc - c1) >> 3);
            row[3] = AddClamped(row[3], (dc - d1) >> 3);
        }
    }

    /// <summary>
    /// The inverse DCT when only the DC coefficient is non-zero (libwebp's C <c>TransformDC</c>):
    /// every pixel gets <c>(dc + 4) >> 3</c>.
    /// </summary>
    public static void AddInverseDctDcOnly(int dc, Span<byte> dst, int offset, int stride)
    {
        int value = (dc + 4) >> 3;
        for (int i = 0; i < 4; i++)
        {
            Span<byte> row = dst.Slice(offset + i * stride, 4);
            for (int j = 0; j < 4; j++) row[j] = AddClamped(row[j], value);
        }
    }

    /// <summary>
    /// Inverse Walsh-Hadamard transform of the Y2 block: writes the DC of each of the 16 luma
    /// blocks, i.e. <paramref name="output"/>[16 * k] for block k (int16, as libwebp stores it).
    /// </summary>
    public static void InverseWalshHadamard(ReadOnlySpan<short> input, Span<short> output)
    {
        input = input[..16];
        output = output[..256];
        Span<int> tmp = stackalloc int[16];
        for (int i = 0; i < 4; i++)
        {
            int a0 = input[i] + input[12 + i];
            int a1 = input[4 + i] + input[8 + i];
            int a2 = input[4 + i] - input[8 + i];
            int a3 = input[i] - input[12 + i];
            tmp[i] = a0 + a1;
            tmp[8 + i] = a0 - a1;
            tmp[4 + i] = a3 + a2;
            tmp[12 + i] = a3 - a2;
        }
        for (int i = 0; i < 4; i++)
        {
            int dc = tmp[4 * i] + 3;
            int a0 = dc + tmp[4 * i + 3];
            int a1 = tmp[4 * i + 1] + tmp[4 * i + 2];
            int a2 = tmp[4 * i + 1] - tmp[4 * i + 2];
            int a3 = dc - tmp[4 * i + 3];
            output[64 * i + 0] = (short)((a0 + a1) >> 3);
            output[64 * i + 16] = (short)((a3 + a2) >> 3);
            output[64 * i + 32] = (short)((a0 - a1) >> 3);
            output[64 * i + 48] = (short)((a3 - a2) >> 3);
        }
    }
}
