using BenchmarkDotNet.Attributes;
using FastLaDeDa.Engines;
using FastLaDeDa.Imaging;

namespace FastLaDeDa.Bench;

/// <summary>
/// One already decoded 256×256 RGB image, batch 1, from the bytes to both poolings on a prepared
/// network: what <see cref="TinyLaDeDaLatency"/> and <see cref="LaDeDaLatency"/> share (each picks
/// its engines and prepares its network). MemoryDiagnoser must show 0 B per image.
/// </summary>
[MemoryDiagnoser]
public abstract class ImageLatency
{
    private const int Size = 256;
    private IPatchNetwork _network = null!;
    private Rgb24Image _image = null!;
    private float[] _map = null!;

    /// <summary>Binds <paramref name="network"/> and runs it once (pools, packing and workers warmed).</summary>
    private protected void Use(IPatchNetwork network)
    {
        _network = network;
        _image = BenchInputs.Image(Size, Size);
        _map = new float[network.MapSize(Size) * network.MapSize(Size)];
        network.Run(_image.Pixels, Size, Size, _map);
    }

    [Benchmark]
    public double Image256() => _network.Run(_image.Pixels, Size, Size, _map).Mean;
}
