using FastLaDeDa.Detection;
using FastLaDeDa.Engines;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Weights;
using Xunit.Abstractions;

namespace FastLaDeDa.Tests.Engines;
/// <summary>
/// LaDeDa through the Detector and the CLI: recognising the model, naming bad tensors, image size
/// checks, detect and its errors, and the pick in child processes with instruction sets turned off.
/// </summary>
public class LaDeDaDetectorTests(ITestOutputHelper output)
{
    private static StateDict WithMetadata(StateDict dict, Dictionary<string, string> metadata) =>
        new(dict.Tensors, metadata, dict.SourcePath);

    [Fact]
    public void Detector_recognises_ladeda_by_metadata_or_tensor_names()
    {
        var dict = RandomLaDeDa.StateDict(11, 9);
        var image = RandomImages.Rgb(40, 48, 3);
        var options = new DetectorOptions { Resize = false };
        using var byNames = Detector.FromStateDict(dict, options);
        Assert.Equal(ModelKind.LaDeDa, byNames.Metadata.Model);
        Assert.Equal(PreprocessKind.Npr, byNames.Metadata.Preprocess);
        Assert.True(byNames.PreprocessAssumed);
        Assert.Equal(LaDeDaEngines.Best.Name, byNames.EngineName);
        Assert.Equal(9, byNames.MinimumImageSize);

        var tagged = WithMetadata(dict, new() { ["model"] = "ladeda", ["preprocess"] = "npr_2_3", ["pooling"] = "max", ["receptive_field"] = "9" });
        using var byMetadata = Detector.FromStateDict(tagged, options);
        Assert.Equal(new ModelMetadata(ModelKind.LaDeDa, PreprocessKind.NprTwoThirds, PoolingKind.Max), byMetadata.Metadata);
        Assert.False(byMetadata.PreprocessAssumed);

        var model = LaDeDaModel.FromStateDict(dict);
        var reference = LaDeDaEngines.Reference.Prepare(model, PreprocessKind.NprTwoThirds).Run(image.Pixels, 40, 48, default);
        var result = byMetadata.Score(image, includePatchMap: true);
        Assert.Equal(reference.Max, result.Logit, 1e-3);
        Assert.Equal(5 * 4, result.PatchMap!.Logits.Length);

        using var pinned = Detector.FromStateDict(dict, options with { Engine = "ladeda-reference" });
        Assert.Equal("ladeda-reference", pinned.EngineName);
    }

    [Fact]
    public void Detector_names_missing_and_misshaped_tensors()
    {
        var dict = RandomLaDeDa.StateDict(12, 9);
        var tensors = dict.Tensors.ToDictionary();
        tensors.Remove("layer3.2.bn2.running_var");
        tensors["layer4.1.conv1.weight"] = TensorData.FromFloat32(new float[512 * 1024], 512, 1024, 1, 1);
        var broken = new StateDict(tensors, dict.Metadata, "broken.safetensors");
        var error = Assert.Throws<ModelMismatchException>(() => Detector.FromStateDict(broken));
        Assert.Contains("layer3.2.bn2.running_var", error.Message);
        Assert.Contains("layer4.1.conv1.weight", error.Message);
        Assert.Contains("broken.safetensors", error.Message);
    }

    [Fact]
    public void Detector_checks_the_expected_model()
    {
        var dict = RandomLaDeDa.StateDict(13, 5);
        var error = Assert.Throws<ModelMismatchException>(() => Detector.FromStateDict(dict, new DetectorOptions { Model = ModelKind.TinyLaDeDa }));
        Assert.Contains("tiny_ladeda", error.Message);
        using var ok = Detector.FromStateDict(dict, new DetectorOptions { Model = ModelKind.LaDeDa });
        Assert.Equal(ModelKind.LaDeDa, ok.Metadata.Model);
        var tiny = RandomTiny.StateDict(1);
        Assert.Throws<ModelMismatchException>(() => Detector.FromStateDict(tiny, new DetectorOptions { Model = ModelKind.LaDeDa }));
        using var tinyDetector = Detector.FromStateDict(tiny);
        Assert.Equal(ModelKind.TinyLaDeDa, tinyDetector.Metadata.Model);
    }

    [Fact]
    public void Detector_rejects_images_smaller_than_the_receptive_field_at_native_size()
    {
        using var detector = Detector.FromStateDict(RandomLaDeDa.StateDict(14, 33), new DetectorOptions { Resize = false });
        var error = Assert.Throws<ImageTooSmallException>(() => detector.Score(RandomImages.Rgb(40, 32, 1)));
        Assert.Contains("33x33", error.Message);
    }

    private static string WriteLaDeDa(TempDirectory dir, int seed, int rf)
    {
        var dict = RandomLaDeDa.StateDict(seed, rf);
        var tagged = WithMetadata(dict, new() { ["model"] = "ladeda", ["preprocess"] = "npr", ["pooling"] = "mean", ["receptive_field"] = rf.ToString() });
        string path = dir.File("ladeda.safetensors");
        SafeTensors.Write(path, tagged);
        return path;
    }

