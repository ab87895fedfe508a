using FastLaDeDa.Detection;
using FastLaDeDa.Models;

namespace FastLaDeDa.Cli.Commands;

/// <summary>How many images to score at once: one per core for Tiny-LaDeDa, one for LaDeDa (which already uses every core per image).</summary>
internal static class ScoringWorkers
{
    /// <summary>The number of images <paramref name="detector"/> should score concurrently on this machine.</summary>
    public static int For(Detector detector) => detector.Metadata.Model == ModelKind.LaDeDa ? 1 : Environment.ProcessorCount;
}
