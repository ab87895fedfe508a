using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FastLaDeDa.Cli.Reporting;
using FastLaDeDa.Detection;
using FastLaDeDa.Evaluation;
using FastLaDeDa.Models;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Cli.Commands;

/// <summary>
/// <c>fastladeda calibrate VALDIR -o OUT.safetensors</c>: scores a validation folder (WildRF layout,
/// every set pooled) with the weights, picks the operating threshold with the best balanced accuracy
/// and the temperature that makes P(fake) = sigmoid(logit / T) match the validation frequencies, and
/// writes the same weights — tensors byte for byte — with that <c>threshold</c>, <c>temperature</c>
/// and how they were chosen in their metadata, so <c>detect</c> and <see cref="Detector"/> use them by default.
/// For weights trained before the trainer calibrated, or for a user's own domain.
/// </summary>
internal static class CalibrateCommand
{
    /// <summary>The metadata key of the calibration files' digest (relative paths and contents).</summary>
    internal const string FilesDigestKey = "threshold_calibration_files_sha256";

    public static Command Create()
    {
        var root = new Argument<string>("root") { Description = "Validation images in the WildRF layout (0_real/ and 1_fake/, at any depth; all sets pooled). Never the data you report results on." };
        var output = new Option<string>("--output", "-o") { Description = "The .safetensors file to write: the weights with the calibrated threshold in their metadata.", Required = true, HelpName = "file" };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount, HelpName = "n" };
        var model = new ModelOptions();

        var command = new Command("calibrate", "Choose the decision threshold on validation images (best balanced accuracy) and store it in the weights.") { root, output, threads };
        model.AddTo(command);
        command.SetAction(parse => Run(parse, model, parse.GetValue(root)!, parse.GetValue(output)!, Math.Max(1, parse.GetValue(threads))));
        return command;
    }

    private static int Run(ParseResult parse, ModelOptions model, string root, string outputPath, int threads)
    {
        if (!ReportWriter.CanWrite(outputPath)) return ExitCodes.Fatal;
        if (!EvalCommand.TryFindSets(root, out var sets)) return ExitCodes.Fatal;
        using Detector? detector = model.Load(parse, out int exitCode);
        if (detector is null) return exitCode;

        EvaluationRun run;
        try
        {
            run = new Evaluator(detector) { MaxDegreeOfParallelism = threads }
                .Run(sets, DecisionThreshold.DefaultProbability, new ProgressBar("calibrate", sets.Sum(s => s.Images.Count)));
        }
        catch (Exception ex) when (ErrorReporter.IsExpected(ex))
        {
            ErrorReporter.Print(ex, null);
            return ExitCodes.Fatal;
        }
        double[] logits = run.Scores.Select(s => s.Logit!.Value).ToArray();
        bool[] isFake = run.Scores.Select(s => s.Image.IsFake).ToArray();
        int fakes = isFake.Count(f => f), reals = isFake.Length - fakes;
        if (fakes == 0 || reals == 0)
        {
            Console.Error.WriteLine($"error: {root}: a threshold needs images of both classes; found {reals} real and {fakes} fake");
            return ExitCodes.Fatal;
        }

        var threshold = ThresholdCalibration.Fit(logits, isFake);
        var at = EvaluationRun.Metrics("calibration", run.Scores, threshold.Probability, threshold.Temperature);
        var before = EvaluationRun.Metrics("calibration", run.Scores, detector.Threshold, detector.Temperature);

        string? weightsPath = model.WeightsPath(parse);
        string? current = weightsPath;
        try
        {
            StateDict weights = weightsPath is null ? DefaultWeights.Read() : WeightsFile.Load(weightsPath);
            var metadata = new Dictionary<string, string>(weights.Metadata);
            // What the detector resolved (an official .pth names none of these; overrides are what was calibrated).
            foreach (var (key, value) in detector.Metadata.ToDictionary()) metadata[key] = value;
            // A threshold holds for the pipeline that scored it: say so when that is not detect's default one.
            string pipeline = (parse.GetValue(model.NoResize) ? ", native resolution (--no-resize)" : "")
                            + (parse.GetValue(model.FastDecode) ? ", --fast-decode" : "");
            threshold.WriteTo(metadata, at.Accuracy ?? double.NaN, string.Create(CultureInfo.InvariantCulture,
                $" (fastladeda calibrate on {Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)))}: {reals} real, {fakes} fake{pipeline})"));
            metadata[FilesDigestKey] = FilesDigest(root, run.Scores.Select(s => s.Image.Path));
            current = outputPath;
            string temporary = outputPath + ".tmp";
            SafeTensors.Write(temporary, new StateDict(weights.Tensors, metadata));
            File.Move(temporary, outputPath, overwrite: true);
        }
        catch (Exception ex)
        {
            ErrorReporter.Print(ex, current);
            return ErrorReporter.FatalExitCode(ex);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {outputPath}: threshold P(fake) > {threshold.Probability:G6} (logit {threshold.Logit:F4}), temperature {threshold.Temperature:G6}, chosen on {reals} real and {fakes} fake images"));
        Console.WriteLine("| | threshold | temperature | balanced ACC | ACC | real ACC | fake ACC | NLL | ECE |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(Row("before", detector.Threshold, detector.Temperature, before));
        Console.WriteLine(Row("calibrated", threshold.Probability, threshold.Temperature, at));
        return ExitCodes.Success;

        // NLL (nats per image) and ECE (10 bins, %) weigh each class half, as the fit does.
        string Row(string name, double p, double t, SetMetrics m) => string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {p:G6} | {t:G4} | {MetricsTable.Percent(0.5 * (m.RealAccuracy!.Value + m.FakeAccuracy!.Value))} | {MetricsTable.Percent(m.Accuracy)} | {MetricsTable.Percent(m.RealAccuracy)} | {MetricsTable.Percent(m.FakeAccuracy)} | " +
            $"{TemperatureScaling.NegativeLogLikelihood(logits, isFake, t):F4} | {100 * TemperatureScaling.ExpectedCalibrationError(logits, isFake, t):F1} |");
    }

    /// <summary>SHA-256 over the sorted "relative path, SHA-256 of the file" lines: which images chose the threshold.</summary>
    internal static string FilesDigest(string root, IEnumerable<string> paths)
    {
        var lines = paths
            .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/') + "\t" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(p))))
            .Order(StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))));
    }
}
