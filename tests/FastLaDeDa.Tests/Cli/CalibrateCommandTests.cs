using System.Globalization;
using System.Text.Json;
using FastLaDeDa.Cli.Commands;
using FastLaDeDa.Detection;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Tests.Cli;

/// <summary><c>fastladeda calibrate</c>: the threshold it stores, the weights it leaves alone, its errors.</summary>
public class CalibrateCommandTests
{
    private static readonly string[] Reals = ["real_progan_png256", "real_photo_png512", "real_gray_png512", "real_food_jpg800"];
    private static readonly string[] Fakes = ["fake_progan_png256", "fake_sd1_png512", "fake_diffusion_jpg559"];

    /// <summary>ROOT/a/{0_real,1_fake} + ROOT/b/0_real from golden images: the sets are pooled.</summary>
    private static TempDirectory BuildTree(bool withFakes = true)
    {
        var dir = new TempDirectory();
        for (int i = 0; i < Reals.Length; i++) Copy(Reals[i], i < 2 ? "a/0_real" : "b/0_real");
        if (withFakes) foreach (string f in Fakes) Copy(f, "a/1_fake");
        return dir;

        void Copy(string name, string folder)
        {
            string source = Goldens.ImagePath(name);
            Directory.CreateDirectory(dir.File(folder));
            File.Copy(source, Path.Combine(dir.File(folder), Path.GetFileName(source)));
        }
    }

    /// <summary>
    /// An independent reference: every threshold between two sorted scores (and below / above all of
    /// them) tried by brute force; the best balanced accuracy wins, ties go to the logit nearest 0.
    /// </summary>
    private static (double Logit, double Balanced) BruteForce(double[] logits, bool[] isFake)
    {
        var sorted = logits.Distinct().Order().ToArray();
        var candidates = new List<double> { sorted[0] - 1, sorted[^1] + 1 };
        for (int i = 1; i < sorted.Length; i++) candidates.Add((sorted[i - 1] + sorted[i]) / 2);
        (double Logit, double Balanced) best = (double.NaN, -1);
        foreach (double t in candidates)
        {
            double realAcc = logits.Where((l, i) => !isFake[i] && l <= t).Count() / (double)isFake.Count(f => !f);
            double fakeAcc = logits.Where((l, i) => isFake[i] && l > t).Count() / (double)isFake.Count(f => f);
            double balanced = (realAcc + fakeAcc) / 2;
            if (balanced > best.Balanced + 1e-12 || (Math.Abs(balanced - best.Balanced) <= 1e-12 && Math.Abs(t) < Math.Abs(best.Logit)))
                best = (t, balanced);
        }
        return best;
    }

    /// <summary>
    /// An independent reference for the temperature: the class-balanced NLL of sigmoid(logit / T)
    /// evaluated on a fine logarithmic grid of T over [0.01, 100]; the grid point with the smallest NLL.
    /// </summary>
    internal static (double Temperature, double Nll) GridTemperature(double[] logits, bool[] isFake)
    {
        int reals = isFake.Count(f => !f), fakes = isFake.Length - reals;
        (double Temperature, double Nll) best = (double.NaN, double.PositiveInfinity);
        for (int k = 0; k <= 40_000; k++)
        {
            double t = Math.Pow(10, -2 + 4.0 * k / 40_000);
            double nll = 0;
            for (int i = 0; i < logits.Length; i++)
            {
                double p = 1 / (1 + Math.Exp(-logits[i] / t));
                nll -= isFake[i] ? 0.5 / fakes * Math.Log(p) : 0.5 / reals * Math.Log(1 - p);
            }
            if (nll < best.Nll) best = (t, nll);
        }
        return best;
    }

    [SkippableFact]
    public void Stores_the_best_balanced_threshold_of_the_pooled_sets_and_keeps_the_tensors()
    {
        using var dir = BuildTree();
        string output = dir.File("calibrated.safetensors");
        var r = CliRunner.Run("calibrate", dir.Path, "-o", output);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.StartsWith($"wrote {output}: threshold P(fake) > ", r.StdOut);
        Assert.Contains("chosen on 4 real and 3 fake images", r.StdOut);

        // The scores detect prints for the same files, and the brute-force threshold on them.
        string[] files = Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories).Where(f => f.Contains("_real") || f.Contains("_fake")).ToArray();
        var detect = CliRunner.Run(["detect", "--json", .. files]);
        Assert.True(detect.ExitCode == 0, detect.StdErr);
        using var doc = JsonDocument.Parse(detect.StdOut);
        double[] logits = doc.RootElement.EnumerateArray().Select(e => e.GetProperty("logit").GetDouble()).ToArray();
        bool[] isFake = doc.RootElement.EnumerateArray().Select(e => e.GetProperty("path").GetString()!.Contains("1_fake")).ToArray();
        var expected = BruteForce(logits, isFake);

