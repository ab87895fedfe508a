using System.Globalization;
using System.Text;
using FastLaDeDa.Bench.Comparators;
using FastLaDeDa.Bench.Cost;
using FastLaDeDa.Detection;
using FastLaDeDa.Engines.Cpu.LaDeDa;
using FastLaDeDa.Engines;
using FastLaDeDa.Engines.Cpu;
using FastLaDeDa.Imaging.Resize;
using FastLaDeDa.Imaging;
using FastLaDeDa.Interop.Onnx;
using FastLaDeDa.Gpu;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Training.Export;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Bench.Report;

/// <summary>
/// The paper's Table 6, measured here: every engine on the same weights and the same 256×256
/// input, after checking its patch logits against a reference map (≤ 1e-4 of the map's range); median and
/// p99 latency, images/s, the ratio to ONNX Runtime; written as Markdown plus a PNG bar chart to
/// bench/results/. <c>dotnet run -c Release --project bench/FastLaDeDa.Bench -- report [--short]</c>
/// (bench/report.sh sets the malloc variables TorchSharp needs).
/// </summary>
public static class Table6Report
{
    public static int Run(string[] args)
    {
        bool quick = args.Contains("--short");
        bool ilgpuCpu = args.Contains("--ilgpu-cpu");
        string outDir = Path.GetFullPath(Path.Combine(BenchPaths.RepoRoot(), "bench", "results"));
        Directory.CreateDirectory(outDir);
        var rows = new List<ReportRow>();
        var notes = new List<string>();
        int failures = 0;

        // Tiny-LaDeDa: the official WildRF checkpoint when the shared folder is found (scores are then the official ones), else random weights.
        string? shared = BenchPaths.SharedFolder();
        string? wildrf = shared is null ? null : Path.Combine(shared, "weights", "official", "WildRF_Tiny_LaDeDa.pth");
        StateDict tinyDict = wildrf is not null && File.Exists(wildrf) ? PthCheckpoint.Read(wildrf) : BenchInputs.StateDict();
        notes.Add($"Tiny-LaDeDa weights: {(tinyDict.SourcePath is null ? "random" : Path.GetFileName(tinyDict.SourcePath))}, right_diag.");
        var tiny = TinyLaDeDaModel.FromStateDict(tinyDict);
        Rgb24Image image = BenchInputs.Image(256, 256);
        ChwTensor normalized = ImageNetNormalization.Normalize(image);
        var tinyCost = ModelCost.Tiny();
        long tinyMacs = tinyCost.Sum(c => c.ExecutedMacs), tinyParams = tinyCost.Sum(c => c.Parameters);
        long tinyWrittenMacs = tinyCost.Where(c => c.Layer != ModelCost.TinyFilterLayer).Sum(c => c.WrittenMacs);

        // The float64 reference is the parity anchor, so our own engines' rows get a real number too.
        float[] reference = TinyLaDeDaEngines.Reference.Prepare(tiny, PreprocessKind.RightDiag).RunMap(image).Logits;
        int tinyRuns = quick ? 300 : 2000;
        var tinyComparators = new List<IComparator>();
        // Prepared once: its comparator row and the end-to-end table share it.
        IPatchNetwork best = TinyLaDeDaEngines.Best.Prepare(tiny, PreprocessKind.RightDiag);
        foreach (var engine in TinyLaDeDaEngines.Fused.Where(e => e.IsSupported).Reverse())
            tinyComparators.Add(new OursNetwork(engine.Name, ReferenceEquals(engine, TinyLaDeDaEngines.Best) ? best : engine.Prepare(tiny, PreprocessKind.RightDiag), 1,
                "from RGB bytes (normalization + filter inside), per-thread workspace", image));
        byte[] tinyOnnx = OnnxExporter.Export(tiny, PreprocessKind.RightDiag);
        foreach (int threads in new[] { 1, 2 })
            tinyComparators.Add(new OnnxRuntimeComparator(tinyOnnx, normalized, TinyLaDeDaModel.MapSize(256), TinyLaDeDaModel.MapSize(256), threads));
        foreach (int threads in new[] { 1, 2 })
            tinyComparators.Add(new TorchSharpComparator(TorchStateDict.LoadTiny(tinyDict, PreprocessKind.RightDiag), normalized, threads));
        foreach (var c in tinyComparators)
        {
            using (c)
            {
                double error = Parity.RelativeError(reference, c.Map());
                if (error > Parity.Tolerance) failures++;
                var latency = Latency.Measure(c.Run, tinyRuns / 10, tinyRuns);
                rows.Add(new ReportRow("Tiny-LaDeDa", c.Engine, c.Threads, c.Engine.StartsWith("FastLaDeDa") ? tinyMacs : tinyWrittenMacs,
                    tinyParams, latency, error, c.Settings));
                Console.Error.WriteLine($"Tiny-LaDeDa  {c.Engine,-34} {c.Threads} thr  median {latency.MedianMs:F3} ms  p99 {latency.P99Ms:F3} ms  parity {error:E1}");
            }
        }
        rows.Add(Throughput(tinyDict, tinyMacs, tinyParams, quick));

        // LaDeDa: random weights with realistic BatchNorm statistics (no trained LaDeDa is needed to time it).
        StateDict ladedaDict = RandomLaDeDa.StateDict(42);
        var ladeda = LaDeDaModel.FromStateDict(ladedaDict);
        var ladedaCost = ModelCost.LaDeDa(ladeda.Spec);
        float[]? ladedaReference = null;
        int ladedaRuns = quick ? 3 : 10;
        byte[] ladedaOnnx = OnnxExporter.Export(ladeda, PreprocessKind.Npr);
        var ladedaComparators = new List<IComparator>();
        long? ladedaStageMacs = null; // what the engine executes (as `ladeda-layers` counts it), for the GMACs note
        foreach (var engine in LaDeDaEngines.Cpu.Where(e => e.IsSupported && e.Isa != LaDeDaCpuIsa.Scalar))
            foreach (int threads in new[] { 1, 2 })
            {
                var network = engine.WithMaxThreads(threads).PrepareNetwork(ladeda, PreprocessKind.Npr);
                ladedaStageMacs ??= network.Stages(image.Width, image.Height).Sum(s => s.MultiplyAdds);
                ladedaComparators.Add(new OursNetwork(engine.Name, network, threads,
                    "from RGB bytes (normalization + NPR inside), packed weights, worker pool", image));
            }
        // ILGPU: CUDA when a device is present; the CPU accelerator (simulated thread groups, ~2 minutes
        // per 256×256 image on 2 cores) only with --ilgpu-cpu: it is there for correctness, not speed.
        using var gpuEngine = LaDeDaGpuEngine.IsCudaAvailable ? new LaDeDaGpuEngine(GpuDevicePreference.Gpu)
                            : ilgpuCpu ? new LaDeDaGpuEngine(GpuDevicePreference.Cpu) : null;
        if (gpuEngine is not null)
            ladedaComparators.Add(new OursNetwork($"{gpuEngine.Name} ({gpuEngine.DeviceName})", gpuEngine.Prepare(ladeda, PreprocessKind.Npr),
                gpuEngine.IsCuda ? 1 : Environment.ProcessorCount, "from RGB bytes; upload, all kernels, download; batch 1", image));
        else
            notes.Add($"LaDeDa9 on ILGPU: no CUDA device ({LaDeDaGpuEngine.CudaDescription}); the CPU accelerator row needs --ilgpu-cpu (reference only, ~2 minutes per image).");
        foreach (int threads in new[] { 1, 2 })
            ladedaComparators.Add(new OnnxRuntimeComparator(ladedaOnnx, normalized, ladeda.MapSize(256), ladeda.MapSize(256), threads));
        foreach (int threads in new[] { 1, 2 })
            ladedaComparators.Add(new TorchSharpComparator(TorchStateDict.LoadLaDeDa(ladedaDict, PreprocessKind.Npr), normalized, threads));
        foreach (var c in ladedaComparators)
        {
            using (c)
            {
                float[] map = c.Map();
                ladedaReference ??= map; // our widest CPU engine (tested against the float64 reference) is the anchor
                double error = Parity.RelativeError(ladedaReference, map);
                if (error > Parity.Tolerance) failures++;
                bool slow = c.Engine.Contains("ladeda-ilgpu-cpu", StringComparison.Ordinal);
                var latency = slow ? Latency.Measure(c.Run, 0, 1) : Latency.Measure(c.Run, 1, ladedaRuns);
                rows.Add(new ReportRow("LaDeDa9", c.Engine, c.Threads, c.Engine.StartsWith("FastLaDeDa") ? ladedaCost.Sum(x => x.ExecutedMacs) : ladedaCost.Sum(x => x.WrittenMacs), ladeda.Spec.ParameterCount, latency, error, c.Settings));
                Console.Error.WriteLine($"LaDeDa9      {c.Engine,-34} {c.Threads} thr  median {latency.MedianMs:F1} ms  p99 {latency.P99Ms:F1} ms  parity {error:E1}");
            }
        }
        notes.Add("LaDeDa9 weights: random, with realistic BatchNorm statistics; parity is against our LaDeDa CPU engine (itself tested against the float64 reference and TorchSharp).");

        var endToEnd = EndToEnd(best, shared, quick);
        string markdown = Markdown(rows, tinyCost, ladedaCost, ladedaStageMacs, endToEnd, notes);
        File.WriteAllText(Path.Combine(outDir, "latest.md"), markdown);
        var charts = BarChart.Save(outDir, rows);
        Console.WriteLine(markdown);
        Console.Error.WriteLine($"wrote {Path.Combine(outDir, "latest.md")} and {string.Join(", ", charts.Select(Path.GetFileName))}");
        if (failures > 0) Console.Error.WriteLine($"{failures} comparator(s) disagreed with the reference maps by more than {Parity.Tolerance:E0} relative: their timings are not comparable");
        return failures == 0 ? 0 : 1;
    }

