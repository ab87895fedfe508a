using System.Globalization;
using System.Text;
using FastLaDeDa.Evaluation;

namespace FastLaDeDa.Training.Training;

/// <summary>Per-set metrics as a Markdown table in the CLI's <c>eval --markdown</c> layout (percentages, one decimal; bold mean row).</summary>
public static class MetricsMarkdown
{
    /// <summary>The table of <paramref name="sets"/> plus their mean row.</summary>
    public static string Render(IReadOnlyList<SetMetrics> sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        static string P(double? v) => v is null ? "n/a" : (100 * v.Value).ToString("F1", CultureInfo.InvariantCulture);
        var sb = new StringBuilder("| set | n_real | n_fake | ACC | real ACC | fake ACC | AP | AUC |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var m in sets)
            sb.Append(CultureInfo.InvariantCulture, $"| {m.Name} | {m.RealCount} | {m.FakeCount} | {P(m.Accuracy)} | {P(m.RealAccuracy)} | {P(m.FakeAccuracy)} | {P(m.AveragePrecision)} | {P(m.Auc)} |\n");
        var mean = SetMetrics.Mean(sets);
        sb.Append(CultureInfo.InvariantCulture, $"| **{mean.Name}** | **{mean.RealCount}** | **{mean.FakeCount}** | **{P(mean.Accuracy)}** | **{P(mean.RealAccuracy)}** | **{P(mean.FakeAccuracy)}** | **{P(mean.AveragePrecision)}** | **{P(mean.Auc)}** |\n");
        return sb.ToString();
    }
}
