using BenchmarkDotNet.Attributes;
using FastLaDeDa.Engines;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Bench;

/// <summary>
/// Tiny-LaDeDa on one decoded 256×256 image (<see cref="ImageLatency"/>: normalization, right_diag,
/// convolutions, fc, both poolings), single thread, for each fused engine. The target (issue 3) is
/// ≤ 0.36 ms for the widest engine.
/// </summary>
public class TinyLaDeDaLatency : ImageLatency
{
    /// <summary>
    /// Every fused engine this process accelerates: all four on an AVX-512 machine; run with
    /// <c>DOTNET_PreferredVectorBitWidth=128</c> for the 128-bit-only case (tiny-vector128 and
    /// tiny-scalar), as an ARM64 machine would pick.
    /// </summary>
    public static IEnumerable<string> Engines() => TinyLaDeDaEngines.Fused.Where(e => e.IsSupported).Select(e => e.Name);

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var engine = TinyLaDeDaEngines.ByName(Engine) ?? throw new InvalidOperationException("unknown engine " + Engine);
        Use(engine.Prepare(BenchInputs.Model(), PreprocessKind.RightDiag));
    }
}
