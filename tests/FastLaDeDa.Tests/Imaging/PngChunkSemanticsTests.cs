using System.Buffers.Binary;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Imaging;

/// <summary>
/// How the chunks around the image data shape the pixels, as Pillow 9.4 reads them (each case
/// was checked against Pillow): palettes shorter or longer than the indices need, several or
/// misplaced PLTE chunks, tRNS chunks Pillow cannot unpack, and an APNG frame control chunk before
/// the image data that makes the IDAT pixels a smaller frame on a zero canvas.
/// </summary>
public sealed class PngChunkSemanticsTests
{
    private static byte[] Build(int width, int height, int depth, int colorType, Func<int, int, int, int> sample,
        byte[][] before, byte[][]? after = null, bool interlaced = false) =>
        TestPngWriter.Assemble([
            TestPngWriter.Chunk("IHDR", TestPngWriter.Header(width, height, depth, colorType, interlaced)),
            .. before,
            TestPngWriter.Chunk("IDAT", TestPngWriter.Compress(TestPngWriter.ImageData(width, height, depth, colorType, sample, interlaced))),
            .. after ?? [],
            TestPngWriter.Chunk("IEND", [])]);

    private static byte[] Plte(params byte[] colours) => TestPngWriter.Chunk("PLTE", colours);

    private static (byte, byte, byte) Pixel(Rgb24Image image, int x, int y)
    {
        int o = (y * image.Width + x) * 3;
        return (image.Pixels[o], image.Pixels[o + 1], image.Pixels[o + 2]);
    }

    private static void AssertRejected(byte[] png, string cause)
    {
        var e = Assert.ThrowsAny<ImageDecodeException>(() => ImageDecoder.Decode(png, "c.png"));
        Assert.Contains(cause, e.Cause);
    }

    [Fact]
    public void Indices_past_the_palette_show_pillows_grey_ramp()
    {
        // Pillow's palette has 256 entries starting as (i, i, i); PLTE overwrites the first ones.
        byte[] colours = [10, 20, 30, 40, 50, 60, 70, 80, 90];
        Rgb24Image image = ImageDecoder.Decode(Build(16, 16, 8, 3, (x, y, _) => y * 16 + x, [Plte(colours)]));
        for (int i = 0; i < 256; i++)
        {
            var expected = i < 3 ? (colours[3 * i], colours[3 * i + 1], colours[3 * i + 2]) : ((byte)i, (byte)i, (byte)i);
            Assert.Equal(expected, Pixel(image, i % 16, i / 16));
        }

        // The same at 2 bits per index: indices 1..3 with a one-entry palette are greys 1..3 (not 85, 170, 255).
        Rgb24Image two = ImageDecoder.Decode(Build(4, 1, 2, 3, (x, _, _) => x, [Plte(200, 100, 0)]));
        Assert.Equal(new byte[] { 200, 100, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3 }, two.Pixels);
    }

