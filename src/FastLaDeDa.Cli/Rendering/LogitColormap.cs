using FastLaDeDa.Models;
using ScottPlot;

namespace FastLaDeDa.Cli.Rendering;

/// <summary>
/// The diverging colour scale of patch logits: blue below 0 (real), near-white at 0 (the real/fake
/// boundary), red above 0 (fake) — ColorBrewer's RdBu, reversed — with symmetric limits ±L so that
/// 0 is always the middle colour.
/// </summary>
internal static class LogitColormap
{
    /// <summary>
    /// The percentile of |logit| used as the default limit. Patch logits are heavy-tailed (official
    /// WildRF Tiny-LaDeDa: median |logit| ≈ 20, maximum ≈ 800), so limits at the maximum would leave
    /// almost the whole map white; the few cells beyond ±L take the end colours.
    /// </summary>
    public const double DefaultPercentile = 99;

    /// <summary>The colour map, from the most real (lowest logit) to the most fake.</summary>
    public static IColormap Colormap { get; } = new ScottPlot.Colormaps.CustomInterpolated(
    [
        Color.FromHex("#053061"), Color.FromHex("#2166AC"), Color.FromHex("#4393C3"), Color.FromHex("#92C5DE"),
        Color.FromHex("#D1E5F0"), Color.FromHex("#F7F7F7"), Color.FromHex("#FDDBC7"), Color.FromHex("#F4A582"),
        Color.FromHex("#D6604D"), Color.FromHex("#B2182B"), Color.FromHex("#67001F"),
    ]);

    /// <summary>
    /// The default limit L: the <see cref="DefaultPercentile"/>th percentile of |logit| over the map
    /// (nearest rank), or 1 when that is 0 or not finite.
    /// </summary>
    public static double DefaultLimit(PatchMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        double[] magnitudes = Array.ConvertAll(map.Logits, v => Math.Abs((double)v));
        Array.Sort(magnitudes);
        int rank = (int)Math.Ceiling(DefaultPercentile / 100 * magnitudes.Length) - 1;
        double limit = magnitudes[Math.Clamp(rank, 0, magnitudes.Length - 1)];
        return limit > 0 && double.IsFinite(limit) ? limit : 1;
    }

    /// <summary>The colour of <paramref name="logit"/> on the scale ±<paramref name="limit"/> (clamped at the ends).</summary>
    public static Color ColorOf(double logit, double limit) =>
        Colormap.GetColor(Math.Clamp((logit + limit) / (2 * limit), 0, 1));
}
