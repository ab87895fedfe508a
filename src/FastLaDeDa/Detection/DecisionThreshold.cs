namespace FastLaDeDa.Detection;

/// <summary>
/// The one rule that turns a logit into a label: fake when the logit is strictly above the
/// threshold's logit, T·log(t / (1 − t)) — computed once per threshold, T the weights' temperature
/// (P(fake) = sigmoid(logit / T), 1 unless calibrated). At t = 0.5 that logit is exactly 0, so the
/// rule is exactly <c>logit &gt; 0</c> (P(fake) &gt; 0.5) for every logit and every temperature.
/// </summary>
internal readonly struct DecisionThreshold
{
    /// <summary>The default probability threshold.</summary>
    public const double DefaultProbability = 0.5;

    private DecisionThreshold(double probability, double logit, double temperature) => (Probability, Logit, Temperature) = (probability, logit, temperature);

    /// <summary>The probability threshold, in (0, 1).</summary>
    public double Probability { get; }

    /// <summary>T·log(t / (1 − t)): a logit strictly above it is fake.</summary>
    public double Logit { get; }

    /// <summary>The temperature T the probabilities are read at: P(fake) = sigmoid(logit / T).</summary>
    public double Temperature { get; }

    /// <summary>The threshold at probability <paramref name="probability"/> of P(fake) = sigmoid(logit / <paramref name="temperature"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not strictly between 0 and 1 (NaN included).</exception>
    public static DecisionThreshold From(double probability, string paramName, double temperature = 1)
    {
        Validate(probability, paramName);
        return new DecisionThreshold(probability, temperature * ToLogit(probability), temperature);
    }

    /// <summary>Throws unless 0 &lt; <paramref name="probability"/> &lt; 1.</summary>
    public static void Validate(double probability, string paramName)
    {
        if (!(probability > 0 && probability < 1))
            throw new ArgumentOutOfRangeException(paramName, probability, "a probability threshold must lie strictly between 0 and 1");
    }

    /// <summary>log(p / (1 − p)); exactly 0 at 0.5.</summary>
    public static double ToLogit(double probability) => Math.Log(probability / (1 - probability));

    /// <summary>The label of <paramref name="logit"/> against a threshold logit.</summary>
    public static DetectionLabel Decide(double logit, double thresholdLogit) =>
        logit > thresholdLogit ? DetectionLabel.Fake : DetectionLabel.Real;
}
