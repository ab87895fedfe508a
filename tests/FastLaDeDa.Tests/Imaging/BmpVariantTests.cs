using FastLaDeDa.Errors;
using FastLaDeDa.Tests.Support;
using static FastLaDeDa.Tests.Support.TestDecode;

namespace FastLaDeDa.Tests.Imaging;

/// <summary>
/// Bitmap headers, DIB data, bit fields and palettes as Pillow 9.4 reads them (including where
/// it departs from the Windows documentation). Expected pixels follow from BmpImagePlugin's
/// code; each case was also run through Pillow 9.4 (<c>Image.open(path).convert("RGB")</c>)
/// while writing the test, which gave the same bytes.
/// </summary>
public sealed class BmpVariantTests
{
    private static readonly (byte, byte, byte)[] Colors = [(200, 10, 20), (30, 220, 40), (50, 60, 230), (250, 250, 5)];

    // 256 BGRX entries, entry i = (R 255 - i, G i / 2, B i): never a grey ramp.
    private static byte[] Palette256 => [.. Enumerable.Range(0, 256).SelectMany(i => new[] { (byte)i, (byte)(i / 2), (byte)(255 - i), (byte)0 })];

    private static (byte, byte, byte) Entry256(int i) => ((byte)(255 - i), (byte)(i / 2), (byte)i);

    [Fact]
    public void Os2_core_header_has_16_bit_sizes_and_three_byte_palette_entries()
    {
        byte[] palette = [.. Enumerable.Range(0, 256).SelectMany(i => new[] { (byte)i, (byte)(i / 2), (byte)(255 - i) })];
        byte[] bmp = new TestBmpBuilder { HeaderSize = 12, Width = 3, Height = 2, BitsPerPixel = 8, Palette = palette, Pixels = [7, 8, 9, 0, 1, 2, 3, 0] }.ToArray();

        Assert.Equal(Rgb(Entry256(1), Entry256(2), Entry256(3), Entry256(7), Entry256(8), Entry256(9)), Pixels(bmp, 3, 2));
    }

    [Fact]
    public void Offset_pointing_at_the_palette_is_moved_past_it()
    {
        // The file header says the pixels start right after the info header (54), forgetting the
        // palette; Pillow adds 4 bytes per declared colour, which finds them.
        byte[] bmp = new TestBmpBuilder
        {
            Width = 2, Height = 1, BitsPerPixel = 8, ColorsField = 2, PixelOffset = 54,
            Palette = TestBmpBuilder.Bgrx(Colors[0], Colors[1]), Pixels = [1, 0, 0, 0],
        }.ToArray();

        Assert.Equal(Rgb(Colors[1], Colors[0]), Pixels(bmp, 2, 1));
    }

    [Fact]
    public void Os2_core_offset_at_the_palette_is_moved_by_four_bytes_per_colour_like_pillow()
    {
        // Pillow moves the offset by 4 bytes per colour even for 3-byte OS/2 entries, so here it
        // reads the pixels two bytes late: the 1-bit row 0b10000000 is at 32, Pillow reads 34.
        byte[] bmp = new TestBmpBuilder
        {
            HeaderSize = 12, Width = 8, Height = 1, BitsPerPixel = 1, PixelOffset = 26,
            Palette = [10, 20, 30, 40, 50, 60], Pixels = [0x80, 0, 0b0110_0000, 0],
        }.ToArray();

        (byte, byte, byte) zero = (30, 20, 10), one = (60, 50, 40);
        Assert.Equal(Rgb(zero, one, one, zero, zero, zero, zero, zero), Pixels(bmp, 8, 1));
    }

    [Fact]
    public void Zero_offset_means_right_after_the_palette()
    {
        byte[] bmp = new TestBmpBuilder
        {
            Width = 1, Height = 1, BitsPerPixel = 8, ColorsField = 3, PixelOffset = 0,
            Palette = TestBmpBuilder.Bgrx(Colors[0], Colors[1], Colors[2]), Pixels = [2, 0, 0, 0],
        }.ToArray();

        Assert.Equal(Rgb(Colors[2]), Pixels(bmp, 1, 1));
    }

