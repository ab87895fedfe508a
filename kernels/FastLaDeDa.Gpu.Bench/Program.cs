using System.Diagnostics;
using System.Globalization;
using FastLaDeDa.Engines;
using FastLaDeDa.Gpu;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Weights;

// LaDeDa timing on an ILGPU accelerator: ms/image at batch 1, images/s at a larger batch, and the
// device time of every kernel launch. Usage:
//   FastLaDeDa.Gpu.Bench [--device gpu|cpu|auto] [--size 256] [--batch 32] [--iterations 20] [--weights FILE]
var options = new Dictionary<string, string>(StringComparer.Ordinal)
{
    ["--device"] = "gpu", ["--size"] = "256", ["--batch"] = "32", ["--iterations"] = "20", ["--weights"] = "",
};
for (int i = 0; i + 1 < args.Length; i += 2)
{
    if (!options.ContainsKey(args[i])) { Console.Error.WriteLine($"unknown option {args[i]}"); return 2; }
    options[args[i]] = args[i + 1];
}
var device = Enum.Parse<GpuDevicePreference>(options["--device"], ignoreCase: true);
int size = int.Parse(options["--size"], CultureInfo.InvariantCulture);
int batch = int.Parse(options["--batch"], CultureInfo.InvariantCulture);
int iterations = int.Parse(options["--iterations"], CultureInfo.InvariantCulture);

using var engine = new LaDeDaGpuEngine(device);
if (!engine.IsSupported)
{
    Console.Error.WriteLine($"gpu-check: {engine.DeviceName}");
    return 3;
}
var dict = options["--weights"] is { Length: > 0 } path ? WeightsFile.Load(path) : RandomLaDeDa.StateDict(1);
var model = LaDeDaModel.FromStateDict(dict);
using var network = engine.Prepare(model, PreprocessKind.Npr);
double gmacs = model.MultiplyAdds(size, size, fusedStem: true) / 1e9;
Console.WriteLine($"engine {engine.Name} on {network.DeviceName}; LaDeDa{model.Spec.ReceptiveField} {size}x{size} ({gmacs:F2} G multiply-adds/image as run, stem fused); " +
                  $".NET {Environment.Version}, ILGPU {typeof(ILGPU.Context).Assembly.GetName().Version}");

var rng = new Random(1);
byte[] Images(int count)
{
    var rgb = new byte[count * size * size * 3];
    rng.NextBytes(rgb);
    return rgb;
}

double MedianMs(int count, int reps)
{
    byte[] rgb = Images(count);
    var pooled = new PatchPooling[count];
    network.RunBatch(rgb, count, size, size, default, pooled); // warm-up: compile, allocate
    network.RunBatch(rgb, count, size, size, default, pooled);
    var times = new double[reps];
    for (int r = 0; r < reps; r++)
    {
        var clock = Stopwatch.StartNew();
        network.RunBatch(rgb, count, size, size, default, pooled);
        times[r] = clock.Elapsed.TotalMilliseconds;
    }
    Array.Sort(times);
    return times[reps / 2];
}

double single = MedianMs(1, iterations);
double batched = MedianMs(batch, Math.Max(3, iterations / 4));
Console.WriteLine();
Console.WriteLine("| run (end to end: upload, kernels, download) | ms/batch | ms/image | images/s | TFLOP/s |");
Console.WriteLine("|---|---:|---:|---:|---:|");
Console.WriteLine($"| batch 1 | {single:F2} | {single:F2} | {1000 / single:F1} | {2 * gmacs / single:F2} |");
Console.WriteLine($"| batch {batch} | {batched:F2} | {batched / batch:F3} | {batch * 1000 / batched:F1} | {2 * gmacs * batch / batched:F2} |");

foreach (int count in new[] { 1, batch }.Distinct())
{
    byte[] rgb = Images(count);
    network.Profile(rgb, count, size, size); // warm-up
    var timings = network.Profile(rgb, count, size, size);
    double total = timings.Sum(t => t.Milliseconds);
    Console.WriteLine();
    Console.WriteLine($"Kernel device time per launch, batch {count} (sum {total:F2} ms = {total / count:F3} ms/image):");
    Console.WriteLine("| launch | ms | G multiply-adds | TFLOP/s | share |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    foreach (var t in timings)
        Console.WriteLine($"| {t.Name} | {t.Milliseconds:F3} | {t.MultiplyAdds / 1e9:F3} | {(t.MultiplyAdds > 0 ? $"{2 * t.MultiplyAdds / (t.Milliseconds * 1e9):F2}" : "")} | {100 * t.Milliseconds / total:F1}% |");
}
return 0;
