using System.Text.Json;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Cli;

public class DetectCommandTests
{
    private static string WildRf => Goldens.OfficialCheckpoint("WildRF_Tiny_LaDeDa.pth");


    [SkippableFact]
    public void Prints_path_probability_and_label_per_image()
    {
        string png = Goldens.ImagePath("fake_progan_png256"), jpg = Goldens.ImagePath("real_food_jpg800");
        var r = CliRunner.Run("detect", "--weights", WildRf, "--preprocess", "right_diag", png, jpg);
        Assert.Equal(0, r.ExitCode);
        string[] lines = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        string[] fields = lines[0].Split('\t');
        Assert.Equal(png, fields[0]);
        double expected = 1 / (1 + Math.Exp(-Goldens.Scalar("fake_progan_png256.wildrf_tiny.logit")));
        Assert.Equal(expected, double.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture), 3);
        Assert.Equal(expected > 0.5 ? "fake" : "real", fields[2]);
        Assert.StartsWith(jpg + "\t", lines[1]);
    }

    [SkippableFact]
    public void Json_output_holds_the_official_logits()
    {
        string png = Goldens.ImagePath("real_photo_png512");
        var r = CliRunner.Run("detect", "--json", "--weights", Goldens.OfficialCheckpoint("ForenSynth_Tiny_LaDeDa.pth"), "--preprocess", "npr", "--pool", "max", png);
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.StdOut);
        var item = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal(png, item.GetProperty("path").GetString());
        Assert.Equal(Goldens.Scalar("real_photo_png512.forensynth_tiny.max_logit"), item.GetProperty("logit").GetDouble(), 1e-3);
        double p = item.GetProperty("probability").GetDouble();
        Assert.Equal(p > 0.5 ? "fake" : "real", item.GetProperty("label").GetString());
        Assert.Equal("max", item.GetProperty("pooling").GetString());
        Assert.Equal("npr", item.GetProperty("preprocess").GetString());
    }

    [SkippableFact]
    public void A_pth_without_preprocess_uses_right_diag_and_says_so()
    {
        var r = CliRunner.Run("detect", "--weights", WildRf, Goldens.ImagePath("fake_progan_png256"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("warning: ", r.StdErr);
        Assert.Contains("assuming right_diag", r.StdErr);
    }

    [SkippableFact]
    public void Bad_images_give_one_line_each_and_the_others_are_still_scored()
    {
        using var dir = new TempDirectory();
        string empty = dir.Write("empty.jpg", []);
        string text = dir.Write("notes.png", "this is not an image"u8.ToArray());
        byte[] png = File.ReadAllBytes(Goldens.ImagePath("real_photo_png512"));
        string truncated = dir.Write("truncated.png", png[..(png.Length / 2)]);
        string missing = dir.File("missing.png");
        string good = Goldens.ImagePath("fake_progan_png256");

        foreach (var (path, cause) in new[] { (empty, "empty"), (text, "not a recognised image format"), (truncated, "truncated"), (missing, "not found") })
        {
            var r = CliRunner.Run("detect", "--weights", WildRf, "--preprocess", "right_diag", path, good);
            CliAssert.OneErrorLine(r, path, cause, exitCode: 1);
            Assert.StartsWith(good + "\t", r.StdOut); // the good image after the bad one is still scored
        }
    }

    [SkippableFact]
    public void An_image_below_the_receptive_field_is_refused_with_no_resize()
    {
        using var dir = new TempDirectory();
        string tiny = dir.Write("tiny.bmp", BmpWriter.Encode(5, 5, new byte[75]));
        CliAssert.OneErrorLine(CliRunner.Run("detect", "--no-resize", "--weights", WildRf, "--preprocess", "right_diag", tiny), tiny, "receptive field", exitCode: 1);
        // Resized (the default), the same image is fine.
        Assert.Equal(0, CliRunner.Run("detect", "--weights", WildRf, "--preprocess", "right_diag", tiny).ExitCode);
    }

    [Fact]
    public void Bad_weights_stop_with_one_line_naming_the_file()
    {
        using var dir = new TempDirectory();
        byte[] header = new byte[16];
        BitConverter.GetBytes(1_000_000L).CopyTo(header, 0); // header length far past the end of the file
        string bad = dir.Write("bad.safetensors", header);
        string image = dir.Write("img.bmp", BmpWriter.Encode(8, 8, new byte[192]));
        var r = CliRunner.Run("detect", "--weights", bad, image);
        CliAssert.OneErrorLine(r, bad, "header", exitCode: 2);
    }

    [Fact]
    public void Without_weights_it_uses_the_embedded_default_or_names_the_missing_file()
    {
        using var dir = new TempDirectory();
        string image = dir.Write("img.bmp", BmpWriter.Encode(16, 16, new byte[768]));
        var r = CliRunner.Run("detect", image);
        if (File.Exists(Path.Combine(SharedData.RepoRoot, "weights", "tiny-ladeda.safetensors")))
            Assert.Equal(0, r.ExitCode);
        else
            CliAssert.OneErrorLine(r, "weights/tiny-ladeda.safetensors", "embedded default weights are missing", exitCode: 2);
    }

    [SkippableFact]
    public void Threshold_option_moves_the_label_on_a_golden_image()
    {
        string png = Goldens.ImagePath("fake_progan_png256");
        double p = 1 / (1 + Math.Exp(-Goldens.Scalar("fake_progan_png256.wildrf_tiny.logit")));
        // 0.1 and 0.9 as long as the image lies between them; else halfway to 0 and to 1.
        string low = Math.Min(0.1, p / 2).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        string high = Math.Max(0.9, (1 + p) / 2).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var atLow = CliRunner.Run("detect", "--weights", WildRf, "--preprocess", "right_diag", "--threshold", low, png);
        var atHigh = CliRunner.Run("detect", "--weights", WildRf, "--preprocess", "right_diag", "--threshold", high, png);
        Assert.Equal(0, atLow.ExitCode);
        Assert.Equal(0, atHigh.ExitCode);
        Assert.EndsWith("\tfake", atLow.StdOut.TrimEnd());
        Assert.EndsWith("\treal", atHigh.StdOut.TrimEnd());
        Assert.Equal(atLow.StdOut.Split('\t')[1], atHigh.StdOut.Split('\t')[1]); // same probability, other label

        var json = CliRunner.Run("detect", "--json", "--weights", WildRf, "--preprocess", "right_diag", "--threshold", high, png);
        using var doc = JsonDocument.Parse(json.StdOut);
        var item = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("real", item.GetProperty("label").GetString());
        Assert.Equal(double.Parse(high, System.Globalization.CultureInfo.InvariantCulture), item.GetProperty("threshold").GetDouble());
        Assert.Equal("option", item.GetProperty("threshold_source").GetString());
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("-0.2")]
    [InlineData("NaN")]
    public void A_threshold_outside_zero_to_one_is_one_error_line_and_exit_2(string value)
    {
        using var dir = new TempDirectory();
        string image = dir.Write("img.bmp", BmpWriter.Encode(16, 16, new byte[768]));
        string weights = dir.File("random.safetensors");
        FastLaDeDa.Weights.SafeTensors.Write(weights, new FastLaDeDa.Weights.StateDict(RandomTiny.Tensors(31), null));
        foreach (string command in new[] { "detect", "heatmap" })
        {
            string[] args = command == "detect"
                ? ["detect", "--weights", weights, "--threshold", value, image]
                : ["heatmap", "--weights", weights, "--threshold", value, image, "-o", dir.File("map.png")];
            var r = CliRunner.Run(args);
            Assert.Equal(2, r.ExitCode);
            string line = Assert.Single(r.ErrorLines);
            Assert.StartsWith("error: --threshold must lie strictly between 0 and 1, got ", line);
            Assert.Equal("", r.StdOut);
        }
    }

    [Fact]
    public void Calibrated_weights_label_at_their_threshold_and_say_so()
    {
        using var dir = new TempDirectory();
        string image = dir.Write("img.bmp", BmpWriter.Encode(16, 16, Enumerable.Range(0, 768).Select(i => (byte)(i * 31 % 256)).ToArray()));
        string plain = dir.File("plain.safetensors");
        FastLaDeDa.Weights.SafeTensors.Write(plain, new FastLaDeDa.Weights.StateDict(RandomTiny.Tensors(32), null));
        using var first = JsonDocument.Parse(CliRunner.Run("detect", "--json", "--weights", plain, image).StdOut);
        var scored = first.RootElement[0];
        Assert.Equal(0.5, scored.GetProperty("threshold").GetDouble());
        Assert.Equal("default", scored.GetProperty("threshold_source").GetString());
        Assert.Equal(1.0, scored.GetProperty("temperature").GetDouble()); // no temperature in the file: the plain sigmoid
        double p = scored.GetProperty("probability").GetDouble();
        Assert.InRange(p, 1e-3, 1 - 1e-3);

        // A threshold just above the image's probability, in the weights' metadata: the label is real.
        double threshold = Math.Min(1 - 1e-4, p + 1e-4);
        string calibrated = dir.File("calibrated.safetensors");
        FastLaDeDa.Weights.SafeTensors.Write(calibrated, new FastLaDeDa.Weights.StateDict(RandomTiny.Tensors(32),
            new Dictionary<string, string> { [FastLaDeDa.Models.ModelMetadata.ThresholdKey] = FastLaDeDa.Models.ModelMetadata.FormatNumber(threshold) }));
        using var second = JsonDocument.Parse(CliRunner.Run("detect", "--json", "--weights", calibrated, image).StdOut);
        Assert.Equal(threshold, second.RootElement[0].GetProperty("threshold").GetDouble());
        Assert.Equal("weights", second.RootElement[0].GetProperty("threshold_source").GetString());
        Assert.Equal("real", second.RootElement[0].GetProperty("label").GetString());

        var text = CliRunner.Run("detect", "--weights", calibrated, image);
        Assert.Equal(0, text.ExitCode);
        Assert.EndsWith("\treal", text.StdOut.TrimEnd());
        Assert.Contains("note: labels at the weights' calibrated threshold", text.StdErr);
        // --threshold overrides the weights.
        Assert.EndsWith("\tfake", CliRunner.Run("detect", "--weights", calibrated, "--threshold", "0.0001", image).StdOut.TrimEnd());

        // A malformed threshold in the weights: one line naming the file, the key and the value; exit 2.
        string bad = dir.File("bad.safetensors");
        FastLaDeDa.Weights.SafeTensors.Write(bad, new FastLaDeDa.Weights.StateDict(RandomTiny.Tensors(32),
            new Dictionary<string, string> { [FastLaDeDa.Models.ModelMetadata.ThresholdKey] = "1.5" }));
        CliAssert.OneErrorLine(CliRunner.Run("detect", "--weights", bad, image), bad, "metadata 'threshold' is '1.5'", exitCode: 2);
    }
}
