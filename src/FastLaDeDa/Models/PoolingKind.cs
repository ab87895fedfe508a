namespace FastLaDeDa.Models;

/// <summary>How the patch-logit map is reduced to one image logit.</summary>
public enum PoolingKind
{
    /// <summary>Mean of the patch logits (the paper's default).</summary>
    Mean,
    /// <summary>Maximum patch logit (the most fake-looking patch decides).</summary>
    Max,
}
