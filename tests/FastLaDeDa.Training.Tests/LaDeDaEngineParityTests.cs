using FastLaDeDa.Engines;
using FastLaDeDa.Engines.Reference;
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
/// The library's float64 LaDeDa reference engine against the TorchSharp reference model — two
/// independent implementations of MODEL.md — on random weights with non-trivial BatchNorm
/// statistics, small images (odd sizes included) and every receptive field.
/// </summary>
public class LaDeDaEngineParityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(9, 32, 32)]
    [InlineData(9, 40, 48)]
    [InlineData(5, 33, 41)]
    [InlineData(17, 45, 37)]
    [InlineData(33, 64, 40)]
    public void The_reference_engine_matches_torchsharp(int receptiveField, int width, int height)
    {
        var dict = RandomLaDeDa.StateDict(receptiveField * 1000 + width, receptiveField);
        var model = LaDeDaModel.FromStateDict(dict);
        var image = RandomImages.Rgb(width, height, width * height);

        PatchMap engine = LaDeDaReferenceEngine.Instance.Prepare(model, PreprocessKind.Npr).RunMap(image);
        float[] torchMap = TorchLaDeDa.Map(dict, PreprocessKind.Npr, image);

        Assert.Equal(model.MapSize(height) * model.MapSize(width), engine.Logits.Length);
        Assert.Equal(torchMap.Length, engine.Logits.Length);
        double scale = Math.Max(1e-3, engine.Logits.Max(Math.Abs));
        double maxDiff = engine.Logits.Zip(torchMap, (a, b) => Math.Abs((double)a - b)).Max();
        output.WriteLine($"LaDeDa{receptiveField} {width}x{height}: map {engine.Width}x{engine.Height}, max |Δ| {maxDiff:E2} = {maxDiff / scale:E2} of max|map| {scale:F3}");
        Assert.True(maxDiff <= 1e-4 * scale, $"relative {maxDiff / scale:E2}");
    }
}
