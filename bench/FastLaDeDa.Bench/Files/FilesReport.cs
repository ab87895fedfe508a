using System.Diagnostics;
using FastLaDeDa.Bench.Comparators;
using FastLaDeDa.Bench.Report;
using FastLaDeDa.Detection;
using FastLaDeDa.Engines;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging.Resize;
using FastLaDeDa.Imaging;
using FastLaDeDa.Interop.Onnx;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Bench.Files;

/// <summary>
/// The product's path end to end: image file → score with the embedded Tiny-LaDeDa, per step on one
/// core, with the opt-in fast decode, on all cores, against Pillow's decode + resize and with ONNX
/// Runtime in place of our model (parity checked first), on JPEG, progressive JPEG, PNG and WebP
/// crops of one camera photo.
/// <c>dotnet run -c Release --project bench/FastLaDeDa.Bench -- files [--shared DIR] [--out FILE] [--short] [--without-pillow] [--only NAME,...] [--inputs-only]</c>
/// (bench/files.sh sets the malloc variables and writes bench/results/files.md).
/// </summary>
public static class FilesReport
{
    /// <summary>The camera photo the inputs are cropped from, under the shared folder.</summary>
    public const string SourcePhoto = "data/test/ml72_playground/0_real/people_4.jpg";

    // Tiered JIT runs a method unoptimized for its first 30 calls, then recompiles it in the
    // background: at least this many calls and this long before timing leaves room for both.
    private const int WarmupCalls = 60;
    private const double WarmupSeconds = 1.0;

    /// <summary>Runs the report; 0 when done or skipped (no shared folder), 1 when ONNX Runtime failed parity, 2 on bad arguments.</summary>
    public static int Run(string[] args)
    {
        if (!TryParse(args, out string? sharedArg, out string? outArg, out bool quick, out bool withoutPillow, out string[]? only, out bool inputsOnly)) return 2;
        string? shared = BenchPaths.SharedFolder(sharedArg);
        string? source = shared is null ? null : Path.Combine(shared, SourcePhoto);
        if (source is null || !File.Exists(source))
        {
            Console.Error.WriteLine($"files report skipped: {SourcePhoto} not found (shared folder: {shared ?? sharedArg ?? "none found"}; pass --shared DIR or set FASTLADEDA_SHARED).");
            return 0;
        }
        string repo = BenchPaths.RepoRoot();
        string output = Path.GetFullPath(outArg ?? Path.Combine(repo, "bench", "results", "files.md"));
        string loadBefore = MachineInfo.LoadAverage;
        Console.Error.WriteLine($"load average {loadBefore}; {MachineInfo.Describe()}");

        var notes = new List<string>();
        var generated = BenchFileInputs.Generate(source, Path.Combine(repo, "artifacts", "bench-files"), withoutPillow, notes);
        var files = only is null ? generated : generated.Where(f => only.Contains(f.Spec.Name)).ToList();
        if (files.Count == 0)
        {
            Console.Error.WriteLine($"files: no input to measure ({string.Join(" ", notes)}; --only takes names from: {string.Join(", ", BenchFileSpec.All.Select(s => s.Name))}).");
            return 2;
        }
        foreach (var f in files)
            Console.Error.WriteLine($"input {f.Spec.Name,-22} {f.Spec.Width}×{f.Spec.Height} = {f.Spec.Megapixels:F2} MP, {f.Bytes,10:N0} bytes ({f.Encoder})");
        if (inputsOnly) return 0; // bench/coldstart.sh only needs the files

        using var detector = Detector.LoadDefault();
        using var fastDetector = Detector.LoadDefault(new DetectorOptions { FastDecode = true });
        var tiny = TinyLaDeDaModel.FromStateDict(DefaultWeights.Read());
        var ortInput = new ChwTensor(3, detector.Options.InputSize, detector.Options.InputSize);
        int map = TinyLaDeDaModel.MapSize(detector.Options.InputSize);
        using var ort = new OnnxRuntimeComparator(OnnxExporter.Export(tiny, detector.Metadata.Preprocess), ortInput, map, map, threads: 1);
        double ortParity = CheckParity(detector, tiny, ort, ortInput, generated, notes);
        bool ortComparable = ortParity <= Parity.Tolerance;

        var rows = new List<FilesRow>();
        foreach (var file in files)
        {
            var row = MeasureOurs(file, detector, fastDetector, ortComparable ? (ort, ortInput) : null, quick);
            rows.Add(row);
            Console.Error.WriteLine(row.Unsupported is null
                ? $"{file.Spec.Name,-22} decode {row.Decode!.Value.MedianMs:F2}  resize {row.Resize!.Value.MedianMs:F2}  model {row.Model!.Value.MedianMs:F2}  file→score {row.FileToScore!.Value.MedianMs:F2}  fast {row.FastFileToScore!.Value.MedianMs:F2}  all cores {row.AllCores!.Value.ImagesPerSecond:F0}/s  ORT {row.OrtFileToScore?.MedianMs:F2} ms"
                : $"{file.Spec.Name,-22} {row.Unsupported}");
        }

        var pillow = PillowTimings.Measure(files.Select(f => f.Path), quick ? 15 : 21, notes);
        if (pillow is { } p) rows = rows.Select(r => r with { Pillow = p.ByPath.GetValueOrDefault(r.File.Path) }).ToList();

        string markdown = FilesMarkdown.Render(rows, new FilesMarkdown.Context(loadBefore, MachineInfo.LoadAverage, pillow?.Versions, ortParity,
            ort.Engine, detector, quick, notes));
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.WriteAllText(output, markdown);
        Console.WriteLine(markdown);
        Console.Error.WriteLine($"wrote {output}");
        if (!ortComparable) Console.Error.WriteLine($"ONNX Runtime's patch map differs from the float64 reference by {ortParity:E1} (> {Parity.Tolerance:E0}): its column is left empty");
        return ortComparable ? 0 : 1;
    }

