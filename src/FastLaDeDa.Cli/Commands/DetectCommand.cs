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
        var weights = new Option<string?>("--weights", "-w") { Description = "Weights: a FastLaDeDa .safetensors file or an official PyTorch .pth checkpoint (default: the embedded weights).", HelpName = "file" };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {path, logit, probability, label, ...} instead of text lines." };
        var pool = CommonOptions.Pool("Reduce the patch logits by their mean (default) or max.");
        var preprocess = CommonOptions.Preprocess("Override the weights' preprocessing (needed for official .pth files: right_diag for WildRF, npr for ForenSynth).");
        var noResize = new Option<bool>("--no-resize") { Description = "Score the native resolution instead of resizing to 256x256 (Pillow bilinear) first." };
        var engine = CommonOptions.Engine();
        var stats = new Option<bool>("--stats") { Description = "Print the image count, wall time and the process's peak memory (resident set) on stderr at the end." };

        var command = new Command("detect", "Score images as real or AI-generated.") { images, weights, json, pool, preprocess, noResize, engine, stats };
        command.SetAction(parse =>
        {
            var options = new DetectorOptions
            {
                Pooling = parse.GetValue(pool),
                Preprocess = parse.GetValue(preprocess),
                Resize = !parse.GetValue(noResize),
                Engine = parse.GetValue(engine),
            };
            string? weightsPath = parse.GetValue(weights);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            string[] paths = parse.GetValue(images)!;
            int exitCode = Run(paths, weightsPath, options, parse.GetValue(json));
            if (parse.GetValue(stats))
            {
                using var self = System.Diagnostics.Process.GetCurrentProcess();
                Console.Error.WriteLine($"stats: {paths.Length} image(s) in {clock.Elapsed.TotalSeconds:F2} s, peak memory {self.PeakWorkingSet64 / (1024 * 1024)} MiB");
            }
            return exitCode;
        });
        return command;
    }

    private static int Run(string[] images, string? weightsPath, DetectorOptions options, bool json)
    {
        Detector detector;
        try
        {
            detector = weightsPath is null ? Detector.LoadDefault(options) : Detector.Load(weightsPath, options);
        }
        catch (Exception ex)
        {
            ErrorReporter.Print(ex, weightsPath);
            return ErrorReporter.FatalExitCode(ex);
        }

        using (detector)
        {
            if (detector.PreprocessAssumed)
                Console.Error.WriteLine($"note: {weightsPath} does not name its preprocessing; assuming right_diag (the official default). Pass --preprocess npr for ForenSynth checkpoints.");

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
