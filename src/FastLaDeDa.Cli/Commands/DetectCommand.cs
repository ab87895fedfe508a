using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FastLaDeDa.Detection;
using FastLaDeDa.Models;

namespace FastLaDeDa.Cli.Commands;

/// <summary><c>fastladeda detect IMG...</c>: one line (or one JSON object) per image.</summary>
internal static class DetectCommand
{
    public static Command Create()
    {
        var images = new Argument<string[]>("images") { Description = "Image files (JPEG, PNG, BMP, GIF, TGA, PNM), folders (their images, recursively, in path order) or - (paths on stdin, one per line).", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {path, logit, probability, label, threshold, ...} instead of text lines." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV: a header path,logit,probability,label,threshold, then one row per image." };
        var stats = new Option<bool>("--stats") { Description = "Print the image count, wall time and the process's peak memory (resident set) on stderr at the end." };
        var model = new ModelOptions(labels: true);

        var command = new Command("detect", "Score images as real or AI-generated.") { images, json, csv, stats };
        model.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetResult(json) is not null && result.GetResult(csv) is not null)
                result.AddError("--json and --csv cannot be combined; pick one output format");
        });
        command.SetAction(parse =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using Detector? detector = model.Load(parse, out int exitCode);
            int count = 0;
            if (detector is not null)
            {
                var paths = DetectInputs.Expand(parse.GetValue(images)!, Console.In, out int failures);
                count = paths.Count;
                var format = parse.GetValue(json) ? OutputFormat.Json : parse.GetValue(csv) ? OutputFormat.Csv : OutputFormat.Text;
                exitCode = Run(detector, paths, format);
                if (exitCode == ExitCodes.Success && failures > 0) exitCode = ExitCodes.SomeInputsFailed;
            }
            if (parse.GetValue(stats))
            {
                using var self = System.Diagnostics.Process.GetCurrentProcess();
                Console.Error.WriteLine($"stats: {count} image(s) in {clock.Elapsed.TotalSeconds:F2} s, peak memory {self.PeakWorkingSet64 / (1024 * 1024)} MiB");
            }
            return exitCode;
        });
        return command;
    }

    /// <summary>
    /// Scores the images on every core (Tiny-LaDeDa; LaDeDa already uses every core per image)
    /// through <see cref="Detector.ScoreFiles"/>, which yields them in input order with a bounded
    /// window in flight, and prints each as it comes.
    /// </summary>
    private static int Run(Detector detector, List<string> images, OutputFormat format)
    {
        int failures = 0;
        using var writer = format == OutputFormat.Json ? new Utf8JsonWriter(Console.OpenStandardOutput(), new JsonWriterOptions { Indented = true }) : null;
        writer?.WriteStartArray();
        if (format == OutputFormat.Csv) Console.WriteLine("path,logit,probability,label,threshold");
        if (format == OutputFormat.Text && detector.ThresholdSource == ThresholdSource.Weights)
            Console.Error.WriteLine($"note: labels at the weights' calibrated threshold, P(fake) > {detector.Threshold.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} (--threshold overrides it)");
        int workers = ScoringWorkers.For(detector);
        int index = 0;
        try
        {
            foreach (FileDetection done in detector.ScoreFiles(images, workers))
            {
                index++;
                if (done.Result is { } result)
                {
                    if (writer is not null)
                        WriteJson(writer, done.Path, result, detector);
                    else if (format == OutputFormat.Csv)
                        Console.WriteLine(CsvRow(done.Path, result));
                    else
                        Console.WriteLine($"{done.Path}\t{result.Probability:F4}\t{Label(result.Label)}");
                    continue;
                }
                failures++;
                // A file that could not be read comes wrapped; the CLI names I/O causes its own way ("file not found", "is a directory").
                Exception error = done.Error is { InnerException: IOException or UnauthorizedAccessException } wrapped ? wrapped.InnerException! : done.Error!;
                ErrorReporter.Print(error, done.Path);
                if (writer is not null)
                {
                    // Failed images stay visible in the JSON too: never a silent skip.
                    writer.WriteStartObject();
                    writer.WriteString("path", done.Path);
                    writer.WriteString("error", ErrorReporter.Describe(error, done.Path));
                    writer.WriteEndObject();
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not bad input (ScoreFiles turns that into entries): a bug, reported after the results before it.
            writer?.Flush();
            ErrorReporter.Print(ex, index < images.Count ? images[index] : null);
            return ExitCodes.InternalError;
        }
        writer?.WriteEndArray();
        writer?.Flush();
        if (writer is not null) Console.WriteLine();
        return failures == 0 ? ExitCodes.Success : ExitCodes.SomeInputsFailed;
    }

    private enum OutputFormat { Text, Json, Csv }

    /// <summary>One CSV row, invariant culture, numbers round-trippable.</summary>
    private static string CsvRow(string path, DetectionResult result) => string.Create(CultureInfo.InvariantCulture,
        $"{Reporting.MetricsTable.CsvField(path)},{result.Logit:R},{result.Probability:R},{Label(result.Label)},{result.Threshold:R}");

    /// <summary>The label as the CLI and the service print it.</summary>
    internal static string Label(DetectionLabel label) => label == DetectionLabel.Fake ? "fake" : "real";

    private static void WriteJson(Utf8JsonWriter writer, string path, DetectionResult result, Detector detector)
    {
        writer.WriteStartObject();
        writer.WriteString("path", path);
        writer.WriteNumber("logit", result.Logit);
        writer.WriteNumber("probability", result.Probability);
        writer.WriteString("label", Label(result.Label));
        writer.WriteNumber("threshold", result.Threshold);
        writer.WriteString("threshold_source", CommonOptions.SourceName(detector.ThresholdSource));
        writer.WriteNumber("temperature", result.Temperature);
        writer.WriteString("pooling", ModelMetadata.PoolingName(detector.Metadata.Pooling));
        writer.WriteString("preprocess", Preprocessing.PreprocessKindNames.ToName(detector.Metadata.Preprocess));
        writer.WriteString("engine", detector.EngineName);
        writer.WriteEndObject();
    }
}
