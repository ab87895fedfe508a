using FastLaDeDa.Engines;
using FastLaDeDa.Imaging;

namespace FastLaDeDa.Bench.Comparators;

/// <summary>One of our engines (Tiny fused or LaDeDa CPU) on the decoded RGB bytes (normalization and filter included).</summary>
internal sealed class OursNetwork(string engineName, IPatchNetwork network, int threads, string settings, Rgb24Image image) : IComparator
{
    private readonly float[] _map = new float[network.MapSize(image.Height) * network.MapSize(image.Width)];

    public string Engine => $"FastLaDeDa {engineName}";
    public int Threads => threads;
    public string Settings => settings;
    public float[] Map() => network.RunMap(image).Logits;
    public void Run() => network.Run(image.Pixels, image.Width, image.Height, _map);
    public void Dispose() { }
}
