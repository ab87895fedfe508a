namespace FastLaDeDa.Training.Training;

/// <summary>
/// What "the best epoch" means. Accuracy at 0.5 (then AP) is the official code's rule; AUC does not
/// depend on where the logits sit, which matters when validation is whole held-out sources whose
/// scores are shifted as a group — the threshold is calibrated afterwards anyway.
/// </summary>
internal enum SelectionMetric
{
    /// <summary>Validation accuracy at probability 0.5, ties broken by AP (the official rule).</summary>
    Accuracy,

    /// <summary>Validation ROC AUC, ties broken by AP.</summary>
    Auc,
}

/// <summary>Names of <see cref="SelectionMetric"/> on the command line.</summary>
internal static class SelectionMetrics
{
    /// <summary><c>acc</c> or <c>auc</c>.</summary>
    public static SelectionMetric Parse(string name) => name switch
    {
        "acc" => SelectionMetric.Accuracy,
        "auc" => SelectionMetric.Auc,
        _ => throw new ArgumentException($"--select '{name}': expected acc or auc"),
    };

    /// <summary>The command-line name.</summary>
    public static string ToName(this SelectionMetric metric) => metric == SelectionMetric.Auc ? "auc" : "acc";
}
