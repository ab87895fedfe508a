using FastLaDeDa.Imaging.Formats.Webp;

namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// The inverse transforms: the SIMD version against the scalar one on any 16-bit input, and
/// both shortcuts and the 16-bit arithmetic against RFC 6386's reference formulas (section 14,
/// 32-bit ints, written here from the RFC) on every coefficient an encoder can produce.
/// </summary>
public sealed class Vp8TransformTests
{
    private const int Stride = 32;

    /// <summary>RFC 6386 section 14.3's <c>vp8_short_idct4x4llm_c</c>, then added to the prediction and clamped.</summary>
    private static byte[] RfcIdct(short[] input, byte[] prediction)
    {
        var tmp = new int[16];
        for (int i = 0; i < 4; i++)
        {
            int a1 = input[i] + input[8 + i], b1 = input[i] - input[8 + i];
            int c1 = ((input[4 + i] * 35468) >> 16) - (input[12 + i] + ((input[12 + i] * 20091) >> 16));
            int d1 = (input[4 + i] + ((input[4 + i] * 20091) >> 16)) + ((input[12 + i] * 35468) >> 16);
            tmp[i] = a1 + d1;
            tmp[12 + i] = a1 - d1;
            tmp[4 + i] = b1 + c1;
            tmp[8 + i] = b1 - c1;
        }
        var output = (byte[])prediction.Clone();
        for (int r = 0; r < 4; r++)
        {
            int[] ip = [tmp[4 * r], tmp[4 * r + 1], tmp[4 * r + 2], tmp[4 * r + 3]];
            int a1 = ip[0] + ip[2], b1 = ip[0] - ip[2];
            int c1 = ((ip[1] * 35468) >> 16) - (ip[3] + ((ip[3] * 20091) >> 16));
            int d1 = (ip[1] + ((ip[1] * 20091) >> 16)) + ((ip[3] * 35468) >> 16);
            int[] residual = [(a1 + d1 + 4) >> 3, (b1 + c1 + 4) >> 3, (b1 - c1 + 4) >> 3, (a1 - d1 + 4) >> 3];
            for (int c = 0; c < 4; c++) output[r * Stride + c] = (byte)Math.Clamp(prediction[r * Stride + c] + residual[c], 0, 255);
        }
        return output;
    }

    private static byte[] Prediction(Random random)
    {
        var block = new byte[3 * Stride + 4 + 8];
        random.NextBytes(block);
        return block;
    }

    private static short[] Coefficients(Random random, int limit, params int[] positions)
    {
        var coeffs = new short[16];
        foreach (int p in positions.Length > 0 ? positions : Enumerable.Range(0, 16).ToArray())
            coeffs[p] = (short)random.Next(-limit, limit);
        return coeffs;
    }

    [Fact]
    public void Full_transform_equals_the_rfc_formula_for_encodable_coefficients()
    {
        var random = new Random(1);
        for (int i = 0; i < 3000; i++)
        {
            short[] coeffs = Coefficients(random, 2048);
            byte[] prediction = Prediction(random);
            byte[] ours = (byte[])prediction.Clone();
            Vp8Transform.AddInverseDct(coeffs, ours, 0, Stride);
            Assert.Equal(RfcIdct(coeffs, prediction), ours);
        }
    }

    [Fact]
    public void Shortcuts_equal_the_rfc_formula()
    {
        var random = new Random(2);
        for (int i = 0; i < 3000; i++)
        {
            byte[] prediction = Prediction(random);
            short[] ac3 = Coefficients(random, 2048, 0, 1, 4);
            byte[] ours = (byte[])prediction.Clone();
            Vp8Transform.AddInverseDctAc3(ac3, ours, 0, Stride);
            Assert.Equal(RfcIdct(ac3, prediction), ours);

            short[] dc = Coefficients(random, 2048, 0);
            ours = (byte[])prediction.Clone();
            Vp8Transform.AddInverseDctDcOnly(dc[0], ours, 0, Stride);
            Assert.Equal(RfcIdct(dc, prediction), ours);
        }
    }

    [SkippableFact]
    public void Vector_transform_equals_scalar_for_any_input()
    {
        Skip.IfNot(Vp8TransformVector.IsSupported, "no SSE2 on this machine");
        var random = new Random(3);
        for (int i = 0; i < 20000; i++)
        {
            // Full 16-bit range too: corrupt streams reach it, and both follow libwebp's x86 wrap-around.
            short[] coeffs = Coefficients(random, i % 2 == 0 ? 2048 : 32768);
            byte[] prediction = Prediction(random);
            int offset = random.Next(0, 8);
            byte[] scalar = (byte[])prediction.Clone(), vector = (byte[])prediction.Clone();
            Vp8Transform.AddInverseDct(coeffs, scalar, offset, Stride);
            Vp8TransformVector.AddInverseDct(coeffs, vector, offset, Stride);
            Assert.Equal(scalar, vector);
        }
    }

    [Fact]
    public void Out_of_range_coefficients_wrap_like_libwebp_sse2()
    {
        // libwebp's x86 transform keeps 16 bits: DC 32767 + 4 wraps to -32765, >> 3 = -4096,
        // so the block goes black instead of white. (C ints would give +4096 and white.)
        var coeffs = new short[16];
        coeffs[0] = 32767;
        var pixels = new byte[3 * Stride + 4];
        pixels.AsSpan().Fill(200);
        Vp8Transform.AddInverseDct(coeffs, pixels, 0, Stride);
        Assert.All(new[] { pixels[0], pixels[3], pixels[3 * Stride], pixels[3 * Stride + 3] }, p => Assert.Equal(0, p));
    }

    [Fact]
    public void Walsh_hadamard_equals_the_rfc_formula_and_its_dc_shortcut()
    {
        var random = new Random(4);
        for (int n = 0; n < 2000; n++)
        {
            short[] input = Coefficients(random, n % 3 == 0 ? 300 : 2048 * 2);
            var ours = new short[256];
            Vp8Transform.InverseWalshHadamard(input, ours);

            // RFC 6386 section 14.3, vp8_short_inv_walsh4x4_c.
            var tmp = new int[16];
            for (int i = 0; i < 4; i++)
            {
                int a1 = input[i] + input[12 + i], b1 = input[4 + i] + input[8 + i];
                int c1 = input[4 + i] - input[8 + i], d1 = input[i] - input[12 + i];
                tmp[i] = a1 + b1;
                tmp[4 + i] = c1 + d1;
                tmp[8 + i] = a1 - b1;
                tmp[12 + i] = d1 - c1;
            }
            for (int r = 0; r < 4; r++)
            {
                int a1 = tmp[4 * r] + tmp[4 * r + 3], b1 = tmp[4 * r + 1] + tmp[4 * r + 2];
                int c1 = tmp[4 * r + 1] - tmp[4 * r + 2], d1 = tmp[4 * r] - tmp[4 * r + 3];
                int[] expected = [(a1 + b1 + 3) >> 3, (c1 + d1 + 3) >> 3, (a1 - b1 + 3) >> 3, (d1 - c1 + 3) >> 3];
                for (int c = 0; c < 4; c++) Assert.Equal(expected[c], ours[16 * (4 * r + c)]);
            }
        }
        // Only a DC: every block gets (dc + 3) >> 3, the shortcut the residual reader takes.
        var dcOnly = new short[16];
        dcOnly[0] = -1234;
        var output = new short[256];
        Vp8Transform.InverseWalshHadamard(dcOnly, output);
        for (int b = 0; b < 16; b++) Assert.Equal((-1234 + 3) >> 3, output[16 * b]);
    }
}
