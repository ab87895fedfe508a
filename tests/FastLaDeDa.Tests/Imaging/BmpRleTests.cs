using FastLaDeDa.Errors;
using FastLaDeDa.Tests.Support;
using static FastLaDeDa.Tests.Support.TestDecode;

namespace FastLaDeDa.Tests.Imaging;

/// <summary>
/// Hand-built RLE8/RLE4 streams, decoded as Pillow 9.4's <c>BmpRleDecoder</c> decodes them
/// (including its departures from the Windows documentation, each named in the test). Expected
/// indices follow from that decoder's code; each case was also run through Pillow 9.4 while
/// writing the test, which gave the same bytes.
/// </summary>
public sealed class BmpRleTests
{
    // 16 entries, entry i = (R 16 i, G 255 - i, B 100): never a grey ramp.
    private static byte[] Palette16 => [.. Enumerable.Range(0, 16).SelectMany(i => new[] { (byte)100, (byte)(255 - i), (byte)(16 * i), (byte)0 })];

    // Rows top first, as indices into Palette16.
    private static byte[] Expected(params int[] indices) => Rgb([.. indices.Select(i => ((byte)(16 * i), (byte)(255 - i), (byte)100))]);

    private static byte[] Rle(int width, int height, byte[] stream, bool rle4 = false, bool topDown = false) => new TestBmpBuilder
    {
        Width = width, Height = height, TopDown = topDown, BitsPerPixel = rle4 ? 4 : 8, Compression = rle4 ? 2u : 1u,
        ColorsField = 16, Palette = Palette16, Pixels = stream,
    }.ToArray();

    [Fact]
    public void Rle8_runs_absolute_runs_end_of_line_and_end_of_bitmap()
    {
        byte[] stream =
        [
            3, 5, 0, 0,          // row 0: three 5s, end of line (pads with 0)
            0, 3, 1, 2, 3, 0,    // row 1: absolute 1, 2, 3 and a pad byte to an even offset
            1, 9, 0, 1,          // one 9, end of bitmap
        ];

        Assert.Equal(Expected(1, 2, 3, 9, 5, 5, 5, 0), Pixels(Rle(4, 2, stream), 4, 2));
    }

    [Fact]
    public void Rle8_top_down()
    {
        byte[] stream = [2, 5, 0, 0, 2, 6];

        Assert.Equal(Expected(5, 5, 6, 6), Pixels(Rle(2, 2, stream, topDown: true), 2, 2));
    }

    [Fact]
    public void Delta_skips_two_bytes_then_reads_right_and_up_like_pillow_9_4()
    {
        // 0 2 is followed by (9, 9), which Pillow 9.4 reads and drops, then (right 2, up 0).
        byte[] stream = [0, 2, 9, 9, 2, 0, 2, 7];
        Assert.Equal(Expected(0, 0, 7, 7), Pixels(Rle(4, 1, stream), 4, 1));

        // (right 1, up 1) from column 1 of row 0 lands on column 2 of row 1.
        byte[] up = [1, 4, 0, 2, 0, 0, 1, 1, 1, 6];
        Assert.Equal(Expected(0, 0, 6, 4, 0, 0), Pixels(Rle(3, 2, up), 3, 2));
    }

    [Fact]
    public void Delta_cut_off_by_the_end_of_the_file_is_an_error()
    {
        Rejects<ImageDecodeException>(Rle(4, 1, [0, 2, 9, 9, 2]), "RLE delta escape cut off");
    }

    [Fact]
    public void Run_longer_than_its_row_is_clipped_and_the_next_run_is_dropped_until_end_of_line()
    {
        // 5 2s in a row of 3 keep 3; the column counter is then at the end, so 3 4s add nothing
        // until the end of line resets it.
        byte[] stream = [5, 2, 3, 4, 0, 0, 3, 4];

        Assert.Equal(Expected(4, 4, 4, 2, 2, 2), Pixels(Rle(3, 2, stream), 3, 2));
    }

    [Fact]
    public void Absolute_run_flows_into_the_next_row()
    {
        // Absolute runs are not clipped: 1, 2, 3 fill row 0 and start row 1; the 1-pixel run
        // after it is clipped away (column 3 of 2); end of line pads row 1.
        byte[] stream = [0, 3, 1, 2, 3, 0, 1, 5, 0, 0];

        Assert.Equal(Expected(3, 0, 1, 2), Pixels(Rle(2, 2, stream), 2, 2));
    }

    [Fact]
    public void Bitmap_ending_before_its_last_pixel_is_an_error()
    {
        Rejects<ImageDecodeException>(Rle(4, 2, [4, 1, 0, 1]), "RLE data ends after 4 of 8 pixels");
        Rejects<ImageDecodeException>(Rle(4, 2, [4, 1, 0, 0, 2]), "RLE data ends after 4 of 8 pixels");
    }

    [Fact]
    public void Rle4_runs_alternate_nibbles()
    {
        byte[] stream = [5, 0x12, 0, 0, 2, 0xF3, 0, 0];

        Assert.Equal(Expected(15, 3, 0, 0, 0, 1, 2, 1, 2, 1), Pixels(Rle(5, 2, stream, rle4: true), 5, 2));
    }

    [Fact]
    public void Rle4_absolute_run_of_odd_length_drops_its_last_pixel_like_pillow_9_4()
    {
        // "0 3" announces 3 pixels in 2 bytes (0x12 0x30); Pillow 9.4 reads 3 / 2 = 1 byte (1, 2),
        // skips the next byte to reach an even file offset, and goes on with the run 1 0xF0.
        byte[] stream = [4, 0xAB, 0, 0, 0, 3, 0x12, 0x30, 1, 0xF0, 0, 0];

        Assert.Equal(Expected(1, 2, 15, 0, 10, 11, 10, 11), Pixels(Rle(4, 2, stream, rle4: true), 4, 2));
    }

    [Fact]
    public void Rle_with_a_grey_ramp_palette_gives_grey_levels()
    {
        byte[] grey = [.. Enumerable.Range(0, 256).SelectMany(i => new[] { (byte)i, (byte)i, (byte)i, (byte)0 })];
        byte[] bmp = new TestBmpBuilder { Width = 3, Height = 1, BitsPerPixel = 8, Compression = 1, Palette = grey, Pixels = [2, 200, 1, 7] }.ToArray();

        Assert.Equal(Grey(200, 200, 7), Pixels(bmp, 3, 1));
    }

    [Fact]
    public void Rle_with_a_black_and_white_palette_fails_as_in_pillow()
    {
        byte[] bmp = new TestBmpBuilder
        {
            Width = 2, Height = 1, BitsPerPixel = 8, Compression = 1, ColorsField = 2,
            Palette = TestBmpBuilder.Bgrx((0, 0, 0), (255, 255, 255)), Pixels = [2, 1],
        }.ToArray();

        Rejects<ImageDecodeException>(bmp, "black-and-white palette");
    }

    [Fact]
    public void Rle_on_a_24_bit_bitmap_is_an_error()
    {
        byte[] bmp = new TestBmpBuilder { Width = 2, Height = 1, BitsPerPixel = 24, Compression = 1, Pixels = [2, 1] }.ToArray();

        Rejects<ImageDecodeException>(bmp, "RLE compression with 24-bit pixels");
    }
}
