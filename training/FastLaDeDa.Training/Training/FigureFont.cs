namespace FastLaDeDa.Training.Training;

/// <summary>
/// The font family of the plots: the first common sans-serif font installed (ScottPlot's own
/// default may resolve to a serif font on Linux), else ScottPlot's default.
/// </summary>
internal static class FigureFont
{
    private static readonly string[] Candidates = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica"];

    private static readonly Lazy<string> Resolved = new(() => Candidates.FirstOrDefault(Installed) ?? ScottPlot.Fonts.Default);

    /// <summary>The family name to draw text with.</summary>
    public static string Family => Resolved.Value;

    // ScottPlot may answer a missing family with a fallback typeface: compare the name.
    private static bool Installed(string family) =>
        ScottPlot.Fonts.GetTypeface(family, bold: false, italic: false) is { } typeface
        && string.Equals(typeface.FamilyName, family, StringComparison.OrdinalIgnoreCase);
}
