using FastLaDeDa.Engines;
using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Bench.Comparators;

/// <summary>Our fused Tiny-LaDeDa engine on the decoded RGB bytes (normalization and filter included).</summary>
public sealed class OursTiny(ITinyLaDeDaEngine engine, TinyLaDeDaModel model, PreprocessKind preprocess, Rgb24Image image) : IComparator
{
    private readonly IPatchNetwork _network = engine.Prepare(model, preprocess);
    private readonly float[] _map = new float[TinyLaDeDaModel.MapSize(image.Height) * TinyLaDeDaModel.MapSize(image.Width)];

    public string Engine => $"FastLaDeDa {engine.Name}";
    public int Threads => 1;
    public string Settings => "from RGB bytes (normalization + filter inside), per-thread workspace";
    public float[] Map() => _network.RunMap(image).Logits;
    public void Run() => _network.Run(image.Pixels, image.Width, image.Height, _map);
    public void Dispose() { }
}
