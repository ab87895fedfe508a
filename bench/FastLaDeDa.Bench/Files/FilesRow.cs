using FastLaDeDa.Bench.Report;

namespace FastLaDeDa.Bench.Files;

/// <summary>
/// One input's line in the <c>files</c> report: our steps on one core, file → score with the fast
/// decode, on all cores, with ONNX Runtime as the model, and Pillow's. A measurement is null where
/// it was not made: <see cref="Unsupported"/> says why when this build cannot decode the file.
/// </summary>
public sealed record FilesRow(BenchFile File, string? Unsupported, Latency? Decode, Latency? Resize, Latency? Model, Latency? FileToScore,
                              Latency? FastFileToScore, AllCoresThroughput? AllCores, Latency? OrtFileToScore, PillowTiming? Pillow)
{
    /// <summary>Ours file → score ÷ Pillow decode + resize (below 1: we are faster), wall time.</summary>
    public double? VersusPillow => FileToScore is { } ours && Pillow?.DecodeResize is { } pillow ? ours.MedianMs / pillow.WallMs : null;

    /// <summary>The same ratio in thread CPU time.</summary>
    public double? VersusPillowCpu => FileToScore?.CpuMedianMs is { } ours && Pillow?.DecodeResize is { } pillow ? ours / pillow.CpuMs : null;

    /// <summary>File → score ÷ the same with the fast decode, wall time.</summary>
    public double? FastSpeedup => FileToScore is { } exact && FastFileToScore is { } fast ? exact.MedianMs / fast.MedianMs : null;
}
