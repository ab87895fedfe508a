namespace FastLaDeDa.Evaluation;

/// <summary>
/// One row of an evaluation report. Fractions in [0, 1]; null where a metric is undefined (AP and
/// AUC need both classes; real/fake ACC need images of that class).
/// </summary>
internal sealed record SetMetrics(string Name, int RealCount, int FakeCount, double? Accuracy, double? RealAccuracy,
                                double? FakeAccuracy, double? AveragePrecision, double? Auc)
{
    /// <summary>The metrics of one set's scores at a probability threshold.</summary>
    public static SetMetrics Compute(string name, ReadOnlySpan<double> logits, ReadOnlySpan<bool> isFake, double threshold = 0.5)
    {
        int fakes = 0;
        foreach (bool f in isFake) if (f) fakes++;
        return new SetMetrics(name, isFake.Length - fakes, fakes,
            BinaryMetrics.Accuracy(logits, isFake, threshold), BinaryMetrics.RealAccuracy(logits, isFake, threshold),
            BinaryMetrics.FakeAccuracy(logits, isFake, threshold), BinaryMetrics.AveragePrecision(logits, isFake),
            BinaryMetrics.Auc(logits, isFake));
    }

    /// <summary>The paper's mean row: each metric averaged over the sets where it is defined; counts summed.</summary>
    public static SetMetrics Mean(IReadOnlyList<SetMetrics> sets, string name = "mean")
    {
        static double? Average(IEnumerable<double?> values)
        {
            var defined = values.Where(v => v.HasValue).Select(v => v!.Value).ToList();
            return defined.Count == 0 ? null : defined.Average();
        }
        return new SetMetrics(name, sets.Sum(s => s.RealCount), sets.Sum(s => s.FakeCount),
            Average(sets.Select(s => s.Accuracy)), Average(sets.Select(s => s.RealAccuracy)), Average(sets.Select(s => s.FakeAccuracy)),
            Average(sets.Select(s => s.AveragePrecision)), Average(sets.Select(s => s.Auc)));
    }
}
