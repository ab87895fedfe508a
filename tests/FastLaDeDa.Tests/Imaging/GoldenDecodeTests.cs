using FastLaDeDa.Imaging.Resize;
using FastLaDeDa.Imaging;
using FastLaDeDa.Tests.Support;
using Xunit.Abstractions;

namespace FastLaDeDa.Tests.Imaging;

/// <summary>
/// Decode (+ resize) of the golden images against Pillow 9.4's output recorded in the goldens, byte
/// for byte for every format: PNG decodes identically everywhere, and the JPEG decoder reproduces
/// libjpeg-turbo as Pillow drives it. The streaming decode-and-resize path must give the same
/// bytes as decoding then resizing.
/// </summary>
public sealed class GoldenDecodeTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [MemberData(nameof(GoldenImages.AllData), MemberType = typeof(GoldenImages))]
    public void Decode_equals_pillow_byte_for_byte(string file)
    {
        string stem = GoldenImages.Stem(file);
        Skip.IfNot(Goldens.Has(stem + ".rgb"), $"no .rgb golden for {file} (images over 900 px only have the resized golden)");
        Rgb24Image image = ImageDecoder.Decode(GoldenImages.PathOf(file));

        Rgb24Image expected = Goldens.Image(stem + ".rgb");
        Assert.Equal((expected.Width, expected.Height), (image.Width, image.Height));
        AssertBytesEqual(expected.Pixels, image.Pixels, stem + ".rgb");
    }

    [SkippableTheory]
    [MemberData(nameof(GoldenImages.AllData), MemberType = typeof(GoldenImages))]
    public void Decode_then_resize_equals_pillow_byte_for_byte(string file)
    {
        string stem = GoldenImages.Stem(file);
        string path = GoldenImages.PathOf(file);
        Rgb24Image resized = PillowResize.Bilinear(ImageDecoder.Decode(path), 256, 256);
        AssertBytesEqual(Goldens.Image(stem + ".resized").Pixels, resized.Pixels, stem + ".resized");

        var streamed = new byte[256 * 256 * 3];
        ImageDecoder.DecodeResized(File.ReadAllBytes(path), path, ImageLimits.Default, 256, 256, streamed);
        AssertBytesEqual(resized.Pixels, streamed, stem + " streamed decode + resize");
        output.WriteLine($"{stem}: decode + resize and the streaming path equal Pillow's bytes");
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
