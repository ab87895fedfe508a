using FastLaDeDa.Imaging;
using FastLaDeDa.Imaging.Formats;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Imaging;

/// <summary>
/// Synthetic PNGs of every bit depth and colour type, decoded and compared with what Pillow
/// 9.4's <c>convert("RGB")</c> gives for them (modes and unpackers noted per test).
/// </summary>
public sealed class PngConversionTests
{
    private static (byte R, byte G, byte B) Pixel(Rgb24Image image, int x, int y)
    {
        int i = (y * image.Width + x) * 3;
        return (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]);
    }

    private static int Sample16(int x, int y, int c) => (x * 4099 + y * 20011 + c * 12345 + 7) & 0xFFFF;

    [Fact]
    public void Rgb16_keeps_the_high_byte()
    {
        // Pillow: mode RGB, rawmode RGB;16B (first, most significant byte of each sample).
        byte[] png = TestPngWriter.Encode(7, 5, 16, PngStructure.Rgb, Sample16);

        Rgb24Image image = ImageDecoder.Decode(png);

        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 7; x++)
                Assert.Equal(((byte)(Sample16(x, y, 0) >> 8), (byte)(Sample16(x, y, 1) >> 8), (byte)(Sample16(x, y, 2) >> 8)), Pixel(image, x, y));
    }

    [Fact]
    public void Rgba16_keeps_the_high_byte_and_drops_alpha()
    {
        // Pillow: mode RGBA, rawmode RGBA;16B; convert("RGB") drops alpha.
        byte[] png = TestPngWriter.Encode(6, 4, 16, PngStructure.Rgba, (x, y, c) => c == 3 ? (x * 9000) & 0xFFFF : Sample16(x, y, c));

        Rgb24Image image = ImageDecoder.Decode(png);

        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 6; x++)
                Assert.Equal(((byte)(Sample16(x, y, 0) >> 8), (byte)(Sample16(x, y, 1) >> 8), (byte)(Sample16(x, y, 2) >> 8)), Pixel(image, x, y));
    }

    [Fact]
    public void Grey16_is_clipped_to_255_like_pillow_mode_I()
    {
        // Pillow opens 16-bit grey as mode "I" (0..65535); convert("RGB") clips to 0..255, so
        // anything >= 255 is white. Taking the high byte (stb's 8-bit path) would give 0, 0, 0, 1, ...
        int[] values = [0, 1, 200, 254, 255, 256, 4660, 65535];
        byte[] expected = [0, 1, 200, 254, 255, 255, 255, 255];
        byte[] png = TestPngWriter.Encode(values.Length, 1, 16, PngStructure.Grey, (x, _, _) => values[x]);

        Rgb24Image image = ImageDecoder.Decode(png);

        for (int x = 0; x < values.Length; x++)
            Assert.Equal((expected[x], expected[x], expected[x]), Pixel(image, x, 0));
    }

    [Fact]
    public void Grey16_with_transparency_key_is_still_clipped()
    {
        int[] values = [3, 300, 70];
        byte[] png = TestPngWriter.Encode(3, 1, 16, PngStructure.Grey, (x, _, _) => values[x], transparency: [0x01, 0x2C]);

        Rgb24Image image = ImageDecoder.Decode(png);

        Assert.Equal(new byte[] { 3, 3, 3, 255, 255, 255, 70, 70, 70 }, image.Pixels);
    }

    [Fact]
    public void GreyAlpha16_keeps_the_high_byte_of_grey()
    {
        // Pillow: mode RGBA, rawmode LA;16B.
        byte[] png = TestPngWriter.Encode(5, 3, 16, PngStructure.GreyAlpha, (x, y, c) => c == 0 ? Sample16(x, y, 0) : 0);

        Rgb24Image image = ImageDecoder.Decode(png);

        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 5; x++)
            {
                byte g = (byte)(Sample16(x, y, 0) >> 8);
                Assert.Equal((g, g, g), Pixel(image, x, y));
            }
    }

    [Fact]
    public void GreyAlpha8_replicates_grey_and_drops_alpha_without_compositing()
    {
        byte[] png = TestPngWriter.Encode(4, 1, 8, PngStructure.GreyAlpha, (x, _, c) => c == 0 ? 60 * x + 10 : (x % 2) * 255);

        Rgb24Image image = ImageDecoder.Decode(png);

        Assert.Equal(new byte[] { 10, 10, 10, 70, 70, 70, 130, 130, 130, 190, 190, 190 }, image.Pixels);
    }

    [Fact]
    public void Rgba8_drops_alpha_without_compositing()
    {
        // A fully transparent pixel keeps its colour (Pillow does not composite onto white/black).
        byte[] png = TestPngWriter.Encode(2, 1, 8, PngStructure.Rgba, (x, _, c) => c == 3 ? x * 255 : new[] { 200, 100, 50 }[c] - x * 20);

        Rgb24Image image = ImageDecoder.Decode(png);

        Assert.Equal(new byte[] { 200, 100, 50, 180, 80, 30 }, image.Pixels);
    }

    [Theory]
    [InlineData(1, 255)]
    [InlineData(2, 85)]
    [InlineData(4, 17)]
    public void Low_bit_grey_is_scaled_like_pillow(int bitDepth, int factor)
    {
        // Pillow: 1-bit grey is mode "1" (0 or 255); 2- and 4-bit use the L;2 / L;4 unpackers,
        // which multiply by 0x55 and 0x11. 13 pixels per row exercises the row padding.
        int levels = 1 << bitDepth;
        byte[] png = TestPngWriter.Encode(13, 3, bitDepth, PngStructure.Grey, (x, y, _) => (x + y) % levels);

        Rgb24Image image = ImageDecoder.Decode(png);

        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 13; x++)
            {
                byte v = (byte)((x + y) % levels * factor);
                Assert.Equal((v, v, v), Pixel(image, x, y));
            }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Palette_indices_are_looked_up(int bitDepth)
    {
        int entries = 1 << bitDepth;
        byte[] palette = [.. Enumerable.Range(0, entries).SelectMany(i => new[] { (byte)(i * 7 + 1), (byte)(255 - i), (byte)(i * 31) })];
        // Transparency in tRNS must not change the looked-up colour (Pillow's P -> RGB ignores it).
        byte[] transparency = [0, 128];
        byte[] png = TestPngWriter.Encode(11, 2, bitDepth, PngStructure.Palette, (x, y, _) => (x * 3 + y) % entries, palette, transparency);

        Rgb24Image image = ImageDecoder.Decode(png);

        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 11; x++)
            {
                int i = (x * 3 + y) % entries;
                Assert.Equal((palette[3 * i], palette[3 * i + 1], palette[3 * i + 2]), Pixel(image, x, y));
            }
    }

    [Fact]
    public void Transparency_keys_on_grey_and_rgb_do_not_change_pixels()
    {
        byte[] grey = TestPngWriter.Encode(3, 1, 8, PngStructure.Grey, (x, _, _) => x * 100, transparency: [0, 100]);
        byte[] rgb = TestPngWriter.Encode(2, 1, 8, PngStructure.Rgb, (x, _, c) => x * 50 + c, transparency: [0, 0, 0, 1, 0, 2]);

        Assert.Equal(new byte[] { 0, 0, 0, 100, 100, 100, 200, 200, 200 }, ImageDecoder.Decode(grey).Pixels);
        Assert.Equal(new byte[] { 0, 1, 2, 50, 51, 52 }, ImageDecoder.Decode(rgb).Pixels);
    }

    [Fact]
    public void Grey8_is_replicated()
    {
        byte[] png = TestPngWriter.Encode(3, 1, 8, PngStructure.Grey, (x, _, _) => 17 + x * 90);

        Assert.Equal(new byte[] { 17, 17, 17, 107, 107, 107, 197, 197, 197 }, ImageDecoder.Decode(png).Pixels);
    }

    [Theory]
    [InlineData(8, PngStructure.Rgb)]
    [InlineData(16, PngStructure.Rgba)]
    [InlineData(4, PngStructure.Grey)]
    public void Interlaced_decodes_like_non_interlaced(int bitDepth, int colorType)
    {
        int max = (1 << bitDepth) - 1;
        int Sample(int x, int y, int c) => (x * 37 + y * 101 + c * 53) % (max + 1);
        byte[] plain = TestPngWriter.Encode(19, 13, bitDepth, colorType, Sample);
        byte[] interlaced = TestPngWriter.Encode(19, 13, bitDepth, colorType, Sample, interlaced: true);

        Assert.Equal(ImageDecoder.Decode(plain).Pixels, ImageDecoder.Decode(interlaced).Pixels);
    }
}
