using FastLaDeDa.Models;

namespace FastLaDeDa.Detection;

/// <summary>The score of one image (a value type: scoring allocates nothing unless the patch map is requested).</summary>
/// <param name="Logit">The pooled patch logit (positive means fake).</param>
/// <param name="PatchMap">The per-patch logits, when requested.</param>
public readonly record struct DetectionResult(double Logit, PatchMap? PatchMap = null)
{
    /// <summary>P(fake) = sigmoid(logit).</summary>
    public double Probability => 1.0 / (1.0 + Math.Exp(-Logit));

    /// <summary>Fake when P(fake) &gt; 0.5, as the official evaluation thresholds it.</summary>
    public DetectionLabel Label => Logit > 0 ? DetectionLabel.Fake : DetectionLabel.Real;
}
