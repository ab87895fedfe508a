using FastLaDeDa.Imaging;
using FastLaDeDa.Imaging.Formats.Webp;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// Animations made by img2webp, webpmux and gif2webp (lossless frame 0; later frames lossless, lossy,
/// with alpha, at offsets), checked against Pillow 9.4, which shows frame 0 drawn on a zero canvas.
/// </summary>
public sealed class WebpAnimationReferenceTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private int _files;

    /// <inheritdoc/>
    public void Dispose() => _temp.Dispose();

    private string Png(int width, int height, int seed)
    {
        var random = new Random(seed);
        int cx = random.Next(width), cy = random.Next(height);
        byte[] png = TestPngWriter.Encode(width, height, 8, 6, (x, y, c) => c == 3
            ? ((x - cx) * (x - cx) + (y - cy) * (y - cy) < width * height / 5 ? 255 : (x + y) % 4 * 40)
            : (x * (3 + seed) + y * (c + 1) * 5 + seed * 40) & 255);
        return _temp.Write($"frame{_files++}.png", png);
    }

    private string Still(int width, int height, int seed, params string[] options)
    {
        string png = Png(width, height, seed);
        string webp = png + ".webp";
        WebpReference.Tool("cwebp", [.. options, "-quiet", png, "-o", webp]);
        return webp;
    }

    /// <summary>Our RGB equals Pillow's for every file (one Python process for all).</summary>
    private static void AssertMatchesPillow(IReadOnlyCollection<string> files)
    {
        var pillow = WebpReference.Pillow(files);
        foreach (string file in files)
        {
            var expected = pillow[file];
            Assert.True(expected.Opened, $"{Path.GetFileName(file)}: Pillow failed: {expected.Error}");
            Rgb24Image image = WebpDecoder.Decode(File.ReadAllBytes(file), ImageLimits.Default, file);
            Assert.Equal((expected.Width, expected.Height), (image.Width, image.Height));
            Assert.True(expected.Sha256 == WebpReference.Sha256(image.Pixels), $"{Path.GetFileName(file)}: RGB differs from Pillow's");
        }
    }

    [SkippableFact]
    public void Img2webp_animations_show_frame_0()
    {
        WebpReference.RequireTools("img2webp");
        WebpReference.RequirePillow();
        string[] frames = [.. Enumerable.Range(0, 4).Select(i => Png(61, 47, i))];
        var files = new List<string>();
        string[][] optionSets =
        [
            ["-lossless", frames[0], "-lossy", "-q", "40", frames[1], "-d", "200", frames[2], "-lossless", frames[3]],
            ["-mixed", "-min_size", .. frames],
            ["-kmax", "1", "-loop", "3", .. frames],
            ["-lossless", "-m", "6", "-q", "100", .. frames.Reverse()],
        ];
        foreach (string[] options in optionSets)
        {
            string webp = _temp.File($"img2webp{_files++}.webp");
            WebpReference.Tool("img2webp", [.. options, "-o", webp]);
            Assert.Contains(WebpTestFile.Chunks(File.ReadAllBytes(webp)), c => c.FourCC == "ANMF");
            files.Add(webp);
        }
        AssertMatchesPillow(files);
    }

    [SkippableFact]
    public void Webpmux_animations_put_frame_0_at_its_offset_on_a_zero_canvas()
    {
        WebpReference.RequireTools("cwebp", "webpmux");
        WebpReference.RequirePillow();
        string small = Still(17, 13, 1, "-lossless", "-exact");
        string palette = Still(23, 9, 2, "-lossless", "-z", "9");
        string large = Still(120, 90, 3, "-lossless");
        string lossyWithAlpha = Still(40, 30, 4, "-q", "60", "-alpha_method", "1");
        var files = new List<string>();
        foreach (string[] frames in new[]
        {
            new[] { "-frame", small, "+100+10+20+1-b", "-frame", large, "+50" },
            new[] { "-frame", palette, "+100+96+80+0+b", "-frame", large, "+50", "-frame", lossyWithAlpha, "+70+2+2" },
            new[] { "-frame", small, "+10+0+76", "-frame", lossyWithAlpha, "+10+80+60", "-bgcolor", "255,0,0,255" },
            new[] { "-frame", large, "+100", "-frame", small, "+30+6+8", "-loop", "7" },
        })
        {
            string webp = _temp.File($"mux{_files++}.webp");
            WebpReference.Tool("webpmux", [.. frames, "-o", webp]);
            files.Add(webp);
        }
        AssertMatchesPillow(files);

        // Frame 0 of the first one covers 17×13 pixels at (10, 20) of a 120×90 canvas: the rest is zero.
        Rgb24Image first = WebpDecoder.Decode(File.ReadAllBytes(files[0]), ImageLimits.Default, files[0]);
        Assert.Equal((120, 90), (first.Width, first.Height));
        for (int y = 0; y < 90; y++)
            for (int x = 0; x < 120; x++)
                if (x < 10 || x >= 27 || y < 20 || y >= 33)
                    Assert.True(first.Pixels[(y * 120 + x) * 3] == 0 && first.Pixels[(y * 120 + x) * 3 + 1] == 0 && first.Pixels[(y * 120 + x) * 3 + 2] == 0);
    }

    [SkippableFact]
    public void Gif2webp_stills_and_animations_from_gifs()
    {
        WebpReference.RequireTools("gif2webp");
        WebpReference.RequirePillow();
        byte[] palette = [.. Enumerable.Range(0, 16 * 3).Select(i => (byte)(i * 37))];
        var random = new Random(4);
        byte[] indices = [.. Enumerable.Range(0, 30 * 20).Select(_ => (byte)random.Next(16))];
        string gif = _temp.Write("frame.gif", TestGifWriter.Write(40, 30, palette, 2, 6, 4, 30, 20, indices, transparentIndex: 5));
        var files = new List<string>();
        foreach (string[] options in new[] { Array.Empty<string>(), ["-min_size"], ["-m", "0"] })
        {
            string webp = _temp.File($"gif{_files++}.webp");
            WebpReference.Tool("gif2webp", [.. options, "-quiet", gif, "-o", webp]);
            files.Add(webp);
        }
        // Real multi-frame GIFs, when the shared conformance images are there.
        string? conformance = SharedData.TryRoot is string root ? Path.Combine(root, "conformance", "pillow", "images") : null;
        if (conformance is not null && Directory.Exists(conformance))
        {
            foreach (string source in Directory.GetFiles(conformance, "*.gif").Order().Take(12))
            {
                string webp = _temp.File($"gif{_files++}.webp");
                // Some of those GIFs are deliberately broken; gif2webp refuses them.
                if (!WebpReference.TryTool("gif2webp", "-quiet", "-mixed", source, "-o", webp)) continue;
                byte[] file = File.ReadAllBytes(webp);
                // Frame 0 must be lossless here; lossy frames 0 belong to the VP8 decoder's tests.
                if (WebpTestFile.Chunks(file).FirstOrDefault(c => c.FourCC is "VP8 " or "VP8L").FourCC == "VP8L") files.Add(webp);
            }
        }
        AssertMatchesPillow(files);
    }
}
