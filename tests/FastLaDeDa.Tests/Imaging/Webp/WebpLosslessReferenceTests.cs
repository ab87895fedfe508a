using FastLaDeDa.Imaging;
using FastLaDeDa.Imaging.Formats.Webp;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// Files made by cwebp (lossless at every effort level, with -exact, near-lossless, different methods
/// and qualities) from generated images that exercise every path of the format: noise (literals, color
/// cache), gradients (predictors, cross-color), 2 to 256 colors (palettes packed 8, 4, 2 or 1 per pixel),
/// alpha, and sizes from 1×1 to a few megapixels. Each must decode to dwebp's RGB byte for byte, and
/// (a sample) to Pillow's <c>convert("RGB")</c>.
/// </summary>
public sealed class WebpLosslessReferenceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    /// <inheritdoc/>
    public void Dispose() => _temp.Dispose();

    private static readonly string[] Contents =
        ["noise", "noise-alpha", "gradient", "smooth-alpha", "colors2", "colors3", "colors4", "colors5", "colors16", "colors17", "colors256"];

    private static readonly (int Width, int Height)[] Sizes = [(1, 1), (1, 9), (9, 1), (17, 13), (129, 67), (300, 200)];

    private static readonly string[] Options =
        ["-lossless -z 0", "-z 9", "-lossless -m 0 -q 0", "-lossless -m 6 -q 100 -exact", "-near_lossless 40", "-lossless -q 50 -m 3 -exact"];

    /// <summary>Every content at every size, the options rotating.</summary>
    public static TheoryData<string, int, int, string> Cases()
    {
        var cases = new TheoryData<string, int, int, string>();
        int i = 0;
        foreach (string content in Contents)
            foreach (var (width, height) in Sizes)
                cases.Add(content, width, height, Options[i++ % Options.Length]);
        return cases;
    }

    /// <summary>A PNG of the given content (RGBA when the content has alpha or colors, RGB otherwise).</summary>
    internal static byte[] SourcePng(string content, int width, int height, int seed = 1)
    {
        var random = new Random(seed);
        byte[] noise = new byte[width * height * 4];
        random.NextBytes(noise);
        if (content.StartsWith("colors", StringComparison.Ordinal))
        {
            int count = int.Parse(content["colors".Length..]);
            uint[] palette = [.. Enumerable.Range(0, count).Select(_ => (uint)random.Next() | (random.Next(3) == 0 ? 0u : 0xFF000000))];
            int[] index = [.. Enumerable.Range(0, width * height).Select(i => (i % width / 3 + i / width / 2 * 7 + noise[i] % 2) % count)];
            return TestPngWriter.Encode(width, height, 8, 6, (x, y, c) => (int)(palette[index[y * width + x]] >> (c == 3 ? 24 : 16 - 8 * c)) & 255);
        }
        return content switch
        {
            "noise" => TestPngWriter.Encode(width, height, 8, 2, (x, y, c) => noise[(y * width + x) * 4 + c]),
            "noise-alpha" => TestPngWriter.Encode(width, height, 8, 6, (x, y, c) => noise[(y * width + x) * 4 + c]),
            "gradient" => TestPngWriter.Encode(width, height, 8, 2,
                (x, y, c) => c == 0 ? x * 255 / Math.Max(1, width - 1) : c == 1 ? y * 255 / Math.Max(1, height - 1) : (x + y) * 3 & 255),
            _ => TestPngWriter.Encode(width, height, 8, 6, (x, y, c) => c switch
            {
                // A disc of opaque smooth colors; outside it, transparent pixels with varied RGB (kept by -exact).
                3 => (x - width / 2) * (x - width / 2) + (y - height / 2) * (y - height / 2) < width * height / 6 ? 255 : x % 3 * 60,
                _ => (x * 5 + y * (c + 2) + noise[(y * width + x) * 4] % 4) & 255,
            }),
        };
    }

    private string Encode(string content, int width, int height, string options, int seed = 1)
    {
        string png = _temp.Write($"{content}-{width}x{height}-{seed}.png", SourcePng(content, width, height, seed));
        string webp = Path.ChangeExtension(png, $"{options.Replace(' ', '_')}.webp");
        WebpReference.Tool("cwebp", [.. options.Split(' '), "-quiet", png, "-o", webp]);
        return webp;
    }

    private static void AssertMatchesDwebp(string webp)
    {
        var expected = WebpReference.Dwebp(webp);
        Assert.NotNull(expected);
        Rgb24Image image = WebpDecoder.Decode(File.ReadAllBytes(webp), ImageLimits.Default, webp);
        Assert.Equal((expected.Value.Width, expected.Value.Height), (image.Width, image.Height));
        Assert.True(expected.Value.Rgb.AsSpan().SequenceEqual(image.Pixels), $"{Path.GetFileName(webp)}: RGB differs from dwebp's");
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Cwebp_files_decode_like_dwebp(string content, int width, int height, string options)
    {
        WebpReference.RequireTools("cwebp", "dwebp");
        string webp = Encode(content, width, height, options);
        // cwebp must have written a lossless bitstream (near-lossless too): this suite is about VP8L.
        Assert.Contains(WebpTestFile.Chunks(File.ReadAllBytes(webp)), c => c.FourCC == "VP8L");
        AssertMatchesDwebp(webp);
    }

    [SkippableFact]
    public void Every_effort_level_decodes_like_dwebp()
    {
        WebpReference.RequireTools("cwebp", "dwebp");
        for (int level = 0; level <= 9; level++)
        {
            AssertMatchesDwebp(Encode("smooth-alpha", 97, 61, $"-lossless -exact -z {level}", seed: level));
            AssertMatchesDwebp(Encode("colors17", 64, 33, $"-z {level}", seed: level));
        }
    }

    [SkippableFact]
    public void Megapixel_images_decode_like_dwebp()
    {
        WebpReference.RequireTools("cwebp", "dwebp");
        AssertMatchesDwebp(Encode("gradient", 1601, 1243, "-lossless -z 1"));
        AssertMatchesDwebp(Encode("noise-alpha", 1024, 1025, "-lossless -z 0 -exact"));
    }

    [SkippableFact]
    public void A_sample_matches_pillow()
    {
        WebpReference.RequireTools("cwebp");
        WebpReference.RequirePillow();
        var files = new List<string>();
        int i = 0;
        foreach (string content in Contents)
            files.Add(Encode(content, 31 + i, 17 + 2 * i, Options[i++ % Options.Length]));
        var pillow = WebpReference.Pillow(files);
        foreach (string file in files)
        {
            Rgb24Image image = WebpDecoder.Decode(File.ReadAllBytes(file), ImageLimits.Default, file);
            Assert.True(pillow[file].Opened, pillow[file].Error);
            Assert.Equal((pillow[file].Width, pillow[file].Height), (image.Width, image.Height));
            Assert.Equal(pillow[file].Sha256, WebpReference.Sha256(image.Pixels));
        }
    }
}
