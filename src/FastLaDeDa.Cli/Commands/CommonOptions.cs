using System.CommandLine;
using System.CommandLine.Parsing;
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

    private static string Single(ArgumentResult result) => result.Tokens.Count == 1 ? result.Tokens[0].Value : "";

    private static T Fail<T>(ArgumentResult result, string message)
    {
        result.AddError(message);
        return default!;
    }
}
