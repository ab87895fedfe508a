using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Imaging;

/// <summary>
/// The first frame of a GIF as Pillow 9.4 shows it after <c>convert("RGB")</c>: a palette image in
/// which the transparent index is looked up like any other, and in which pixels outside the frame
/// rectangle hold the transparent index (or index 0 when there is none).
/// </summary>
public sealed class GifDecodeTests
{
    private static readonly byte[] Palette = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120];

    private static (byte, byte, byte) Color(int index) => (Palette[3 * index], Palette[3 * index + 1], Palette[3 * index + 2]);

    private static (byte, byte, byte) Pixel(Rgb24Image image, int x, int y)
    {
        int i = (y * image.Width + x) * 3;
        return (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(null)]
    public void First_frame_matches_pillows_palette_view(int? transparentIndex)
    {
        // Screen 6x5, frame 3x2 at (1, 2); background index 3 (Pillow does not use it for frame 0).
        byte[] indices = [0, 1, 2, 2, 3, 1];
        byte[] gif = TestGifWriter.Write(6, 5, Palette, backgroundIndex: 3, 1, 2, 3, 2, indices, transparentIndex);

        Rgb24Image image = ImageDecoder.Decode(gif);

        Assert.Equal((6, 5), (image.Width, image.Height));
        var outside = Color(transparentIndex ?? 0);
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 6; x++)
            {
                bool inFrame = x >= 1 && x < 4 && y >= 2 && y < 4;
                Assert.Equal(inFrame ? Color(indices[(y - 2) * 3 + (x - 1)]) : outside, Pixel(image, x, y));
            }
    }

    [Fact]
    public void Larger_frames_need_several_clear_codes()
    {
        byte[] indices = [.. Enumerable.Range(0, 40 * 30).Select(i => (byte)(i * 7 % 4))];
        byte[] gif = TestGifWriter.Write(40, 30, Palette, 0, 0, 0, 40, 30, indices, transparentIndex: 1);

        Rgb24Image image = ImageDecoder.Decode(gif);

        Assert.Equal(indices.SelectMany(i => new[] { Palette[3 * i], Palette[3 * i + 1], Palette[3 * i + 2] }).ToArray(), image.Pixels);
    }

    [Fact]
    public void Cut_first_frame_is_an_error()
    {
        byte[] gif = TestGifWriter.Write(6, 5, Palette, 0, 0, 0, 6, 5, new byte[30], null);

        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(gif.AsSpan(0, gif.Length - 10), "cut.gif"));
        Assert.Contains("truncated GIF", e.Message);
    }
}