    [Fact]
    public void Os2_v2_header_of_64_bytes()
    {
        byte[] bmp = new TestBmpBuilder { HeaderSize = 64, Width = 2, Height = 1, BitsPerPixel = 8, Palette = Palette256, Pixels = [5, 250, 0, 0] }.ToArray();

        Assert.Equal(Rgb(Entry256(5), Entry256(250)), Pixels(bmp, 2, 1));
    }

    [Theory]
    [InlineData(108, 0xFF000000u, 0xFF0000u, 0xFF00u, 0u, 3, 2, 1)]          // XBGR
    [InlineData(124, 0xFF000000u, 0xFF0000u, 0xFF00u, 0xFFu, 3, 2, 1)]       // ABGR (alpha dropped)
    [InlineData(108, 0xFFu, 0xFF00u, 0xFF0000u, 0xFF000000u, 0, 1, 2)]       // RGBA
    [InlineData(124, 0xFF0000u, 0xFF00u, 0xFFu, 0xFF000000u, 2, 1, 0)]       // BGRA
    [InlineData(40, 0xFF0000u, 0xFF00u, 0xFFu, 0u, 2, 1, 0)]                 // BGRX, masks after the header
    [InlineData(124, 0u, 0u, 0u, 0u, 2, 1, 0)]                               // all-zero masks: Pillow reads BGRA
    public void Thirty_two_bit_bit_fields_pillow_lists(int headerSize, uint red, uint green, uint blue, uint alpha, int r, int g, int b)
    {
        byte[] pixel = [11, 22, 33, 44];
        byte[] bmp = new TestBmpBuilder { HeaderSize = headerSize, BitsPerPixel = 32, Compression = 3, Masks = [red, green, blue, alpha], Pixels = pixel }.ToArray();

        Assert.Equal(new[] { pixel[r], pixel[g], pixel[b] }, Pixels(bmp, 1, 1));
    }

    [Fact]
    public void Twenty_four_bit_and_5_5_5_bit_fields()
    {
        byte[] bgr = new TestBmpBuilder { BitsPerPixel = 24, Compression = 3, Masks = [0xFF0000, 0xFF00, 0xFF], Pixels = [1, 2, 3, 0] }.ToArray();
        Assert.Equal(new byte[] { 3, 2, 1 }, Pixels(bgr, 1, 1));

        // 0b0_00100_01000_11111: red 4, green 8, blue 31, scaled by v * 255 / 31.
        byte[] rgb555 = new TestBmpBuilder { BitsPerPixel = 16, Compression = 3, Masks = [0x7C00, 0x3E0, 0x1F], Pixels = [0x1F, 0x11, 0, 0] }.ToArray();
        Assert.Equal(new byte[] { 32, 65, 255 }, Pixels(rgb555, 1, 1));
    }

    [Theory]
    [InlineData(32, 0xFF000000u, 0xFF00u, 0xFFu, 0xFF0000u)] // a 40-byte header has no alpha mask, so this is not Pillow's RGBA
    [InlineData(32, 0xFFE00000u, 0x1FFC00u, 0x3FFu, 0u)]     // 11-11-10
    [InlineData(16, 0xF00u, 0xF0u, 0xFu, 0u)]                // 4-4-4
    [InlineData(8, 0xE0u, 0x1Cu, 0x3u, 0u)]                  // bit fields on a palette depth
    public void Other_bit_field_layouts_are_refused_as_pillow_refuses_them(int bits, uint red, uint green, uint blue, uint alpha)
    {
        byte[] bmp = new TestBmpBuilder { HeaderSize = 40, BitsPerPixel = bits, Compression = 3, Masks = [red, green, blue, alpha], Pixels = new byte[4] }.ToArray();

        Rejects<UnsupportedImageFormatException>(bmp, "bit masks");
    }

