using System.Security.Cryptography;
using FastLaDeDa.Detection;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;
using FastLaDeDa.Tests.Support;
using Xunit.Abstractions;

namespace FastLaDeDa.Tests.Imaging;

/// <summary>
/// Pillow's own test images (../shared/conformance/pillow: 635 files, expected.csv computed with
/// Pillow 9.4 and PyTorch). Every file Pillow opens must decode to Pillow's RGB bytes, resize to
/// Pillow's bytes — through the streaming path the detector uses — and score within 1e-3 of both
/// official checkpoints' logits; every file Pillow rejects must give one typed error, except the
/// few documented in <see cref="DecodedAlthoughPillowRejects"/>. Nothing else may escape.
/// </summary>
public sealed class PillowConformanceTests(ITestOutputHelper output)
{
    /// <summary>
    /// Files Pillow 9.4 refuses for reasons outside their pixels; FastLaDeDa decodes them (README,
    /// "Formats"). The reason is Pillow's, not a defect of the file's image data.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> DecodedAlthoughPillowRejects = new Dictionary<string, string>
    {
        ["truncated_exif_dpi.jpg"] = "Pillow fails parsing a cut EXIF block for its DPI; the JPEG data itself is complete (libjpeg decodes it without a warning)",
        ["png_decompression_dos.png"] = "Pillow refuses a huge compressed text chunk; FastLaDeDa does not read text chunks, and the pixels are a valid 1x1 image",
        ["apng__chunk_no_fctl.png"] = "Pillow refuses the APNG animation's frame sequence; the default image (the PNG itself) is valid and is what FastLaDeDa decodes",
    };

    private static string Directory => SharedData.Require("conformance", "pillow");

    public static TheoryData<string> Files()
    {
        string? root = SharedData.TryRoot;
        string csv = root is null ? "" : Path.Combine(root, "conformance", "pillow", "expected.csv");
        var data = new TheoryData<string>();
        if (!File.Exists(csv)) data.Add("(corpus not found)");
        else foreach (var row in CsvTable.Read(csv)) data.Add(row["file"]);
        return data;
    }

    private static readonly Lazy<Dictionary<string, Dictionary<string, string>>> Rows = new(() =>
        CsvTable.Read(Path.Combine(Directory, "expected.csv")).ToDictionary(r => r["file"]));

    private static readonly Lazy<(Detector WildRf, Detector ForenSynth)> Official = new(() =>
    {
        var wild = OfficialModels.Get("wildrf_tiny");
        var foren = OfficialModels.Get("forensynth_tiny");
        return (Detector.Load(Goldens.OfficialCheckpoint(wild.File), new DetectorOptions { Preprocess = wild.Preprocess }),
                Detector.Load(Goldens.OfficialCheckpoint(foren.File), new DetectorOptions { Preprocess = foren.Preprocess }));
    });

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public void Decodes_resizes_and_scores_as_pillow_and_pytorch(string file)
    {
        Dictionary<string, string> row = Rows.Value[file];
        string path = Path.Combine(Directory, "images", file);
        byte[] bytes = File.ReadAllBytes(path);

        if (row["pillow"] != "ok")
        {
            if (DecodedAlthoughPillowRejects.TryGetValue(file, out string? why))
            {
                Rgb24Image decoded = ImageDecoder.Decode(bytes, file);
                output.WriteLine($"{file}: Pillow: {row["pillow"]}; decoded {decoded.Width}x{decoded.Height} ({why})");
                return;
            }
            var e = Assert.ThrowsAny<ImageDecodeException>(() => ImageDecoder.Decode(bytes, file));
            Assert.StartsWith(file + ": ", e.Message);
            Assert.DoesNotContain('\n', e.Message);
            output.WriteLine($"{file}: Pillow: {row["pillow"]} | FastLaDeDa: {e.GetType().Name}: {e.Cause}");
            return;
        }

        Rgb24Image image = ImageDecoder.Decode(bytes, file);
        Assert.Equal((int.Parse(row["width"]), int.Parse(row["height"])), (image.Width, image.Height));
        Assert.Equal(row["rgb_sha256"], Sha256(image.Pixels));

        var resized = new byte[256 * 256 * 3];
        ImageDecoder.DecodeResized(bytes, file, ImageLimits.Default, 256, 256, resized);
        Assert.Equal(row["resized_sha256"], Sha256(resized));

        var (wildRf, forenSynth) = Official.Value;
        double wild = wildRf.Score(path).Logit, foren = forenSynth.Score(path).Logit;
        double expectedWild = double.Parse(row["wildrf_logit"], System.Globalization.CultureInfo.InvariantCulture);
        double expectedForen = double.Parse(row["forensynth_logit"], System.Globalization.CultureInfo.InvariantCulture);
        output.WriteLine($"{file}: WildRF {wild:F5} vs {expectedWild:F5}, ForenSynth {foren:F5} vs {expectedForen:F5}");
        Assert.True(Math.Abs(wild - expectedWild) <= 1e-3, $"WildRF logit {wild} vs {expectedWild}");
        Assert.True(Math.Abs(foren - expectedForen) <= 1e-3, $"ForenSynth logit {foren} vs {expectedForen}");
    }

    /// <summary>
    /// The whole corpus decoded forward, then in reverse, in one process: every file's result is
    /// identical both times, so no decoder carries pixels (or state) from one image into another.
    /// </summary>
    [SkippableFact]
    public void Decoding_in_either_order_gives_identical_results()
    {
        string[] files = [.. Rows.Value.Keys.Order()];
        Dictionary<string, string> Pass(IEnumerable<string> order)
        {
            var results = new Dictionary<string, string>();
            foreach (string file in order)
            {
                byte[] bytes = File.ReadAllBytes(Path.Combine(Directory, "images", file));
                try
                {
                    var resized = new byte[256 * 256 * 3];
                    ImageDecoder.DecodeResized(bytes, file, ImageLimits.Default, 256, 256, resized);
                    results[file] = Sha256(ImageDecoder.Decode(bytes, file).Pixels) + " " + Sha256(resized);
                }
                catch (ImageDecodeException e)
                {
                    results[file] = e.GetType().Name + ": " + e.Cause;
                }
            }
            return results;
        }
        var forward = Pass(files);
        var reverse = Pass(files.Reverse());
        foreach (string file in files) Assert.True(forward[file] == reverse[file], $"{file}: {forward[file]} then {reverse[file]}");
        output.WriteLine($"{files.Length} files, identical results forward and in reverse");
    }

    private static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
