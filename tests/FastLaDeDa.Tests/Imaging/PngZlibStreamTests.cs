using System.Diagnostics;
using System.IO.Compression;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Imaging;

/// <summary>
/// The zlib stream inside a PNG's IDAT chunks (with valid chunk CRCs, so only the decoder can
/// notice): a decompression bomb costs what its header's dimensions allow, corrupt or truncated
/// data raises <see cref="ImageDecodeException"/> and nothing else, and the data Pillow 9.4
/// ignores (after the last row, after the stream, a stream cut inside its checksum) is ignored.
/// </summary>
public sealed class PngZlibStreamTests
{
    private const int Width = 24, Height = 17;

    private static int Sample(int x, int y, int c) => (x * 29 + y * 71 + c * 101) % 256;

    /// <summary>The filtered rows of a 24×17 RGB image, the five filter types in turn.</summary>
    private static byte[] ImageData() => TestPngWriter.ImageData(Width, Height, 8, 2, Sample, filter: row => row % 5);

    private static byte[] Png(byte[] zlib, params byte[][] moreChunks) => TestPngWriter.Assemble([
        TestPngWriter.Chunk("IHDR", TestPngWriter.Header(Width, Height, 8, 2)),
        TestPngWriter.Chunk("IDAT", zlib), .. moreChunks,
        TestPngWriter.Chunk("IEND", [])]);

    private static byte[] ExpectedPixels() =>
        [.. Enumerable.Range(0, Width * Height * 3).Select(i => (byte)Sample(i / 3 % Width, i / 3 / Width, i % 3))];

    private static void AssertRejected(byte[] png, string cause)
    {
        var e = Assert.ThrowsAny<ImageDecodeException>(() => ImageDecoder.Decode(png, "z.png"));
        Assert.Contains(cause, e.Cause);
        Assert.StartsWith("z.png: ", e.Message);
    }

    [Fact]
    public void The_clean_stream_decodes()
    {
        Assert.Equal(ExpectedPixels(), ImageDecoder.Decode(Png(TestPngWriter.Compress(ImageData()))).Pixels);
    }

