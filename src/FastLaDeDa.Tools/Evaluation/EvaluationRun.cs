namespace FastLaDeDa.Evaluation;

/// <summary>Everything an evaluation produced.</summary>
/// <param name="Scores">Every image's outcome, in set order then file order.</param>
/// <param name="Sets">Per-set metrics over the images that were scored.</param>
/// <param name="Mean">The mean row over the sets.</param>
/// <param name="Threshold">The probability threshold the accuracies use.</param>
internal sealed record EvaluationRun(IReadOnlyList<ImageScore> Scores, IReadOnlyList<SetMetrics> Sets, SetMetrics Mean, double Threshold)
{
    /// <summary>The images that could not be scored (only non-empty with skip-bad).</summary>
    public IReadOnlyList<ImageScore> Failures => Scores.Where(s => s.Logit is null).ToList();
}
