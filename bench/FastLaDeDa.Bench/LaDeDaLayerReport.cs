using System.Diagnostics;
using System.Globalization;
using FastLaDeDa.Engines.Cpu.LaDeDa;
using FastLaDeDa.Engines;
using FastLaDeDa.Engines.Cpu;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Bench;

/// <summary>
/// <c>ladeda-layers [size] [rounds] [--layer-by-layer] [engines…]</c>: LaDeDa9 on one random image,
/// batch 1, every configuration (engine × 1 and 2 threads) run in turn within each round, so a
/// machine shared with other work slows them alike; prints the median ms/image and CPU time of each
/// configuration and, per pass (a convolution, or a fused chain), the median time and the GFLOP/s of
/// the multiply-adds it executes (2 FLOP each). <c>--layer-by-layer</c> turns chain fusion off, so
/// every convolution is timed on its own.
/// </summary>
public static class LaDeDaLayerReport
{
    public static void Run(string[] args)
    {
        bool layerByLayer = args.Contains("--layer-by-layer");
        args = [.. args.Where(a => a != "--layer-by-layer")];
        int size = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 256;
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 15;
        string[] engines = args.Length > 2 ? args[2..] : ["ladeda-avx512", "ladeda-avx2"];
        // Measured on this machine (2 FLOP per lane-FMA) rather than a data-sheet figure, before any timing starts.
        double peakGflopsPerCore = 2 * FmaPeak.LaneFmasPerSecond() / 1e9;
        LaDeDaModel model = BenchInputs.LaDeDa();
        var image = BenchInputs.Image(size, size);
        var configs = new List<(string Name, int Threads, LaDeDaCpuNetwork Network)>();
        foreach (string name in engines)
            foreach (int threads in new[] { 1, 2 })
            {
                var engine = (LaDeDaCpuEngine)(LaDeDaEngines.ByName(name) ?? throw new ArgumentException("unknown engine " + name));
                var network = engine.WithMaxThreads(threads).PrepareNetwork(model, PreprocessKind.Npr);
                if (layerByLayer) network.ChainChunkTiles = 0;
                configs.Add((engine.Name, threads, network));
            }
        var stages = configs[0].Network.Stages(size, size);
        long executed = stages.Sum(s => s.MultiplyAdds), nominal = model.MultiplyAdds(size, size, fusedStem: true);
        var total = configs.Select(_ => new List<double>()).ToArray();
        var cpu = configs.Select(_ => new List<double>()).ToArray();
        var perStage = configs.Select(_ => stages.Select(_ => new List<double>()).ToArray()).ToArray();
        var map = new float[model.MapSize(size) * model.MapSize(size)];
        var seconds = new double[stages.Count];
        for (int round = -2; round < rounds; round++) // two warm-up rounds
            for (int c = 0; c < configs.Count; c++)
            {
                Array.Clear(seconds);
                TimeSpan cpu0 = Environment.CpuUsage.TotalTime;
                long t0 = Stopwatch.GetTimestamp();
                configs[c].Network.Run(image.Pixels, size, size, map, seconds);
                double elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
                TimeSpan cpu1 = Environment.CpuUsage.TotalTime;
                if (round < 0) continue;
                total[c].Add(elapsed);
                cpu[c].Add((cpu1 - cpu0).TotalSeconds);
                for (int s = 0; s < stages.Count; s++) perStage[c][s].Add(seconds[s]);
            }

        Console.WriteLine($"LaDeDa9 {size}x{size}, batch 1, {rounds} rounds (configurations interleaved){(layerByLayer ? ", chain fusion off" : "")}; {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        Console.WriteLine($"multiply-adds executed {executed / 1e9:F3} G (nominal with the fused stem {nominal / 1e9:F3} G: {100.0 * executed / nominal:F1} %)");
        Console.WriteLine();
        Console.WriteLine($"| engine | threads | median ms/image | min ms | CPU ms/image (all threads) | GFLOP/s executed | % of peak ({peakGflopsPerCore:F0} GFLOP/s per core) | nominal-equivalent GFLOP/s |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (int c = 0; c < configs.Count; c++)
        {
            double med = Median(total[c]), min = total[c].Min();
            double gflops = 2 * executed / med / 1e9;
            Console.WriteLine($"| {configs[c].Name} | {configs[c].Threads} | {med * 1e3:F1} | {min * 1e3:F1} | {Median(cpu[c]) * 1e3:F0} | {gflops:F1} | {100 * gflops / (peakGflopsPerCore * configs[c].Threads):F0} % | {2 * nominal / med / 1e9:F1} |");
        }
        Console.WriteLine();
        Console.Write("| stage | M MACs |");
        foreach (var c in configs) Console.Write($" {Short(c.Name)} {c.Threads}t ms | GFLOP/s |");
        Console.WriteLine();
        Console.Write("|---|---:|");
        foreach (var _ in configs) Console.Write("---:|---:|");
        Console.WriteLine();
        for (int s = 0; s < stages.Count; s++)
        {
            Console.Write($"| {stages[s].Name} | {stages[s].MultiplyAdds / 1e6:F1} |");
            for (int c = 0; c < configs.Count; c++)
            {
                double med = Median(perStage[c][s]);
                string gflops = stages[s].MultiplyAdds == 0 ? "" : $"{2 * stages[s].MultiplyAdds / med / 1e9:F1}";
                Console.Write($" {med * 1e3:F2} | {gflops} |");
            }
            Console.WriteLine();
        }
    }

    private static string Short(string engine) => engine.Replace("ladeda-", "", StringComparison.Ordinal);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
    }
}
