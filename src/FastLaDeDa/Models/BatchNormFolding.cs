namespace FastLaDeDa.Models;

/// <summary>
/// Folds an inference-mode BatchNorm into the convolution before it:
/// <c>bn(conv(x)) = conv'(x) + b'</c> with <c>s = γ / sqrt(var + eps)</c>, <c>conv' = s · conv</c>,
/// <c>b' = β − mean · s</c>. Exact in real arithmetic; computed in double.
/// </summary>
public static class BatchNormFolding
{
    /// <summary>PyTorch's default BatchNorm epsilon.</summary>
    public const double Epsilon = 1e-5;

    /// <summary>
    /// Returns the scaled weights (same layout, output channel outermost) and the new bias.
    /// <paramref name="convWeights"/> holds <c>outChannels × perOutput</c> values.
    /// </summary>
    public static (double[] Weights, double[] Bias) Fold(
        ReadOnlySpan<float> convWeights, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, double epsilon = Epsilon)
    {
        int outChannels = gamma.Length;
        if (beta.Length != outChannels || runningMean.Length != outChannels || runningVar.Length != outChannels
            || convWeights.Length % outChannels != 0)
            throw new ArgumentException("BatchNorm parameters must have one value per output channel");
        int perOutput = convWeights.Length / outChannels;
        var weights = new double[convWeights.Length];
        var bias = new double[outChannels];
        for (int o = 0; o < outChannels; o++)
        {
            double scale = gamma[o] / Math.Sqrt(runningVar[o] + epsilon);
            for (int i = 0; i < perOutput; i++) weights[o * perOutput + i] = convWeights[o * perOutput + i] * scale;
            bias[o] = beta[o] - runningMean[o] * scale;
        }
        return (weights, bias);
    }
}
