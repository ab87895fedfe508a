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
    [Params("tiny-scalar", "tiny-avx2", "tiny-avx512")]
    public string Engine { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var engine = TinyLaDeDaEngines.ByName(Engine) ?? throw new InvalidOperationException("unknown engine " + Engine);
        Use(engine.Prepare(BenchInputs.Model(), PreprocessKind.RightDiag));
    }
}