    private static string WritePng(TempDirectory dir, string name, Rgb24Image image) =>
        dir.Write(name, TestPngWriter.Encode(image.Width, image.Height, 8, 2, (x, y, c) => image.Pixels[(y * image.Width + x) * 3 + c]));

    [Fact]
    public void Cli_detects_with_ladeda_weights()
    {
        using var dir = new TempDirectory();
        string weights = WriteLaDeDa(dir, 15, 9);
        var image = RandomImages.Rgb(41, 33, 9);
        string png = WritePng(dir, "small.png", image);
        var r = CliRunner.Run("detect", "--json", "--model", "ladeda", "--weights", weights, "--no-resize", "--threads-per-image", "2", png);
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = System.Text.Json.JsonDocument.Parse(r.StdOut);
        var item = doc.RootElement[0];
        Assert.Equal(LaDeDaEngines.Best.Name, item.GetProperty("engine").GetString());
        var model = LaDeDaModel.FromStateDict(SafeTensors.Read(weights));
        double expected = LaDeDaEngines.Reference.Prepare(model, PreprocessKind.Npr).Run(image.Pixels, 41, 33, default).Mean;
        Assert.Equal(expected, item.GetProperty("logit").GetDouble(), 1e-3);

        // Resized to 256x256 (the default protocol), recognised from the file without --model.
        var resized = CliRunner.Run("detect", "--weights", weights, png);
        Assert.True(resized.ExitCode == 0, resized.StdErr);
        Assert.StartsWith(png + "\t", resized.StdOut);
    }

    [Fact]
    public void Cli_reports_ladeda_input_errors()
    {
        using var dir = new TempDirectory();
        string weights = WriteLaDeDa(dir, 16, 9);
        string tiny = WritePng(dir, "tiny.png", RandomImages.Rgb(8, 12, 1));
        var small = CliRunner.Run("detect", "--weights", weights, "--no-resize", tiny);
        Assert.NotEqual(0, small.ExitCode);
        Assert.Contains("smaller than the model's 9x9 receptive field", small.StdErr);
        Assert.DoesNotContain("   at ", small.StdErr);

        var noWeights = CliRunner.Run("detect", "--model", "ladeda", tiny);
        Assert.NotEqual(0, noWeights.ExitCode);
        Assert.Contains("--model ladeda needs --weights", noWeights.StdErr);

        var wrongModel = CliRunner.Run("detect", "--model", "tiny", "--weights", weights, tiny);
        Assert.NotEqual(0, wrongModel.ExitCode);
        Assert.Contains("expected a tiny_ladeda model", wrongModel.StdErr);

        var badThreads = CliRunner.Run("detect", "--weights", weights, "--threads-per-image", "0", tiny);
        Assert.NotEqual(0, badThreads.ExitCode);
        Assert.Contains("--threads-per-image must be at least 1", badThreads.StdErr);

        // eval has its own --threads (images in parallel); both options coexist.
        var help = CliRunner.Run("eval", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--threads-per-image", help.StdOut);
    }

    /// <summary>
    /// In child processes where the runtime ignores AVX-512, AVX2 or every vector wider than 128
    /// bits, the pick falls back to Vector256 (narrow tile: 16 registers), Vector128 or scalar, and
    /// detect still matches the reference.
    /// </summary>
    [Theory]
    [MemberData(nameof(IsaModes.Labels), MemberType = typeof(IsaModes))]
    public void Child_process_picks_the_widest_supported_engine(string label)
    {
        var environment = IsaModes.Environment(label);
        var info = CliRunner.RunWithEnvironment(environment, "info");
        Assert.Equal(0, info.ExitCode);
        string picked = info.StdOut.Split('\n').Single(l => l.StartsWith("ladeda picked")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
        string expected = IsaModes.ExpectedBackend(label) is { } backend ? "ladeda-" + backend : LaDeDaEngines.Best.Name;
        Assert.Equal(expected, picked);

        using var dir = new TempDirectory();
        string weights = WriteLaDeDa(dir, 17, 5);
        var image = RandomImages.Rgb(33, 41, 2);
        string png = WritePng(dir, "x.png", image);
        var r = CliRunner.RunWithEnvironment(environment, "detect", "--json", "--weights", weights, "--no-resize", png);
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = System.Text.Json.JsonDocument.Parse(r.StdOut);
        Assert.Equal(expected, doc.RootElement[0].GetProperty("engine").GetString());
        var model = LaDeDaModel.FromStateDict(SafeTensors.Read(weights));
        double reference = LaDeDaEngines.Reference.Prepare(model, PreprocessKind.Npr).Run(image.Pixels, 33, 41, default).Mean;
        double logit = doc.RootElement[0].GetProperty("logit").GetDouble();
        output.WriteLine($"{label}: {picked}, logit {logit:F6}, reference {reference:F6}");
        Assert.Equal(reference, logit, 1e-3);
    }
}
