using System.Globalization;
using System.Text.Json;
using FastLaDeDa.Detection;
using FastLaDeDa.Imaging;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Cli;

/// <summary><c>fastladeda eval</c> and <c>jpeg-sweep</c> end to end, on a small tree built from the golden images.</summary>
public class EvalCommandTests
{
    private static string WildRf => Goldens.OfficialCheckpoint("WildRF_Tiny_LaDeDa.pth");

    private static readonly string[] Reals = ["real_progan_png256", "real_photo_png512", "real_gray_png512", "real_food_jpg800"];
    private static readonly string[] Fakes = ["fake_progan_png256", "fake_sd1_png512", "fake_diffusion_jpg559"];

    /// <summary>ROOT/gan/{0_real,1_fake} and ROOT/mixed/{0_real,1_fake} from golden images (copies in a temp folder).</summary>
    private static TempDirectory BuildTree()
    {
        var dir = new TempDirectory();
        void Copy(string name, string folder)
        {
            string source = Goldens.ImagePath(name);
            Directory.CreateDirectory(dir.File(folder));
            File.Copy(source, Path.Combine(dir.File(folder), Path.GetFileName(source)));
        }
        Copy("real_progan_png256", "gan/0_real");
        Copy("fake_progan_png256", "gan/1_fake");
        foreach (string r in Reals.Skip(1)) Copy(r, "mixed/0_real");
        foreach (string f in Fakes.Skip(1)) Copy(f, "mixed/1_fake");
        return dir;
    }

    private static string[] Args(string root, params string[] extra) =>
        ["eval", root, "--weights", WildRf, "--preprocess", "right_diag", .. extra];

    [SkippableFact]
    public void Json_report_and_per_image_scores_equal_detect()
    {
        using var dir = BuildTree();
        string scores = dir.File("scores.csv");
        var r = CliRunner.Run(Args(dir.Path, "--json", "--scores", scores));
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(r.StdOut);
        var sets = doc.RootElement.GetProperty("sets").EnumerateArray().ToArray();
        Assert.Equal(["gan", "mixed"], sets.Select(s => s.GetProperty("set").GetString()));
        Assert.Equal(3, sets[1].GetProperty("n_real").GetInt32());
        Assert.Equal(2, sets[1].GetProperty("n_fake").GetInt32());
        Assert.Equal(4, doc.RootElement.GetProperty("mean").GetProperty("n_real").GetInt32());

        // Every image's logit equals what detect prints for that file.
        // truth: the folder's label; predicted: detect's label at the run's threshold (0.5: logit > 0).
        Assert.Equal("set,path,truth,logit,probability,predicted,error", File.ReadLines(scores).First());
        var rows = File.ReadAllLines(scores).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(7, rows.Length);
        foreach (var row in rows)
        {
            Assert.Equal(row[1].Contains("/1_fake/") ? "fake" : "real", row[2]);
            Assert.Equal(double.Parse(row[3], CultureInfo.InvariantCulture) > 0 ? "fake" : "real", row[5]);
        }
        var detect = CliRunner.Run(["detect", "--json", "--weights", WildRf, "--preprocess", "right_diag", .. rows.Select(row => row[1])]);
        using var detected = JsonDocument.Parse(detect.StdOut);
        var byPath = detected.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("path").GetString()!, e => e.GetProperty("logit").GetDouble());
        foreach (var row in rows)
            Assert.Equal(byPath[row[1]], double.Parse(row[3], CultureInfo.InvariantCulture));

