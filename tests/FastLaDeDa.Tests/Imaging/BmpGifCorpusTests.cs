using System.Security.Cryptography;
using FastLaDeDa.Imaging;
using FastLaDeDa.Tests.Support;
using Xunit.Abstractions;

namespace FastLaDeDa.Tests.Imaging;

/// <summary>
/// Every BMP, DIB and GIF file of the Pillow conformance corpus (<c>../shared/conformance/pillow</c>,
/// Pillow's own test images with Pillow 9.4's results in <c>expected.csv</c>): where Pillow
/// decodes the file, the RGB bytes must hash the same; where it raises, decoding must fail with an
/// <see cref="ImageDecodeException"/> (the limits' <see cref="ImageLimitExceededException"/> for
/// Pillow's decompression-bomb refusals).
/// </summary>
public sealed class BmpGifCorpusTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Bmp_dib_and_gif_files_decode_as_pillow_decodes_them()
    {
        string csv = SharedData.Require("conformance", "pillow", "expected.csv");
        string images = Path.Combine(Path.GetDirectoryName(csv)!, "images");
        var rows = CsvTable.Read(csv).Where(r => Path.GetExtension(r["file"]).ToLowerInvariant() is ".bmp" or ".dib" or ".gif").ToList();

        var failures = new List<string>();
        int matched = 0, refused = 0;
        foreach (var row in rows)
        {
            string file = row["file"];
            bool pillowDecodes = row["pillow"] == "ok";
            try
            {
                Rgb24Image image = ImageDecoder.Decode(Path.Combine(images, file));
                string hash = Convert.ToHexStringLower(SHA256.HashData(image.Pixels));
                if (!pillowDecodes) failures.Add($"{file}: decoded, Pillow raised {row["pillow"]}");
                else if ($"{image.Width}x{image.Height}" != $"{row["width"]}x{row["height"]}" || hash != row["rgb_sha256"])
                    failures.Add($"{file}: {image.Width}x{image.Height} {hash}, Pillow {row["width"]}x{row["height"]} {row["rgb_sha256"]}");
                else matched++;
            }
            catch (ImageDecodeException e)
            {
                if (pillowDecodes) failures.Add($"{file}: {e.GetType().Name}: {e.Cause}, Pillow decodes it");
                else refused++;
            }
        }

        output.WriteLine($"{rows.Count} BMP/DIB/GIF files: {matched} identical to Pillow, {refused} refused where Pillow raises");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(matched >= 80, $"only {matched} files decoded: is the corpus complete?");
    }
}
