using FastLaDeDa.Bench.Report;
using FastLaDeDa.Engines;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Bench;

/// <summary>
/// A Stopwatch median of the fused Tiny-LaDeDa engines on one decoded 256×256 image, single
/// thread, in seconds rather than BenchmarkDotNet's minutes: the loop to iterate on the kernel.
/// The numbers that count come from the <see cref="TinyLaDeDaLatency"/> suite and <c>report.sh</c>.
/// </summary>
public static class TinyLaDeDaQuickLatency
{
    public static void Run(string[] args)
    {
        int runs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1000;
        var image = BenchInputs.Image(256, 256);
        var map = new float[TinyLaDeDaModel.MapSize(256) * TinyLaDeDaModel.MapSize(256)];
        var model = BenchInputs.Model();
        double fmas = FmaPeak.LaneFmasPerSecond();
        double fmas256 = FmaPeak.LaneFmasPerSecond(wide: false);
        double floorMs = BenchInputs.WinogradMacs256 / fmas * 1e3;
        Console.WriteLine($"FMA peak (measured, 1 thread): {fmas / 1e9:F1} G lane-FMA/s = {2 * fmas / 1e9:F0} GFLOP/s (256-bit: {fmas256 / 1e9:F1} G); " +
                          $"the kernel's {BenchInputs.WinogradMacs256 / 1e6:F1} M multiply-adds need {floorMs:F3} ms at 100 % of it");
        foreach (var engine in TinyLaDeDaEngines.Fused.Where(e => e.IsSupported && e.Name != "tiny-scalar"))
        {
            var network = engine.Prepare(model, PreprocessKind.RightDiag);
            // The lowest of five medians: on a shared VM the slower rounds are other tenants, not the kernel.
            var latency = Enumerable.Range(0, 5).Select(_ => Latency.Measure(() => network.Run(image.Pixels, 256, 256, map), runs / 5, runs)).MinBy(l => l.MedianMs);
            double gflops = 2.0 * BenchInputs.FusedMacs256 / (latency.MedianMs * 1e6);
            Console.WriteLine($"{engine.Name,-18} median {latency.MedianMs:F4} ms  p99 {latency.P99Ms:F4} ms  ({gflops:F1} GFLOP/s direct-equivalent; multiply-adds at {100 * floorMs / latency.MedianMs:F0} % of peak)");
        }
    }
}
