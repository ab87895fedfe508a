using FastLaDeDa.Imaging.Resize;
using FastLaDeDa.Imaging;
using FastLaDeDa.Simd;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Imaging;

/// <summary>
/// Every implementation of the resampling passes this machine supports against the scalar
/// reference, byte for byte, on many sizes (the golden tests in <see cref="PillowResizeTests"/>
/// run the default implementation against Pillow itself).
/// </summary>
[Trait(PerIsaSuites.Trait, PerIsaSuites.Value)]
public sealed class ResamplerTests
{
    public static TheoryData<string> Resamplers() => Implementations.Names(Resampler.All);


    private static void AssertSameAsScalar(Resampler resampler, Rgb24Image source, int width, int height)
    {
        byte[] expected = PillowResize.Bilinear(source, width, height, ResamplerScalar.Instance).Pixels;
        byte[] actual = PillowResize.Bilinear(source, width, height, resampler).Pixels;
        int i = 0;
        while (i < expected.Length && expected[i] == actual[i]) i++;
        if (i < expected.Length)
            Assert.Fail($"{source.Width}x{source.Height} -> {width}x{height}: byte {i} (pixel {i / 3 % width},{i / 3 / width} channel {i % 3}) expected {expected[i]} got {actual[i]}");
    }

    public static TheoryData<string, int, int, int, int> NamedSizes()
    {
        var data = new TheoryData<string, int, int, int, int>();
        int[][] sizes =
        [
            [1024, 768, 256, 256],  // the target case: a decoded photo to the model input
            [512, 512, 256, 256],   // halving
            [4000, 3000, 256, 256], // strong shrink, 33-tap kernels
            [32, 32, 256, 256],     // up x8
            [255, 257, 256, 256],   // off by one both ways
            [301, 199, 256, 256],   // odd, mixed
            [1, 1, 256, 256],       // a single pixel blown up
            [1, 300, 256, 256],     // one column
            [300, 1, 256, 256],     // one row
            [256, 256, 1, 1],       // down to one pixel
            [5000, 2, 3, 7],        // extreme ratio in x, up in y
            [2, 5000, 7, 3],        // extreme ratio in y
            [7, 3, 1000, 2],        // extreme upscale in x
            [3, 4, 4, 4],           // narrowest horizontal vector path
            [5, 5, 5, 9],           // vertical only, 15-byte rows (scalar fallback in the vertical pass)
            [6, 9, 6, 4],           // vertical only, 18-byte rows (one overlapping block)
            [97, 41, 13, 41],       // horizontal only
            [40, 40, 40, 13],       // vertical only
        ];
        foreach (string name in Resamplers())
            foreach (int[] s in sizes)
                data.Add(name, s[0], s[1], s[2], s[3]);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(NamedSizes))]
    public void Resize_equals_the_scalar_reference(string implementation, int inWidth, int inHeight, int outWidth, int outHeight)
    {
        Rgb24Image source = RandomImages.Rgb(inWidth, inHeight, inWidth * 7919 + inHeight);
        AssertSameAsScalar(Implementations.Resampler(implementation), source, outWidth, outHeight);
    }

    [SkippableTheory]
    [MemberData(nameof(Resamplers))]
    public void Resize_equals_the_scalar_reference_on_300_random_sizes(string implementation)
    {
        Resampler resampler = Implementations.Resampler(implementation);
        var random = new Random(2024);
        for (int i = 0; i < 300; i++)
        {
            // Mostly small sizes (every remainder), some 1-pixel sides, some large ratios.
            int Side() => random.Next(6) switch { 0 => 1, 1 => random.Next(2, 8), 2 => random.Next(200, 700), _ => random.Next(8, 200) };
            int inWidth = Side(), inHeight = Side(), outWidth = Side(), outHeight = Side();
            AssertSameAsScalar(resampler, RandomImages.Rgb(inWidth, inHeight, i), outWidth, outHeight);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Resamplers))]
    public void Extreme_values_clip_like_the_scalar_reference(string implementation)
    {
        // Black and white stripes make the largest and smallest sums; every byte 0 or 255.
        var pixels = new byte[64 * 48 * 3];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)((i / 3 + i / (64 * 3)) % 3 == 0 ? 255 : 0);
        var source = new Rgb24Image(64, 48, pixels);
        foreach (var (w, h) in new[] { (256, 256), (17, 9), (64, 200), (3, 48) })
            AssertSameAsScalar(Implementations.Resampler(implementation), source, w, h);
    }

    [SkippableTheory]
    [MemberData(nameof(Resamplers))]
    public void Passes_write_only_their_output(string implementation)
    {
        Resampler resampler = Implementations.Resampler(implementation);
        Rgb24Image source = RandomImages.Rgb(103, 29, 5);
        const byte Sentinel = 0xA5;

        // Horizontal: rows 3..27 of the source, into a slice with guard bytes on both sides.
        ResampleAxis horizontal = ResampleAxis.Bilinear(103, 37);
        int length = 25 * 37 * 3;
        byte[] buffer = Enumerable.Repeat(Sentinel, length + 64).ToArray();
        resampler.Horizontal(source.Pixels, 103, horizontal, 3, 25, buffer.AsSpan(32, length));
        Assert.All(buffer[..32], b => Assert.Equal(Sentinel, b));
        Assert.All(buffer[(32 + length)..], b => Assert.Equal(Sentinel, b));
        var expected = new byte[length];
        ResamplerScalar.Instance.Horizontal(source.Pixels, 103, horizontal, 3, 25, expected);
        Assert.Equal(expected, buffer[32..(32 + length)]);

        // Vertical: all 29 rows to 11.
        ResampleAxis vertical = ResampleAxis.Bilinear(29, 11);
        length = 11 * 103 * 3;
        buffer = Enumerable.Repeat(Sentinel, length + 64).ToArray();
        resampler.Vertical(source.Pixels, 103, vertical, 0, buffer.AsSpan(32, length));
        Assert.All(buffer[..32], b => Assert.Equal(Sentinel, b));
        Assert.All(buffer[(32 + length)..], b => Assert.Equal(Sentinel, b));
        expected = new byte[length];
        ResamplerScalar.Instance.Vertical(source.Pixels, 103, vertical, 0, expected);
        Assert.Equal(expected, buffer[32..(32 + length)]);
    }

    [SkippableTheory]
    [MemberData(nameof(Resamplers))]
    public void Resize_matches_a_plain_transcription_of_pillow(string implementation)
    {
        // Independent of the scalar passes: the test-side transcription of Resample.c.
        Rgb24Image source = RandomImages.Rgb(123, 77, 77);
        Rgb24Image resized = PillowResize.Bilinear(source, 64, 200, Implementations.Resampler(implementation));
        Assert.Equal(ReferencePillowBilinear.Resize(source.Pixels, 123, 77, 64, 200), resized.Pixels);
    }

    /// <summary>Pillow's bicubic filter (a = −0.5, support 2): negative lobes, so sums go below 0 and above 255.</summary>
    private static double Bicubic(double x)
    {
        const double a = -0.5;
        if (x < 0.0) x = -x;
        if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
    }

    [SkippableTheory]
    [MemberData(nameof(Resamplers))]
    public void Passes_clip_negative_and_overflowing_sums_like_the_scalar_reference(string implementation)
    {
        Resampler resampler = Implementations.Resampler(implementation);
        // Stripes of 0 and 255: bicubic overshoots on both sides of every edge.
        var pixels = new byte[61 * 23 * 3];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)((i / 3 % 61 / 2 + i / (61 * 3) / 3) % 2 * 255);
        foreach (int outputs in new[] { 5, 29, 61 * 3 + 1, 300 })
        {
            ResampleAxis horizontal = ResampleAxis.Compute(61, outputs, Bicubic, 2.0);
            var expected = new byte[23 * outputs * 3];
            ResamplerScalar.Instance.Horizontal(pixels, 61, horizontal, 0, 23, expected);
            var actual = new byte[expected.Length];
            resampler.Horizontal(pixels, 61, horizontal, 0, 23, actual);
            Assert.Equal(expected, actual);

            ResampleAxis vertical = ResampleAxis.Compute(23, outputs, Bicubic, 2.0);
            expected = new byte[outputs * 61 * 3];
            ResamplerScalar.Instance.Vertical(pixels, 61, vertical, 0, expected);
            actual = new byte[expected.Length];
            resampler.Vertical(pixels, 61, vertical, 0, actual);
            Assert.Equal(expected, actual);
        }
        // Negative weights on 0/255 edges overshoot both ways, so the clipping paths are exercised
        // (removing the clamp to 0 from a vector pass makes this test fail).
        Assert.Contains(ResampleAxis.Compute(61, 300, Bicubic, 2.0).FixedWeights, w => w < 0);
    }

    [Fact]
    public void The_factory_picks_the_widest_supported_implementation()
    {
        Assert.Equal(["Vector512", "Vector256", "Vector128", "Scalar"], Resampler.All.Select(i => i.Isa));
        // Integer resampling needs no FMA: with DOTNET_EnableAVX2=0 its Vector128 width still runs
        // where the float kernels fall back to scalar, so the pick is checked against the list only.
        Assert.Same(Resampler.All.First(i => i.IsSupported), Resampler.Best);
    }
}