    private static ReportRow Throughput(StateDict dict, long macs, long parameters, bool quick)
    {
        using var detector = Detector.FromStateDict(dict, new DetectorOptions { Preprocess = PreprocessKind.RightDiag });
        var images = Enumerable.Range(0, 64).Select(i => BenchInputs.Image(256, 256, i)).ToArray();
        var latency = Latency.Measure(() => detector.ScoreBatch(images), 3, quick ? 10 : 40);
        double perImage = latency.MedianMs / images.Length;
        return new ReportRow("Tiny-LaDeDa", $"FastLaDeDa {TinyLaDeDaEngines.Best.Name} (ScoreBatch)", Environment.ProcessorCount, macs, parameters,
            new Latency(perImage, latency.P99Ms / images.Length, latency.Runs), null, "batches of 64 resized images on all cores; latency = time per image");
    }

    /// <summary>Where the time goes from a JPEG file to a score: decode, resize, model (one thread).</summary>
    private static (string File, Latency Decode, Latency Resize, Latency Model) EndToEnd(IPatchNetwork network, string? shared, bool quick)
    {
        string? jpeg = shared is null ? null : Path.Combine(shared, "golden", "images", "fake_people_jpg1120.jpg");
        byte[] bytes = jpeg is not null && File.Exists(jpeg) ? File.ReadAllBytes(jpeg) : Evaluation.JpegReencoder.Encode(BenchInputs.Image(1024, 768), 90);
        var decoded = ImageDecoder.Decode(bytes);
        var resized = PillowResize.Bilinear(decoded, 256, 256);
        int runs = quick ? 30 : 100;
        return ($"{(jpeg is not null && File.Exists(jpeg) ? Path.GetFileName(jpeg) : "generated JPEG")} ({decoded.Width}×{decoded.Height})",
            Latency.Measure(() => ImageDecoder.Decode(bytes), 5, runs),
            Latency.Measure(() => PillowResize.Bilinear(decoded, 256, 256), 5, runs),
            Latency.Measure(() => network.Run(resized.Pixels, 256, 256, default), 5, runs));
    }

