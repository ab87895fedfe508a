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

    public static Option<ITinyLaDeDaEngine?> Engine() => new("--engine")
    {
        Description = "Tiny-LaDeDa engine: auto (the widest the CPU accelerates), " + string.Join(", ", TinyLaDeDaEngines.Fused.Select(e => e.Name)) + " or reference.",
        HelpName = "name",
        CustomParser = result =>
        {
            string name = Single(result);
            if (name is "" or "auto") return null;
            var engine = TinyLaDeDaEngines.ByName(name);
            if (engine is null) return Fail<ITinyLaDeDaEngine?>(result, $"unknown engine '{name}'");
            return engine.IsSupported ? engine : Fail<ITinyLaDeDaEngine?>(result, $"engine '{name}' is not supported on this machine");
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
