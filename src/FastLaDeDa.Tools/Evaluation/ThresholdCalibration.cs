using System.Globalization;
using FastLaDeDa.Models;

namespace FastLaDeDa.Evaluation;

/// <summary>
/// The operating threshold and the probability's temperature chosen on validation scores, stored in
/// the exported weights' metadata.
/// </summary>
/// <param name="Logit">The threshold on the pooled logit: fake when the logit is above it.</param>
/// <param name="BalancedAccuracy">(real ACC + fake ACC) / 2 of the validation scores at that threshold.</param>
/// <param name="Temperature">T of P(fake) = sigmoid(logit / T) (<see cref="TemperatureScaling"/>); 1 for the plain sigmoid.</param>
internal sealed record ThresholdCalibration(double Logit, double BalancedAccuracy, double Temperature = 1)
{
    /// <summary>
    /// The threshold as a probability of sigmoid(logit / T) (what the weights' <c>threshold</c> key
    /// holds), kept strictly inside (0, 1) as the library requires even when the scores are extreme.
    /// </summary>
    public double Probability => Clamp(BinaryMetrics.Sigmoid(Logit / Temperature));

    /// <summary>The threshold as a probability of the plain sigmoid(logit): for metrics computed on unscaled logits.</summary>
    public double UnscaledProbability => Clamp(BinaryMetrics.Sigmoid(Logit));

    private static double Clamp(double probability) => Math.Clamp(probability, 1e-9, 1 - 1e-9);

    /// <summary>
    /// What the trainer and <c>fastladeda calibrate</c> fit on validation scores: the threshold with
    /// the best balanced accuracy (<see cref="BestBalancedAccuracy"/>) and the temperature with the
    /// smallest class-balanced NLL (<see cref="TemperatureScaling"/>). The threshold stays on the same
    /// logit, so the labels are those of the threshold alone.
    /// </summary>
    public static ThresholdCalibration Fit(IReadOnlyList<double> logits, IReadOnlyList<bool> isFake) =>
        BestBalancedAccuracy(logits, isFake) with { Temperature = TemperatureScaling.Fit(logits, isFake) };

    /// <summary>
    /// Writes the threshold and how it was chosen into a weights file's metadata — the keys the trainer
    /// and <c>fastladeda calibrate</c> both record: <c>threshold</c>, <c>threshold_rule</c>,
    /// <c>val_balanced_acc</c>, <c>val_acc_at_threshold</c>, <c>temperature</c>.
    /// </summary>
    /// <param name="metadata">The weights' metadata, changed in place.</param>
    /// <param name="accuracyAtThreshold">The validation accuracy at this threshold.</param>
    /// <param name="rule">How the validation set was made, after "best balanced accuracy on the validation set".</param>
    public void WriteTo(IDictionary<string, string> metadata, double accuracyAtThreshold, string rule = "")
    {
        ArgumentNullException.ThrowIfNull(metadata);
        metadata[ModelMetadata.ThresholdKey] = ModelMetadata.FormatNumber(Probability);
        metadata["threshold_rule"] = "best balanced accuracy on the validation set" + rule;
        metadata["val_balanced_acc"] = BalancedAccuracy.ToString("F4", CultureInfo.InvariantCulture);
        metadata["val_acc_at_threshold"] = accuracyAtThreshold.ToString("F4", CultureInfo.InvariantCulture);
        metadata[ModelMetadata.TemperatureKey] = ModelMetadata.FormatNumber(Temperature);
    }

    /// <summary>
    /// The threshold with the best balanced accuracy — the class sizes of a validation set say nothing
    /// about the field, so each class counts half. Candidates are the midpoints between adjacent
    /// distinct scores (a threshold never sits on a score); among equally good ones the one nearest
    /// logit 0 wins, so an already calibrated model keeps 0.5.
    /// </summary>
    public static ThresholdCalibration BestBalancedAccuracy(IReadOnlyList<double> logits, IReadOnlyList<bool> isFake)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(isFake);
        int n = logits.Count, fakes = isFake.Count(f => f), reals = n - fakes;
        if (n != isFake.Count) throw new ArgumentException("one label per score");
        if (fakes == 0 || reals == 0) throw new ArgumentException("a threshold needs validation images of both classes");
        int[] order = Enumerable.Range(0, n).OrderBy(i => logits[i]).ToArray();
        // Start below every score: everything fake. Moving the threshold past a score makes that image real.
        int realsBelow = 0, fakesBelow = 0;
        double bestLogit = logits[order[0]] - 1, best = 0.5;
        for (int k = 0; k <= n; k++)
        {
            if (k > 0 && k < n && logits[order[k]] == logits[order[k - 1]]) { Count(order[k]); continue; }
            double candidate = k == 0 ? logits[order[0]] - 1 : k == n ? logits[order[n - 1]] + 1 : (logits[order[k - 1]] + logits[order[k]]) / 2;
            double balanced = 0.5 * ((double)realsBelow / reals + (double)(fakes - fakesBelow) / fakes);
            if (balanced > best + 1e-12 || (Math.Abs(balanced - best) <= 1e-12 && Math.Abs(candidate) < Math.Abs(bestLogit)))
                (best, bestLogit) = (balanced, candidate);
            if (k < n) Count(order[k]);
        }
        return new ThresholdCalibration(bestLogit, best);

        void Count(int i)
        {
            if (isFake[i]) fakesBelow++;
            else realsBelow++;
        }
    }
}
