using FastLaDeDa.Imaging;
using StbImageWriteSharp;

namespace FastLaDeDa.Bench.Files;

/// <summary>
/// Writes the <c>files</c> report's inputs (<see cref="BenchFileSpec.All"/>) from one camera photo:
/// with Pillow when the system python3 has it (the encoder the official data sets went through),
/// else with Debian's cjpeg and cwebp from a PPM of the crop (PNG through stb_image_write); an input
/// no available encoder can write is left out with a note.
/// </summary>
public static class BenchFileInputs
{
    /// <summary>Encodes every spec under <paramref name="outDir"/>; <paramref name="notes"/> receives what was left out and why.</summary>
    /// <param name="source">The photo the crops are taken from (at least 4000×3000).</param>
    /// <param name="outDir">Where to write them (created; existing files are overwritten).</param>
    /// <param name="withoutPillow">Use cjpeg/cwebp even when Pillow is there (checks that path).</param>
    /// <param name="notes">Receives a line per input left out.</param>
    public static List<BenchFile> Generate(string source, string outDir, bool withoutPillow, List<string> notes)
    {
        Directory.CreateDirectory(outDir);
        var specs = BenchFileSpec.All;
        if (!withoutPillow && SystemPython.HasPillow)
        {
            var run = SystemPython.RunScript("make_inputs.py",
                new[] { source, outDir }.Concat(specs.Select(s => $"{s.Name}:{s.Width}:{s.Height}:{s.ScriptKind}")));
            if (run is { Succeeded: true })
                return specs.Select(s => Written(s, outDir, "Pillow")).ToList();
            notes.Add($"Pillow could not write the inputs ({run?.Stderr.Trim() ?? "python3 did not start"}); used cjpeg/cwebp instead.");
        }
        return WithStandaloneEncoders(source, outDir, specs, notes);
    }

    private static List<BenchFile> WithStandaloneEncoders(string source, string outDir, IReadOnlyList<BenchFileSpec> specs, List<string> notes)
    {
        // Our decoder is byte-identical to Pillow's, so the crops hold the same pixels either way.
        Rgb24Image photo = ImageDecoder.Decode(source);
        string? cjpeg = ExternalProcess.FindOnPath("cjpeg"), cwebp = ExternalProcess.FindOnPath("cwebp");
        var files = new List<BenchFile>();
        foreach (var spec in specs)
        {
            Rgb24Image crop = Crop(photo, spec.Width, spec.Height);
            string output = Path.Combine(outDir, spec.Name);
            if (spec.Kind == BenchFileKind.Png)
            {
                using (var stream = File.Create(output))
                    new ImageWriter().WritePng(crop.Pixels, crop.Width, crop.Height, ColorComponents.RedGreenBlue, stream);
                files.Add(Written(spec, outDir, "stb_image_write"));
                continue;
            }
            (string? tool, string[] options) = spec.Kind switch
            {
                BenchFileKind.Jpeg => (cjpeg, new[] { "-quality", "92", "-sample", "2x2" }),
                BenchFileKind.ProgressiveJpeg => (cjpeg, new[] { "-quality", "92", "-sample", "2x2", "-progressive" }),
                _ => (cwebp, new[] { "-quiet", "-q", "90" }),
            };
            if (tool is null)
            {
                notes.Add($"{spec.Name}: left out, neither Pillow nor {(spec.Kind == BenchFileKind.WebP ? "cwebp" : "cjpeg")} is installed.");
                continue;
            }
            string ppm = output + ".ppm";
            WritePpm(crop, ppm);
            string[] arguments = spec.Kind == BenchFileKind.WebP ? [.. options, ppm, "-o", output] : [.. options, "-outfile", output, ppm];
            var run = ExternalProcess.Run(tool, arguments);
            File.Delete(ppm);
            if (run is { Succeeded: true }) files.Add(Written(spec, outDir, Path.GetFileName(tool)));
            else notes.Add($"{spec.Name}: left out, {Path.GetFileName(tool)} failed ({run?.Stderr.Trim() ?? "did not start"}).");
        }
        return files;
    }

    private static BenchFile Written(BenchFileSpec spec, string outDir, string encoder)
    {
        string path = Path.Combine(outDir, spec.Name);
        return new BenchFile(spec, path, new FileInfo(path).Length, encoder);
    }

    /// <summary>The centred <paramref name="width"/> × <paramref name="height"/> region, as make_inputs.py crops it.</summary>
    private static Rgb24Image Crop(Rgb24Image image, int width, int height)
    {
        int left = (image.Width - width) / 2, top = (image.Height - height) / 2;
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            image.Row(top + y).Slice(left * 3, width * 3).CopyTo(pixels.AsSpan(y * width * 3));
        return new Rgb24Image(width, height, pixels);
    }

    private static void WritePpm(Rgb24Image image, string path)
    {
        using var stream = File.Create(path);
        stream.Write(System.Text.Encoding.ASCII.GetBytes($"P6\n{image.Width} {image.Height}\n255\n"));
        stream.Write(image.Pixels);
    }
}
