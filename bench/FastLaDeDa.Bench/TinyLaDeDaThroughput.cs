using BenchmarkDotNet.Attributes;
using FastLaDeDa.Detection;
using FastLaDeDa.Engines;
using FastLaDeDa.Imaging;

namespace FastLaDeDa.Bench;

/// <summary>
/// Images per second with every core: a batch of already resized 256×256 images scored through
/// the public <see cref="Detector.ScoreBatch"/> (widest engine). The reported time is per image
/// (OperationsPerInvoke), so images/s = 1 / mean. Target (issue 3): ≥ 5 000 images/s on 2 cores.
/// </summary>
[MemoryDiagnoser]
public class TinyLaDeDaThroughput
{
    private const int BatchSize = 256;
    private Detector _detector = null!;
    private Rgb24Image[] _images = null!;

    [GlobalSetup]
    public void Setup()
    {
        _detector = Detector.FromStateDict(BenchInputs.StateDict(), new DetectorOptions { Engine = "cpu" });
        _images = Enumerable.Range(0, BatchSize).Select(i => BenchInputs.Image(256, 256, i)).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _detector.Dispose();

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public DetectionResult[] AllCores() => _detector.ScoreBatch(_images);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public double OneThread()
    {
        double sum = 0;
        foreach (var image in _images) sum += _detector.Score(image).Logit;
        return sum;
    }
}
