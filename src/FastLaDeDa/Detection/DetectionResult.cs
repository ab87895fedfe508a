using FastLaDeDa.Models;

namespace FastLaDeDa.Detection;

/// <summary>The score of one image (a value type: scoring allocates nothing unless the patch map is requested).</summary>
/// <param name="Logit">The pooled patch logit (positive means fake).</param>
/// <param name="PatchMap">The per-patch logits, when requested.</param>
public readonly record struct DetectionResult(double Logit, PatchMap? PatchMap = null)
{
    // The two-argument constructor judges at 0.5 (logit 0); default(DetectionResult) has 0 here, read as 0.5.
    private readonly double _threshold = DecisionThreshold.DefaultProbability;
    private readonly double _thresholdLogit = 0.0;
    private readonly double _temperature = 1.0;

    /// <summary>A result judged at probability threshold <paramref name="threshold"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is not strictly between 0 and 1.</exception>
    public DetectionResult(double logit, PatchMap? patchMap, double threshold)
        : this(logit, patchMap, DecisionThreshold.From(threshold, nameof(threshold))) { }

    internal DetectionResult(double logit, PatchMap? patchMap, in DecisionThreshold threshold) : this(logit, patchMap)
    {
        _threshold = threshold.Probability;
        _thresholdLogit = threshold.Logit;
        _temperature = threshold.Temperature;
    }

    /// <summary>
    /// P(fake) = sigmoid(logit / <see cref="Temperature"/>): the plain sigmoid of the logit unless the
    /// weights carry a temperature fitted on validation images.
    /// </summary>
    public double Probability => 1.0 / (1.0 + Math.Exp(-Logit / Temperature));

    /// <summary>
    /// The temperature T of <see cref="Probability"/> (the detector's <see cref="Detector.Temperature"/>;
    /// 1 unless the weights were calibrated). It rescales the probability, never the ranking.
    /// </summary>
    public double Temperature => _temperature == 0 ? 1.0 : _temperature;

    /// <summary>
    /// The probability threshold <see cref="Label"/> is judged at: the detector's
    /// (<see cref="Detector.Threshold"/>), 0.5 unless calibrated weights or the options set another.
    /// </summary>
    public double Threshold => _threshold == 0 ? DecisionThreshold.DefaultProbability : _threshold;

    /// <summary>
    /// Fake when P(fake) &gt; <see cref="Threshold"/>, decided in logit space: logit &gt; log(t / (1 − t)).
    /// At the default 0.5 that is exactly logit &gt; 0, as the official evaluation thresholds it.
    /// </summary>
    public DetectionLabel Label => DecisionThreshold.Decide(Logit, _thresholdLogit);
}
