using System.CommandLine;
using System.Text.Json;
using FastLaDeDa.Detection;
using FastLaDeDa.Models;

namespace FastLaDeDa.Cli.Commands;

/// <summary><c>fastladeda detect IMG...</c>: one line (or one JSON object) per image.</summary>
internal static class DetectCommand
{
    public static Command Create()
    {
        var images = new Argument<string[]>("images") { Description = "Image files (JPEG, PNG, BMP, GIF, TGA, PNM).", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {path, logit, probability, label, threshold, ...} instead of text lines." };
        var stats = new Option<bool>("--stats") { Description = "Print the image count, wall time and the process's peak memory (resident set) on stderr at the end." };
        var model = new ModelOptions(labels: true);

        var command = new Command("detect", "Score images as real or AI-generated.") { images, json, stats };
        model.AddTo(command);
        command.SetAction(parse =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            string[] paths = parse.GetValue(images)!;
            using Detector? detector = model.Load(parse, out int exitCode);
            if (detector is not null) exitCode = Run(detector, paths, parse.GetValue(json));
            if (parse.GetValue(stats))
            {
                using var self = System.Diagnostics.Process.GetCurrentProcess();
                Console.Error.WriteLine($"stats: {paths.Length} image(s) in {clock.Elapsed.TotalSeconds:F2} s, peak memory {self.PeakWorkingSet64 / (1024 * 1024)} MiB");
            }
            return exitCode;
        });
        return command;
    }

    /// <summary>
    /// Scores the images on every core (Tiny-LaDeDa; LaDeDa already uses every core per image) and
    /// prints each result as soon as all earlier ones are out, so the output is in input order and
    /// only the results waiting for a slower predecessor are held (one image in memory per worker).
    /// </summary>
    private static int Run(Detector detector, string[] images, bool json)
    {
        int failures = 0;
        bool internalError = false;
        using var writer = json ? new Utf8JsonWriter(Console.OpenStandardOutput(), new JsonWriterOptions { Indented = true }) : null;
        writer?.WriteStartArray();
        if (writer is null && detector.ThresholdSource == ThresholdSource.Weights)
            Console.Error.WriteLine($"note: labels at the weights' calibrated threshold, P(fake) > {detector.Threshold.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} (--threshold overrides it)");
        var outcomes = new (DetectionResult? Result, Exception? Error)?[images.Length];
        int next = 0;
        var printLock = new object();
        int workers = detector.Metadata.Model == ModelKind.LaDeDa ? 1 : Environment.ProcessorCount;
        var order = System.Collections.Concurrent.Partitioner.Create(Enumerable.Range(0, images.Length), System.Collections.Concurrent.EnumerablePartitionerOptions.NoBuffering);
        Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = workers }, (i, loop) =>
        {
            (DetectionResult?, Exception?) outcome;
            try
            {
                outcome = (detector.Score(images[i]), null);
            }
            catch (Exception ex)
            {
                outcome = (null, ex);
            }
            lock (printLock)
            {
                outcomes[i] = outcome;
                // Print the finished prefix, in input order.
                while (next < images.Length && outcomes[next] is { } done && !internalError)
                {
                    string path = images[next];
                    if (done.Error is null)
                    {
                        if (writer is null)
                            Console.WriteLine($"{path}\t{done.Result!.Value.Probability:F4}\t{Label(done.Result.Value.Label)}");
                        else
                            WriteJson(writer, path, done.Result!.Value, detector);
                    }
                    else if (ErrorReporter.IsExpected(done.Error))
                    {
                        failures++;
                        ErrorReporter.Print(done.Error, path);
                        if (writer is not null)
                        {
                            // Failed images stay visible in the JSON too: never a silent skip.
                            writer.WriteStartObject();
                            writer.WriteString("path", path);
                            writer.WriteString("error", ErrorReporter.Describe(done.Error, path));
                            writer.WriteEndObject();
                        }
                    }
                    else
                    {
                        writer?.Flush();
                        ErrorReporter.Print(done.Error, path);
                        internalError = true;
                        loop.Stop();
                    }
                    outcomes[next] = null; // the result is out: let it go
                    next++;
                }
            }
        });
        if (internalError) return ExitCodes.InternalError;
        writer?.WriteEndArray();
        writer?.Flush();
        if (writer is not null) Console.WriteLine();
        return failures == 0 ? ExitCodes.Success : ExitCodes.SomeInputsFailed;
    }

    private static string Label(DetectionLabel label) => label == DetectionLabel.Fake ? "fake" : "real";

    private static void WriteJson(Utf8JsonWriter writer, string path, DetectionResult result, Detector detector)
    {
        writer.WriteStartObject();
        writer.WriteString("path", path);
        writer.WriteNumber("logit", result.Logit);
        writer.WriteNumber("probability", result.Probability);
        writer.WriteString("label", Label(result.Label));
        writer.WriteNumber("threshold", result.Threshold);
        writer.WriteString("threshold_source", CommonOptions.SourceName(detector.ThresholdSource));
        writer.WriteString("pooling", ModelMetadata.PoolingName(detector.Metadata.Pooling));
        writer.WriteString("preprocess", Preprocessing.PreprocessKindNames.ToName(detector.Metadata.Preprocess));
        writer.WriteString("engine", detector.EngineName);
        writer.WriteEndObject();
    }
}
