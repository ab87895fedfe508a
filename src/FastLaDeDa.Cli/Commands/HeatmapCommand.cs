using System.CommandLine;
using System.Globalization;
using FastLaDeDa.Cli.Rendering;
using FastLaDeDa.Detection;
using FastLaDeDa.Imaging.Resize;
using FastLaDeDa.Imaging;
using FastLaDeDa.Models;

namespace FastLaDeDa.Cli.Commands;

/// <summary>
/// <c>fastladeda heatmap IMG -o out.png [--top K]</c>: the image's patch logits as a figure over
/// the image (the paper's Fig. 7a) and, with <c>--top</c>, its most-fake patches as a strip (Fig. 7b),
/// listed on stdout too.
/// </summary>
internal static class HeatmapCommand
{
    /// <summary>The most patches <c>--top</c> draws.</summary>
    public const int MaxTop = 100;

    public static Command Create()
    {
        var image = new Argument<string>("image") { Description = "Image file (JPEG, PNG, BMP, GIF, TGA, PNM)." };
        var output = new Option<string>("--output", "-o") { Description = "The figure to write (PNG).", Required = true, HelpName = "file" };
        var top = new Option<int?>("--top") { Description = $"Also draw the K most-fake patches (highest logits) as a strip and list them on stdout (1 to {MaxTop}).", HelpName = "K" };
        top.Validators.Add(result =>
        {
            // A value that is not a number is the parser's error (GetValueOrDefault would throw on it here).
            if (result.Tokens.Count != 1 || !int.TryParse(result.Tokens[0].Value, out int k)) return;
            if (k is < 1 or > MaxTop) result.AddError($"--top must be between 1 and {MaxTop}, got {k}");
        });
        var limit = new Option<double?>("--limit") { Description = $"Colour limits ±L in logits (default: the {LogitColormap.DefaultPercentile:0}th percentile of |logit| over the map; larger values take the end colours). Fix it to compare images.", HelpName = "L" };
        limit.Validators.Add(result =>
        {
            if (result.Tokens.Count != 1 || !double.TryParse(result.Tokens[0].Value, out double l)) return;
            if (!(l > 0 && double.IsFinite(l))) result.AddError($"--limit must be a positive number, got {l}");
        });
        var topOutput = new Option<string?>("--top-output") { Description = "Where --top writes its strip (default: the figure's name with .top.png).", HelpName = "file" };
        var model = new ModelOptions(labels: true);

        var command = new Command("heatmap", "Draw an image's patch logits over it, and optionally its most-fake patches.")
        {
            image, output, top, topOutput, limit,
        };
        model.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetResult(topOutput) is not null && result.GetResult(top) is null)
                result.AddError("--top-output needs --top");
        });
        command.SetAction(parse =>
        {
            int? k = parse.GetValue(top);
            string outputPath = parse.GetValue(output)!;
            string? stripPath = k is null ? null : parse.GetValue(topOutput) ?? StripPathFor(outputPath);
            return Run(parse, model, parse.GetValue(image)!, outputPath, k, stripPath, parse.GetValue(limit));
        });
        return command;
    }

    /// <summary>out.png → out.top.png.</summary>
    private static string StripPathFor(string outputPath) => Path.ChangeExtension(outputPath, ".top.png");

    private static int Run(ParseResult parse, ModelOptions model, string imagePath, string outputPath, int? top, string? stripPath, double? limit)
    {
        // Refuse unwritable outputs before doing any work.
        foreach (string? path in new[] { outputPath, stripPath })
        {
            if (path is not null && OutputProblem(path, imagePath, path == stripPath ? outputPath : null) is string cause)
            {
                Console.Error.WriteLine($"error: {path}: {cause}");
                return ExitCodes.Fatal;
            }
        }

        Detector? detector = model.Load(parse, out int loadExitCode);
        if (detector is null) return loadExitCode;
        DetectorOptions options = detector.Options;

        using (detector)
        {
            Rgb24Image scored;
            DetectionResult result;
            try
            {
                scored = ScoredImage(ImageDecoder.Decode(imagePath, options.ImageLimits), options);
                result = detector.Score(scored, includePatchMap: true);
            }
            catch (Exception ex)
            {
                ErrorReporter.Print(ex, imagePath);
                return ErrorReporter.IsExpected(ex) ? ExitCodes.SomeInputsFailed : ExitCodes.InternalError;
            }

            string? current = outputPath;
            try
            {
                PatchMap map = result.PatchMap!;
                string label = result.Label == DetectionLabel.Fake ? "fake" : "real";
                if (detector.ThresholdSource != ThresholdSource.Default)
                    label += $" at P > {result.Threshold.ToString("G4", CultureInfo.InvariantCulture)}";
                string pooling = ModelMetadata.PoolingName(detector.Metadata.Pooling);
                string title = $"{Shorten(Path.GetFileName(imagePath), 48)}: P(fake) {result.Probability.ToString("F4", CultureInfo.InvariantCulture)}, {label} ({pooling} pooling)";
                string description = options.Resize ? $"resized to {scored.Width}×{scored.Height}" : $"native {scored.Width}×{scored.Height}";
                double colorLimit = limit ?? LogitColormap.DefaultLimit(map);
                string limitDescription = limit is null ? $"{LogitColormap.DefaultPercentile:0}th percentile of |logit|" : "--limit";
                if (!WriteOutput(outputPath, HeatmapRenderer.RenderPng(scored, map, colorLimit, title, description, limitDescription))) return ExitCodes.Fatal;
                Console.WriteLine($"wrote {outputPath}: {imagePath} P(fake) {result.Probability.ToString("F4", CultureInfo.InvariantCulture)} {label} ({pooling} pooling, {map.Width}x{map.Height} patches)");

                if (top is int k && stripPath is not null)
                {
                    current = stripPath;
                    IReadOnlyList<RankedPatch> patches = RankedPatch.Top(map, k);
                    if (!WriteOutput(stripPath, PatchStripRenderer.RenderPng(scored, map, patches, colorLimit))) return ExitCodes.Fatal;
                    Console.WriteLine($"wrote {stripPath}: the {patches.Count} most-fake patches ({map.ReceptiveField}x{map.ReceptiveField} pixels at x, y of the scored image)");
                    Console.WriteLine("rank\trow\tcol\tlogit\tx\ty");
                    foreach (RankedPatch p in patches)
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{p.Rank}\t{p.Row}\t{p.Column}\t{p.Logit:F4}\t{p.Column * map.Stride}\t{p.Row * map.Stride}"));
                }
                return ExitCodes.Success;
            }
            catch (Exception ex)
            {
                ErrorReporter.Print(ex, current);
                return ErrorReporter.FatalExitCode(ex);
            }
        }
    }

    /// <summary>The pixels the model scores: resized as <see cref="Detector"/> does, or the image itself.</summary>
    private static Rgb24Image ScoredImage(Rgb24Image image, DetectorOptions options) =>
        options.Resize && (image.Width != options.InputSize || image.Height != options.InputSize)
            ? PillowResize.Bilinear(image, options.InputSize, options.InputSize)
            : image;

    /// <summary>Why <paramref name="path"/> cannot be written, or null.</summary>
    private static string? OutputProblem(string path, string imagePath, string? otherOutput)
    {
        if (string.IsNullOrWhiteSpace(path)) return "an empty path; name the PNG file to write";
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) return "is a directory; name the PNG file to write";
        string? directory = Path.GetDirectoryName(full);
        if (directory is not null && !Directory.Exists(directory)) return $"cannot write: the directory {directory} does not exist";
        if (full == Path.GetFullPath(imagePath)) return "is the input image; name another file to write";
        if (otherOutput is not null && full == Path.GetFullPath(otherOutput)) return "is also the figure's output; name another file for --top-output";
        return null;
    }

    /// <summary>Writes <paramref name="bytes"/>, or prints one error line and returns false.</summary>
    private static bool WriteOutput(string path, byte[] bytes)
    {
        try
        {
            File.WriteAllBytes(path, bytes);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            Console.Error.WriteLine($"error: {path}: cannot write: its directory does not exist");
            return false;
        }
        catch (Exception ex) when (ErrorReporter.IsExpected(ex))
        {
            ErrorReporter.Print(ex, path);
            return false;
        }
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