    [Theory]
    [InlineData(52, 24, 0u, "52-byte info header")]
    [InlineData(56, 24, 0u, "56-byte info header")]
    [InlineData(16, 24, 0u, "16-byte info header")]
    [InlineData(40, 2, 0u, "2 bits per pixel")]
    [InlineData(40, 0, 4u, "0 bits per pixel")]
    [InlineData(40, 24, 4u, "compression 4 (embedded JPEG)")]
    [InlineData(40, 24, 5u, "compression 5 (embedded PNG)")]
    public void Variants_pillow_refuses_are_unsupported(int headerSize, int bits, uint compression, string cause)
    {
        byte[] bmp = new TestBmpBuilder { HeaderSize = headerSize, BitsPerPixel = bits, Compression = compression, Pixels = new byte[4] }.ToArray();

        var e = Rejects<UnsupportedImageFormatException>(bmp, cause);
        Assert.Contains("Pillow 9.4 refuses it too", e.Cause);
    }

    [Fact]
    public void Unknown_header_size_is_corrupt()
    {
        byte[] bmp = new TestBmpBuilder { HeaderSize = 66, Pixels = new byte[4] }.ToArray();

        Rejects<ImageDecodeException>(bmp, "unknown info header size 66");
    }

    [Fact]
    public void Index_past_the_palette_shows_as_grey()
    {
        byte[] bmp = new TestBmpBuilder
        {
            Width = 4, Height = 1, BitsPerPixel = 8, ColorsField = 2,
            Palette = TestBmpBuilder.Bgrx(Colors[0], Colors[1]), Pixels = [0, 1, 2, 200],
        }.ToArray();

        Assert.Equal(Rgb(Colors[0], Colors[1], (2, 2, 2), (200, 200, 200)), Pixels(bmp, 4, 1));
    }

    [Fact]
    public void Four_bit_palette_without_a_colour_count_has_sixteen_entries()
    {
        byte[] palette = [.. Enumerable.Range(0, 16).SelectMany(i => new[] { (byte)(i * 16), (byte)(255 - i), (byte)i, (byte)0 })];
        byte[] bmp = new TestBmpBuilder { Width = 3, Height = 1, BitsPerPixel = 4, Palette = palette, Pixels = [0xF0, 0x70, 0, 0] }.ToArray();

        Assert.Equal(Rgb((15, 240, 240), (0, 255, 0), (7, 248, 112)), Pixels(bmp, 3, 1));
    }

    [Fact]
    public void Eight_bit_bitmap_with_a_black_and_white_palette_is_read_one_bit_per_pixel_like_pillow()
    {
        // Pillow opens any bitmap whose palette is exactly black, white as mode "1" and unpacks
        // its rows 1 bit per pixel, whatever the declared depth: 0xA0 gives white, black, white.
        byte[] bmp = new TestBmpBuilder
        {
            Width = 3, Height = 1, BitsPerPixel = 8, ColorsField = 2,
            Palette = TestBmpBuilder.Bgrx((0, 0, 0), (255, 255, 255)), Pixels = [0xA0, 1, 1, 0],
        }.ToArray();

        Assert.Equal(Grey(255, 0, 255), Pixels(bmp, 3, 1));
    }

    [Fact]
    public void Four_bit_bitmap_with_a_grey_ramp_palette_reads_a_byte_per_pixel_across_its_rows_like_pillow()
    {
        // A grey-ramp palette makes Pillow open the bitmap as mode "L", one byte per pixel. The
        // rows of this 10-pixel 4-bit image are 8 bytes apart, so through Pillow's file mapping
        // each row reads 2 bytes of the next, and the last (top) row 2 zeros past the end (from a
        // file object instead of a path, Pillow refuses the file).
        byte[] palette = [.. Enumerable.Range(0, 16).SelectMany(i => new[] { (byte)i, (byte)i, (byte)i, (byte)0 })];
        byte[] stored = [.. Enumerable.Range(1, 16).Select(i => (byte)(i * 10))];
        byte[] bmp = new TestBmpBuilder { Width = 10, Height = 2, BitsPerPixel = 4, Palette = palette, Pixels = stored }.ToArray();

        byte[] top = [.. stored[8..16], 0, 0], bottom = stored[..10];
        Assert.Equal(Grey([.. top, .. bottom]), Pixels(bmp, 10, 2));
    }

