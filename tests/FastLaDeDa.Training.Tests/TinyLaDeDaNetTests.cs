using FastLaDeDa.Engines;
using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Export;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Training.Tests.Support;
using FastLaDeDa.Weights;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Tests;

/// <summary>TorchSharp Tiny-LaDeDa against the official goldens and the inference engine.</summary>
public class TinyLaDeDaNetTests(ITestOutputHelper output)
{
    [Fact]
    public void Has_the_official_names_shapes_and_1297_parameters()
    {
        using var net = new TinyLaDeDaNet();
        Assert.Equal(1_297, net.ParameterCount());
        var stateDict = net.state_dict();
        Assert.Equal(TinyLaDeDaModel.Spec.Select(s => s.Name).Order(StringComparer.Ordinal), stateDict.Keys.Order(StringComparer.Ordinal));
        foreach (var spec in TinyLaDeDaModel.Spec)
            Assert.Equal(spec.Shape.Select(d => (long)d), stateDict[spec.Name].shape);
    }

    /// <summary>
    /// Each official checkpoint (WildRF → right_diag, ForenSynth → NPR) on every golden image's
    /// <c>NAME.resized</c> reproduces <c>NAME.KEY.map</c> within 1e-4 of the map's max |value|, and
    /// its mean and max pooling reproduce <c>.logit</c> and <c>.max_logit</c>.
    /// </summary>
    [SkippableFact]
    public void Official_checkpoints_reproduce_the_golden_maps()
    {
        string[] names = [.. Goldens.ImageNames];
        using var scope = NewDisposeScope();
        Tensor batch = ImageTensors.ToNormalizedBatch([.. names.Select(n => Goldens.Image(n + ".resized"))]);
        foreach (var (key, file, preprocess) in OfficialModels.All)
        {
            using TinyLaDeDaNet net = TorchStateDict.LoadTiny(WeightsFile.Load(Goldens.OfficialCheckpoint(file)), preprocess);
            net.eval();
            using var noGrad = no_grad();
            Tensor maps = net.forward(batch);
            Assert.Equal([names.Length, 1, 126, 126], maps.shape);
            float[] means = PatchLogitNet.Pool(maps, PoolingKind.Mean).data<float>().ToArray();
            float[] maxes = PatchLogitNet.Pool(maps, PoolingKind.Max).data<float>().ToArray();
            double worst = 0;
            for (int i = 0; i < names.Length; i++)
            {
                float[] expected = Goldens.Floats($"{names[i]}.{key}.map");
                float[] actual = maps[i].data<float>().ToArray();
                double scale = Compare.MaxAbs(expected), relative = Compare.MaxAbsDiff(expected, actual) / scale;
                worst = Math.Max(worst, relative);
                Assert.True(relative <= 1e-4, $"{key} {names[i]}: max |Δ| is {relative:E2} of max |map| {scale:F2}");
                Assert.True(Math.Abs(means[i] - Goldens.Scalar($"{names[i]}.{key}.logit")) <= 1e-4 * Math.Max(1, scale), $"{key} {names[i]}: mean logit");
                Assert.True(Math.Abs(maxes[i] - Goldens.Scalar($"{names[i]}.{key}.max_logit")) <= 1e-4 * Math.Max(1, scale), $"{key} {names[i]}: max logit");
            }
            output.WriteLine($"{key} ({file}, {preprocess.ToName()}): worst max|Δmap| / max|map| over {names.Length} images = {worst:E2}");
        }
    }

    /// <summary>Random weights with non-trivial BatchNorm statistics, random images of several sizes: the TorchSharp map equals the float64 reference engine's.</summary>
    [Theory]
    [InlineData(PreprocessKind.RightDiag, 64, 48)]
    [InlineData(PreprocessKind.Npr, 37, 29)]
    [InlineData(PreprocessKind.NprTwoThirds, 20, 31)]
    [InlineData(PreprocessKind.LeftDiag, 7, 9)]
    [InlineData(PreprocessKind.XGrad, 33, 16)]
    [InlineData(PreprocessKind.YGrad, 16, 33)]
    [InlineData(PreprocessKind.Raw, 256, 256)]
    public void Matches_the_reference_engine_with_random_weights(PreprocessKind kind, int width, int height)
    {
        StateDict dict = RandomTiny.StateDict(width * 1000 + height);
        var engine = TinyLaDeDaEngines.Reference.Prepare(TinyLaDeDaModel.FromStateDict(dict), kind);
        using TinyLaDeDaNet net = TorchStateDict.LoadTiny(dict, kind);
        net.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor pixels = TorchTestNets.RandomPixels(2, height, width, seed: width + height);
        Tensor maps = net.forward(TorchPreprocessing.Normalize(pixels));
        byte[] bytes = pixels.data<byte>().ToArray();
        for (int n = 0; n < 2; n++)
        {
            var image = new Rgb24Image(width, height, bytes[(n * width * height * 3)..((n + 1) * width * height * 3)]);
            PatchMap expected = engine.RunMap(image);
            Assert.Equal([expected.Height, expected.Width], maps[n, 0].shape);
            double relative = Compare.MaxAbsDiff(expected.Logits, maps[n, 0].data<float>().ToArray()) / Compare.MaxAbs(expected.Logits);
            output.WriteLine($"{kind.ToName(),-12} {width}x{height} image {n}: max|Δmap| / max|map| = {relative:E2}");
            Assert.True(relative <= 1e-5, $"{kind} {width}x{height} image {n}: {relative:E2}");
        }
    }
}
