using FastLaDeDa.Detection;
using FastLaDeDa.Imaging;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Hardening;

/// <summary>
/// One <see cref="Detector"/> shared by 16 threads × 500 scores over mixed image sizes (so the
/// per-thread workspaces grow and shrink in use) gives bit-identical results to scoring the same
/// images one by one on one thread.
/// </summary>
public class ConcurrencyTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Sixteen_threads_sharing_a_detector_give_bit_identical_results(bool resize)
    {
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(41), new DetectorOptions { Resize = resize });
        var random = new Random(resize ? 1 : 2);
        Rgb24Image[] images = Enumerable.Range(0, 24).Select(i =>
        {
            int width = 7 + random.Next(resize ? 400 : 300), height = 7 + random.Next(resize ? 300 : 200);
            var pixels = new byte[width * height * 3];
            random.NextBytes(pixels);
            return new Rgb24Image(width, height, pixels);
        }).ToArray();
        double[] expected = images.Select(image => detector.Score(image).Logit).ToArray();

        const int threads = 16, scoresPerThread = 500;
        var mismatches = new List<string>();
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var order = new Random(t);
            for (int s = 0; s < scoresPerThread; s++)
            {
                int i = order.Next(images.Length);
                double logit = detector.Score(images[i]).Logit;
                if (BitConverter.DoubleToInt64Bits(logit) != BitConverter.DoubleToInt64Bits(expected[i]))
                    lock (mismatches) mismatches.Add($"thread {t}, image {i}: {logit:R} vs {expected[i]:R}");
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        Assert.Empty(mismatches);
    }

    [Fact]
    public void Batch_scoring_on_all_cores_equals_one_by_one_in_input_order()
    {
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(42));
        var random = new Random(3);
        Rgb24Image[] images = Enumerable.Range(0, 40).Select(i =>
        {
            var pixels = new byte[(20 + i) * (30 + i) * 3];
            random.NextBytes(pixels);
            return new Rgb24Image(20 + i, 30 + i, pixels);
        }).ToArray();
        DetectionResult[] batch = detector.ScoreBatch(images, maxDegreeOfParallelism: 8);
        Assert.Equal(images.Select(image => detector.Score(image).Logit), batch.Select(r => r.Logit));
    }
}
