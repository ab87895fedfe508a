using FastLaDeDa.Imaging.Resize;
using FastLaDeDa.Imaging;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Imaging;

public sealed class PillowResizeTests
{
    public static TheoryData<string> ImagesWithPillowDecode() =>
        [.. GoldenImages.Png, .. GoldenImages.Jpeg.Where(f => f != "fake_people_jpg1120.jpg")];

    /// <summary>
    /// Pillow's own decode (NAME.rgb) resized must equal Pillow's resize (NAME.resized) exactly.
    /// This isolates the resize from our decoders, so it covers the JPEG goldens too: 800, 559 and
    /// 888 px down-scaling, 32 px up-scaling (x8), 512 -> 256, odd 301x199 and 255x257.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(ImagesWithPillowDecode))]
    public void Resize_of_pillow_decode_equals_pillow_resize(string file)
    {
        string stem = GoldenImages.Stem(file);
        Rgb24Image source = Goldens.Image(stem + ".rgb");

        Rgb24Image resized = PillowResize.Bilinear(source, 256, 256);

        GoldenDecodeTests.AssertBytesEqual(Goldens.Image(stem + ".resized").Pixels, resized.Pixels, stem + ".resized");
    }

    [Fact]
    public void Two_pixels_up_to_four_matches_hand_computed_values()
    {
        // in=2, out=4: scale 0.5, support 1. Output 1 has center 0.75, taps {0: 0.75, 1: 0.25};
        // 255 * round(0.25 * 2^22) + 2^21 >> 22 = 64. Output 2 has taps {0: 0.25, 1: 0.75}:
        // (255 * 3145728 + 2^21) >> 22 = 191 (191.75 truncated). The end pixels see one tap each.
        var source = new Rgb24Image(2, 1, [0, 10, 255, 255, 110, 0]);

        Rgb24Image resized = PillowResize.Bilinear(source, 4, 1);

        Assert.Equal(new byte[] { 0, 10, 255, 64, 35, 191, 191, 85, 64, 255, 110, 0 }, resized.Pixels);
    }

    [Fact]
    public void Halving_uses_a_widened_triangle_with_four_taps()
    {
        ResampleAxis axis = ResampleAxis.Bilinear(512, 256);

        // support = 2 (triangle widened by the scale 2), ksize = 2 * 2 + 1.
        Assert.Equal(5, axis.KernelSize);
        // Output 0: center 1, xmin = (int)(-0.5) = 0, taps 0..2 weigh 0.75, 0.75, 0.25 -> /1.75.
        Assert.Equal((0, 3), (axis.Start[0], axis.Count[0]));
        Assert.Equal([3 / 7.0, 3 / 7.0, 1 / 7.0, 0, 0], axis.Weights[..5]);
        // Interior output i: center 2i + 1, taps 2i-1..2i+2 weigh 1/8, 3/8, 3/8, 1/8.
        Assert.Equal((199, 4), (axis.Start[100], axis.Count[100]));
        Assert.Equal([0.125, 0.375, 0.375, 0.125, 0], axis.Weights[500..505]);
        Assert.Equal([524288, 1572864, 1572864, 524288, 0], axis.FixedWeights[500..505]);
        // The last output's taps stop at the edge: 509..511.
        Assert.Equal((509, 3), (axis.Start[255], axis.Count[255]));
    }

    [Fact]
    public void Upscaling_keeps_the_unit_triangle()
    {
        ResampleAxis axis = ResampleAxis.Bilinear(32, 256);

        Assert.Equal(3, axis.KernelSize);
        // Output 0: center 1/16, xmin = (int)(-0.4375) = 0, xmax = (int)(1.5625) = 1: one tap.
        Assert.Equal((0, 1), (axis.Start[0], axis.Count[0]));
        Assert.Equal(1 << 22, axis.FixedWeights[0]);
        // Output 12: center 1.5625, taps 1 (0.9375) and 2 (0.0625) -> normalised (already sum 1).
        Assert.Equal((1, 2), (axis.Start[12], axis.Count[12]));
        Assert.Equal([0.9375, 0.0625], axis.Weights[36..38]);
    }

