using BenchmarkDotNet.Attributes;
using FastLaDeDa.Engines.Cpu.LaDeDa;
using FastLaDeDa.Engines;
using FastLaDeDa.Engines.Cpu;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Bench;

/// <summary>
/// LaDeDa9 on one decoded 256×256 image (<see cref="ImageLatency"/>: normalization, NPR, fused stem,
/// 16 bottlenecks, fc), with 1 and 2 threads, at every SIMD width this process accelerates. Issue 5's
/// targets: ≤ 185 ms with 1 thread, ≤ 92 ms with 2. For per-layer times and GFLOP/s run the
/// <c>ladeda-layers</c> report instead (see README).
/// </summary>
public class LaDeDaLatency : ImageLatency
{
    /// <summary>Every vector engine this process accelerates (<c>DOTNET_PreferredVectorBitWidth=128</c>: ladeda-vector128 only).</summary>
    public static IEnumerable<string> Engines() => LaDeDaEngines.Cpu.Where(e => e.IsSupported && e.Isa != LaDeDaCpuIsa.Scalar).Select(e => e.Name);

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var engine = (LaDeDaCpuEngine)(LaDeDaEngines.ByName(Engine) ?? throw new InvalidOperationException("unknown engine " + Engine));
        Use(engine.WithMaxThreads(Threads).Prepare(BenchInputs.LaDeDa(), PreprocessKind.Npr));
    }
}
