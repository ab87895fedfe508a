using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;
using FastLaDeDa.Imaging.Formats.Webp;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// The ALPH chunk of lossy frames: raw and VP8L-compressed planes, the four filters, the header checks,
/// and libwebp's end-of-stream rule for its 8-bit alpha path. Its values do not reach the RGB output,
/// but libwebp fails the frame when the chunk is bad, so they are checked against dwebp's alpha
/// (<c>-pam</c>) on files made of a cwebp VP8 frame and the hand-built ALPH chunk.
/// </summary>
public sealed class WebpAlphaTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private int _files;

    /// <inheritdoc/>
    public void Dispose() => _temp.Dispose();

    private static byte[] DecodeAlpha(byte[] chunk, int width, int height)
    {
        var plane = new byte[width * height];
        WebpAlphaDecoder.Decode(chunk, width, height, plane, "alpha.webp");
        return plane;
    }

    /// <summary>Unfiltering straight from the container specification, for expected planes.</summary>
    private static byte[] Unfilter(byte[] deltas, int width, int height, int filter)
    {
        var alpha = new byte[deltas.Length];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = y * width + x;
                int left = x > 0 ? alpha[i - 1] : 0, top = y > 0 ? alpha[i - width] : 0, topLeft = x > 0 && y > 0 ? alpha[i - width - 1] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    _ when x == 0 && y == 0 => 0,
                    _ when y == 0 => left,   // the first row is predicted from the left
                    _ when x == 0 => top,    // the first column from above
                    1 => left,
                    2 => top,
                    _ => Math.Clamp(left + top - topLeft, 0, 255),
                };
                alpha[i] = (byte)(deltas[i] + predictor);
            }
        }
        return alpha;
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A lossy frame from cwebp (for dwebp to decode with our ALPH chunk), as the VP8 chunk payload.</summary>
    private byte[] Vp8Frame(int width, int height)
    {
        WebpReference.RequireTools("cwebp", "dwebp");
        string png = _temp.Write($"frame{_files++}.png", TestPngWriter.Encode(width, height, 8, 2, (x, y, c) => (x * 40 + y * 20 + c * 70) & 255));
        string webp = png + ".webp";
        WebpReference.Tool("cwebp", "-quiet", "-q", "80", png, "-o", webp);
        byte[] file = File.ReadAllBytes(webp);
        var (offset, _, size) = WebpTestFile.Chunks(file).Single(c => c.FourCC == "VP8 ");
        return file.AsSpan(offset + 8, size).ToArray();
    }

    private byte[] LossyWithAlpha(byte[] vp8, byte[] alphaChunk, int width, int height) => WebpTestFile.Riff(
        WebpTestFile.Vp8X(WebpTestFile.AlphaFlag, width, height), WebpTestFile.Chunk("ALPH", alphaChunk), WebpTestFile.Chunk("VP8 ", vp8));

    /// <summary>Our plane equals <paramref name="expected"/> and dwebp's alpha for the same chunk.</summary>
    private void AssertAlpha(byte[] chunk, int width, int height, byte[] expected)
    {
        Assert.Equal(expected, DecodeAlpha(chunk, width, height));
        byte[] file = LossyWithAlpha(Vp8Frame(width, height), chunk, width, height);
        Assert.Equal(expected, WebpReference.DwebpAlpha(_temp.Write($"alpha{_files++}.webp", file)));
    }

    /// <summary>We refuse the chunk, and so does dwebp, and the whole file is refused as corrupt (not as unsupported).</summary>
    private void AssertAlphaRejected(byte[] chunk, int width, int height)
    {
        Assert.Throws<ImageDecodeException>(() => DecodeAlpha(chunk, width, height));
        byte[] file = LossyWithAlpha(Vp8Frame(width, height), chunk, width, height);
        Assert.Throws<ImageDecodeException>(() => WebpDecoder.Decode(file, ImageLimits.Default, "alpha.webp"));
        Assert.Null(WebpReference.Dwebp(_temp.Write($"alpha{_files++}.webp", file)));
    }

    [SkippableTheory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Raw_planes_with_each_filter(int filter)
    {
        const int width = 13, height = 7;
        byte[] deltas = RandomBytes(width * height, filter);
        byte[] chunk = [(byte)(filter << 2), .. deltas, 0x55]; // trailing bytes are allowed
        AssertAlpha(chunk, width, height, Unfilter(deltas, width, height, filter));
    }

    /// <summary>A headerless VP8L stream whose green channel is <paramref name="values"/>, optionally through a palette.</summary>
    private static (byte[] Stream, int LastSymbolStart, int LastSymbolEnd) AlphaStream(byte[] values, bool palette, bool extraTransform)
    {
        var writer = new Vp8LBitWriter();
        if (extraTransform) writer.Bits(1, 1).Bits(2, 2); // subtract green: a no-op on green, but not libwebp's 8-bit path
        if (palette)
        {
            writer.Bits(1, 1).Bits(3, 2).Bits(255, 8);
            Vp8LTestEncoder.WriteSubImage(writer, Vp8LSpecReference.DeltaCodePalette([.. Enumerable.Range(0, 256).Select(i => (uint)i << 8)]));
        }
        writer.Bits(0, 1).Bits(0, 1).Bits(0, 1);
        var green = writer.NormalCode(Vp8LTestEncoder.FullLengths(280));
        writer.SimpleCode(256, 0);
        writer.SimpleCode(256, 0);
        writer.SimpleCode(256, 0);
        writer.SimpleCode(40, 0);
        int lastStart = 0;
        foreach (byte value in values)
        {
            lastStart = writer.BitCount;
            green.Write(writer, value);
        }
        return (writer.ToArray(), lastStart, writer.BitCount);
    }

    [SkippableTheory]
    [InlineData(false, 0)]
    [InlineData(true, 0)]
    [InlineData(true, 1)]
    [InlineData(false, 2)]
    [InlineData(true, 3)]
    public void Lossless_planes_with_and_without_the_palette_path(bool palette, int filter)
    {
        const int width = 9, height = 21; // two 16-row bands
        byte[] deltas = RandomBytes(width * height, 10 + filter);
        byte[] chunk = [(byte)(1 | filter << 2 | 1 << 4), .. AlphaStream(deltas, palette, extraTransform: false).Stream];
        AssertAlpha(chunk, width, height, Unfilter(deltas, width, height, filter));
    }

    [SkippableFact]
    public void Only_the_8_bit_palette_path_tolerates_reading_past_the_end_on_the_last_symbol()
    {
        // The last symbol has a 9-bit code: cut the stream between its first and last bit.
        const int width = 8, height = 8;
        byte[] values = [.. RandomBytes(width * height - 1, 3).Select(v => (byte)(v % 200)), 250];
        foreach (bool eightBitPath in new[] { true, false })
        {
            var (stream, lastStart, lastEnd) = AlphaStream(values, palette: true, extraTransform: !eightBitPath);
            int cut = lastStart / 8 + 1;
            Assert.True(cut * 8 > lastStart && cut * 8 < lastEnd);
            byte[] chunk = [1, .. stream.AsSpan(0, cut)];
            if (eightBitPath)
            {
                // libwebp keeps the pixel it over-read (the missing bits read as zeros).
                byte[] expected = DecodeAlpha(chunk, width, height);
                Assert.Equal(values[..^1], expected[..^1]);
                AssertAlpha(chunk, width, height, expected);
            }
            else
            {
                AssertAlphaRejected(chunk, width, height);
            }
        }
    }

    [SkippableTheory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x00 })]              // header only
    [InlineData(new byte[] { 0x02, 1, 2, 3 })]     // compression method 2
    [InlineData(new byte[] { 0x03, 1, 2, 3 })]     // compression method 3
    [InlineData(new byte[] { 0x20, 1, 2, 3 })]     // pre-processing 2
    [InlineData(new byte[] { 0x40, 1, 2, 3 })]     // reserved bits
    [InlineData(new byte[] { 0x00, 1, 2, 3 })]     // raw plane too short for 2×2... and 3 bytes
    [InlineData(new byte[] { 0x01, 0xFF, 0xFF })]  // lossless plane that is not a valid stream
    public void Invalid_alpha_chunks_fail_the_frame(byte[] chunk)
    {
        AssertAlphaRejected(chunk, 2, 2);
    }

    [SkippableTheory]
    [InlineData("-alpha_method", "0", "-alpha_filter", "none")]
    [InlineData("-alpha_method", "0", "-alpha_filter", "best")]
    [InlineData("-alpha_method", "1", "-alpha_filter", "fast")]
    [InlineData("-alpha_method", "1", "-alpha_filter", "best")]
    [InlineData("-alpha_q", "40", "-alpha_filter", "best")]
    [InlineData("-alpha_q", "5", "-exact")]
    public void Cwebp_alpha_planes_match_dwebp(params string[] options)
    {
        WebpReference.RequireTools("cwebp", "dwebp");
        int compared = 0;
        foreach (var (width, height, seed) in new[] { (1, 1, 1), (17, 5, 2), (64, 48, 3), (130, 3, 4) })
        {
            byte[] noise = RandomBytes(width * height, seed);
            string png = _temp.Write($"rgba{_files++}.png", TestPngWriter.Encode(width, height, 8, 6,
                (x, y, c) => c < 3 ? (x * 7 + y * 3 * c) & 255 : (x + y) % 5 == 0 ? noise[y * width + x] : x * 255 / Math.Max(1, width - 1)));
            string webp = png + ".webp";
            WebpReference.Tool("cwebp", [.. options, "-quiet", png, "-o", webp]);
            byte[] file = File.ReadAllBytes(webp);
            var alpha = WebpTestFile.Chunks(file).SingleOrDefault(c => c.FourCC == "ALPH");
            if (alpha.FourCC is null) continue; // fully opaque: cwebp left alpha out
            byte[] chunk = file.AsSpan(alpha.Offset + 8, alpha.Size).ToArray();
            Assert.Equal(WebpReference.DwebpAlpha(webp), DecodeAlpha(chunk, width, height));
            compared++;
        }
        Assert.True(compared >= 3, $"only {compared} of the files had an ALPH chunk");
    }
}
