using System.Globalization;
using System.Text;
using FastLaDeDa.Evaluation;
using FastLaDeDa.Training.Data;

namespace FastLaDeDa.Training.Training;

/// <summary>
/// Validation metrics per source, for leave-source-out tables: a source holding both classes is
/// scored on its own; a one-class source (most are) against every validation image of the other
/// class — "how well are this source's images told apart from the held-out images of the other kind".
/// ACC is at the calibrated threshold.
/// </summary>
internal static class SourceValidation
{
    /// <summary>One row per source, ordered by name.</summary>
    public static IReadOnlyList<SetMetrics> PerSource(ImageDataset validation, IReadOnlyList<double> logits, double thresholdProbability)
    {
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(logits);
        var images = validation.Images;
        var rows = new List<SetMetrics>();
        foreach (string source in images.Select(i => i.Source).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var mine = Enumerable.Range(0, images.Count).Where(i => images[i].Source == source).ToList();
            bool both = mine.Any(i => images[i].IsFake) && mine.Any(i => !images[i].IsFake);
            bool otherClass = !images[mine[0]].IsFake;
            var members = both ? mine : [.. mine, .. Enumerable.Range(0, images.Count).Where(i => images[i].Source != source && images[i].IsFake == otherClass)];
            var auc = SetMetrics.Compute(source, members.Select(i => logits[i]).ToArray(), members.Select(i => images[i].IsFake).ToArray(), thresholdProbability);
            // ACC over the source's own images only (the other class's images are shared by every row).
            var own = SetMetrics.Compute(source, mine.Select(i => logits[i]).ToArray(), mine.Select(i => images[i].IsFake).ToArray(), thresholdProbability);
            rows.Add(auc with { RealCount = own.RealCount, FakeCount = own.FakeCount, Accuracy = own.Accuracy, RealAccuracy = own.RealAccuracy, FakeAccuracy = own.FakeAccuracy });
        }
        return rows;
    }

    /// <summary>The rows as CSV: source, real, fake, acc (at the threshold), ap, auc (percent).</summary>
    public static string ToCsv(IReadOnlyList<SetMetrics> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        static string P(double? v) => v is { } x ? (100 * x).ToString("F1", CultureInfo.InvariantCulture) : "";
        var text = new StringBuilder("source,real,fake,acc_at_threshold,ap,auc\n");
        foreach (var r in rows) text.Append(CultureInfo.InvariantCulture, $"{r.Name},{r.RealCount},{r.FakeCount},{P(r.Accuracy)},{P(r.AveragePrecision)},{P(r.Auc)}\n");
        return text.ToString();
    }
}
