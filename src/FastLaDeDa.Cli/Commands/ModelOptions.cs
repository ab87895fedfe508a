using System.CommandLine;
using FastLaDeDa.Detection;
using FastLaDeDa.Engines;
using FastLaDeDa.Errors;
using FastLaDeDa.Models;

namespace FastLaDeDa.Cli.Commands;

/// <summary>
/// The options every scoring command shares (--model, --weights, --preprocess, --pool,
/// --no-resize, --fast-decode, --engine, --threads-per-image, --device; --threshold on the commands
/// that print labels) and the one way to turn them into a loaded <see cref="Detector"/>.
/// </summary>
/// <param name="labels">Whether the command prints labels, so takes <c>--threshold</c>.</param>
internal sealed class ModelOptions(bool labels = false)
{
    public Option<string?> Model { get; } = new("--model") { Description = "Architecture: tiny (Tiny-LaDeDa) or ladeda (LaDeDa, needs --weights). Default: what the weights hold (tiny for the embedded weights).", HelpName = "tiny|ladeda" };
    public Option<string?> Weights { get; } = new("--weights", "-w") { Description = "Weights: a FastLaDeDa .safetensors file or an official PyTorch .pth checkpoint (default: the embedded weights).", HelpName = "file" };
    public Option<Preprocessing.PreprocessKind?> Preprocess { get; } = CommonOptions.Preprocess("Override the weights' preprocessing (needed for official .pth files: right_diag for WildRF, npr for ForenSynth).");
    public Option<PoolingKind?> Pool { get; } = CommonOptions.Pool("Reduce the patch logits by their mean (default) or max.");
    public Option<bool> NoResize { get; } = new("--no-resize") { Description = "Score the native resolution instead of resizing to 256x256 (Pillow bilinear) first." };
    public Option<bool> FastDecode { get; } = new("--fast-decode") { Description = "Decode JPEGs at the smallest DCT scale (1/2, 1/4, 1/8) that keeps both sides >= 256, then resize: several times faster on large photos, scores slightly off the official pipeline." };
    public Option<string?> Engine { get; } = CommonOptions.Engine();
    public Option<int?> ThreadsPerImage { get; } = new("--threads-per-image") { Description = "LaDeDa: threads that score one image together (default: one per core).", HelpName = "n" };
    public Option<double?>? Threshold { get; } = labels ? CommonOptions.Threshold() : null;
    public Option<string?> Device { get; } = CommonOptions.Device();

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(Weights);
        command.Options.Add(Preprocess);
        command.Options.Add(Pool);
        command.Options.Add(NoResize);
        command.Options.Add(FastDecode);
        command.Options.Add(Engine);
        command.Options.Add(ThreadsPerImage);
        command.Options.Add(Device);
        if (Threshold is not null) command.Options.Add(Threshold);
    }

    /// <summary>The weights path the user gave, or null for the embedded default.</summary>
    public string? WeightsPath(ParseResult parse) => parse.GetValue(Weights);

    /// <summary>
    /// Loads the detector, printing one error line (and returning null with the exit code) when it
    /// cannot, and the assumed-preprocessing warning when a .pth file names none.
    /// </summary>
    public Detector? Load(ParseResult parse, out int exitCode)
    {
        exitCode = ExitCodes.Success;
        string? modelName = parse.GetValue(Model);
        ModelKind? kind = null;
        if (modelName is not null)
        {
            if (!ModelMetadata.TryParseModel(modelName, out var parsed))
            {
                Console.Error.WriteLine($"error: --model '{modelName}' is not a model; use tiny or ladeda");
                exitCode = ExitCodes.Fatal;
                return null;
            }
            kind = parsed;
        }
        if (kind == ModelKind.LaDeDa && WeightsPath(parse) is null)
        {
            Console.Error.WriteLine("error: --model ladeda needs --weights: no LaDeDa weights are embedded in this build");
            exitCode = ExitCodes.Fatal;
            return null;
        }
        int? threads = parse.GetValue(ThreadsPerImage);
        if (threads is < 1)
        {
            Console.Error.WriteLine($"error: --threads-per-image must be at least 1, got {threads}");
            exitCode = ExitCodes.Fatal;
            return null;
        }
        string? engine = parse.GetValue(Engine), device = parse.GetValue(Device);
        if (engine is not null && device is not null)
        {
            Console.Error.WriteLine("error: --engine and --device both choose the engine; give one (--device gpu is --engine cuda)");
            exitCode = ExitCodes.Fatal;
            return null;
        }
        double? threshold = Threshold is null ? null : parse.GetValue(Threshold);
        if (threshold is { } t && !CommonOptions.IsProbability(t))
        {
            Console.Error.WriteLine($"error: --threshold must lie strictly between 0 and 1, got {t.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            exitCode = ExitCodes.Fatal;
            return null;
        }
        var options = new DetectorOptions
        {
            Threshold = threshold,
            Model = kind,
            Pooling = parse.GetValue(Pool),
            Preprocess = parse.GetValue(Preprocess),
            Resize = !parse.GetValue(NoResize),
            FastDecode = parse.GetValue(FastDecode),
            Engine = engine ?? device ?? EngineCatalog.Auto,
            ThreadsPerImage = threads,
        };
        string? weightsPath = WeightsPath(parse);
        try
        {
            var detector = weightsPath is null ? Detector.LoadDefault(options) : Detector.Load(weightsPath, options);
            if (detector.PreprocessAssumed)
                Console.Error.WriteLine(AssumedPreprocessing.Warning(weightsPath, detector.Metadata.Model));
            return detector;
        }
        catch (GpuUnavailableException ex) when (device is not null)
        {
            Console.Error.WriteLine($"error: --device gpu: {ex.Cause}; use --device cpu or auto");
            exitCode = ExitCodes.Fatal;
            return null;
        }
        catch (Exception ex)
        {
            ErrorReporter.Print(ex, weightsPath);
            exitCode = ErrorReporter.FatalExitCode(ex);
            return null;
        }
    }
}
