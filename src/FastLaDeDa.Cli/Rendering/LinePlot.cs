namespace FastLaDeDa.Cli.Rendering;

/// <summary>A PNG line chart (ScottPlot): one line per series over shared x values.</summary>
internal static class LinePlot
{
    /// <summary>One line: its legend text, y values (NaN where undefined), and whether to draw it bold.</summary>
    public sealed record Series(string Label, double[] Values, bool Emphasis = false);

    /// <summary>Draws the series over <paramref name="x"/> and saves a PNG; throws IOException if the path is not writable.</summary>
    public static void Save(string path, string title, string xLabel, string yLabel, double[] x, IReadOnlyList<Series> series,
                            int width = 900, int height = 560, bool reverseX = false)
    {
        var plot = new ScottPlot.Plot();
        plot.Font.Set(FigureFont.Family);
        foreach (var s in series)
        {
            var line = plot.Add.Scatter(x, s.Values);
            line.LegendText = s.Label;
            line.LineWidth = s.Emphasis ? 3 : 1.5f;
            line.MarkerSize = s.Emphasis ? 9 : 5;
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(ScottPlot.Alignment.LowerLeft);
        if (reverseX) plot.Axes.SetLimitsX(x.Max() + 2, x.Min() - 2);
        plot.SavePng(path, width, height);
    }
}
