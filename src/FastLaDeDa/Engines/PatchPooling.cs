namespace FastLaDeDa.Engines;

/// <summary>Both pooled values of a patch-logit map, computed in the same sweep as the map.</summary>
/// <param name="Mean">Mean patch logit.</param>
/// <param name="Max">Largest patch logit.</param>
internal readonly record struct PatchPooling(double Mean, double Max)
{
    /// <summary>The value for <paramref name="pooling"/>.</summary>
    public double Get(Models.PoolingKind pooling) => pooling == Models.PoolingKind.Max ? Max : Mean;
}
