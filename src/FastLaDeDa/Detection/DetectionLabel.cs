namespace FastLaDeDa.Detection;

/// <summary>The decision for one image.</summary>
public enum DetectionLabel
{
    /// <summary>P(fake) ≤ the threshold (0.5 by default: logit ≤ 0).</summary>
    Real,
    /// <summary>P(fake) &gt; the threshold (0.5 by default: logit &gt; 0).</summary>
    Fake,
}