    [Fact]
    public void Fixed_point_conversion_rounds_half_away_from_zero()
    {
        double half = 0.5 / (1 << 22);
        Assert.Equal(1, ResampleAxis.ToFixedPoint(half));
        Assert.Equal(-1, ResampleAxis.ToFixedPoint(-half));
        Assert.Equal(0, ResampleAxis.ToFixedPoint(half * 0.99));
        Assert.Equal(1398101, ResampleAxis.ToFixedPoint(1 / 3.0));
        Assert.Equal(1 << 22, ResampleAxis.ToFixedPoint(1.0));
    }

    [Fact]
    public void Every_axis_has_weights_that_sum_to_one()
    {
        foreach (int input in new[] { 1, 2, 3, 7, 32, 199, 256, 257, 301, 1120 })
        foreach (int output in new[] { 1, 2, 5, 31, 256, 300 })
        {
            ResampleAxis axis = ResampleAxis.Bilinear(input, output);
            for (int i = 0; i < output; i++)
            {
                Assert.InRange(axis.Count[i], 1, axis.KernelSize);
                Assert.InRange(axis.Start[i], 0, input - axis.Count[i]);
                double sum = axis.Weights.AsSpan(i * axis.KernelSize, axis.KernelSize).ToArray().Sum();
                Assert.Equal(1.0, sum, 12);
            }
        }
    }

    public static TheoryData<int, int, int, int> Sizes() => new()
    {
        { 32, 32, 256, 256 },   // up x8
        { 7, 5, 256, 256 },     // up, non-integer factors
        { 512, 512, 256, 256 }, // down /2
        { 301, 199, 256, 256 }, // odd, mixed up and down
        { 255, 257, 256, 256 }, // off by one both ways
        { 1000, 3, 17, 9 },     // strong down in x, up in y
        { 40, 40, 40, 13 },     // vertical pass only
        { 40, 40, 13, 40 },     // horizontal pass only
        { 1, 1, 5, 3 },         // single pixel
        { 9, 9, 1, 1 },         // down to a single pixel
        { 100, 60, 99, 61 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Matches_a_plain_transcription_of_pillow(int inWidth, int inHeight, int outWidth, int outHeight)
    {
        var random = new Random(inWidth * 1000 + inHeight);
        var pixels = new byte[inWidth * inHeight * 3];
        random.NextBytes(pixels);
        var source = new Rgb24Image(inWidth, inHeight, pixels);

        Rgb24Image resized = PillowResize.Bilinear(source, outWidth, outHeight);

        Assert.Equal((outWidth, outHeight), (resized.Width, resized.Height));
        Assert.Equal(ReferencePillowBilinear.Resize(pixels, inWidth, inHeight, outWidth, outHeight), resized.Pixels);
    }

    [Fact]
    public void Same_size_returns_an_equal_copy()
    {
        var source = new Rgb24Image(3, 2, [.. Enumerable.Range(0, 18).Select(i => (byte)(i * 13))]);

        Rgb24Image resized = PillowResize.Bilinear(source, 3, 2);

        Assert.Equal(source.Pixels, resized.Pixels);
        Assert.NotSame(source.Pixels, resized.Pixels);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(128)]
    [InlineData(255)]
    public void A_flat_image_stays_flat(byte value)
    {
        var source = new Rgb24Image(37, 23, Enumerable.Repeat(value, 37 * 23 * 3).ToArray());

        foreach (var (w, h) in new[] { (256, 256), (5, 7), (37, 100), (100, 23) })
            Assert.All(PillowResize.Bilinear(source, w, h).Pixels, b => Assert.Equal(value, b));
    }

    [Fact]
    public void Rejects_empty_sizes()
    {
        var source = new Rgb24Image(2, 2, new byte[12]);
        Assert.Throws<ArgumentOutOfRangeException>(() => PillowResize.Bilinear(source, 0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => PillowResize.Bilinear(source, 5, -1));
    }
}
