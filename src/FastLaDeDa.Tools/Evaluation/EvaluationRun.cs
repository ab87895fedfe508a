using FastLaDeDa.Detection;

namespace FastLaDeDa.Evaluation;

/// <summary>Everything an evaluation produced.</summary>
/// <param name="Scores">Every image's outcome, in set order then file order.</param>
/// <param name="Sets">Per-set metrics over the images that were scored.</param>
/// <param name="Mean">The mean row over the sets.</param>
/// <param name="Threshold">The probability threshold the accuracies use.</param>
/// <param name="Temperature">The detector's temperature: probabilities are sigmoid(logit / T).</param>
internal sealed record EvaluationRun(IReadOnlyList<ImageScore> Scores, IReadOnlyList<SetMetrics> Sets, SetMetrics Mean, double Threshold, double Temperature = 1)
{
    /// <summary>
    /// The metrics of <paramref name="scored"/> with accuracy at probability <paramref name="threshold"/>
    /// of P(fake) = sigmoid(logit / <paramref name="temperature"/>): the metrics read the logits divided
    /// by T, which moves no AP or AUC and puts the threshold where the detector's labels put it.
    /// </summary>
    public static SetMetrics Metrics(string name, IEnumerable<ImageScore> scored, double threshold, double temperature)
    {
        var list = scored.Where(s => s.Logit is not null).ToList();
        return SetMetrics.Compute(name, list.Select(s => s.Logit!.Value / temperature).ToArray(), list.Select(s => s.Image.IsFake).ToArray(), threshold);
    }

    /// <summary>The run's threshold at its temperature: the rule detect labels by.</summary>
    public DecisionThreshold Decision => DecisionThreshold.From(Threshold, nameof(Threshold), Temperature);

    /// <summary>The images that could not be scored (only non-empty with skip-bad).</summary>
    public IReadOnlyList<ImageScore> Failures => Scores.Where(s => s.Logit is null).ToList();
}
