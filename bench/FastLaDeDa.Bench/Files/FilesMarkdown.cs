using System.Globalization;
using System.Text;
using FastLaDeDa.Bench.Report;
using FastLaDeDa.Detection;
using FastLaDeDa.Models;

namespace FastLaDeDa.Bench.Files;

/// <summary>Writes the <c>files</c> report as Markdown: the wall-time table, the thread-CPU table, then the setting and the notes.</summary>
public static class FilesMarkdown
{
    /// <summary>What the tables need besides the rows.</summary>
    public sealed record Context(string LoadBefore, string LoadAfter, IReadOnlyDictionary<string, string?>? PillowVersions, double OrtParity,
                                 string OrtEngine, Detector Detector, bool Quick, IReadOnlyList<string> Notes);

    /// <summary>The whole report.</summary>
    public static string Render(IReadOnlyList<FilesRow> rows, Context context)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# File → score, measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC{(context.Quick ? " (--short)" : "")}");
        sb.AppendLine();
        sb.AppendLine($"Machine: {MachineInfo.Describe()}.");
        sb.AppendLine($"Load average (1, 5, 15 min): {context.LoadBefore} at the start, {context.LoadAfter} at the end{(Environment.ProcessorCount <= 2 ? " — on this many cores anything above ~0.5 means other work shared the cores: rerun on a quiet machine for final numbers" : "")}.");
        sb.AppendLine($"glibc malloc: MALLOC_MMAP_THRESHOLD_={Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") ?? "unset"}, MALLOC_TRIM_THRESHOLD_={Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") ?? "unset"} (Pillow's process always gets 2000000000 for both).");
        sb.AppendLine($"Model: {context.Detector.WeightsSource} ({ModelMetadataText(context.Detector)}), engine {context.Detector.EngineName}, input {context.Detector.Options.InputSize}².");
        if (context.PillowVersions is { } v)
            sb.AppendLine($"Pillow {v.GetValueOrDefault("pillow")} (libjpeg-turbo {v.GetValueOrDefault("libjpeg_turbo") ?? "?"}, libjpeg API {v.GetValueOrDefault("libjpeg_api") ?? "?"}, zlib {v.GetValueOrDefault("zlib") ?? "?"}, libwebp {v.GetValueOrDefault("webp") ?? "?"}), Python {v.GetValueOrDefault("python")}.");
        sb.AppendLine();
        sb.AppendLine("## Wall time, median ms (one core unless stated)");
        sb.AppendLine();
        sb.AppendLine("| file | MP | bytes | decode | resize | model | **file → score** | file → score, fast decode | fast speed-up | all cores: images/s (ms/image) | Pillow decode | Pillow decode + resize | **ours ÷ Pillow** | Pillow draft + resize | file → score, our decode + ORT |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            string pillow = PillowCells(r.Pillow, s => s.WallMs);
            if (r.Unsupported is not null)
            {
                sb.AppendLine($"| {Name(r)} | {F(r.File.Spec.Megapixels)} | {r.File.Bytes:N0} | {r.Unsupported} | | | | | | | {pillow} | | | |");
                continue;
            }
            var all = r.AllCores!.Value;
            sb.AppendLine($"| {Name(r)} | {F(r.File.Spec.Megapixels)} | {r.File.Bytes:N0} | {Ms(r.Decode)} | {Ms(r.Resize)} | {Ms(r.Model)} | **{Ms(r.FileToScore)}** | {Ms(r.FastFileToScore)} | {X(r.FastSpeedup)} | {all.ImagesPerSecond:F0} ({F(all.MsPerImage)}) | " +
                          $"{PillowCell(r.Pillow?.Decode, s => s.WallMs)} | {PillowCell(r.Pillow?.DecodeResize, s => s.WallMs)} | **{F(r.VersusPillow)}** | {PillowCell(r.Pillow?.DraftResize, s => s.WallMs)} | {Ms(r.OrtFileToScore)} |");
        }
        sb.AppendLine();
        sb.AppendLine("## Thread CPU time, median ms (the steadier number on a shared machine)");
        sb.AppendLine();
        sb.AppendLine("| file | decode | resize | model | **file → score** | file → score, fast decode | all cores: CPU ms/image (process) | Pillow decode | Pillow decode + resize | **ours ÷ Pillow** | Pillow draft + resize | file → score, our decode + ORT |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            if (r.Unsupported is not null)
            {
                sb.AppendLine($"| {Name(r)} | {r.Unsupported} | | | | | | {PillowCells(r.Pillow, s => s.CpuMs)} | | | |");
                continue;
            }
            sb.AppendLine($"| {Name(r)} | {Cpu(r.Decode)} | {Cpu(r.Resize)} | {Cpu(r.Model)} | **{Cpu(r.FileToScore)}** | {Cpu(r.FastFileToScore)} | {F(r.AllCores!.Value.CpuMsPerImage)} | " +
                          $"{PillowCell(r.Pillow?.Decode, s => s.CpuMs)} | {PillowCell(r.Pillow?.DecodeResize, s => s.CpuMs)} | **{F(r.VersusPillowCpu)}** | {PillowCell(r.Pillow?.DraftResize, s => s.CpuMs)} | {Cpu(r.OrtFileToScore)} |");
        }
        sb.AppendLine();
        sb.AppendLine("Columns. **decode**: `ImageDecoder.Decode(bytes)` to a full-size RGB image (bytes already in memory). **resize**: `PillowResize.Bilinear(decoded, 256, 256)`. " +
                      "**model**: `detector.Score(image256)` (normalization, filter, Tiny-LaDeDa, pooling). **file → score**: `detector.Score(path)`, the product's path: reads the file into a pooled buffer; " +
                      "a JPEG or a sequential PNG streams through the Pillow-exact resize (never held at full size), other formats decode in full and then resize. **fast decode**: the same with `DetectorOptions.FastDecode` " +
                      "(JPEG decoded at the smallest DCT scale keeping both sides ≥ 256; not exact, scores differ slightly); speed-up = file → score ÷ fast. " +
                      $"**all cores**: file → score on {Environment.ProcessorCount} threads (`Parallel.For`, one shared detector), {rows.FirstOrDefault(r => r.AllCores is not null)?.AllCores?.Images ?? 0} copies of the path per round, median round; CPU column = process CPU time (all threads, JIT and GC included) per image. " +
                      "**Pillow decode**: `Image.open(f).convert(\"RGB\")`; **Pillow decode + resize**: `…convert(\"RGB\").resize((256, 256), Image.BILINEAR)`, the official pipeline; both open the file by path. " +
                      "**ours ÷ Pillow**: file → score ÷ Pillow decode + resize (below 1: ours is faster, although ours also runs the model). " +
                      "**Pillow draft + resize**: `im.draft(\"RGB\", (256, 256))` first (libjpeg DCT scaling, JPEG only) — Pillow's counterpart of our fast decode, not the official pipeline. " +
                      $"**our decode + ORT**: file → score with {context.OrtEngine} (1 intra-op thread, ORT_ENABLE_ALL, our ONNX export of the same weights) as the model: pooled read, streamed decode + resize, normalization, `session.Run`.");
        sb.AppendLine();
        sb.AppendLine($"Method: every \"ours\" cell is the median of single calls on the calling thread after ≥ 60 warm-up calls and ≥ 1 s (tiered JIT), about {(context.Quick ? 1 : 3)} s of runs (≥ {(context.Quick ? 11 : 31)}); " +
                      "Pillow runs in /usr/bin/python3, 3 warm-up calls, then about 2 s of runs (≥ 15). Thread CPU time = clock_gettime(CLOCK_THREAD_CPUTIME_ID) (ours) and time.thread_time_ns() (Pillow).");
        foreach (string note in context.Notes) sb.AppendLine($"- {note}");
        if (context.OrtParity > Parity.Tolerance)
            sb.AppendLine($"- ONNX Runtime's column is empty: its patch map differs from the reference by {context.OrtParity:E1} relative.");
        return sb.ToString();
    }

    private static string ModelMetadataText(Detector detector) =>
        $"{ModelMetadata.ModelName(detector.Metadata.Model)}, {Preprocessing.PreprocessKindNames.ToName(detector.Metadata.Preprocess)}, {ModelMetadata.PoolingName(detector.Metadata.Pooling)} pooling";

    private static string Name(FilesRow r) => $"{r.File.Spec.Name} ({r.File.Spec.Width}×{r.File.Spec.Height}, {r.File.Spec.Encoding}{(r.File.Encoder == "Pillow" ? "" : $", {r.File.Encoder}")})";

    private static string PillowCells(PillowTiming? pillow, Func<PillowStep, double> value) =>
        pillow is null ? "| " : pillow.Error is not null ? $"{pillow.Error} | " : $"{PillowCell(pillow.Decode, value)} | {PillowCell(pillow.DecodeResize, value)}";

    private static string PillowCell(PillowStep? step, Func<PillowStep, double> value) => step is { } s ? F(value(s)) : "";

    private static string Ms(Latency? latency) => latency is { } l ? F(l.MedianMs) : "";

    private static string Cpu(Latency? latency) => latency?.CpuMedianMs is { } c ? F(c) : "";

    private static string X(double? ratio) => ratio is { } r ? F(r) + "×" : "";

    private static string F(double? value) => value is not { } v ? "" : v.ToString(v < 10 ? "F2" : v < 100 ? "F1" : "F0", CultureInfo.InvariantCulture);
}