    private static string Markdown(List<ReportRow> rows, IReadOnlyList<LayerCost> tinyCost, IReadOnlyList<LayerCost> ladedaCost, long? ladedaStageMacs,
                                   (string File, Latency Decode, Latency Resize, Latency Model) e2e, List<string> notes)
    {
        static string F(double v, int d) => v.ToString("F" + d, CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.AppendLine($"# Table 6, measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        sb.AppendLine();
        sb.AppendLine($"Machine: {MachineInfo.Describe()}.");
        sb.AppendLine($"Input: one 256×256 image, batch 1. glibc malloc: MALLOC_MMAP_THRESHOLD_={Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") ?? "unset"}, MALLOC_TRIM_THRESHOLD_={Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") ?? "unset"}.");
        foreach (string note in notes) sb.AppendLine(note);
        sb.AppendLine();
        sb.AppendLine("| model | engine | threads | GMACs | params | median ms | p99 ms | images/s | × ORT 1 thread | parity |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var group in rows.GroupBy(r => r.Model))
        {
            var ort1 = group.FirstOrDefault(r => r.Engine.StartsWith("ONNX Runtime") && r.Threads == 1);
            foreach (var r in group)
                sb.AppendLine($"| {r.Model} | {r.Engine} | {r.Threads} | {F(r.Macs / 1e9, r.Macs < 1e9 ? 4 : 2)} | {r.Parameters:N0} | {F(r.Latency.MedianMs, r.Latency.MedianMs < 10 ? 3 : 1)} | {F(r.Latency.P99Ms, r.Latency.P99Ms < 10 ? 3 : 1)} | {F(r.ImagesPerSecond, r.ImagesPerSecond < 100 ? 2 : 0)} | {(ort1 is null ? "" : F(ort1.Latency.MedianMs / r.Latency.MedianMs, 2))} | {(r.ParityError is null ? "" : r.ParityError.Value.ToString("E1", CultureInfo.InvariantCulture))} |");
        }
        sb.AppendLine();
        string executed = ladedaStageMacs is null ? "" : $"; the engine computes only the positions some patch logit reads ({F(ladedaStageMacs.Value / 1e9, 2)} G at 256×256, see `ladeda-layers`)";
        sb.AppendLine($"GMACs: multiply-adds of convolutions and fc for the work each engine runs (ours: conv1 fused into the stem; the others: the network as written, without Tiny's gradient filter). Parity: max |Δ patch logit| / max |logit| against the float64 reference engine (LaDeDa: against our widest CPU engine, as the float64 LaDeDa reference is too slow at 256×256). Our LaDeDa row counts the fused network ({F(ladedaCost.Sum(c => c.ExecutedMacs) / 1e9, 2)} G){executed}.");
        sb.AppendLine();
        sb.AppendLine("| setting | |");
        sb.AppendLine("|---|---|");
        foreach (var r in rows.DistinctBy(r => (r.Engine, r.Threads))) sb.AppendLine($"| {r.Engine}, {r.Threads} thread(s) | {r.Settings} |");
        sb.AppendLine();
        sb.AppendLine($"## End to end from a JPEG ({e2e.File}), one thread");
        sb.AppendLine();
        sb.AppendLine("| step | median ms | p99 ms |");
        sb.AppendLine("|---|---:|---:|");
        sb.AppendLine($"| decode (ImageDecoder, bytes in memory) | {F(e2e.Decode.MedianMs, 2)} | {F(e2e.Decode.P99Ms, 2)} |");
        sb.AppendLine($"| Pillow-exact resize to 256×256 | {F(e2e.Resize.MedianMs, 2)} | {F(e2e.Resize.P99Ms, 2)} |");
        sb.AppendLine($"| Tiny-LaDeDa ({TinyLaDeDaEngines.Best.Name}) | {F(e2e.Model.MedianMs, 2)} | {F(e2e.Model.P99Ms, 2)} |");
        sb.AppendLine();
        AppendCost(sb, "Tiny-LaDeDa", tinyCost);
        AppendCost(sb, "LaDeDa9", ladedaCost);
        return sb.ToString();
    }

    private static void AppendCost(StringBuilder sb, string model, IReadOnlyList<LayerCost> cost)
    {
        static string M(long v) => (v / 1e6).ToString("F2", CultureInfo.InvariantCulture);
        sb.AppendLine($"## {model} at 256×256: work per layer (millions)");
        sb.AppendLine();
        sb.AppendLine("| layer | output | MACs as written | MACs executed | params | thop ops |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var c in cost) sb.AppendLine($"| {c.Layer} | {c.Output} | {M(c.WrittenMacs)} | {M(c.ExecutedMacs)} | {c.Parameters:N0} | {M(c.ThopOps)} |");
        sb.AppendLine($"| **total** | | **{M(cost.Sum(c => c.WrittenMacs))}** | **{M(cost.Sum(c => c.ExecutedMacs))}** | **{cost.Sum(c => c.Parameters):N0}** | **{M(cost.Sum(c => c.ThopOps))}** |");
        sb.AppendLine();
    }
}
