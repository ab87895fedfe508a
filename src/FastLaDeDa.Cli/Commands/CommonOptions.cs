using System.CommandLine;
using System.CommandLine.Parsing;
using FastLaDeDa.Engines;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Cli.Commands;

/// <summary>Options shared by several commands, parsed into the library's types.</summary>
internal static class CommonOptions
{
    public static Option<PreprocessKind?> Preprocess(string description) => new("--preprocess")
    {
        Description = description + " One of: " + string.Join(", ", PreprocessKindNames.All) + ".",
        HelpName = "kind",
        CustomParser = result => PreprocessKindNames.TryParse(Single(result), out var kind) ? kind
            : Fail<PreprocessKind?>(result, $"unknown preprocessing '{Single(result)}'; expected one of {string.Join(", ", PreprocessKindNames.All)}"),
    };

    public static Option<PoolingKind?> Pool(string description) => new("--pool")
    {
        Description = description,
        HelpName = "mean|max",
        CustomParser = result => ModelMetadata.TryParsePooling(Single(result), out var kind) ? kind
            : Fail<PoolingKind?>(result, $"unknown pooling '{Single(result)}'; expected mean or max"),
    };

    /// <summary>
    /// <c>--engine NAME</c>: any name <see cref="Detection.DetectorOptions.Engine"/> takes (null when
    /// absent). Unknown names, and CPU engines this machine does not accelerate, fail at parse time;
    /// whether the name fits the weights is checked when the detector loads.
    /// </summary>
    public static Option<string?> Engine() => new("--engine")
    {
        Description = "Engine: auto (CUDA for LaDeDa when present, else the widest CPU engine), cpu, cuda, or one of "
                      + string.Join(", ", Detection.Detector.EngineNames.Skip(3)) + " (default auto).",
        HelpName = "name",
        CustomParser = result =>
        {
            string name = Single(result);
            return EngineCatalog.WhyUnusable(name) is { } why ? Fail<string?>(result, why) : EngineCatalog.Canonical(name);
        },
    };

    /// <summary><c>--device auto|cpu|gpu</c> as the engine name it stands for (auto, cpu, cuda), null when absent.</summary>
    public static Option<string?> Device() => new("--device")
    {
        Description = "LaDeDa: auto (CUDA when an NVIDIA GPU is present, else the CPU engine), cpu, or gpu (CUDA; an error without one). Same as --engine auto|cpu|cuda.",
        HelpName = "auto|cpu|gpu",
        CustomParser = result => Single(result).Trim().ToLowerInvariant() switch
        {
            "auto" => EngineCatalog.Auto,
            "cpu" => EngineCatalog.Cpu,
            "gpu" => EngineCatalog.Cuda,
            var other => Fail<string?>(result, $"unknown device '{other}'; expected auto, cpu or gpu"),
        },
    };

    /// <summary>
    /// <c>--threshold P</c> for the commands that print labels (null when absent: the weights'
    /// calibrated threshold, else 0.5). The range is checked by the command, which prints one error line.
    /// </summary>
    public static Option<double?> Threshold() => new("--threshold")
    {
        Description = "Label an image fake when P(fake) is above this probability, strictly between 0 and 1 (default: the weights' calibrated threshold, else 0.5).",
        HelpName = "p",
    };

    /// <summary>Whether <paramref name="p"/> is a usable probability threshold: 0 &lt; p &lt; 1 (NaN is not).</summary>
    public static bool IsProbability(double p) => p > 0 && p < 1;

    /// <summary>The threshold's source as the CLI prints it.</summary>
    public static string SourceName(Detection.ThresholdSource source) => source switch
    {
        Detection.ThresholdSource.Options => "option",
        Detection.ThresholdSource.Weights => "weights",
        _ => "default",
    };

    private static string Single(ArgumentResult result) => result.Tokens.Count == 1 ? result.Tokens[0].Value : "";

    private static T Fail<T>(ArgumentResult result, string message)
    {
        result.AddError(message);
        return default!;
    }
}
