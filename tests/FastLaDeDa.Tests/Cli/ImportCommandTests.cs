using FastLaDeDa.Detection;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Tests.Cli;

public class ImportCommandTests
{
    [SkippableFact]
    public void Converts_an_official_checkpoint_that_then_scores_identically()
    {
        using var dir = new TempDirectory();
        string pth = Goldens.OfficialCheckpoint("ForenSynth_Tiny_LaDeDa.pth");
        string output = dir.File("forensynth.safetensors");
        var r = CliRunner.Run("import", pth, "--model", "tiny", "--preprocess", "npr", "-o", output);
        Assert.True(r.ExitCode == 0, r.StdErr);

        StateDict converted = SafeTensors.Read(output);
        Assert.Equal("tiny_ladeda", converted.Metadata["model"]);
        Assert.Equal("npr", converted.Metadata["preprocess"]);
        Assert.Equal("mean", converted.Metadata["pooling"]);
        Assert.Equal(PthCheckpoint.Read(pth).Tensors.Keys.Order(), converted.Tensors.Keys.Order());

        string image = Goldens.ImagePath("fake_progan_png256");
        using var fromSafetensors = Detector.Load(output);
        Assert.Equal(PreprocessKind.Npr, fromSafetensors.Metadata.Preprocess);
        Assert.False(fromSafetensors.PreprocessAssumed);
        using var fromPth = Detector.Load(pth, new DetectorOptions { Preprocess = PreprocessKind.Npr });
        Assert.Equal(fromPth.Score(image).Logit, fromSafetensors.Score(image).Logit);
        Assert.Equal(Goldens.Scalar("fake_progan_png256.forensynth_tiny.logit"), fromSafetensors.Score(image).Logit, 3);
    }

    [SkippableFact]
    public void An_unwritable_output_is_one_error_line()
    {
        string pth = Goldens.OfficialCheckpoint("WildRF_Tiny_LaDeDa.pth");
        string output = "/proc/fastladeda-cannot-write-here/x.safetensors";
        var r = CliRunner.Run("import", pth, "--preprocess", "right_diag", "-o", output);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"error: {output}: ", Assert.Single(r.ErrorLines));
    }

    [Fact]
    public void Preprocess_is_required_and_validated()
    {
        var r = CliRunner.Run("import", "x.pth", "--preprocess", "sobel", "-o", "y.safetensors");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("unknown preprocessing 'sobel'", r.StdErr);
    }
}
