using System.Runtime.CompilerServices;

namespace FastLaDeDa.Imaging.Webp;

/// <summary>
/// VP8's inverse transforms (RFC 6386 section 14), with libwebp 1.2.4's exact integer rounding:
/// the 4x4 inverse DCT added to a prediction (constants 20091 + 65536 and 35468 in 16-bit fixed
/// point, +4 then >> 3), its DC-only shortcut, and the inverse Walsh-Hadamard transform of the
/// Y2 block.
/// </summary>
internal static class Vp8Transform
{
    /// <summary>cos(pi/8) * sqrt(2) - 1 in 16-bit fixed point (the "+ a" makes it 1.306...).</summary>
    private const int C1 = 20091;

    /// <summary>sin(pi/8) * sqrt(2) in 16-bit fixed point.</summary>
    private const int C2 = 35468;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Mul1(int a) => ((a * C1) >> 16) + a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Mul2(int a) => (a * C2) >> 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte AddClamped(byte pixel, int residual) => (byte)Math.Clamp(pixel + (residual >> 3), 0, 255);

    /// <summary>
    /// Inverse-transforms the 16 coefficients <paramref name="coeffs"/> and adds the result to the
    /// 4x4 pixels at <paramref name="offset"/> of <paramref name="dst"/> (rows <paramref name="stride"/> apart).
    /// </summary>
    public static void AddInverseDct(ReadOnlySpan<short> coeffs, Span<byte> dst, int offset, int stride)
    {
        coeffs = coeffs[..16];
        Span<int> tmp = stackalloc int[16];
        for (int i = 0; i < 4; i++)
        {
            // Vertical pass over column i.
            int a = coeffs[i] + coeffs[8 + i];
            int b = coeffs[i] - coeffs[8 + i];
            int c = Mul2(coeffs[4 + i]) - Mul1(coeffs[12 + i]);
            int d = Mul1(coeffs[4 + i]) + Mul2(coeffs[12 + i]);
            tmp[4 * i + 0] = a + d;
            tmp[4 * i + 1] = b + c;
            tmp[4 * i + 2] = b - c;
            tmp[4 * i + 3] = a - d;
        }
        for (int i = 0; i < 4; i++)
        {
            // Horizontal pass over row i, with the final rounding.
            int dc = tmp[i] + 4;
            int a = dc + tmp[8 + i];
            int b = dc - tmp[8 + i];
            int c = Mul2(tmp[4 + i]) - Mul1(tmp[12 + i]);
            int d = Mul1(tmp[4 + i]) + Mul2(tmp[12 + i]);
            Span<byte> row = dst.Slice(offset + i * stride, 4);
            row[0] = AddClamped(row[0], a + d);
            row[1] = AddClamped(row[1], b + c);
            row[2] = AddClamped(row[2], b - c);
            row[3] = AddClamped(row[3], a - d);
        }
    }

    /// <summary>
    /// <see cref="AddInverseDct"/> when only the DC coefficient is non-zero: every pixel gets
    /// <c>(dc + 4) >> 3</c>, which is exactly what the full transform computes then.
    /// </summary>
    public static void AddInverseDctDcOnly(int dc, Span<byte> dst, int offset, int stride)
    {
        int value = dc + 4;
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
