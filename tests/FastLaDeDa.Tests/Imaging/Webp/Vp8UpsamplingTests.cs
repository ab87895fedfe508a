using FastLaDeDa.Imaging.Formats.Webp;

namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// Fancy chroma upsampling and YUV to RGB: the libwebp formulas against independent
/// derivations, and the SIMD versions against the scalar ones for every remainder length.
/// </summary>
public sealed class Vp8UpsamplingTests
{
    [Fact]
    public void Fancy_upsampling_is_the_9_3_3_1_filter()
    {
        var random = new Random(6);
        for (int width = 1; width <= 41; width++)
        {
            int chroma = (width + 1) / 2;
            byte[] top = Vp8TestSupport.RandomBytes(chroma, width), bottom = Vp8TestSupport.RandomBytes(chroma, width + 100);
            var nearTop = new byte[width];
            var nearBottom = new byte[width];
            Vp8FancyUpsampler.UpsampleRows(top, bottom, nearTop, nearBottom, width);
            for (int x = 0; x < width; x++)
            {
                // Output x sits between chroma samples (x - 1) / 2 and (x + 1) / 2, nearer the first
                // for odd x; past either end the nearest sample is used alone.
                int near = (x - 1) >> 1 < 0 ? 0 : (x % 2 == 1 ? (x - 1) / 2 : x / 2);
                int far = x % 2 == 1 ? (x + 1) / 2 : x / 2 - 1;
                if (far < 0 || far >= chroma)
                {
                    Assert.Equal((3 * top[near] + bottom[near] + 2) >> 2, nearTop[x]);
                    Assert.Equal((3 * bottom[near] + top[near] + 2) >> 2, nearBottom[x]);
                }
                else
                {
                    Assert.Equal((9 * top[near] + 3 * top[far] + 3 * bottom[near] + bottom[far] + 8) >> 4, nearTop[x]);
                    Assert.Equal((9 * bottom[near] + 3 * bottom[far] + 3 * top[near] + top[far] + 8) >> 4, nearBottom[x]);
                }
            }
        }
    }

    [SkippableFact]
    public void Vector_upsampler_equals_scalar_for_every_width()
    {
        Skip.IfNot(Vp8FancyUpsamplerVector.IsSupported, "no SSE2 on this machine");
        for (int width = 1; width <= 160; width++)
        {
            int chroma = (width + 1) / 2;
            byte[] top = Vp8TestSupport.RandomBytes(chroma, width), bottom = Vp8TestSupport.RandomBytes(chroma, -width);
            byte[] scalarTop = new byte[width], scalarBottom = new byte[width], vectorTop = new byte[width], vectorBottom = new byte[width];
            Vp8FancyUpsampler.UpsampleRows(top, bottom, scalarTop, scalarBottom, width);
            Vp8FancyUpsamplerVector.UpsampleRows(top, bottom, vectorTop, vectorBottom, width);
            Assert.Equal(scalarTop, vectorTop);
            Assert.Equal(scalarBottom, vectorBottom);
        }
    }

    [Theory]
    // libwebp's VP8YuvToRgb (yuv.h) worked out in Python: BT.601 black and white, then saturated colours.
    [InlineData(16, 128, 128, 0, 0, 0)]
    [InlineData(235, 128, 128, 255, 255, 255)]
    [InlineData(81, 90, 240, 254, 0, 0)]
    [InlineData(41, 240, 110, 0, 0, 255)]
    [InlineData(0, 0, 0, 0, 136, 0)]
    [InlineData(255, 255, 255, 255, 125, 255)]
    [InlineData(128, 0, 255, 255, 77, 0)]
    [InlineData(100, 200, 50, 0, 133, 243)]
    public void Yuv_to_rgb_matches_libwebp(int y, int u, int v, int r, int g, int b)
    {
        var rgb = new byte[3];
        Vp8YuvToRgb.ConvertRow([(byte)y], [(byte)u], [(byte)v], rgb);
        Assert.Equal(new[] { (byte)r, (byte)g, (byte)b }, rgb);
    }

    [SkippableFact]
    public void Vector_conversion_equals_scalar_for_every_width_and_all_inputs()
    {
        Skip.IfNot(Vp8YuvToRgbVector.IsSupported, "no SSSE3 on this machine");
        for (int width = 0; width <= 70; width++)
        {
            byte[] y = Vp8TestSupport.RandomBytes(width, width), u = Vp8TestSupport.RandomBytes(width, width + 1), v = Vp8TestSupport.RandomBytes(width, width + 2);
            byte[] scalar = new byte[3 * width], vector = new byte[3 * width];
            Vp8YuvToRgb.ConvertRow(y, u, v, scalar);
            Vp8YuvToRgbVector.ConvertRow(y, u, v, vector);
            Assert.Equal(scalar, vector);
        }
        // Every (y, u, v) triple, 4096 pixels per row.
        var ys = new byte[4096];
        var us = new byte[4096];
        var vs = new byte[4096];
        byte[] expected = new byte[3 * 4096], actual = new byte[3 * 4096];
        for (int yv = 0; yv < 256; yv++)
            for (int block = 0; block < 16; block++)
            {
                for (int i = 0; i < 4096; i++)
                {
                    ys[i] = (byte)yv;
                    us[i] = (byte)(block * 16 + i / 256);
                    vs[i] = (byte)(i % 256);
                }
                Vp8YuvToRgb.ConvertRow(ys, us, vs, expected);
                Vp8YuvToRgbVector.ConvertRow(ys, us, vs, actual);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"y = {yv}, u block {block}");
            }
    }
}
