using System.IO.Compression;
using System.Text.RegularExpressions;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;
using FastLaDeDa.Tests.Support;
using Xunit.Abstractions;

namespace FastLaDeDa.Tests.Hardening;

/// <summary>Memory stays bounded on the largest image the default limits allow, and one pixel more is refused up front.</summary>
public partial class ResourceLimitTests(ITestOutputHelper output)
{
    private const int Side = 8192; // 8192² = 64 Mi pixels = ImageLimits.Default.MaxPixels

    [SkippableFact]
    public void The_largest_allowed_image_is_scored_within_a_bounded_peak_memory()
    {
        Assert.Equal((long)Side * Side, ImageLimits.Default.MaxPixels);
        using var dir = new TempDirectory();
        string path = dir.File("largest.png");
        WriteStripedPng(path, Side, Side);

        foreach (string mode in new[] { "resized", "--no-resize" })
        {
            string[] args = ["detect", "--stats", "--weights", Goldens.OfficialCheckpoint("WildRF_Tiny_LaDeDa.pth"), "--preprocess", "right_diag", path];
            var r = CliRunner.Run(mode == "resized" ? args : [.. args, mode]);
            Assert.True(r.ExitCode == 0, r.StdErr);
            var match = PeakMemory().Match(r.StdErr);
            Assert.True(match.Success, r.StdErr);
            int peakMiB = int.Parse(match.Groups[1].Value);
            output.WriteLine($"{Side}x{Side} PNG, {mode}: peak resident memory {peakMiB} MiB");
            // Resized, a sequential PNG streams through the resize: no full-size image at all (the
            // 192 MiB it would take is the upper bound). Unresized, the model needs the whole 192 MiB
            // image; the budget allows the compressed file, the decoder's buffers and the runtime.
            if (mode == "resized") Assert.InRange(peakMiB, 1, 128);
            else Assert.InRange(peakMiB, 192, 1024);
        }
    }

    [Fact]
    public void One_pixel_row_over_the_limit_is_refused_from_the_header()
    {
        byte[] header = TestPngWriter.Assemble([TestPngWriter.Chunk("IHDR", TestPngWriter.Header(Side, Side + 1, 8, 2)), TestPngWriter.Chunk("IEND", [])]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ImageLimitExceededException>(() => ImageDecoder.Decode(header, "over.png"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "refusal allocated pixel memory");
        Assert.StartsWith("over.png: ", ex.Message);
    }

    /// <summary>A valid 8-bit RGB PNG written row by row, so the test never holds the raw image in memory.</summary>
    private static void WriteStripedPng(string path, int width, int height)
    {
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[1 + width * 3];
            for (int y = 0; y < height; y++)
            {
                for (int i = 1; i < row.Length; i++) row[i] = (byte)((i * 7 + y) & 255);
                z.Write(row);
            }
        }
        File.WriteAllBytes(path, TestPngWriter.Assemble([
            TestPngWriter.Chunk("IHDR", TestPngWriter.Header(width, height, 8, 2)),
            TestPngWriter.Chunk("IDAT", compressed.ToArray()),
            TestPngWriter.Chunk("IEND", [])]));
    }

    [GeneratedRegex(@"peak memory (\d+) MiB")]
    private static partial Regex PeakMemory();
}
