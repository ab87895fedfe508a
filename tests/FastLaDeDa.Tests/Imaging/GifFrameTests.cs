using FastLaDeDa.Errors;
using FastLaDeDa.Tests.Support;
using static FastLaDeDa.Tests.Support.TestDecode;

namespace FastLaDeDa.Tests.Imaging;

/// <summary>
/// The block structure, colour tables and canvas of a GIF's first frame as Pillow 9.4's
/// GifImagePlugin handles them. Expected pixels follow from that plugin's code; each case was
/// also run through Pillow 9.4 (<c>Image.open(path).convert("RGB")</c>) while writing the test,
/// which gave the same bytes.
/// </summary>
public sealed class GifFrameTests
{
    private static readonly byte[] Palette = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120];
    private static readonly byte[] OtherPalette = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13];

    private static (byte, byte, byte) Color(byte[] table, int i) => (table[3 * i], table[3 * i + 1], table[3 * i + 2]);

    private static byte[] Colors(byte[] table, params int[] indices) => Rgb([.. indices.Select(i => Color(table, i))]);

    // Indices 0, 1, 2, 3, ... as codes of minimum size 2, after a clear code.
    private static byte[] Literals(params int[] indices) => LzwCodes.PackGrowing(2, [4, .. indices]);

    [Fact]
    public void Without_a_colour_table_indices_are_grey_levels()
    {
        byte[] gif = new TestGifBuilder(4, 1).Image(0, 0, 4, 1, 2, Literals(0, 1, 2, 3)).Trailer().ToArray();

        Assert.Equal(Grey(0, 1, 2, 3), Pixels(gif, 4, 1));
    }

    [Fact]
    public void Index_past_a_short_colour_table_is_grey()
    {
        byte[] gif = new TestGifBuilder(3, 1, Palette[..6]).Image(0, 0, 3, 1, 2, Literals(0, 1, 3)).Trailer().ToArray();

        Assert.Equal(Rgb(Color(Palette, 0), Color(Palette, 1), (3, 3, 3)), Pixels(gif, 3, 1));
    }

    [Fact]
    public void Local_colour_table_wins_over_the_global_one()
    {
        byte[] gif = new TestGifBuilder(2, 1, Palette).Image(0, 0, 2, 1, 2, Literals(3, 1), localTable: OtherPalette).Trailer().ToArray();

        Assert.Equal(Colors(OtherPalette, 3, 1), Pixels(gif, 2, 1));
    }

    [Fact]
    public void Local_grey_ramp_table_falls_back_to_the_global_colours_like_pillow()
    {
        // Pillow drops a grey-ramp table as not needed, but still puts the global palette on the frame.
        byte[] gif = new TestGifBuilder(2, 1, Palette).Image(0, 0, 2, 1, 2, Literals(3, 1), localTable: TestGifBuilder.GreyRamp(4)).Trailer().ToArray();

        Assert.Equal(Colors(Palette, 3, 1), Pixels(gif, 2, 1));
    }

    [Fact]
    public void Frame_beyond_the_logical_screen_grows_the_canvas()
    {
        // Screen 2x2, frame 2x2 at (1, 1): Pillow makes the image 3x3; outside the frame is index 0.
        byte[] gif = new TestGifBuilder(2, 2, Palette).Image(1, 1, 2, 2, 2, Literals(1, 2, 3, 1)).Trailer().ToArray();

        Assert.Equal(Colors(Palette, 0, 0, 0, 0, 1, 2, 0, 3, 1), Pixels(gif, 3, 3));
    }

    [Fact]
    public void Frame_of_width_zero_at_the_left_edge_covers_the_whole_canvas_like_pillow()
    {
        // Pillow's decoder reads a tile with x0 = x1 = 0 as "the whole image", from the top row.
        byte[] gif = new TestGifBuilder(3, 2, Palette).Image(0, 1, 0, 1, 2, Literals(1, 2, 3, 3, 2, 1)).Trailer().ToArray();

        Assert.Equal(Colors(Palette, 1, 2, 3, 3, 2, 1), Pixels(gif, 3, 2));
    }

    [Fact]
    public void Empty_frame_elsewhere_is_an_error()
    {
        byte[] gif = new TestGifBuilder(3, 2, Palette).Image(1, 0, 0, 1, 2, Literals(1)).Trailer().ToArray();

        Rejects<ImageDecodeException>(gif, "first frame is 0x1 pixels");
    }

    [Fact]
    public void Interlaced_rows_come_in_four_passes()
    {
        // Stream order fills rows 0, 4, 2, 1, 3.
        byte[] gif = new TestGifBuilder(1, 5).Image(0, 0, 1, 5, 3, LzwCodes.PackGrowing(3, 8, 1, 2, 3, 4, 5), interlaced: true).Trailer().ToArray();

        Assert.Equal(Grey(1, 4, 3, 5, 2), Pixels(gif, 1, 5));
    }

    [Fact]
    public void Canvas_outside_the_frame_holds_the_last_transparent_index_set()
    {
        // A later Graphic Control Extension without the transparency flag keeps the earlier index.
        byte[] gif = new TestGifBuilder(2, 1, Palette).GraphicControl(2).GraphicControl(null)
            .Image(0, 0, 1, 1, 2, Literals(1)).Trailer().ToArray();

        Assert.Equal(Colors(Palette, 1, 2), Pixels(gif, 2, 1));
    }

    [Fact]
    public void Graphic_control_extension_must_hold_what_pillow_reads()
    {
        // Flags, delay (3 bytes) are enough without transparency; with it the index must be there too.
        byte[] threeBytes = new TestGifBuilder(1, 1, Palette).Raw(0x21, 0xF9, 3, 0, 0, 0, 0).Image(0, 0, 1, 1, 2, Literals(1)).Trailer().ToArray();
        Assert.Equal(Colors(Palette, 1), Pixels(threeBytes, 1, 1));

        byte[] flagged = new TestGifBuilder(1, 1, Palette).Raw(0x21, 0xF9, 3, 1, 0, 0, 0).Image(0, 0, 1, 1, 2, Literals(1)).Trailer().ToArray();
        Rejects<ImageDecodeException>(flagged, "graphic control extension too short");
    }

    [Fact]
    public void Stray_bytes_comments_and_loop_extensions_before_the_frame_are_skipped()
    {
        byte[] gif = new TestGifBuilder(1, 1, Palette)
            .Raw(0x00, 0x99)
            .Raw([0x21, 0xFE, 5, .. "hello"u8, 0])
            .Raw([0x21, 0xFF, 11, .. "NETSCAPE2.0"u8, 3, 1, 0, 0, 0])
            .Image(0, 0, 1, 1, 2, Literals(3)).Trailer().ToArray();

        Assert.Equal(Colors(Palette, 3), Pixels(gif, 1, 1));
    }

    [Fact]
    public void Application_extension_without_data_is_an_error()
    {
        byte[] gif = new TestGifBuilder(1, 1, Palette).Raw(0x21, 0xFF, 0).Image(0, 0, 1, 1, 2, Literals(3)).Trailer().ToArray();

        Rejects<ImageDecodeException>(gif, "application extension without data");
    }

    [Fact]
    public void File_without_a_frame_is_an_error()
    {
        Rejects<ImageDecodeException>(new TestGifBuilder(1, 1, Palette).Trailer().ToArray(), "no image");
        Rejects<ImageDecodeException>(new TestGifBuilder(1, 1, Palette).ToArray(), "no image");
    }

    [Fact]
    public void Zero_sized_canvas_is_an_error()
    {
        byte[] gif = new TestGifBuilder(0, 5, Palette).Image(0, 0, 0, 1, 2, Literals(1)).Trailer().ToArray();

        Rejects<ImageDecodeException>(gif, "invalid dimensions 0x5");
    }
}
