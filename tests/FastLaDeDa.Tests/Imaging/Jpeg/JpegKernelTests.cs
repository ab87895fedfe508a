using FastLaDeDa.Imaging.Formats.Jpeg;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Imaging.Jpeg;

/// <summary>
/// Every SIMD implementation of the JPEG kernels against the scalar reference, byte for byte: the
/// inverse DCT on random, sparse and extreme blocks (16-bit wrap-around of the dequantized values,
/// saturation, the rows-1-to-7-zero shortcut), the fancy upsamplers on every width from 3 to 80,
/// and YCbCr → RGB on every length from 0 to 80 and every input value. Implementations this
/// machine cannot run are not listed; the ISA tests run the pick in child processes with AVX2 off.
/// </summary>
[Trait(PerIsaSuites.Trait, PerIsaSuites.Value)]
public sealed class JpegKernelTests
{
    public static TheoryData<string> Kernels() => Implementations.Names(JpegKernels.All.Where(k => k is not JpegKernelsScalar));

    private static JpegKernels Kernel(string name) => Implementations.ByName(JpegKernels.All, name);

    private static IEnumerable<(short[] Block, short[] Quantization)> Blocks()
    {
        var random = new Random(20261204);
        short[] Quant(int max) => [.. Enumerable.Range(0, 64).Select(_ => (short)random.Next(1, max + 1))];
        for (int i = 0; i < 400; i++)
        {
            var block = new short[64];
            int nonZero = random.Next(0, 65);
            for (int k = 0; k < nonZero; k++) block[random.Next(64)] = (short)random.Next(-1024, 1024);
            yield return (block, Quant(i % 2 == 0 ? 16 : 255));
        }
        // Only row 0 non-zero: the shortcut path, including DC values whose << 2 wraps in 16 bits.
        foreach (short dc in (short[])[0, 1, -1, 1000, 2047, -2048, 8191, 8192, -8193, 16000, short.MaxValue, short.MinValue])
        {
            var block = new short[64];
            block[0] = dc;
            block[3] = (short)(dc / 3);
            yield return (block, [.. Enumerable.Repeat((short)1, 64)]);
            yield return (block, [.. Enumerable.Repeat((short)7, 64)]);
        }
        // Extreme coefficients and quantizers: products wrap at 16 bits, sums overflow, results saturate.
        for (int i = 0; i < 200; i++)
        {
            short[] block = [.. Enumerable.Range(0, 64).Select(_ => (short)random.Next(short.MinValue, short.MaxValue + 1))];
            short[] quant = [.. Enumerable.Range(0, 64).Select(_ => (short)random.Next(short.MinValue, short.MaxValue + 1))];
            yield return (block, quant);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Inverse_dct_equals_the_scalar_reference(string name)
    {
        JpegKernels kernel = Kernel(name);
        const int stride = 13; // not a multiple of 8: catches row-addressing mistakes
        int index = 0;
        foreach (var (block, quant) in Blocks())
        {
            var expected = new byte[7 * stride + 8];
            var actual = new byte[7 * stride + 8];
            expected.AsSpan().Fill(0xA5);
            actual.AsSpan().Fill(0xA5);
            JpegKernelsScalar.Instance.InverseDct(block, quant, expected, stride);
            kernel.InverseDct(block, quant, actual, stride);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"block {index}: {string.Join(",", block)} / {string.Join(",", quant)}");
            index++;
        }
    }

    [Fact]
    public void Inverse_dct_of_a_flat_block_is_its_level()
    {
        // DC only: every sample is (DC × Q) / 8 + 128 (the islow transform's exact result for a flat block).
        foreach (short dc in (short[])[-128, -64, -1, 0, 1, 63, 127])
        {
            var block = new short[64];
            block[0] = (short)(dc * 8);
            var output = new byte[64];
            JpegKernelsScalar.Instance.InverseDct(block, [.. Enumerable.Repeat((short)1, 64)], output, 8);
            Assert.All(output, b => Assert.Equal(dc + 128, b));
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Fancy_upsamplers_equal_the_scalar_reference(string name)
    {
        JpegKernels kernel = Kernel(name);
        var random = new Random(7);
        for (int width = 3; width <= 80; width++)
        {
            for (int trial = 0; trial < 4; trial++)
            {
                // Rows longer than the width: samples past it must not influence the result.
                byte[] near = new byte[width + 16], far = new byte[width + 16];
                random.NextBytes(near);
                random.NextBytes(far);
                if (trial == 3) { near.AsSpan().Fill(255); far.AsSpan().Fill(255); }
                byte[] expected = new byte[2 * width + 8], actual = new byte[2 * width + 8];
                JpegKernelsScalar.Instance.FancyH2V1(near, width, expected);
                kernel.FancyH2V1(near, width, actual);
                Assert.True(expected.AsSpan(0, 2 * width).SequenceEqual(actual.AsSpan(0, 2 * width)), $"h2v1 width {width}");
                JpegKernelsScalar.Instance.FancyH2V2(near, far, width, expected);
                kernel.FancyH2V2(near, far, width, actual);
                Assert.True(expected.AsSpan(0, 2 * width).SequenceEqual(actual.AsSpan(0, 2 * width)), $"h2v2 width {width}");
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void Ycbcr_to_rgb_equals_the_scalar_reference(string name)
    {
        JpegKernels kernel = Kernel(name);
        var random = new Random(11);
        for (int length = 0; length <= 80; length++)
        {
            byte[] y = new byte[length], cb = new byte[length], cr = new byte[length];
            random.NextBytes(y);
            random.NextBytes(cb);
            random.NextBytes(cr);
            byte[] expected = new byte[3 * length], actual = new byte[3 * length];
            JpegKernelsScalar.Instance.YCbCrToRgb(y, cb, cr, expected);
            kernel.YCbCrToRgb(y, cb, cr, actual);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"length {length}");
        }
        // Every (Cb, Cr) pair with luma 0, 128 and 255: the extremes clamp.
        foreach (byte luma in (byte[])[0, 128, 255])
        {
            byte[] y = new byte[65536], cb = new byte[65536], cr = new byte[65536];
            for (int i = 0; i < 65536; i++) (y[i], cb[i], cr[i]) = (luma, (byte)(i >> 8), (byte)i);
            byte[] expected = new byte[3 * 65536], actual = new byte[3 * 65536];
            JpegKernelsScalar.Instance.YCbCrToRgb(y, cb, cr, expected);
            kernel.YCbCrToRgb(y, cb, cr, actual);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"luma {luma}");
        }
    }

    [Fact]
    public void Ycbcr_to_rgb_uses_libjpegs_fixed_point_tables()
    {
        // Values computed by hand from jdcolor.c's tables: R = Y + round(1.402 (Cr − 128)), etc.
        var rgb = new byte[3 * 3];
        JpegKernelsScalar.Instance.YCbCrToRgb([128, 0, 255], [128, 0, 255], [128, 255, 0], rgb);
        // Y 128, Cb 128, Cr 128: neutral grey.
        // Y 0, Cb 0, Cr 255: R = (91881 × 127 + 2^15) >> 16 = 178; G = floor((22554 × 128 + 2^15 − 46802 × 127) / 2^16) = −47 → 0;
        //   B = floor((−116130 × 128 + 2^15) / 2^16) = −227 → 0.
        // Y 255, Cb 255, Cr 0: R = 255 + floor((−91881 × 128 + 2^15) / 2^16) = 255 − 179 = 76; G = 255 + 48 → 255; B = 255 + 225 → 255.
        Assert.Equal(new byte[] { 128, 128, 128, 178, 0, 0, 76, 255, 255 }, rgb);
    }
}
