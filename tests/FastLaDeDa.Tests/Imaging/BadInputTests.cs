using System.Buffers.Binary;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging.Formats;
using FastLaDeDa.Imaging;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Imaging;

/// <summary>
/// Damaged, hostile and unsupported files: each must raise the documented exception type with
/// the file name and a cause in the message, and nothing but <see cref="ImageDecodeException"/>
/// (or a subclass) may escape for bad content.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fastladeda-imaging-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteFile(string name, byte[] bytes)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Decodes the bytes from a file and asserts the exact exception type and message parts.</summary>
    private T AssertRejected<T>(string name, byte[] bytes, string cause, ImageLimits? limits = null) where T : ImageDecodeException
    {
        string path = WriteFile(name, bytes);
        var e = Assert.Throws<T>(() => ImageDecoder.Decode(path, limits));
        Assert.Contains(name, e.Message);
        Assert.Contains(cause, e.Message);
        Assert.Equal(path, e.FilePath);
        Assert.Equal($"{path}: {e.Cause}", e.Message);
        return e;
    }

    private static byte[] Golden(string file) => File.ReadAllBytes(GoldenImages.PathOf(file));

    [Fact]
    public void Empty_file() =>
        AssertRejected<ImageDecodeException>("empty.png", [], "file is empty");

    [SkippableFact]
    public void Truncated_jpeg()
    {
        byte[] jpeg = Golden("real_food_jpg800.jpg");
        AssertRejected<ImageDecodeException>("half.jpg", jpeg[..(jpeg.Length / 2)], "truncated JPEG");
    }

    [SkippableFact]
    public void Truncated_progressive_jpeg_missing_only_its_end_marker()
    {
        byte[] jpeg = Golden("real_nature_progressive_jpg888.jpg");
        AssertRejected<ImageDecodeException>("noeoi.jpg", jpeg[..^2], "truncated JPEG");
    }

    [SkippableFact]
    public void Truncated_png()
    {
        byte[] png = Golden("real_photo_png512.png");
        AssertRejected<ImageDecodeException>("half.png", png[..(png.Length / 2)], "truncated PNG");
    }

    [SkippableFact]
    public void Png_with_one_flipped_byte_fails_its_crc()
    {
        byte[] png = Golden("fake_sd1_png512.png");
        png[png.Length / 2] ^= 0x10; // inside an IDAT chunk
        AssertRejected<ImageDecodeException>("flipped.png", png, "CRC mismatch in IDAT chunk");
    }

    [Fact]
    public void Png_without_iend_is_truncated()
    {
        byte[] png = TestPngWriter.Encode(2, 2, 8, PngStructure.Rgb, (x, y, c) => x + y + c);
        AssertRejected<ImageDecodeException>("noiend.png", png[..^12], "truncated PNG");
    }

    [Fact]
    public void Text_file() =>
        AssertRejected<UnsupportedImageFormatException>("notes.txt", "Hello, this is not an image.\n"u8.ToArray(), "not a recognised image format");

    [Fact]
    public void Tiff_header() =>
        AssertRejected<UnsupportedImageFormatException>("scan.tif", [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0], "TIFF images are not supported");

    [Fact]
    public void Webp_with_an_empty_frame_is_corrupt() =>
        AssertRejected<ImageDecodeException>("photo.webp", [.. "RIFF"u8, 26, 0, 0, 0, .. "WEBPVP8 "u8, 0, 0, 0, 0], "WebP");

    [Theory]
    [InlineData("heic", "HEIC/HEIF")]
    [InlineData("avif", "AVIF")]
    public void Iso_media_images(string brand, string name) =>
        AssertRejected<UnsupportedImageFormatException>("photo." + brand, [0, 0, 0, 24, .. "ftyp"u8, .. System.Text.Encoding.ASCII.GetBytes(brand), 0, 0, 0, 0], $"{name} images are not supported");

    [Theory]
    [InlineData("8BPS\u0000\u0001", "Photoshop (PSD)")]
    [InlineData("#?RADIANCE\n", "Radiance HDR")]
    [InlineData("MM\u0000+\u0000\u0008", "BigTIFF")]
    [InlineData("qoif\u0000\u0000\u0000\u0001", "QOI")]
    [InlineData("P7\nWIDTH 1\n", "PAM")]
    [InlineData("\u00FF\u004F\u00FF\u0051\u0000", "JPEG 2000")]
    public void Other_known_formats_are_refused_by_name(string magic, string name) =>
        AssertRejected<UnsupportedImageFormatException>("image.bin", [.. magic.Select(c => (byte)c), 0, 0, 0, 0], $"{name} images are not supported");

    private static byte[] JpegWithFrame(byte sofMarker, int precision, int width, int height, int components)
    {
        var frame = new List<byte> { 0xFF, sofMarker, 0, (byte)(8 + 3 * components), (byte)precision, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, (byte)components };
        for (int c = 1; c <= components; c++) frame.AddRange([(byte)c, 0x11, 0]);
        return [0xFF, 0xD8, .. frame, 0xFF, 0xD9];
    }

    [Fact]
    public void Twelve_bit_jpeg() =>
        AssertRejected<UnsupportedImageFormatException>("deep.jpg", JpegWithFrame(0xC1, 12, 16, 16, 3), "12-bit JPEG is not supported");

    [Fact]
    public void Two_component_jpeg() =>
        AssertRejected<UnsupportedImageFormatException>("two.jpg", JpegWithFrame(0xC0, 8, 16, 16, 2), "2 colour components is not supported");

    [Fact]
    public void Hierarchical_jpeg() =>
        AssertRejected<UnsupportedImageFormatException>("hier.jpg", JpegWithFrame(0xC5, 8, 16, 16, 3), "hierarchical JPEG");

    [Fact]
    public void Lossless_jpeg() =>
        AssertRejected<UnsupportedImageFormatException>("lossless.jpg", JpegWithFrame(0xC3, 8, 16, 16, 3), "lossless JPEG");

    [Fact]
    public void Jpeg_frame_without_scan() =>
        AssertRejected<ImageDecodeException>("noscan.jpg", JpegWithFrame(0xC0, 8, 16, 16, 3), "no image data");

    [Fact]
    public void Png_with_width_zero() =>
        AssertRejected<ImageDecodeException>("zero.png",
            TestPngWriter.Assemble([TestPngWriter.Chunk("IHDR", TestPngWriter.Header(0, 10, 8, 2)), TestPngWriter.Chunk("IDAT", TestPngWriter.Compress([0])), TestPngWriter.Chunk("IEND", [])]),
            "invalid dimensions 0x10");

    [Fact]
    public void Png_declaring_100000_by_100000_is_refused_before_allocating()
    {
        // A complete, valid file (a few bytes of zlib data) whose header declares 10^10 pixels.
        byte[] bomb = TestPngWriter.Assemble([
            TestPngWriter.Chunk("IHDR", TestPngWriter.Header(100_000, 100_000, 8, PngStructure.Rgb)),
            TestPngWriter.Chunk("IDAT", TestPngWriter.Compress(new byte[1000])),
            TestPngWriter.Chunk("IEND", []),
        ]);
        Assert.Throws<ImageLimitExceededException>(() => ImageDecoder.Decode(bomb, "bomb.png")); // warm up (JIT, statics)

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ImageLimitExceededException>(() => ImageDecoder.Decode(bomb, "bomb.png"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("bomb.png", e.Message);
        Assert.Contains("100000x100000", e.Message);
        // The RGB image would need 30 GB; the rejection may cost a few kilobytes of strings.
        Assert.InRange(allocated, 0, 64 * 1024);
    }

    [Fact]
    public void Jpeg_declaring_65000_by_65000_is_refused() =>
        AssertRejected<ImageLimitExceededException>("bomb.jpg", JpegWithFrame(0xC0, 8, 65000, 65000, 3), "65000x65000");

    [Fact]
    public void Too_many_pixels_within_the_side_limit()
    {
        byte[] png = TestPngWriter.Assemble([
            TestPngWriter.Chunk("IHDR", TestPngWriter.Header(10_000, 10_000, 8, PngStructure.Grey)),
            TestPngWriter.Chunk("IDAT", TestPngWriter.Compress([0])),
            TestPngWriter.Chunk("IEND", []),
        ]);
        AssertRejected<ImageLimitExceededException>("wide.png", png, "100000000 pixels, over the limit of 67108864");
    }

    [Fact]
    public void Custom_dimension_limit_applies()
    {
        byte[] png = TestPngWriter.Encode(40, 20, 8, PngStructure.Rgb, (x, y, c) => 0);
        AssertRejected<ImageLimitExceededException>("big.png", png, "largest accepted side is 32", new ImageLimits { MaxDimension = 32 });
        Assert.Equal(40, ImageDecoder.Decode(png, "big.png", new ImageLimits { MaxDimension = 40 }).Width);
    }

    [Fact]
    public void File_over_the_size_limit()
    {
        byte[] png = TestPngWriter.Encode(64, 64, 8, PngStructure.Rgb, (x, y, c) => x * y * c);
        AssertRejected<ImageLimitExceededException>("large.png", png, $"file is {png.Length} bytes, over the limit of 100 bytes", new ImageLimits { MaxFileBytes = 100 });
        Assert.Throws<ImageLimitExceededException>(() => ImageDecoder.Decode(png, "large.png", new ImageLimits { MaxFileBytes = 100 }));
    }

    [Fact]
    public void Missing_file_is_an_io_error()
    {
        Assert.Throws<FileNotFoundException>(() => ImageDecoder.Decode(Path.Combine(_directory, "missing.png")));
    }

    [Fact]
    public void Message_without_a_file_name_is_just_the_cause()
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(ReadOnlySpan<byte>.Empty));
        Assert.Equal("file is empty", e.Message);
        Assert.Null(e.FilePath);
    }

    public static TheoryData<string> MutationSources() => ["png", "jpeg", "progressive", "gif", "bmp", "tga", "pnm"];

    /// <summary>
    /// Cuts and byte flips at many positions: decoding may succeed (a flipped bit inside JPEG
    /// entropy data is just a different picture), but may only ever fail with
    /// <see cref="ImageDecodeException"/>.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(MutationSources))]
    public void Damaged_files_only_ever_raise_image_decode_exceptions(string kind)
    {
        byte[] original = kind switch
        {
            "png" => Golden("noise_rgba_240x160.png"),
            "jpeg" => Golden("fake_diffusion_jpg559.jpg"),
            "progressive" => Golden("real_nature_progressive_jpg888.jpg"),
            "gif" => TestGifWriter.Write(30, 20, [0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255], 0, 2, 2, 20, 10, new byte[200], 1),
            "bmp" => BmpDecodeTests.Build(9, 7, 24, [.. Enumerable.Range(0, 7).Select(y => new byte[27])]),
            "tga" => TgaDecodeTests.Build(10, 24, 9, 7, [.. Enumerable.Range(0, 21).SelectMany(i => new byte[] { 0x82, 1, 2, 3 })]),
            _ => [.. "P6\n9 7\n255\n"u8, .. new byte[189]],
        };
        var random = new Random(original.Length);
        int failures = 0;
        for (int trial = 0; trial < 150; trial++)
        {
            byte[] damaged = trial % 3 == 0
                ? original[..random.Next(original.Length)]
                : Flip(original, random, count: 1 + trial % 4);
            try
            {
                Rgb24Image image = ImageDecoder.Decode(damaged, $"{kind}-{trial}");
                Assert.Equal(image.Width * image.Height * 3, image.Pixels.Length);
            }
            catch (ImageDecodeException e)
            {
                Assert.StartsWith($"{kind}-{trial}: ", e.Message);
                failures++;
            }
        }
        Assert.True(failures > 0, "no damaged variant was rejected");
    }

    private static byte[] Flip(byte[] original, Random random, int count)
    {
        byte[] copy = (byte[])original.Clone();
        for (int i = 0; i < count; i++)
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }
}