    private static FilesRow MeasureOurs(BenchFile file, Detector detector, Detector fastDetector, (OnnxRuntimeComparator Session, ChwTensor Input)? ort, bool quick)
    {
        byte[] bytes = File.ReadAllBytes(file.Path);
        Rgb24Image decoded;
        try
        {
            decoded = ImageDecoder.Decode(bytes, file.Path);
        }
        catch (UnsupportedImageFormatException)
        {
            // WebP decoding is being added on other branches: the row stays, empty, until it lands.
            return new FilesRow(file, "not supported in this build", null, null, null, null, null, null, null, null);
        }
        int size = detector.Options.InputSize;
        Rgb24Image resized = PillowResize.Bilinear(decoded, size, size);
        string path = file.Path;
        var decode = Time(() => ImageDecoder.Decode(bytes, path), quick);
        var resize = Time(() => PillowResize.Bilinear(decoded, size, size), quick);
        var model = Time(() => detector.Score(resized), quick);
        var fileToScore = Time(() => detector.Score(path), quick);
        var fast = Time(() => fastDetector.Score(path), quick);
        var allCores = AllCoresThroughput.Measure(detector, path, quick ? 1500 : 4000);
        Latency? ortFileToScore = null;
        if (ort is var (session, input))
        {
            var pixels = new byte[size * size * 3];
            ortFileToScore = Time(() =>
            {
                // Detector.Score(path)'s steps with ONNX Runtime as the model: pooled read, streamed decode + resize, normalization.
                using var encoded = PooledFile.Read(path, ImageLimits.Default);
                ImageDecoder.DecodeResized(encoded.Data, path, ImageLimits.Default, size, size, pixels);
                ImageNetNormalization.Normalize(pixels, input.Data);
                session.Run();
            }, quick);
        }
        return new FilesRow(file, null, decode, resize, model, fileToScore, fast, allCores, ortFileToScore, null);
    }

    /// <summary>
    /// ONNX Runtime's and our patch maps against the float64 reference engine on one input resized
    /// as the product resizes it, as the Table 6 report checks them; returns ONNX Runtime's error.
    /// </summary>
    private static double CheckParity(Detector detector, TinyLaDeDaModel tiny, OnnxRuntimeComparator ort, ChwTensor ortInput, List<BenchFile> files, List<string> notes)
    {
        int size = detector.Options.InputSize;
        // A JPEG, else the PNG (stb_image_write always writes it): every build decodes both.
        var file = files.FirstOrDefault(f => f.Spec.Kind == BenchFileKind.Jpeg) ?? files.First(f => f.Spec.Kind == BenchFileKind.Png);
        var pixels = new byte[size * size * 3];
        ImageDecoder.DecodeResized(File.ReadAllBytes(file.Path), file.Path, ImageLimits.Default, size, size, pixels);
        var image = new Rgb24Image(size, size, pixels);
        float[] reference = TinyLaDeDaEngines.Reference.Prepare(tiny, detector.Metadata.Preprocess).RunMap(image).Logits;
        ImageNetNormalization.Normalize(pixels, ortInput.Data);
        double ortError = Parity.RelativeError(reference, ort.Map());
        double oursError = Parity.RelativeError(reference, detector.Score(image, includePatchMap: true).PatchMap!.Logits);
        notes.Add($"Parity before timing, on {file.Spec.Name} resized to {size}×{size} (max |Δ patch logit| / max |logit| against the float64 reference engine): " +
                  $"ours ({detector.EngineName}) {oursError:E1}, {ort.Engine} {ortError:E1}; tolerance {Parity.Tolerance:E0}.");
        return ortError;
    }

    /// <summary>Median of single calls after the JIT warm-up, over about 3 s of runs (1 s with --short), at least 31 (11).</summary>
    private static Latency Time(Action run, bool quick)
    {
        long start = Stopwatch.GetTimestamp();
        int calls = 0;
        while (calls < WarmupCalls || Stopwatch.GetElapsedTime(start).TotalSeconds < WarmupSeconds)
        {
            run();
            calls++;
        }
        double perCallMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds / calls;
        int runs = Math.Clamp((int)((quick ? 1000 : 3000) / perCallMs), quick ? 11 : 31, 1000);
        return Latency.Measure(run, 0, runs);
    }

    private static bool TryParse(string[] args, out string? shared, out string? output, out bool quick, out bool withoutPillow, out string[]? only, out bool inputsOnly)
    {
        (shared, output, quick, withoutPillow, only, inputsOnly) = (null, null, false, false, null, false);
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--short": quick = true; break;
                case "--without-pillow": withoutPillow = true; break;
                case "--inputs-only": inputsOnly = true; break;
                case "--shared" when i + 1 < args.Length: shared = args[++i]; break;
                case "--out" when i + 1 < args.Length: output = args[++i]; break;
                case "--only" when i + 1 < args.Length: only = args[++i].Split(','); break;
                default:
                    Console.Error.WriteLine($"files: unexpected argument '{args[i]}'. Usage: files [--shared DIR] [--out FILE] [--short] [--without-pillow] [--only NAME,...] [--inputs-only]");
                    return false;
            }
        }
        return true;
    }
}
