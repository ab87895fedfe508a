using BenchmarkDotNet.Attributes;
using FastLaDeDa.Engines;
using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Bench;

/// <summary>
/// Tiny-LaDeDa on one already decoded 256×256 RGB image, single thread, batch 1: the whole
/// network from the bytes (normalization, right_diag, convolutions, fc, both poolings) for each
/// fused engine. The target (issue 3) is ≤ 0.36 ms for the widest engine; MemoryDiagnoser must
/// show 0 B per image.
/// </summary>
[MemoryDiagnoser]
public class TinyLaDeDaLatency
{
    private IPatchNetwork _network = null!;
    private Rgb24Image _image = null!;
    private float[] _map = null!;

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
        _network = engine.Prepare(BenchInputs.Model(), PreprocessKind.RightDiag);
        _image = BenchInputs.Image(256, 256);
        _map = new float[TinyLaDeDaModel.MapSize(256) * TinyLaDeDaModel.MapSize(256)];
    }

    [Benchmark]
    public double Image256() => _network.Run(_image.Pixels, 256, 256, _map).Mean;
}