    [Fact]
    public void Rows_spread_over_several_inflate_blocks_decode()
    {
        // 6000 RGB pixels a row: 7 rows per 128 KiB block, so runs of Paeth rows cross blocks.
        const int width = 6000, height = 23;
        var random = new Random(99);
        int[] filters = [.. Enumerable.Range(0, height).Select(_ => random.Next(10) switch { < 5 and var f => f, _ => 4 })];
        int Noise(int x, int y, int c) => (x * 7919 + y * 104729 + c * 31 + x * y) % 251;
        byte[] png = TestPngWriter.Encode(width, height, 8, 2, Noise, filter: row => filters[row]);

        Rgb24Image image = ImageDecoder.Decode(png);

        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < 3; c++)
                    if (image.Pixels[(y * width + x) * 3 + c] != Noise(x, y, c))
                        Assert.Fail($"pixel ({x}, {y}) channel {c}: {image.Pixels[(y * width + x) * 3 + c]}, expected {Noise(x, y, c)} (filters {string.Join(",", filters)})");
    }

    [Fact]
    public void A_zlib_bomb_is_inflated_only_as_far_as_the_header_needs()
    {
        // 1.3 KB of pixels followed by 64 MiB of zeros in the same stream: ~65 KB of IDAT.
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(ImageData());
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) zlib.Write(zeros);
        }
        byte[] bomb = Png(compressed.ToArray());
        Assert.True(bomb.Length < 200_000, $"{bomb.Length} bytes");

        Assert.Equal(ExpectedPixels(), ImageDecoder.Decode(bomb).Pixels); // warm up
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var decode = Stopwatch.StartNew();
        Rgb24Image image = ImageDecoder.Decode(bomb);
        decode.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        var inflateAll = Stopwatch.StartNew();
        using (var all = new ZLibStream(new MemoryStream(compressed.ToArray()), CompressionMode.Decompress))
            all.CopyTo(Stream.Null);
        inflateAll.Stop();

        Assert.Equal(ExpectedPixels(), image.Pixels);
        Assert.True(allocated < 1 << 20, $"decoding allocated {allocated} bytes");
        // Inflating the 64 MiB takes tens of milliseconds; the decode stops after the image's 1.3 KB.
        Assert.True(decode.Elapsed * 5 < inflateAll.Elapsed, $"decode {decode.Elapsed.TotalMilliseconds} ms, whole stream {inflateAll.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public void Data_pillow_ignores_after_the_last_row_is_ignored()
    {
        byte[] data = ImageData(), clean = TestPngWriter.Compress(data);
        byte[] expected = ExpectedPixels();

        Assert.Equal(expected, ImageDecoder.Decode(Png(TestPngWriter.Compress([.. data, .. data[..73]]))).Pixels);           // an extra row
        Assert.Equal(expected, ImageDecoder.Decode(Png(TestPngWriter.Compress([.. data, 9, 9, 9]))).Pixels);                // extra bytes, not even a valid filter
        Assert.Equal(expected, ImageDecoder.Decode(Png([.. clean, .. "bytes after the stream"u8])).Pixels);
        Assert.Equal(expected, ImageDecoder.Decode(Png([.. clean, .. clean])).Pixels);                                       // a second stream
        Assert.Equal(expected, ImageDecoder.Decode(Png(clean[..^4])).Pixels);                                                // no Adler-32
        Assert.Equal(expected, ImageDecoder.Decode(Png(clean[..^2])).Pixels);                                                // half an Adler-32
    }

    [Fact]
    public void The_stream_may_be_split_over_any_number_of_idat_chunks()
    {
        byte[] clean = TestPngWriter.Compress(ImageData());
        byte[] png = TestPngWriter.Assemble([
            TestPngWriter.Chunk("IHDR", TestPngWriter.Header(Width, Height, 8, 2)),
            TestPngWriter.Chunk("IDAT", []),
            .. clean.Select(b => TestPngWriter.Chunk("IDAT", [b])).SelectMany(c => new[] { c, TestPngWriter.Chunk("IDAT", []) }),
            TestPngWriter.Chunk("IEND", [])]);

        Assert.Equal(ExpectedPixels(), ImageDecoder.Decode(png).Pixels);
    }

    [Fact]
    public void Image_data_ends_at_the_first_chunk_that_is_not_idat()
    {
        // Pillow reads the IDAT run only ("image file is truncated" here); stb used to join all IDATs.
        byte[] clean = TestPngWriter.Compress(ImageData());
        byte[] png = TestPngWriter.Assemble([
            TestPngWriter.Chunk("IHDR", TestPngWriter.Header(Width, Height, 8, 2)),
            TestPngWriter.Chunk("IDAT", clean[..100]),
            TestPngWriter.Chunk("tEXt", "k\0v"u8.ToArray()),
            TestPngWriter.Chunk("IDAT", clean[100..]),
            TestPngWriter.Chunk("IEND", [])]);

        AssertRejected(png, "truncated PNG image data");
    }

    [Fact]
    public void A_stream_short_of_its_rows_is_refused()
    {
        byte[] data = ImageData();
        int row = 1 + Width * 3;
        // Pillow fills the missing rows with black when the stream ends cleanly between rows; the
        // file is damaged, so it is refused here.
        AssertRejected(Png(TestPngWriter.Compress(data[..^row])), $"the zlib stream ends after {data.Length - row} of {data.Length} bytes");
        AssertRejected(Png(TestPngWriter.Compress(data[..^(row / 2)])), "truncated PNG image data");
        AssertRejected(Png(TestPngWriter.Compress([])), "ends after 0 of");
        AssertRejected(Png([]), "ends after 0 of");
    }

    [Fact]
    public void Corrupt_streams_are_refused()
    {
        byte[] clean = TestPngWriter.Compress(ImageData());
        byte[] badAdler = (byte[])clean.Clone();
        badAdler[^1] ^= 1;
        byte[] badHeaderCheck = (byte[])clean.Clone();
        badHeaderCheck[1] ^= 1;
        byte[] presetDictionary = [0x78, 0xBB, 0, 0, 0, 1, .. clean[2..]];
        byte[] rawDeflate = clean[2..^4];

        AssertRejected(Png(badAdler), "invalid zlib data");
        AssertRejected(Png(badHeaderCheck), "invalid zlib data");
        AssertRejected(Png(presetDictionary), "invalid zlib data");
        AssertRejected(Png(rawDeflate), "invalid zlib data");
        AssertRejected(Png([.. "not zlib at all, just text"u8]), "invalid zlib data");
    }

    [Fact]
    public void An_unknown_filter_type_is_refused()
    {
        byte[] data = ImageData();
        data[5 * (1 + Width * 3)] = 5;
        AssertRejected(Png(TestPngWriter.Compress(data)), "unknown filter type 5");
    }

    [Fact]
    public void Every_damaged_byte_and_every_cut_gives_a_typed_error_or_the_right_pixels()
    {
        byte[] clean = TestPngWriter.Compress(ImageData()), expected = ExpectedPixels();
        int refused = 0, decoded = 0;
        void Check(byte[] zlib)
        {
            try
            {
                Rgb24Image image = ImageDecoder.Decode(Png(zlib), "damaged.png");
                Assert.Equal((Width, Height), (image.Width, image.Height));
                decoded++;
            }
            catch (ImageDecodeException e)
            {
                Assert.Matches("^damaged.png: (corrupt|truncated) PNG", e.Message);
                refused++;
            }
        }
        for (int i = 0; i < clean.Length; i++)
            foreach (byte mask in (ReadOnlySpan<byte>)[0x01, 0x10, 0x80, 0xFF])
            {
                byte[] damaged = (byte[])clean.Clone();
                damaged[i] ^= mask;
                Check(damaged);
            }
        for (int length = 0; length < clean.Length; length++)
        {
            try
            {
                // Only a cut after the last row's data decodes: inside the checksum or the end-of-block code.
                Assert.Equal(expected, ImageDecoder.Decode(Png(clean[..length])).Pixels);
                Assert.True(length >= clean.Length - 6, $"a stream cut to {length} of {clean.Length} bytes decoded");
            }
            catch (ImageDecodeException) { }
        }
        Assert.True(refused > clean.Length, $"{refused} damaged streams refused, {decoded} decoded");
    }
}
