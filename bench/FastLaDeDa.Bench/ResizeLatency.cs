using BenchmarkDotNet.Attributes;
using FastLaDeDa.Imaging.Resize;
using FastLaDeDa.Imaging;

namespace FastLaDeDa.Bench;

/// <summary>The Pillow-exact bilinear resize from a typical decoded photo size to the model's 256×256.</summary>
[MemoryDiagnoser]
public class ResizeLatency
{
    private Rgb24Image _photo = null!;

    [Params(1024, 512)]
    public int Width { get; set; }

    [GlobalSetup]
    public void Setup() => _photo = BenchInputs.Image(Width, Width * 3 / 4);

    [Benchmark]
    public Rgb24Image ResizeTo256() => PillowResize.Bilinear(_photo, 256, 256);
}