        // The PNG goldens' logits are the official ones.
        var progan = rows.Single(row => row[1].EndsWith("fake_progan_png256.png"));
        Assert.Equal(Goldens.Scalar("fake_progan_png256.wildrf_tiny.logit"), double.Parse(progan[3], CultureInfo.InvariantCulture), 1e-3);
    }

    [SkippableFact]
    public void With_a_temperature_in_the_weights_probabilities_predictions_and_accuracy_agree_with_detect()
    {
        using var dir = BuildTree();
        string scores = dir.File("scores.csv");
        // The embedded weights carry a fitted temperature; --threshold 0.6 is read on P(fake) = sigmoid(logit / T).
        var r = CliRunner.Run("eval", dir.Path, "--json", "--scores", scores, "--threshold", "0.6");
        Assert.True(r.ExitCode == 0, r.StdErr);
        double temperature;
        using (var detector = Detector.LoadDefault()) temperature = detector.Temperature;
        Assert.NotEqual(1.0, temperature); // else this test checks nothing the plain-sigmoid tests do not
        var rows = File.ReadAllLines(scores).Skip(1).Select(l => l.Split(',')).ToArray();
        var detect = CliRunner.Run(["detect", "--json", "--threshold", "0.6", .. rows.Select(row => row[1])]);
        using var detected = JsonDocument.Parse(detect.StdOut);
        var byPath = detected.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("path").GetString()!);
        int correct = 0;
        foreach (var row in rows)
        {
            double logit = double.Parse(row[3], CultureInfo.InvariantCulture), probability = double.Parse(row[4], CultureInfo.InvariantCulture);
            Assert.Equal(1 / (1 + Math.Exp(-logit / temperature)), probability, 12);
            Assert.Equal(byPath[row[1]].GetProperty("probability").GetDouble(), probability, 12);
            Assert.Equal(byPath[row[1]].GetProperty("label").GetString(), row[5]);
            Assert.Equal(probability > 0.6 ? "fake" : "real", row[5]);
            if (row[5] == row[2]) correct++;
        }
        // The report's per-set accuracies, pooled by their counts, are the CSV's.
        using var doc = JsonDocument.Parse(r.StdOut);
        double pooled = doc.RootElement.GetProperty("sets").EnumerateArray()
            .Sum(s => s.GetProperty("acc").GetDouble() * (s.GetProperty("n_real").GetInt32() + s.GetProperty("n_fake").GetInt32()));
        Assert.Equal(correct, pooled, 6);
    }

    [SkippableFact]
    public void Console_markdown_and_csv_reports_hold_the_same_numbers()
    {
        using var dir = BuildTree();
        var table = CliRunner.Run(Args(dir.Path, "--best-threshold-on", "all"));
        Assert.True(table.ExitCode == 0, table.StdErr);
        Assert.Contains("set", table.StdOut);
        Assert.Contains("mean", table.StdOut);
        Assert.Contains("best threshold on all: P(fake) >", table.StdOut);
        Assert.Contains("eval: 7/7 (100%)", table.StdErr); // the progress reaches the end (stderr is redirected here)

        var markdown = CliRunner.Run(Args(dir.Path, "--markdown"));
        Assert.StartsWith("| set | n_real | n_fake | ACC | real ACC | fake ACC | AP | AUC |", markdown.StdOut);
        var csv = CliRunner.Run(Args(dir.Path, "--csv"));
        var mixed = csv.StdOut.Split('\n').Single(l => l.StartsWith("mixed,")).Split(',');
        string markdownMixed = markdown.StdOut.Split('\n').Single(l => l.StartsWith("| mixed |"));
        Assert.Contains($"| {(100 * double.Parse(mixed[3], CultureInfo.InvariantCulture)).ToString("F1", CultureInfo.InvariantCulture)} |", markdownMixed);
    }

    [SkippableFact]
    public void A_one_class_set_reports_ap_as_not_available()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("only/1_fake"));
        File.Copy(Goldens.ImagePath("fake_progan_png256"), dir.File("only/1_fake/a.png"));
        var r = CliRunner.Run(Args(dir.Path));
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("n/a", r.StdOut);
        Assert.Contains("note: set only has no real images: AP and AUC are undefined (n/a)", r.StdErr);
    }

    [SkippableFact]
    public void An_unreadable_image_stops_the_run_unless_skip_bad()
    {
        using var dir = BuildTree();
        string bad = dir.File("mixed/1_fake/broken.png");
        File.WriteAllText(bad, "not an image");
        var stopped = CliRunner.Run(Args(dir.Path));
        Assert.Equal(1, stopped.ExitCode);
        Assert.Contains($"error: {bad}: ", stopped.StdErr);
        Assert.DoesNotContain("   at ", stopped.StdErr);
        Assert.Equal("", stopped.StdOut);

        var skipped = CliRunner.Run(Args(dir.Path, "--skip-bad", "--json"));
        Assert.Equal(1, skipped.ExitCode); // finished, but says some inputs failed
        Assert.Contains($"skipped: {bad}: ", skipped.StdErr);
        Assert.Contains("skipped 1 unreadable image(s)", skipped.StdErr);
        using var doc = JsonDocument.Parse(skipped.StdOut);
        Assert.Equal(2, doc.RootElement.GetProperty("sets")[1].GetProperty("n_fake").GetInt32());
    }

    [Fact]
    public void Empty_roots_missing_roots_and_unwritable_outputs_are_one_error_line()
    {
        using var dir = new TempDirectory();
        var empty = CliRunner.Run("eval", dir.Path);
        Assert.Equal(2, empty.ExitCode);
        Assert.Equal($"error: {dir.Path}: no sets found (no folder under it contains 0_real/ or 1_fake/)", Assert.Single(empty.ErrorLines));

        var missing = CliRunner.Run("eval", dir.File("nope"));
        Assert.Equal($"error: {dir.File("nope")}: folder not found", Assert.Single(missing.ErrorLines));

        Directory.CreateDirectory(dir.File("s/0_real"));
        string output = dir.File("no/such/folder/report.txt");
        var unwritable = CliRunner.Run("eval", dir.Path, "-o", output);
        Assert.Equal(2, unwritable.ExitCode);
        Assert.StartsWith($"error: {output}: ", Assert.Single(unwritable.ErrorLines));
    }

    [SkippableFact]
    public void Jpeg_sweep_prints_each_quality_and_draws_a_plot()
    {
        using var dir = BuildTree();
        string plot = dir.File("sweep.png");
        var r = CliRunner.Run(["jpeg-sweep", dir.Path, "--qualities", "95,60", "--plot", plot, "--weights", WildRf, "--preprocess", "right_diag"]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("quality 95:", r.StdOut);
        Assert.Contains("quality 60:", r.StdOut);
        Assert.Contains("mean over sets:", r.StdOut);

        Rgb24Image image = ImageDecoder.Decode(plot);
        Assert.Equal((900, 560), (image.Width, image.Height));
        int distinct = image.Pixels.Chunk(3).Select(p => (p[0] << 16) | (p[1] << 8) | p[2]).Distinct().Count();
        Assert.True(distinct > 50, $"only {distinct} colours: the plot looks empty");

        var bad = CliRunner.Run("jpeg-sweep", dir.Path, "--qualities", "90,0");
        Assert.Equal("error: --qualities: '0' is not a JPEG quality between 1 and 100", Assert.Single(bad.ErrorLines));
    }

    [SkippableFact]
    public void Calibrated_weights_keep_the_protocols_ACC_and_note_the_ACC_at_their_threshold()
    {
        using var dir = BuildTree();
        var dict = FastLaDeDa.Weights.PthCheckpoint.Read(WildRf);
        string calibrated = dir.File("calibrated.safetensors");
        FastLaDeDa.Weights.SafeTensors.Write(calibrated, new FastLaDeDa.Weights.StateDict(dict.Tensors,
            new Dictionary<string, string> { ["preprocess"] = "right_diag", ["threshold"] = "0.9" }));

        var plain = CliRunner.Run(Args(dir.Path, "--csv"));
        var withThreshold = CliRunner.Run("eval", dir.Path, "--weights", calibrated, "--csv");
        Assert.True(withThreshold.ExitCode == 0, withThreshold.StdErr);
        Assert.Equal(plain.StdOut, withThreshold.StdOut); // ACC at 0.5, as PROTOCOL.md defines it
        Assert.Contains("note: at the weights' calibrated threshold P(fake) > 0.9: mean ACC ", withThreshold.StdErr);
        Assert.DoesNotContain("calibrated threshold", plain.StdErr);
    }
}
