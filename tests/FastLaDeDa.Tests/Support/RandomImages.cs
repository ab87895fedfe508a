using FastLaDeDa.Imaging;

namespace FastLaDeDa.Tests.Support;

/// <summary>Seeded random RGB images (uniform bytes): the same seed gives the same pixels in every test project.</summary>
internal static class RandomImages
{
    /// <summary>A <paramref name="width"/>×<paramref name="height"/> image filled by <c>new Random(seed).NextBytes</c>.</summary>
    public static Rgb24Image Rgb(int width, int height, int seed)
    {
        var pixels = new byte[width * height * 3];
        new Random(seed).NextBytes(pixels);
        return new Rgb24Image(width, height, pixels);
    }
}
