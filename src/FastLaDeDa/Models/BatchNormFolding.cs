namespace FastLaDeDa.Models;

/// <summary>
/// Reduces an inference-mode BatchNorm after a convolution to one multiply-add per output:
/// <c>bn(z) = s · z + t</c> with <c>s = γ / sqrt(var + eps)</c> and <c>t = β − mean · s</c>,
/// computed in double.
/// </summary>
/// <remarks>
/// The scale is deliberately not multiplied into float32 conv weights: where BatchNorm scales are
/// large (the official ForenSynth checkpoint's strided conv reaches |w · s| ≈ 437) the rounded
/// products alone move logits by ~1e-5 of their range. Engines accumulate with the checkpoint's
/// own float32 weights and apply <c>s</c> and <c>t</c> afterwards, as PyTorch does.
/// </remarks>
internal static class BatchNormFolding
{
    /// <summary>PyTorch's default BatchNorm epsilon.</summary>
    public const double Epsilon = 1e-5;

    /// <summary>The per-channel scale s and shift t of <c>bn(z) = s · z + t</c>.</summary>
    public static (double[] Scale, double[] Shift) ScaleAndShift(
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar,
        double epsilon = Epsilon)
    {
        int channels = gamma.Length;
        if (beta.Length != channels || runningMean.Length != channels || runningVar.Length != channels)
            throw new ArgumentException("BatchNorm parameters must have one value per channel");
        var scale = new double[channels];
        var shift = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            scale[c] = gamma[c] / Math.Sqrt(runningVar[c] + epsilon);
            shift[c] = beta[c] - runningMean[c] * scale[c];
        }
        return (scale, shift);
    }
}
