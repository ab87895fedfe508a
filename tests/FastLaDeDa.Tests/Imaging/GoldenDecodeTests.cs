using FastLaDeDa.Imaging;
using FastLaDeDa.Tests.Support;
using Xunit.Abstractions;

namespace FastLaDeDa.Tests.Imaging;

/// <summary>
/// Decode (+ resize) of the golden images against Pillow 9.4's output recorded in the goldens.
/// PNG decodes identically everywhere, so PNGs must match byte for byte. JPEG pixels come from
/// stb, whose IDCT and chroma upsampling differ from libjpeg-turbo's, so JPEGs are measured and
/// held to bounds.
/// </summary>
public sealed class GoldenDecodeTests(ITestOutputHelper output)
{
    // Bounds for stb vs libjpeg-turbo. Both use an "islow"-style integer IDCT and a 3:1 triangle
    // ("fancy") chroma upsampler, but they round differently (stb adds a constant bias of 8 in
    // the upsampler where libjpeg alternates 8 and 7, and their fixed-point YCbCr->RGB tables
    // differ), which moves a few percent of the bytes by 1-3 levels on the goldens (measured:
    // max 3, mean <= 0.061). The bounds leave about twice that as headroom. A real bug (channel
    // swap, missing upsampling, wrong colour transform, shifted rows) shows as a mean error of
    // several levels, far above them.
    private const int MaxDecodeDifference = 6;
    private const double MaxMeanDecodeDifference = 0.15;
    // Resizing averages several source pixels, which shrinks the decoder's differences
    // (measured: max 2, mean <= 0.062).
    private const int MaxResizedDifference = 4;
    private const double MaxMeanResizedDifference = 0.15;

    [SkippableTheory]
    [MemberData(nameof(GoldenImages.PngData), MemberType = typeof(GoldenImages))]
    public void Png_decode_equals_pillow_byte_for_byte(string file)
    {
        string stem = GoldenImages.Stem(file);
        Rgb24Image image = ImageDecoder.Decode(GoldenImages.PathOf(file));

        Rgb24Image expected = Goldens.Image(stem + ".rgb");
        Assert.Equal((expected.Width, expected.Height), (image.Width, image.Height));
        AssertBytesEqual(expected.Pixels, image.Pixels, stem + ".rgb");
    }

    [SkippableTheory]
    [MemberData(nameof(GoldenImages.PngData), MemberType = typeof(GoldenImages))]
    public void Png_decode_then_resize_equals_pillow_byte_for_byte(string file)
    {
        string stem = GoldenImages.Stem(file);
        Rgb24Image resized = PillowResize.Bilinear(ImageDecoder.Decode(GoldenImages.PathOf(file)), 256, 256);
        AssertBytesEqual(Goldens.Image(stem + ".resized").Pixels, resized.Pixels, stem + ".resized");
    }

    [SkippableTheory]
    [MemberData(nameof(GoldenImages.JpegData), MemberType = typeof(GoldenImages))]
    public void Jpeg_decode_and_resize_stay_close_to_pillow(string file)
    {
        string stem = GoldenImages.Stem(file);
        Rgb24Image image = ImageDecoder.Decode(GoldenImages.PathOf(file));
        Rgb24Image resized = PillowResize.Bilinear(image, 256, 256);

        if (Goldens.Has(stem + ".rgb"))
        {
            Rgb24Image expected = Goldens.Image(stem + ".rgb");
            Assert.Equal((expected.Width, expected.Height), (image.Width, image.Height));
            var (max, mean, share) = Difference(expected.Pixels, image.Pixels);
            output.WriteLine($"{stem}: decode  vs .rgb     max |d| = {max,3}, mean |d| = {mean:F4}, differing bytes = {share:P2}");
            Assert.InRange(max, 0, MaxDecodeDifference);
            Assert.InRange(mean, 0, MaxMeanDecodeDifference);
        }
        else
        {
            output.WriteLine($"{stem}: no .rgb golden (image larger than 900 px)");
        }

        var (rMax, rMean, rShare) = Difference(Goldens.Image(stem + ".resized").Pixels, resized.Pixels);
        output.WriteLine($"{stem}: resized vs .resized max |d| = {rMax,3}, mean |d| = {rMean:F4}, differing bytes = {rShare:P2}");
        Assert.InRange(rMax, 0, MaxResizedDifference);
        Assert.InRange(rMean, 0, MaxMeanResizedDifference);
    }

    internal static (int Max, double Mean, double Share) Difference(byte[] expected, byte[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        int max = 0, differing = 0;
        long sum = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            int d = Math.Abs(expected[i] - actual[i]);
            sum += d;
            if (d > max) max = d;
            if (d != 0) differing++;
        }
        return (max, (double)sum / expected.Length, (double)differing / expected.Length);
    }

    internal static void AssertBytesEqual(byte[] expected, byte[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        int first = expected.AsSpan().CommonPrefixLength(actual);
        if (first == expected.Length) return;
        var (max, mean, share) = Difference(expected, actual);
        Assert.Fail($"{what}: first difference at byte {first} (pixel {first / 3}, channel {first % 3}): expected {expected[first]}, got {actual[first]}; max |d| = {max}, mean |d| = {mean:F4}, {share:P2} of bytes differ");
    }
}
