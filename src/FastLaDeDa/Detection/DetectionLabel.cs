namespace FastLaDeDa.Detection;

/// <summary>The decision for one image.</summary>
public enum DetectionLabel
{
    /// <summary>P(fake) ≤ 0.5 (logit ≤ 0).</summary>
    Real,
    /// <summary>P(fake) &gt; 0.5 (logit &gt; 0).</summary>
    Fake,
}
