using System.Globalization;
using System.Text.Json;
using FastLaDeDa.Detection;
using FastLaDeDa.Engines;
using FastLaDeDa.Imaging;
using FastLaDeDa.Gpu;
using FastLaDeDa.Weights;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Cli;

/// <summary><c>detect --model ladeda</c> end to end: weights from a file, <c>--device</c>, <c>--threads-per-image</c>.</summary>
public class LaDeDaDetectCommandTests
{
    private static (TempDirectory Dir, string Weights, string Image, Rgb24Image Pixels) Setup()
    {
        var dir = new TempDirectory();
        string weights = dir.File("ladeda.safetensors");
        SafeTensors.Write(weights, RandomLaDeDa.StateDict(seed: 5));
        string image = dir.Write("img.bmp", BmpWriter.Encode(64, 48, RandomImages.Rgb(64, 48, 9).Pixels));
        return (dir, weights, image, ImageDecoder.Decode(File.ReadAllBytes(image)));
    }

    /// <summary>The explicit CPU device on one thread (the default device with 2 threads is LaDeDaCpuEngineTests.Cli_detects_with_ladeda_weights).</summary>
    [Fact]
    public void Device_cpu_json_logit_equals_the_float64_reference()
    {
        var (dir, weights, image, pixels) = Setup();
        using (dir)
        {
            var r = CliRunner.Run("detect", "--json", "--model", "ladeda", "--device", "cpu", "--threads-per-image", "1", "--no-resize", "--weights", weights, image);
            Assert.True(r.ExitCode == 0, r.StdErr);
            using var doc = JsonDocument.Parse(r.StdOut);
            var item = Assert.Single(doc.RootElement.EnumerateArray());

            // Independent reference: the float64 engine on the same weights and pixels (native 64x48: the reference is slow at 256).
            using var reference = Detector.Load(weights, new DetectorOptions { Engine = "ladeda-reference", Resize = false });
            double expected = reference.Score(pixels).Logit;
            Assert.Equal(expected, item.GetProperty("logit").GetDouble(), 1e-3);
            Assert.Equal("npr", item.GetProperty("preprocess").GetString());
        }
    }

    [SkippableFact]
    public void Device_gpu_without_cuda_is_one_clear_error()
    {
        Skip.If(LaDeDaGpuEngine.IsCudaAvailable, "this machine has a CUDA device");
        var (dir, weights, image, _) = Setup();
        using (dir)
        {
            var r = CliRunner.Run("detect", "--model", "ladeda", "--device", "gpu", "--weights", weights, image);
            Assert.Equal(2, r.ExitCode);
            string line = Assert.Single(r.ErrorLines, l => !l.StartsWith("note:") && !l.StartsWith("warning:"));
            Assert.StartsWith("error: ", line);
            Assert.Contains("--device gpu", line);
            Assert.DoesNotContain("   at ", r.StdErr);
        }
    }

    [Fact]
    public void Tiny_weights_ignore_the_device()
    {
        using var dir = new TempDirectory();
        string weights = dir.File("tiny.safetensors");
        SafeTensors.Write(weights, RandomTiny.StateDict(3));
        string image = dir.Write("img.bmp", BmpWriter.Encode(16, 16, new byte[768]));
        var r = CliRunner.Run("detect", "--device", "gpu", "--weights", weights, image);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("\t", r.StdOut);
        _ = double.Parse(r.StdOut.Split('\t')[1], CultureInfo.InvariantCulture);
    }
}
