using FastLaDeDa.Models;

namespace FastLaDeDa.Cli.Commands;

/// <summary>
/// The warning for weights that do not name their preprocessing (an official .pth): the assumed
/// filter scores a checkpoint trained with another one wrongly (the official ForenSynth Tiny-LaDeDa
/// calls real photos fake under right_diag), so the warning names what was assumed and how to
/// override it — and, when the file name says ForenSynth, the option that checkpoint needs.
/// </summary>
internal static class AssumedPreprocessing
{
    /// <summary>The one stderr line for <paramref name="weightsPath"/> scored as <paramref name="model"/> with an assumed preprocessing.</summary>
    public static string Warning(string? weightsPath, ModelKind model)
    {
        bool ladeda = model == ModelKind.LaDeDa;
        string assumed = ladeda ? "npr" : "right_diag";
        string forenSynth = ladeda ? "npr_2_3" : "npr";
        string name = Path.GetFileName(weightsPath ?? "");
        if (name.Contains("ForenSynth", StringComparison.OrdinalIgnoreCase))
            return $"warning: {weightsPath} does not name its preprocessing and its name says ForenSynth: pass --preprocess {forenSynth} (the official ForenSynth {(ladeda ? "LaDeDa" : "Tiny-LaDeDa")} checkpoint's); scoring it with the assumed {assumed} labels real images fake";
        return $"warning: {weightsPath} does not name its preprocessing; assuming {assumed} (the official {(ladeda ? "default" : "WildRF checkpoint's")}). Override it with --preprocess KIND ({forenSynth} for ForenSynth checkpoints), or convert the file once with fastladeda import --preprocess KIND";
    }
}
