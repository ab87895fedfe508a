namespace FastLaDeDa.Bench.Cost;

/// <summary>One layer's work: multiply-adds as the model is written and as our engine executes it, parameters, and thop's count.</summary>
/// <param name="Layer">State-dict name (or a description).</param>
/// <param name="Output">Output shape, C×H×W.</param>
/// <param name="WrittenMacs">Multiply-adds of the layer as written.</param>
/// <param name="ExecutedMacs">Multiply-adds our engine executes (0 when fused into another layer).</param>
/// <param name="Parameters">Learnable parameters (weights, biases, BatchNorm affine).</param>
/// <param name="ThopOps">What thop counts for it: conv/fc multiply-adds, BatchNorm 4 per element (the paper's convention).</param>
public sealed record LayerCost(string Layer, string Output, long WrittenMacs, long ExecutedMacs, long Parameters, long ThopOps);
