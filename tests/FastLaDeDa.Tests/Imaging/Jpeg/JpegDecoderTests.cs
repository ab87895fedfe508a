using System.Runtime.Intrinsics.X86;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging.Resize;
using FastLaDeDa.Imaging;
using FastLaDeDa.Imaging.Formats.Jpeg;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Imaging.Jpeg;

/// <summary>
/// The JPEG decoder against libjpeg-turbo itself (Debian's cjpeg/djpeg — the library Pillow
/// decodes with): every sampling layout, progressive and arithmetic coding, restart intervals,
/// grey and RGB files, coefficients no encoder writes, and damaged restart markers decode to
/// djpeg's bytes. The Pillow corpus test covers the files of Pillow's own suite.
/// </summary>
public sealed class JpegDecoderTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string> CjpegOptions() =>
    [
        "-sample 1x1", "-sample 2x1", "-sample 1x2", "-sample 2x2", "-sample 4x1", "-sample 1x4", "-sample 4x2",
        "-sample 3x1", "-sample 2x2,1x1,2x1", "-sample 1x1,2x2,2x2", "-sample 2x1,1x2,1x1",
        "-progressive", "-progressive -sample 2x1", "-progressive -restart 1", "-optimize -restart 3B",
        "-restart 1 -sample 2x2", "-arithmetic", "-arithmetic -progressive -sample 2x2", "-arithmetic -restart 2B",
        "-grayscale", "-grayscale -progressive", "-rgb", "-rgb -sample 2x2", "-quality 100", "-quality 5", "-quality 100 -dct float",
    ];

    /// <summary>A synthetic 8-bit RGB image: gradients, hard edges and noise, so every code path has work (<paramref name="smooth"/>: gradients only).</summary>
    private static byte[] Pattern(int width, int height, bool smooth = false)
    {
        if (smooth)
        {
            var gradient = new byte[width * height * 3];
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    int i = (y * width + x) * 3;
                    gradient[i] = (byte)(128 + 100 * Math.Sin(x / 50.0));
                    gradient[i + 1] = (byte)(128 + 100 * Math.Cos(y / 40.0));
                    gradient[i + 2] = (byte)((x + y) * 255 / (width + height));
                }
            return gradient;
        }
        var random = new Random(width * 31 + height);
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int i = (y * width + x) * 3;
                bool edge = (x / 7 + y / 5) % 2 == 0;
                rgb[i] = (byte)(x * 255 / Math.Max(1, width - 1));
                rgb[i + 1] = (byte)(edge ? 230 : 20 + random.Next(40));
                rgb[i + 2] = (byte)((y * 3 + random.Next(64)) & 0xFF);
            }
        return rgb;
    }

    private string Encode(string options, int width, int height, bool smooth = false)
    {
        string cjpeg = ExternalTool.Require("cjpeg", "libjpeg-turbo-progs");
        string input = _directory.Write($"in{width}x{height}.ppm", Pnm.Write(width, height, Pattern(width, height, smooth)));
        string output = _directory.File($"{options.Replace(' ', '_').Replace(',', '_')}_{width}x{height}.jpg");
        ExternalTool.Run(cjpeg, [.. options.Split(' ', StringSplitOptions.RemoveEmptyEntries), "-outfile", output, input]);
        return output;
    }

    /// <summary>djpeg's pixels (libjpeg's warnings, exit code 2, are fine: the image is still written).</summary>
    private static (int Width, int Height, byte[] Rgb) Djpeg(string jpeg)
    {
        string djpeg = ExternalTool.Require("djpeg", "libjpeg-turbo-progs");
        var (code, stdout, stderr) = ExternalTool.TryRun(djpeg, "-pnm", jpeg);
        Assert.True(code is 0 or 2, $"djpeg failed ({code}): {stderr}");
        return Pnm.Read(stdout);
    }

    private static void AssertDecodesLikeDjpeg(string jpeg)
    {
        var (width, height, expected) = Djpeg(jpeg);
        Rgb24Image image = ImageDecoder.Decode(jpeg);
        Assert.Equal((width, height), (image.Width, image.Height));
        GoldenDecodeTests.AssertBytesEqual(expected, image.Pixels, Path.GetFileName(jpeg));
    }

    [SkippableTheory]
    [MemberData(nameof(CjpegOptions))]
    public void Cjpeg_variants_decode_to_djpegs_pixels(string options)
    {
        foreach (var (width, height) in new[] { (173, 97), (1, 1), (2, 17), (19, 3), (64, 64) })
            AssertDecodesLikeDjpeg(Encode(options, width, height));
    }

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(3)]
    public void Coefficients_no_encoder_writes_decode_like_libjpeg_on_x86(int components)
    {
        // libjpeg-turbo's x86 SIMD IDCT works in 16-bit lanes: these blocks make products wrap,
        // sums overflow and results saturate, which the decoder must reproduce bit for bit.
        Skip.IfNot(X86Base.IsSupported, "the 16-bit semantics are those of libjpeg-turbo's x86 SIMD code");
        var random = new Random(components);
        const int widthInBlocks = 6, heightInBlocks = 5;
        var blocks = new short[components][][];
        var quantization = new ushort[components][];
        for (int c = 0; c < components; c++)
        {
            quantization[c] = [.. Enumerable.Range(0, 64).Select(i => (ushort)(i % 3 == 0 ? random.Next(1, 65536) : random.Next(1, 300)))];
            blocks[c] = new short[widthInBlocks * heightInBlocks][];
            for (int b = 0; b < blocks[c].Length; b++)
            {
                var block = new short[64];
                int kind = b % 4;
                for (int k = 0; k < 64; k++)
                {
                    if (kind == 0 && k >= 8) continue;            // rows 1-7 zero: the shortcut path
                    if (kind == 1 && random.Next(4) != 0) continue; // sparse
                    block[k] = (short)random.Next(-32767, 32768);
                }
                blocks[c][b] = block;
            }
        }
        string path = _directory.Write($"extreme{components}.jpg", TestJpegWriter.Write(widthInBlocks, heightInBlocks, blocks, quantization));
        AssertDecodesLikeDjpeg(path);
    }

    [SkippableFact]
    public void Damaged_restart_markers_resynchronise_as_libjpeg_does()
    {
        byte[] jpeg = File.ReadAllBytes(Encode("-restart 1B -sample 1x1", 96, 64));
        var restarts = new List<int>();
        for (int i = 0; i + 1 < jpeg.Length; i++)
            if (jpeg[i] == 0xFF && jpeg[i + 1] is >= 0xD0 and <= 0xD7) restarts.Add(i + 1);
        Assert.True(restarts.Count > 40);
        var random = new Random(3);
        for (int trial = 0; trial < 12; trial++)
        {
            byte[] damaged = (byte[])jpeg.Clone();
            // Renumber a few markers: skipped, repeated and too-far-ahead restarts, and invalid markers.
            for (int n = 0; n < 3; n++)
            {
                int at = restarts[random.Next(restarts.Count)];
                damaged[at] = trial % 4 == 3 ? (byte)random.Next(0x02, 0xBF) : (byte)(0xD0 + random.Next(8));
            }
            AssertDecodesLikeDjpeg(_directory.Write($"resync{trial}.jpg", damaged));
        }
    }

    [SkippableFact]
    public void A_single_scan_image_cut_before_its_end_is_truncated_but_trailing_bytes_after_it_are_ignored()
    {
        byte[] jpeg = File.ReadAllBytes(Encode("-sample 2x2", 120, 80));
        TestDecode.Rejects<ImageDecodeException>(jpeg[..^2], JpegDecoder.TruncatedCause);
        TestDecode.Rejects<ImageDecodeException>(jpeg[..(jpeg.Length * 2 / 3)], JpegDecoder.TruncatedCause);
        byte[] expected = ImageDecoder.Decode(jpeg).Pixels;
        Assert.Equal(expected, ImageDecoder.Decode([.. jpeg, .. "trailing bytes after the image"u8]).Pixels);
    }

    [SkippableFact]
    public void A_second_scan_after_a_complete_single_scan_image_is_an_error_as_in_libjpeg()
    {
        byte[] jpeg = File.ReadAllBytes(Encode("-sample 1x1", 16, 16));
        int sos = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xDA]);
        byte[] twoScans = [.. jpeg[..^2], .. jpeg[sos..]]; // the scan again before the end marker
        TestDecode.Rejects<ImageDecodeException>(twoScans, "a second scan in a single-scan image");
    }

    [SkippableFact]
    public void An_abbreviated_stream_of_tables_then_the_image_decodes_as_the_whole_file()
    {
        // libjpeg keeps tables from a tables-only datastream (SOI tables EOI) for the image after it;
        // Pillow decodes such files, so must we.
        byte[] jpeg = File.ReadAllBytes(Encode("-sample 2x2", 40, 30));
        var tables = new List<byte>();
        var rest = new List<byte>();
        int pos = 2;
        while (jpeg[pos + 1] != 0xDA)
        {
            int length = (jpeg[pos + 2] << 8) | jpeg[pos + 3];
            (jpeg[pos + 1] is 0xDB or 0xC4 ? tables : rest).AddRange(jpeg.AsSpan(pos, 2 + length).ToArray());
            pos += 2 + length;
        }
        byte[] abbreviated = [0xFF, 0xD8, .. tables, 0xFF, 0xD9, 0xFF, 0xD8, .. rest, .. jpeg[pos..]];
        Assert.Equal(ImageDecoder.Decode(jpeg).Pixels, ImageDecoder.Decode(abbreviated).Pixels);
        // Tables, then anything but a new start-of-image marker, is not an image.
        TestDecode.Rejects<ImageDecodeException>([0xFF, 0xD8, .. tables, 0xFF, 0xD9, .. rest, .. jpeg[pos..]], "only tables");
    }

    [SkippableFact]
    public void Components_no_scan_names_decode_as_libjpeg_decodes_them()
    {
        // Fuzzing found this (an ArgumentException): a progressive file whose only scan is one of
        // the luma AC bands. libjpeg never latches a quantization table for the other components,
        // so their dequantized coefficients are zero: flat chroma, and a warning, not an error.
        byte[] jpeg = File.ReadAllBytes(Encode("-progressive -sample 2x2", 24, 16));
        var scans = new List<int>();
        for (int i = 0; i + 1 < jpeg.Length; i++)
            if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xDA) scans.Add(i);
        // Keep the headers, then from the table segment after the DC scan through the second scan.
        int first = scans[0], third = scans[2];
        int tablesAfterDc = jpeg.AsSpan(first + 2).IndexOf([(byte)0xFF, (byte)0xC4]) + first + 2;
        byte[] oneAcScan = [.. jpeg[..first], .. jpeg[tablesAfterDc..third], 0xFF, 0xD9];
        string path = _directory.Write("one-ac-scan.jpg", oneAcScan);
        AssertDecodesLikeDjpeg(path);
    }

    [SkippableFact]
    public void A_tem_marker_in_the_headers_is_refused_as_pillow_refuses_it()
    {
        byte[] jpeg = File.ReadAllBytes(Encode("-sample 1x1", 8, 8));
        TestDecode.Rejects<ImageDecodeException>([0xFF, 0xD8, 0xFF, 0x01, .. jpeg[2..]], "TEM");
    }

    [SkippableFact]
    public void A_progressive_image_with_too_many_scans_is_refused_before_they_are_decoded()
    {
        byte[] jpeg = File.ReadAllBytes(Encode("-grayscale -progressive", 16, 16));
        int lastScan = jpeg.AsSpan().LastIndexOf([(byte)0xFF, (byte)0xDA]);
        byte[] scan = jpeg[lastScan..^2];
        var bomb = new List<byte>(jpeg[..^2]);
        for (int i = 0; i < JpegDecoder.MaxScans; i++) bomb.AddRange(scan); // the last (refinement) scan again and again
        bomb.AddRange([0xFF, 0xD9]);
        var e = TestDecode.Rejects<ImageLimitExceededException>([.. bomb], $"more than {JpegDecoder.MaxScans} scans");
        Assert.Contains("bomb", e.Cause);
        // Below the limit the same construction decodes.
        Assert.Equal(16 * 16 * 3, ImageDecoder.Decode([.. jpeg[..^2], .. scan, .. scan, 0xFF, 0xD9]).Pixels.Length);
    }

    [SkippableTheory]
    [InlineData(4000, 3000, 500, 375)]
    [InlineData(2100, 1100, 525, 275)]
    [InlineData(1030, 1100, 258, 275)]
    [InlineData(600, 300, 600, 300)]
    public void Reduced_decoding_uses_the_smallest_scale_that_keeps_both_sides_at_least_the_target(int width, int height, int expectedWidth, int expectedHeight)
    {
        string path = Encode("-sample 2x2", width, height, smooth: true);
        var sink = new ImageRowSink();
        JpegDecoder.Decode(File.ReadAllBytes(path), ImageLimits.Default, path, sink, reducedToAtLeast: 256);
        Rgb24Image reduced = sink.Image;
        Assert.Equal((expectedWidth, expectedHeight), (reduced.Width, reduced.Height));
        // The reduced image is the full decode's content at that size: close to Pillow's resize of it.
        Rgb24Image full = PillowResize.Bilinear(ImageDecoder.Decode(path), reduced.Width, reduced.Height);
        var (_, mean, _) = GoldenDecodeTests.Difference(full.Pixels, reduced.Pixels);
        Assert.InRange(mean, 0, 2);
    }
}
