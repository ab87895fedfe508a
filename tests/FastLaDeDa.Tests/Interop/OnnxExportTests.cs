using FastLaDeDa.Engines;
using FastLaDeDa.Engines.Reference;
using FastLaDeDa.Imaging;
using FastLaDeDa.Interop.Onnx;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Weights;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit.Abstractions;

namespace FastLaDeDa.Tests.Interop;

/// <summary>Our ONNX exports, run by ONNX Runtime, compute what our engines and the official pipeline compute.</summary>
public class OnnxExportTests(ITestOutputHelper output)
{
    internal static (float[] Map, float Mean, float Max) RunOrt(byte[] onnx, ChwTensor input)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(onnx, options);
        var tensor = new DenseTensor<float>(input.Data, [1, 3, input.Height, input.Width]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", tensor)]);
        float[] Get(string name) => results.Single(r => r.Name == name).AsEnumerable<float>().ToArray();
        return (Get("patch_logits"), Get("mean_logit")[0], Get("max_logit")[0]);
    }


    [Fact]
    public void An_input_smaller_than_the_receptive_field_is_refused()
    {
        var model = TinyLaDeDaModel.FromStateDict(RandomTiny.StateDict(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => OnnxExporter.Export(model, PreprocessKind.RightDiag, 6, 256));
        Assert.Throws<ArgumentOutOfRangeException>(() => OnnxExporter.Export(model, PreprocessKind.RightDiag, 256, 6));
        var (map, _, _) = RunOrt(OnnxExporter.Export(model, PreprocessKind.RightDiag, 7, 7), ImageNetNormalization.Normalize(RandomImages.Rgb(7, 7, 1)));
        Assert.Equal(TinyLaDeDaModel.MapSize(7) * TinyLaDeDaModel.MapSize(7), map.Length);
    }

    [SkippableFact]
    public void Tiny_exports_reproduce_the_official_golden_maps_in_onnx_runtime()
    {
        foreach (var (key, file, preprocess) in OfficialModels.All)
        {
            var model = TinyLaDeDaModel.FromStateDict(PthCheckpoint.Read(Goldens.OfficialCheckpoint(file)));
            byte[] onnx = OnnxExporter.Export(model, preprocess);
            foreach (string name in new[] { "real_progan_png256", "fake_sd1_png512", "noise_rgb_301x199" })
            {
                var (map, mean, max) = RunOrt(onnx, ImageNetNormalization.Normalize(Goldens.Image(name + ".resized")));
                float[] golden = Goldens.Floats($"{name}.{key}.map");
                double error = Compare.RelativeError(golden, map);
                output.WriteLine($"{key} {name}: ORT vs golden map {error:E2} of max|map|; mean logit {mean} vs {Goldens.Scalar($"{name}.{key}.logit")}");
                Assert.True(error <= 1e-4, $"{key} {name}: {error:E2}");
                Assert.Equal(map.Average(v => (double)v), mean, 1e-3 * Math.Max(1, Math.Abs(mean)));
                Assert.Equal(map.Max(), max);
            }
        }
    }

    [Theory]
    [InlineData(PreprocessKind.Npr, 37, 29)]
    [InlineData(PreprocessKind.NprTwoThirds, 24, 30)]
    [InlineData(PreprocessKind.LeftDiag, 40, 41)]
    [InlineData(PreprocessKind.Raw, 16, 16)]
    public void Tiny_exports_match_the_reference_engine_for_every_preprocessing(PreprocessKind preprocess, int width, int height)
    {
        var model = TinyLaDeDaModel.FromStateDict(RandomTiny.StateDict(51));
        var image = RandomImages.Rgb(width, height, 52);
        var (map, _, _) = RunOrt(OnnxExporter.Export(model, preprocess, height, width), ImageNetNormalization.Normalize(image));
        double error = Compare.RelativeError(TinyLaDeDaEngines.Reference.Prepare(model, preprocess).RunMap(image).Logits, map);
        Assert.True(error <= 1e-5, $"{preprocess}: {error:E2}");
    }

    [Theory]
    [InlineData(9, 40, 48)]
    [InlineData(17, 45, 37)]
    public void LaDeDa_exports_match_the_reference_engine(int receptiveField, int width, int height)
    {
        var model = LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(53, receptiveField));
        var image = RandomImages.Rgb(width, height, 54);
        var (map, _, _) = RunOrt(OnnxExporter.Export(model, PreprocessKind.Npr, height, width), ImageNetNormalization.Normalize(image));
        double error = Compare.RelativeError(LaDeDaReferenceEngine.Instance.Prepare(model, PreprocessKind.Npr).RunMap(image).Logits, map);
        output.WriteLine($"LaDeDa{receptiveField} {width}x{height}: ORT vs reference {error:E2}");
        Assert.True(error <= 1e-4, $"{error:E2}");
    }

}

public class ExportCommandTests
{
    [SkippableFact]
    public void Export_writes_an_onnx_model_that_onnx_runtime_scores_like_detect()
    {
        using var dir = new TempDirectory();
        string path = dir.File("wildrf.onnx");
        string weights = Goldens.OfficialCheckpoint("WildRF_Tiny_LaDeDa.pth");
        var r = CliRunner.Run("export", "--onnx", path, "--weights", weights, "--preprocess", "right_diag");
        Assert.True(r.ExitCode == 0, r.StdErr);
        var (_, mean, _) = OnnxExportTests.RunOrt(File.ReadAllBytes(path), ImageNetNormalization.Normalize(Goldens.Image("fake_progan_png256.resized")));
        Assert.Equal(Goldens.Scalar("fake_progan_png256.wildrf_tiny.logit"), mean, 1e-3);

        var small = CliRunner.Run("export", "--onnx", path, "--weights", weights, "--size", "5");
        Assert.Equal(2, small.ExitCode);
        Assert.Contains("smaller than the model's 7x7 receptive field", small.StdErr);
    }
}
