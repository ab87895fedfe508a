using System.Text;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;

namespace FastLaDeDa.Tests.Imaging;

/// <summary>Netpbm files, compared with Pillow 9.4's PpmImagePlugin semantics (expected values computed with Python's round()).</summary>
public sealed class PnmDecodeTests
{
    private static byte[] Pnm(string header, params byte[] raster) => [.. Encoding.ASCII.GetBytes(header), .. raster];

    private static byte[] Grey(params byte[] values) => [.. values.SelectMany(v => new[] { v, v, v })];

    [Fact]
    public void Raw_ppm_and_pgm_with_maxval_255()
    {
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, ImageDecoder.Decode(Pnm("P6\n2 1\n255\n", 1, 2, 3, 4, 5, 6)).Pixels);
        Assert.Equal(Grey(9, 200), ImageDecoder.Decode(Pnm("P5 2 1 255 ", 9, 200)).Pixels);
    }

    [Fact]
    public void Header_comments_are_skipped()
    {
        Rgb24Image image = ImageDecoder.Decode(Pnm("P5\n# made by a test\n2 # width\n1\n255\n", 9, 200));

        Assert.Equal(Grey(9, 200), image.Pixels);
    }

    [Fact]
    public void Small_maxval_is_rescaled_with_round_half_to_even()
    {
        // round(v / 100 * 255): 10 -> 25.5 -> 26, 30 -> 76.5 -> 76, 50 -> 127.5 -> 128, 70 -> 178.5 -> 178.
        Rgb24Image image = ImageDecoder.Decode(Pnm("P5 8 1 100\n", 0, 2, 10, 30, 50, 70, 99, 100));

        Assert.Equal(Grey(0, 5, 26, 76, 128, 178, 252, 255), image.Pixels);
    }

    [Fact]
    public void Raw_samples_above_maxval_are_clamped()
    {
        Assert.Equal(Grey(255, 255), ImageDecoder.Decode(Pnm("P5 2 1 100\n", 150, 255)).Pixels);
    }

    [Fact]
    public void Sixteen_bit_grey_is_clipped_like_pillow_mode_I()
    {
        // maxval 65535: raw I;16B, then convert("RGB") clips to 255.
        byte[] samples = [0, 0, 0, 100, 0, 255, 1, 0, 3, 232, 255, 255];
        Assert.Equal(Grey(0, 100, 255, 255, 255, 255), ImageDecoder.Decode(Pnm("P5 6 1 65535\n", samples)).Pixels);

        // maxval 1000: rescaled to 0..65535 first (round(v / 1000 * 65535)), then clipped.
        byte[] scaled = [0, 0, 0, 1, 0, 3, 0, 4, 3, 231];
        Assert.Equal(Grey(0, 66, 197, 255, 255), ImageDecoder.Decode(Pnm("P5 5 1 1000\n", scaled)).Pixels);
    }

    [Fact]
    public void Sixteen_bit_rgb_is_rescaled_to_255()
    {
        // round(v / 1023 * 255): 1 -> 0, 2 -> 0, 511 -> 127, 512 -> 128, 1022 -> 255, 1023 -> 255.
        byte[] samples = [0, 1, 0, 2, 1, 255, 2, 0, 3, 254, 3, 255];
        Assert.Equal(new byte[] { 0, 0, 127, 128, 255, 255 }, ImageDecoder.Decode(Pnm("P6 2 1 1023\n", samples)).Pixels);
    }

    [Fact]
    public void Plain_formats_are_read()
    {
        Assert.Equal(new byte[] { 0, 1, 2, 255, 254, 253 }, ImageDecoder.Decode(Pnm("P3\n2 1\n255\n0 1 2\n# comment\n255 254 253\n")).Pixels);
        Assert.Equal(Grey(0, 128, 255), ImageDecoder.Decode(Pnm("P2 3 1 2 0 1 2")).Pixels);
        // PBM: 1 is black, 0 is white; whitespace between digits is optional.
        Assert.Equal(Grey(0, 255, 255, 0), ImageDecoder.Decode(Pnm("P1\n4 1\n1001")).Pixels);
    }

    [Fact]
    public void Raw_pbm_rows_are_padded_to_bytes()
    {
        Rgb24Image image = ImageDecoder.Decode(Pnm("P4\n10 2\n", 0b1000_0000, 0b0100_0000, 0b0000_0001, 0b1100_0000));

        Assert.Equal(Grey(0, 255, 255, 255, 255, 255, 255, 255, 255, 0, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0), image.Pixels);
    }

    [Fact]
    public void Short_raster_is_an_error()
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(Pnm("P6 2 2 255\n", 1, 2, 3), "short.ppm"));
        Assert.Contains("truncated PNM", e.Message);
        Assert.Contains("short.ppm", e.Message);
    }

    [Fact]
    public void Plain_sample_above_maxval_is_an_error()
    {
        Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(Pnm("P2 1 1 10 11")));
    }
}