        var written = SafeTensors.Read(output);
        double temperature = double.Parse(written.Metadata["temperature"], CultureInfo.InvariantCulture);
        var grid = GridTemperature(logits, isFake);
        Assert.InRange(temperature / grid.Temperature, 0.9995, 1.0005); // the grid's step is 0.023 %
        double stored = double.Parse(written.Metadata["threshold"], CultureInfo.InvariantCulture);
        Assert.Equal(1 / (1 + Math.Exp(-expected.Logit / temperature)), stored, 12); // the same logit, read at T
        Assert.Equal(expected.Balanced, double.Parse(written.Metadata["val_balanced_acc"], CultureInfo.InvariantCulture), 4);
        Assert.Equal($"best balanced accuracy on the validation set (fastladeda calibrate on {Path.GetFileName(dir.Path)}: 4 real, 3 fake)", written.Metadata["threshold_rule"]);
        Assert.Equal(CalibrateCommand.FilesDigest(dir.Path, files), written.Metadata[CalibrateCommand.FilesDigestKey]);

        // The weights themselves are untouched: same names, dtypes, shapes and bytes; other metadata kept.
        var original = DefaultWeights.Read();
        Assert.Equal(original.Tensors.Keys.Order(), written.Tensors.Keys.Order());
        foreach (var (name, tensor) in original.Tensors)
        {
            Assert.Equal(tensor.DType, written.Tensors[name].DType);
            Assert.Equal(tensor.Shape.ToArray(), written.Tensors[name].Shape.ToArray());
            Assert.True(tensor.Bytes.SequenceEqual(written.Tensors[name].Bytes), name);
        }
        foreach (var (key, value) in original.Metadata.Where(m => m.Key is not ("threshold" or "threshold_rule" or "val_balanced_acc" or "val_acc_at_threshold" or "temperature" or CalibrateCommand.FilesDigestKey)))
            Assert.Equal(value, written.Metadata[key]);

        // The library labels at it by default, and detect says so.
        using var detector = Detector.Load(output);
        Assert.Equal(ThresholdSource.Weights, detector.ThresholdSource);
        Assert.Equal(stored, detector.Threshold);
        Assert.Equal(temperature, detector.Temperature);
        var labelled = CliRunner.Run("detect", "--weights", output, files[0]);
        Assert.Contains("labels at the weights' calibrated threshold", labelled.StdErr);

        // detect reports P(fake) = sigmoid(logit / T) and labels exactly as the threshold logit says.
        var calibrated = CliRunner.Run(["detect", "--json", "--weights", output, .. files]);
        Assert.True(calibrated.ExitCode == 0, calibrated.StdErr);
        using var after = JsonDocument.Parse(calibrated.StdOut);
        foreach (var e in after.RootElement.EnumerateArray())
        {
            double logit = e.GetProperty("logit").GetDouble(), probability = e.GetProperty("probability").GetDouble();
            Assert.Equal(1 / (1 + Math.Exp(-logit / temperature)), probability, 12);
            Assert.Equal(temperature, e.GetProperty("temperature").GetDouble());
            Assert.Equal(logit > expected.Logit ? "fake" : "real", e.GetProperty("label").GetString());
        }
    }

    [SkippableFact]
    public void An_official_checkpoint_gets_its_model_and_preprocessing_recorded()
    {
        using var dir = BuildTree();
        string output = dir.File("wildrf.safetensors");
        var r = CliRunner.Run("calibrate", dir.Path, "--weights", Goldens.OfficialCheckpoint("WildRF_Tiny_LaDeDa.pth"), "--preprocess", "right_diag", "--fast-decode", "-o", output);
        Assert.True(r.ExitCode == 0, r.StdErr);
        var written = SafeTensors.Read(output);
        Assert.EndsWith("4 real, 3 fake, --fast-decode)", written.Metadata["threshold_rule"]); // the pipeline it holds for
        Assert.Equal("tiny_ladeda", written.Metadata["model"]);
        Assert.Equal("right_diag", written.Metadata["preprocess"]);
        using var detector = Detector.Load(output);
        Assert.False(detector.PreprocessAssumed);
        Assert.Equal(ThresholdSource.Weights, detector.ThresholdSource);
    }

    [SkippableFact]
    public void One_class_folders_missing_folders_and_bad_weights_are_one_error_line_and_write_nothing()
    {
        using var dir = BuildTree(withFakes: false);
        string output = dir.File("out.safetensors");
        var oneClass = CliRunner.Run("calibrate", dir.Path, "-o", output);
        Assert.Equal(2, oneClass.ExitCode);
        Assert.Equal($"error: {dir.Path}: a threshold needs images of both classes; found 4 real and 0 fake", Assert.Single(oneClass.ErrorLines, l => l.StartsWith("error")));
        Assert.False(File.Exists(output));

        var missing = CliRunner.Run("calibrate", dir.File("nope"), "-o", output);
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal($"error: {dir.File("nope")}: folder not found", Assert.Single(missing.ErrorLines));

        string junk = dir.File("junk.safetensors");
        File.WriteAllText(junk, "not weights");
        var bad = CliRunner.Run("calibrate", dir.Path, "--weights", junk, "-o", output);
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith($"error: {junk}: ", Assert.Single(bad.ErrorLines));
        Assert.False(File.Exists(output));
    }
}
