using FastLaDeDa.Cli.Rendering;

namespace FastLaDeDa.Training.Training;

/// <summary>
/// A PNG of a run's curves (ScottPlot): training and validation loss on the left axis, validation
/// accuracy and AP (%) on the right axis, against the epoch.
/// </summary>
internal static class TrainingCurves
{
    /// <summary>Draws <paramref name="history"/> into <paramref name="path"/>; nothing is drawn for an empty history.</summary>
    public static void Save(string path, string title, IReadOnlyList<EpochMetrics> history, string lossLabel = "loss", int width = 1000, int height = 560)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0) return;
        double[] epochs = [.. history.Select(h => (double)h.Epoch)];
        var plot = new ScottPlot.Plot();
        plot.Font.Set(FigureFont.Family);

        void Line(double[] values, string label, bool right, ScottPlot.LinePattern pattern)
        {
            var line = plot.Add.Scatter(epochs, values);
            line.LegendText = label;
            line.LineWidth = 2;
            line.MarkerSize = 5;
            line.LinePattern = pattern;
            if (right) line.Axes.YAxis = plot.Axes.Right;
        }

        Line([.. history.Select(h => h.TrainLoss)], $"train {lossLabel}", false, ScottPlot.LinePattern.Solid);
        Line([.. history.Select(h => h.ValidationLoss)], "val BCE", false, ScottPlot.LinePattern.Solid);
        if (history.Any(h => h.ValidationMse is not null))
            Line([.. history.Select(h => h.ValidationMse ?? double.NaN)], "val MSE vs teacher", false, ScottPlot.LinePattern.Solid);
        Line([.. history.Select(h => 100 * h.ValidationAccuracy)], "val ACC %", true, ScottPlot.LinePattern.Dashed);
        Line([.. history.Select(h => 100 * h.ValidationAp)], "val AP %", true, ScottPlot.LinePattern.Dashed);

        plot.Title(title);
        plot.XLabel("epoch");
        plot.Axes.Left.Label.Text = "loss";
        plot.Axes.Right.Label.Text = "validation ACC / AP (%)";
        plot.ShowLegend(ScottPlot.Alignment.MiddleRight);
        plot.SavePng(path, width, height);
    }
}
