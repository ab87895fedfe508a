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
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {path, logit, probability, label, ...} instead of text lines." };
        var stats = new Option<bool>("--stats") { Description = "Print the image count, wall time and the process's peak memory (resident set) on stderr at the end." };
        var model = new ModelOptions();

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

    private static int Run(Detector detector, string[] images, bool json)
    {
        int failures = 0;
        using var writer = json ? new Utf8JsonWriter(Console.OpenStandardOutput(), new JsonWriterOptions { Indented = true }) : null;
        writer?.WriteStartArray();
        foreach (string path in images)
        {
            try
            {
                DetectionResult result = detector.Score(path);
                if (writer is null)
                    Console.WriteLine($"{path}\t{result.Probability:F4}\t{Label(result.Label)}");
                else
                    WriteJson(writer, path, result, detector.Metadata, detector.EngineName);
            }
            catch (Exception ex) when (ErrorReporter.IsExpected(ex))
            {
                failures++;
                ErrorReporter.Print(ex, path);
                if (writer is not null)
                {
                    // Failed images stay visible in the JSON too: never a silent skip.
                    writer.WriteStartObject();
                    writer.WriteString("path", path);
                    writer.WriteString("error", ErrorReporter.Describe(ex, path));
                    writer.WriteEndObject();
                }
            }
            catch (Exception ex)
            {
                writer?.Flush();
                ErrorReporter.Print(ex, path);
                return ExitCodes.InternalError;
            }
        }
        writer?.WriteEndArray();
        writer?.Flush();
        if (writer is not null) Console.WriteLine();
        return failures == 0 ? ExitCodes.Success : ExitCodes.SomeInputsFailed;
    }

    private static string Label(DetectionLabel label) => label == DetectionLabel.Fake ? "fake" : "real";

    private static void WriteJson(Utf8JsonWriter writer, string path, DetectionResult result, ModelMetadata metadata, string engineName)
    {
        writer.WriteStartObject();
        writer.WriteString("path", path);
        writer.WriteNumber("logit", result.Logit);
        writer.WriteNumber("probability", result.Probability);
        writer.WriteString("label", Label(result.Label));
        writer.WriteString("pooling", ModelMetadata.PoolingName(metadata.Pooling));
        writer.WriteString("preprocess", Preprocessing.PreprocessKindNames.ToName(metadata.Preprocess));
        writer.WriteString("engine", engineName);
        writer.WriteEndObject();
    }
}
