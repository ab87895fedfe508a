using FastLaDeDa.Imaging;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Imaging;

/// <summary>
/// Every bit depth and colour type, Adam7-interlaced and not, at every size from 1×1 to 17×17
/// (empty passes, passes of one pixel, partial bytes at the end of 1-, 2- and 4-bit rows), with the
/// filter types cycling over the stored rows (0, 1, 2, 3, 4, 4, 4: runs of Paeth rows, which are
/// unfiltered in pairs) so each pass's first row is unfiltered against zeros. The expected RGB is computed here from the samples, with Pillow 9.4's rules for each mode.
/// </summary>
public sealed class PngInterlaceTests
{
    public static TheoryData<int, int, bool> Formats()
    {
        var data = new TheoryData<int, int, bool>();
        foreach ((int depth, int colorType) in (ReadOnlySpan<(int, int)>)[(1, 0), (2, 0), (4, 0), (8, 0), (16, 0), (8, 2), (16, 2),
                     (1, 3), (2, 3), (4, 3), (8, 3), (8, 4), (16, 4), (8, 6), (16, 6)])
        {
            data.Add(depth, colorType, true);
            data.Add(depth, colorType, false);
        }
        return data;
    }

    /// <summary>A sample in 0 .. 2^depth − 1 that differs between neighbours, channels and images.</summary>
    private static int Sample(int x, int y, int c, int size, int depth)
    {
        uint h = (uint)(x * 73856093 ^ y * 19349663 ^ c * 83492791 ^ size * 2654435761u);
        h ^= h >> 13;
        h *= 0x5bd1e995;
        h ^= h >> 15;
        return (int)(h & ((1u << depth) - 1));
    }

    /// <summary>What Pillow's <c>convert("RGB")</c> gives for the pixel's samples.</summary>
    private static (byte R, byte G, byte B) Expected(int x, int y, int size, int depth, int colorType, byte[] palette)
    {
        int S(int c) => Sample(x, y, c, size, depth);
        byte High(int c) => depth == 16 ? (byte)(S(c) >> 8) : (byte)S(c);
        switch (colorType)
        {
            case 0:
                // "1", "L;2", "L;4" scale the levels to 0..255; "L" as is; "I" (16 bits) clips to 255.
                byte grey = depth switch { 16 => (byte)Math.Min(S(0), 255), 8 => (byte)S(0), _ => (byte)(S(0) * 255 / ((1 << depth) - 1)) };
                return (grey, grey, grey);
            case 3:
                int i = S(0);
                return (palette[3 * i], palette[3 * i + 1], palette[3 * i + 2]);
            case 4:
                return (High(0), High(0), High(0));
            default:
                return (High(0), High(1), High(2));
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Every_size_decodes_to_the_independently_computed_pixels(int depth, int colorType, bool interlaced)
    {
        byte[] palette = [.. Enumerable.Range(0, 3 << depth).Select(i => (byte)(i * 37 + 11))];
        for (int width = 1; width <= 17; width++)
            for (int height = 1; height <= 17; height++)
            {
                int size = width * 100 + height;
                byte[] png = TestPngWriter.Encode(width, height, depth, colorType, (x, y, c) => Sample(x, y, c, size, depth),
                    palette: colorType == 3 ? palette : null, interlaced: interlaced, filter: row => Math.Min((row + size) % 7, 4));

                Rgb24Image image = ImageDecoder.Decode(png, $"{width}x{height}.png");

                Assert.Equal((width, height), (image.Width, image.Height));
                for (int y = 0; y < height; y++)
                    for (int x = 0; x < width; x++)
                    {
                        int o = (y * width + x) * 3;
                        var actual = (image.Pixels[o], image.Pixels[o + 1], image.Pixels[o + 2]);
                        var expected = Expected(x, y, size, depth, colorType, palette);
                        Assert.True(expected == actual, $"{width}x{height}, pixel ({x}, {y}): expected {expected}, got {actual}");
                    }
            }
    }
}
