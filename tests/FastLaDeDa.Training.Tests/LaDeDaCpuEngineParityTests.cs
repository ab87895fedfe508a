using FastLaDeDa.Engines.Cpu.LaDeDa;
using FastLaDeDa.Engines;
using FastLaDeDa.Engines.Cpu;
using FastLaDeDa.Imaging.Resize;
using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Export;
using FastLaDeDa.Training.Models;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Tests;

/// <summary>
/// The LaDeDa CPU engine against the TorchSharp reference model at full size (256×256 → 31×31
/// patch map, 224×224 → 27×27) on random weights with non-trivial BatchNorm statistics: max |Δ
/// logit| ≤ 1e-3 for the mean and max logits, maps within 1e-4 of their largest |logit|.
/// </summary>
public class LaDeDaCpuEngineParityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(9, 256, PreprocessKind.Npr)]
    [InlineData(9, 224, PreprocessKind.Npr)]
    [InlineData(17, 256, PreprocessKind.NprTwoThirds)]
    [InlineData(33, 224, PreprocessKind.Npr)]
    public void The_cpu_engine_matches_torchsharp(int receptiveField, int size, PreprocessKind preprocess)
    {
        var dict = RandomLaDeDa.StateDict(receptiveField * 100 + size, receptiveField);
        var model = LaDeDaModel.FromStateDict(dict);
        var image = RandomImages.Rgb(size, size, size + receptiveField);

        AssertParity(dict, model, image, preprocess, receptiveField);
    }

    /// <summary>
    /// The shipped LaDeDa (weights/ladeda.safetensors, F16 on disk) on real images: the trainer's patch
    /// logits equal the inference engine's. Skips until the trained weights are in the repository.
    /// </summary>
    [SkippableTheory]
    [InlineData("fake_progan_png256")]
    [InlineData("real_food_jpg800")]
    public void The_cpu_engine_matches_torchsharp_on_the_shipped_weights(string imageName)
    {
        string path = Path.Combine(SharedData.RepoRoot, "weights", "ladeda.safetensors");
        Skip.IfNot(File.Exists(path), "weights/ladeda.safetensors is not in this checkout");
        var dict = Weights.WeightsFile.Load(path);
        var model = LaDeDaModel.FromStateDict(dict);
        var image = PillowResize.Bilinear(ImageDecoder.Decode(File.ReadAllBytes(Goldens.ImagePath(imageName))), 256, 256);
        PreprocessKind preprocess = dict.Metadata.TryGetValue("preprocess", out string? name) && PreprocessKindNames.TryParse(name, out var named) ? named : PreprocessKind.Npr;
        AssertParity(dict, model, image, preprocess, model.Spec.ReceptiveField);
    }

    private void AssertParity(Weights.StateDict dict, LaDeDaModel model, Rgb24Image image, PreprocessKind preprocess, int receptiveField)
    {
        int size = image.Width;
        var network = LaDeDaCpuEngine.Best.PrepareNetwork(model, preprocess);
        PatchMap engine = network.RunMap(image);
        PatchPooling pooling = network.Run(image.Pixels, size, size, default);

        float[] torchMap = TorchLaDeDa.Map(dict, preprocess, image);

        int mapSize = model.MapSize(size);
        Assert.Equal((size - receptiveField) / LaDeDaSpec.Stride + 1, mapSize);
        if (receptiveField == 9) Assert.Equal(size == 256 ? 31 : 27, mapSize);
        Assert.Equal(mapSize * mapSize, engine.Logits.Length);
        Assert.Equal(torchMap.Length, engine.Logits.Length);
        double scale = Math.Max(1e-3, torchMap.Max(Math.Abs));
        double maxDiff = engine.Logits.Zip(torchMap, (a, b) => Math.Abs((double)a - b)).Max();
        double torchMean = torchMap.Average(v => (double)v), torchMax = torchMap.Max();
        double meanDiff = Math.Abs(pooling.Mean - torchMean), maxLogitDiff = Math.Abs(pooling.Max - torchMax);
        output.WriteLine($"LaDeDa{receptiveField} {size}x{size} {preprocess.ToName()} ({network.EngineName}): map {mapSize}x{mapSize}, " +
                         $"max |Δ map| {maxDiff:E2} = {maxDiff / scale:E2} of max|map| {scale:F3}; |Δ mean logit| {meanDiff:E2}, |Δ max logit| {maxLogitDiff:E2}");
        Assert.True(maxDiff <= 1e-4 * scale, $"relative map error {maxDiff / scale:E2}");
        Assert.True(meanDiff <= 1e-3, $"|Δ mean logit| {meanDiff:E2}");
        Assert.True(maxLogitDiff <= 1e-3, $"|Δ max logit| {maxLogitDiff:E2}");
    }
}
