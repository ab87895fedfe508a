using FastLaDeDa.Errors;
using FastLaDeDa.Tests.Support;
using static FastLaDeDa.Tests.Support.TestDecode;

namespace FastLaDeDa.Tests.Imaging;

/// <summary>
/// LZW streams written code by code, decoded as Pillow 9.4's GifDecode.c decodes them, edge cases
/// included. Expected indices follow from that decoder's code; each case was also run through
/// Pillow 9.4 while writing the test, which gave the same bytes.
/// </summary>
public sealed class GifLzwTests
{
    private static readonly byte[] Palette = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120];

    private static byte[] Colors(params int[] indices) => Rgb([.. indices.Select(i => (Palette[3 * i], Palette[3 * i + 1], Palette[3 * i + 2]))]);

    private static byte[] Gif(int width, int minimumCodeSize, byte[] lzw, byte[]? palette = null, bool terminate = true) =>
        new TestGifBuilder(width, 1, palette ?? Palette).Image(0, 0, width, 1, minimumCodeSize, lzw, terminate: terminate).Trailer().ToArray();

    private const int Clear = 4, End = 5; // for minimum code size 2

    [Fact]
    public void Code_equal_to_the_next_free_code_repeats_the_last_string_plus_its_first_byte()
    {
        // 1, 2, then 6 = "1 2" (entry 6), then 8 = the next free code: "1 2" + "1".
        byte[] gif = Gif(7, 2, LzwCodes.PackGrowing(2, Clear, 1, 2, 6, 8));

        Assert.Equal(Colors(1, 2, 1, 2, 1, 2, 1), Pixels(gif, 7, 1));
    }

    [Fact]
    public void First_code_after_a_clear_must_be_a_literal()
    {
        Rejects<ImageDecodeException>(Gif(3, 2, LzwCodes.PackGrowing(2, Clear, 6, 1, 1)), "invalid LZW code");
    }

    [Fact]
    public void Code_beyond_the_next_free_code_is_broken()
    {
        Rejects<ImageDecodeException>(Gif(3, 2, LzwCodes.PackGrowing(2, Clear, 1, 7, 1)), "invalid LZW code");
    }

    [Fact]
    public void Codes_after_the_last_pixel_are_never_read()
    {
        // Pillow stops at the last pixel: neither the broken code 7 nor a missing end code matters.
        Assert.Equal(Colors(1, 2), Pixels(Gif(2, 2, LzwCodes.PackGrowing(2, Clear, 1, 2, 7)), 2, 1));
        Assert.Equal(Colors(1, 2), Pixels(Gif(2, 2, LzwCodes.PackGrowing(2, Clear, 1, 2), terminate: false)[..^1], 2, 1));
    }

    [Fact]
    public void End_code_before_the_last_pixel_is_a_truncated_frame()
    {
        Rejects<ImageDecodeException>(Gif(3, 2, LzwCodes.PackGrowing(2, Clear, 1, End)), "ends before its last pixel");
    }

    [Fact]
    public void End_code_before_the_last_pixel_of_a_file_over_64_kib_is_decoded_past_like_pillow()
    {
        // Pillow hands its decoder 64 KiB at a time and only gives up at an end code once the
        // whole file has been read; with more to read, decoding goes on after the end code.
        byte[] lzw = LzwCodes.PackGrowing(2, Clear, 1, End, 2, 3);
        byte[] small = Gif(3, 2, lzw);
        byte[] large = [.. small, .. new byte[70_000]];

        Rejects<ImageDecodeException>(small, "ends before its last pixel");
        Assert.Equal(Colors(1, 2, 3), Pixels(large, 3, 1));
    }

    [Fact]
    public void Data_cut_inside_a_sub_block_is_a_truncated_frame()
    {
        byte[] gif = Gif(40, 2, LzwCodes.PackGrowing(2, [Clear, .. Enumerable.Repeat(1, 40)]));
        int cut = Array.LastIndexOf(gif, (byte)0) - 3; // inside the data sub-block

        Rejects<ImageDecodeException>(gif[..cut], "truncated GIF");
    }

    [Fact]
    public void Minimum_code_size_1_keeps_2_bit_codes_like_pillow()
    {
        // Pillow widens codes when the next free code equals the code mask; starting at 4 with
        // mask 3 that never happens, so every code stays 2 bits (others widen to 3 after 4 codes).
        byte[] lzw = LzwCodes.Pack([(2, 2), .. Enumerable.Range(0, 8).Select(i => (i % 2, 2))]);

        Assert.Equal(Colors(0, 1, 0, 1, 0, 1, 0, 1), Pixels(Gif(8, 1, lzw), 8, 1));
    }

    [Fact]
    public void Minimum_code_size_0_uses_1_bit_codes()
    {
        // Clear is 1: "0 1 0 0" is a pixel, a clear, two pixels.
        byte[] lzw = LzwCodes.Pack((0, 1), (1, 1), (0, 1), (0, 1));

        Assert.Equal(Colors(0, 0, 0), Pixels(Gif(3, 0, lzw), 3, 1));
    }

    [Fact]
    public void Minimum_code_size_12_keeps_the_low_byte_of_literals()
    {
        // 13-bit codes; the literals 511 and 258 are stored as bytes 255 and 2.
        byte[] palette = [.. Enumerable.Range(0, 256).SelectMany(i => new[] { (byte)i, (byte)(255 - i), (byte)(i / 2) })];
        byte[] lzw = LzwCodes.Pack((4096, 13), (511, 13), (258, 13));

        Assert.Equal(Rgb((255, 0, 127), (2, 253, 1)), Pixels(Gif(2, 12, lzw, palette), 2, 1));
    }

    [Fact]
    public void Minimum_code_size_over_12_is_an_error()
    {
        Rejects<ImageDecodeException>(Gif(1, 13, [0, 0]), "LZW minimum code size 13");
    }

    [Fact]
    public void Full_table_stops_growing_at_12_bits_and_a_clear_resets_it()
    {
        // 3839 literals fill the table (entries 258 to 4095); entry 4095 is "253 254"; after the
        // clear, codes are 9 bits again.
        byte[] palette = [.. Enumerable.Range(0, 256).SelectMany(i => new[] { (byte)i, (byte)(i * 3), (byte)(255 - i) })];
        int[] literals = [.. Enumerable.Range(0, 3839).Select(i => i % 256)];
        byte[] lzw = LzwCodes.PackGrowing(8, [256, .. literals, 4095, 256, 7]);

        int[] expected = [.. literals, 253, 254, 7];
        byte[] rgb = Rgb([.. expected.Select(i => ((byte)i, (byte)(i * 3), (byte)(255 - i)))]);
        Assert.Equal(rgb, Pixels(Gif(expected.Length, 8, lzw, palette), expected.Length, 1));
    }
}