    [Fact]
    public void A_partial_last_palette_entry_is_ignored()
    {
        Rgb24Image image = ImageDecoder.Decode(Build(3, 1, 8, 3, (x, _, _) => x, [Plte(1, 2, 3, 4, 5, 6, 7, 8)]));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 2, 2, 2 }, image.Pixels);
    }

    [Fact]
    public void More_than_256_palette_entries_are_refused()
    {
        AssertRejected(Build(3, 1, 8, 3, (x, _, _) => x, [Plte(new byte[257 * 3])]), "PLTE chunk has 257 entries");
        // 770 bytes are 256 entries and a partial one: accepted.
        Assert.Equal(new byte[9], ImageDecoder.Decode(Build(3, 1, 8, 3, (x, _, _) => x, [Plte(new byte[770])])).Pixels);
    }

    [Fact]
    public void The_last_palette_before_the_image_data_is_the_palette()
    {
        byte[][] first = [Plte(1, 1, 1, 2, 2, 2)], second = [Plte(7, 7, 7, 9, 9, 9)];
        Assert.Equal(new byte[] { 7, 7, 7, 9, 9, 9 }, ImageDecoder.Decode(Build(2, 1, 8, 3, (x, _, _) => x, [.. first, .. second])).Pixels);
        Assert.Equal(new byte[] { 1, 1, 1, 2, 2, 2 }, ImageDecoder.Decode(Build(2, 1, 8, 3, (x, _, _) => x, first, second)).Pixels);
        // Only after the image data: Pillow has no palette when it decodes, so the grey ramp shows.
        Assert.Equal(new byte[] { 0, 0, 0, 1, 1, 1 }, ImageDecoder.Decode(Build(2, 1, 8, 3, (x, _, _) => x, [], second)).Pixels);
    }

    [Fact]
    public void A_palette_in_an_image_without_indices_is_ignored()
    {
        byte[] png = Build(2, 1, 8, 2, (x, _, c) => x * 10 + c, [Plte(new byte[1000])]);
        Assert.Equal(new byte[] { 0, 1, 2, 10, 11, 12 }, ImageDecoder.Decode(png).Pixels);
    }

    [Fact]
    public void Transparency_pillow_cannot_unpack_is_refused_and_the_rest_changes_nothing()
    {
        byte[] Trns(int length) => TestPngWriter.Chunk("tRNS", [.. Enumerable.Range(1, length).Select(i => (byte)i)]);
        int Grey(int x, int y, int c) => x * 50;
        AssertRejected(Build(3, 1, 8, 0, Grey, [Trns(1)]), "tRNS chunk of 1 bytes, colour type 0 needs 2");
        AssertRejected(Build(3, 1, 16, 0, Grey, [Trns(0)]), "tRNS chunk of 0 bytes");
        AssertRejected(Build(3, 1, 8, 2, Grey, [Trns(5)]), "tRNS chunk of 5 bytes, colour type 2 needs 6");
        AssertRejected(Build(3, 1, 8, 0, Grey, [], [Trns(1)]), "tRNS chunk of 1 bytes"); // Pillow reads it after the image data too

        byte[] grey = [0, 0, 0, 50, 50, 50, 100, 100, 100];
        Assert.Equal(grey, ImageDecoder.Decode(Build(3, 1, 8, 0, Grey, [Trns(7)])).Pixels);
        Assert.Equal(grey, ImageDecoder.Decode(Build(3, 1, 8, 4, (x, y, c) => c == 0 ? x * 50 : 0, [Trns(3)])).Pixels);
        byte[] greyPalette = [.. Enumerable.Range(0, 768).Select(i => (byte)(i / 3))];
        Assert.Equal(grey, ImageDecoder.Decode(Build(3, 1, 8, 3, (x, y, c) => x * 50, [Plte(greyPalette), Trns(300)], [Trns(1)])).Pixels);
    }

    private static byte[] FrameControl(uint sequence, uint width, uint height, uint x, uint y)
    {
        var body = new byte[26];
        BinaryPrimitives.WriteUInt32BigEndian(body, sequence);
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(4), width);
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(8), height);
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(12), x);
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(16), y);
        body[21] = 1; // delay 0/1 s
        return TestPngWriter.Chunk("fcTL", body);
    }

    private static byte[] AnimationControl => TestPngWriter.Chunk("acTL", [0, 0, 0, 1, 0, 0, 0, 0]);

    /// <summary>A 21×11 file whose IDAT holds a <paramref name="frameWidth"/> × <paramref name="frameHeight"/> frame declared by an fcTL at (3, 2).</summary>
    private static byte[] Framed(int colorType, bool interlaced, int frameWidth = 10, int frameHeight = 5, byte[][]? extra = null)
    {
        byte[] header = TestPngWriter.Chunk("IHDR", TestPngWriter.Header(21, 11, 8, colorType, interlaced));
        byte[] data = TestPngWriter.Compress(TestPngWriter.ImageData(frameWidth, frameHeight, 8, colorType, (x, y, c) => 100 + x + 10 * y + c, interlaced));
        byte[][] palette = colorType == 3 ? [Plte([.. Enumerable.Range(0, 768).Select(i => (byte)(255 - i / 3))])] : [];
        return TestPngWriter.Assemble([header, .. palette, AnimationControl, FrameControl(0, (uint)frameWidth, (uint)frameHeight, 3, 2),
            .. extra ?? [], TestPngWriter.Chunk("IDAT", data), TestPngWriter.Chunk("IEND", [])]);
    }

    [Theory]
    [InlineData(2, false, 3, 2)]
    [InlineData(3, false, 3, 2)]
    [InlineData(2, true, 0, 0)] // Pillow's interlaced path ignores the frame's offset
    public void A_frame_control_before_the_image_data_makes_it_a_frame_on_a_zero_canvas(int colorType, bool interlaced, int left, int top)
    {
        Rgb24Image image = ImageDecoder.Decode(Framed(colorType, interlaced));

        Assert.Equal((21, 11), (image.Width, image.Height));
        for (int y = 0; y < 11; y++)
            for (int x = 0; x < 21; x++)
            {
                int fx = x - left, fy = y - top;
                bool inside = fx is >= 0 and < 10 && fy is >= 0 and < 5;
                // Zero samples: black, or palette entry 0 (255, 255, 255 here).
                byte v = (byte)(100 + fx + 10 * fy);
                var expected = colorType == 3
                    ? inside ? ((byte)(255 - v), (byte)(255 - v), (byte)(255 - v)) : ((byte)255, (byte)255, (byte)255)
                    : inside ? (v, (byte)(v + 1), (byte)(v + 2)) : ((byte)0, (byte)0, (byte)0);
                Assert.True(expected == Pixel(image, x, y), $"({x}, {y}): expected {expected}, got {Pixel(image, x, y)}");
            }
    }

    [Fact]
    public void Frame_controls_pillow_refuses_are_refused()
    {
        AssertRejected(Framed(2, false, frameWidth: 19), "APNG frame 19x5 at (3, 2) outside the 21x11 image");
        AssertRejected(Framed(2, false, frameWidth: 0), "APNG frame of 0x5 pixels");
        AssertRejected(Framed(2, false, extra: [FrameControl(2, 10, 5, 0, 0)]), "sequence numbers out of order");
        AssertRejected(Framed(2, false, extra: [TestPngWriter.Chunk("fcTL", new byte[25])]), "fcTL chunk shorter than 26 bytes");
        AssertRejected(Framed(2, false, extra: [TestPngWriter.Chunk("fdAT", [0, 0, 0, 1, 0])]), "frame data (fdAT) before the image data");
        // The next sequence number is fine, and the last frame control before the image data counts.
        Rgb24Image image = ImageDecoder.Decode(Framed(2, false, extra: [FrameControl(1, 10, 5, 11, 6)]));
        Assert.Equal(((byte)0, (byte)0, (byte)0), Pixel(image, 3, 2));
        Assert.Equal(((byte)100, (byte)101, (byte)102), Pixel(image, 11, 6));
    }
}
