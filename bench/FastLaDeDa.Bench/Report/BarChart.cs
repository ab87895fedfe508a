using FastLaDeDa.Cli.Rendering;

namespace FastLaDeDa.Bench.Report;

/// <summary>Images per second per engine and thread count as a bar chart (log scale), one PNG per model.</summary>
public static class BarChart
{
    /// <summary>Writes <c>latest-MODEL.png</c> files into <paramref name="directory"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Save(string directory, IReadOnlyList<ReportRow> rows)
    {
        var paths = new List<string>();
        foreach (var group in rows.GroupBy(r => r.Model))
        {
            var list = group.ToList();
            var plot = new ScottPlot.Plot();
            plot.Font.Set(FigureFont.Family);
            var bars = plot.Add.Bars(list.Select(r => Math.Log10(r.ImagesPerSecond)).ToArray());
            for (int i = 0; i < list.Count; i++)
            {
                bars.Bars[i].FillColor = list[i].Engine.StartsWith("FastLaDeDa", StringComparison.Ordinal) ? ScottPlot.Colors.SteelBlue : ScottPlot.Colors.Gray;
                bars.Bars[i].Label = list[i].ImagesPerSecond.ToString(list[i].ImagesPerSecond < 100 ? "F1" : "F0", System.Globalization.CultureInfo.InvariantCulture);
            }
            plot.Axes.Bottom.SetTicks(Enumerable.Range(0, list.Count).Select(i => (double)i).ToArray(),
                list.Select(r => FirstSpaceToNewline($"{Short(r.Engine)}, {r.Threads} thr")).ToArray());
            plot.Title($"{group.Key} at 256×256: images/s (log10 axis), higher is better");
            plot.YLabel("log10(images/s)");
            plot.Axes.Margins(bottom: 0);
            string path = Path.Combine(directory, $"latest-{group.Key.ToLowerInvariant().Replace(' ', '-')}.png");
            plot.SavePng(path, Math.Max(700, 130 * list.Count), 480);
            paths.Add(path);
        }
        return paths;
    }

    // Two short lines per bar so neighbouring labels do not overlap ("ours\nv512", "ORT\n1.31.1").
    private static string Short(string engine) => engine
        .Replace("FastLaDeDa ", "ours ", StringComparison.Ordinal)
        .Replace("ladeda-cpu-", "", StringComparison.Ordinal) // names before the renaming, in older results
        .Replace("fused-", "", StringComparison.Ordinal)
        .Replace("ladeda-", "", StringComparison.Ordinal)
        .Replace("tiny-", "", StringComparison.Ordinal)
        .Replace("vector", "v", StringComparison.Ordinal)
        .Replace(" (ScoreBatch)", " batch", StringComparison.Ordinal)
        .Replace("ONNX Runtime", "ORT", StringComparison.Ordinal)
        .Replace(" (CPU EP)", "", StringComparison.Ordinal)
        .Replace(" (libtorch CPU)", "", StringComparison.Ordinal);

    private static string FirstSpaceToNewline(string label)
    {
        int space = label.IndexOf(' ');
        return space < 0 ? label : label[..space] + "\n" + label[(space + 1)..];
    }
}
