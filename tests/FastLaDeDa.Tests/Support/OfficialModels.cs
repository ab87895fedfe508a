using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Tests.Support;

/// <summary>The two official Tiny-LaDeDa checkpoints and the golden tensors computed with them.</summary>
internal static class OfficialModels
{
    /// <summary>(golden key, checkpoint file, preprocessing) for each official checkpoint.</summary>
    public static IEnumerable<(string Key, string File, PreprocessKind Preprocess)> All =>
    [
        ("wildrf_tiny", "WildRF_Tiny_LaDeDa.pth", PreprocessKind.RightDiag),
        ("forensynth_tiny", "ForenSynth_Tiny_LaDeDa.pth", PreprocessKind.Npr),
    ];

    /// <summary>The entry for <paramref name="key"/>.</summary>
    public static (string Key, string File, PreprocessKind Preprocess) Get(string key) => All.Single(m => m.Key == key);
}