    [Fact]
    public void More_than_256_palette_entries_are_an_error()
    {
        byte[] bmp = new TestBmpBuilder { Width = 1, Height = 1, BitsPerPixel = 8, ColorsField = 257, Palette = [.. Palette256, 1, 2, 3, 0], Pixels = [0, 0, 0, 0] }.ToArray();

        Rejects<ImageDecodeException>(bmp, "palette of 257 colours");
    }

    [Fact]
    public void Colour_count_over_65536_is_an_error()
    {
        byte[] bmp = new TestBmpBuilder { Width = 1, Height = 1, BitsPerPixel = 8, ColorsField = 65537, Pixels = [0, 0, 0, 0] }.ToArray();

        Rejects<ImageDecodeException>(bmp, "palette of 65537 colours");
    }

    [Fact]
    public void Negative_height_is_top_down_only_when_its_top_byte_is_ff()
    {
        // Pillow reads a height whose top byte is not 0xFF as unsigned: -16777217 is 4278190079 rows.
        byte[] bmp = new TestBmpBuilder { BitsPerPixel = 24, Pixels = new byte[4] }.ToArray();
        BitConverter.GetBytes(-16777217).CopyTo(bmp, 22);

        Rejects<ImageLimitExceededException>(bmp, "1x4278190079");
    }

    [Fact]
    public void Last_row_may_lack_its_padding_but_not_its_pixels()
    {
        byte[] bmp = new TestBmpBuilder { Width = 1, Height = 2, BitsPerPixel = 24, Pixels = [1, 2, 3, 0, 4, 5, 6] }.ToArray();
        Assert.Equal(new byte[] { 6, 5, 4, 3, 2, 1 }, Pixels(bmp, 1, 2));

        Rejects<ImageDecodeException>(bmp[..^1], "truncated BMP");
    }

    [Fact]
    public void Dib_data_has_no_file_header_and_pixels_right_after_the_palette()
    {
        byte[] dib = new TestBmpBuilder { Dib = true, Width = 2, Height = 1, BitsPerPixel = 8, ColorsField = 2, Palette = TestBmpBuilder.Bgrx(Colors[0], Colors[1]), Pixels = [1, 0, 0, 0] }.ToArray();
        Assert.Equal(Rgb(Colors[1], Colors[0]), Pixels(dib, 2, 1));

        byte[] dib32 = new TestBmpBuilder { Dib = true, HeaderSize = 124, BitsPerPixel = 32, Compression = 3, Masks = [0xFF, 0xFF00, 0xFF0000, 0xFF000000], Pixels = [9, 8, 7, 6] }.ToArray();
        Assert.Equal(new byte[] { 9, 8, 7 }, Pixels(dib32, 1, 1));
    }

    [Theory]
    [InlineData(12)]
    [InlineData(40)]
    [InlineData(64)]
    [InlineData(108)]
    [InlineData(124)]
    public void Dib_is_recognised_by_its_header_size_like_pillow(int headerSize)
    {
        byte[] dib = new TestBmpBuilder { Dib = true, HeaderSize = headerSize, BitsPerPixel = 24, Pixels = [1, 2, 3, 0] }.ToArray();

        Assert.Equal(new byte[] { 3, 2, 1 }, Pixels(dib, 1, 1));
    }

    [Fact]
    public void Cut_dib_is_a_truncated_dib()
    {
        byte[] dib = new TestBmpBuilder { Dib = true, BitsPerPixel = 24, Pixels = [1, 2, 3, 0] }.ToArray();

        Rejects<ImageDecodeException>(dib[..20], "truncated DIB (info header incomplete)");
        Rejects<ImageDecodeException>(dib[..42], "truncated DIB (pixel data incomplete)");
    }

    [Fact]
    public void Bm_with_an_unknown_header_is_a_corrupt_bmp_not_an_unknown_format()
    {
        Rejects<ImageDecodeException>([.. "BM"u8, .. new byte[30]], "corrupt BMP: unknown info header size 0");
        Rejects<ImageDecodeException>([.. "BM"u8, 1, 2], "truncated BMP (file header incomplete)");
    }
}
