namespace FastLaDeDa.Models;

/// <summary>
/// One convolution of LaDeDa with its BatchNorm: <c>y = scale · conv(x) + shift</c> per output
/// channel (then ReLU where the architecture has one). No padding, no bias (MODEL.md).
/// </summary>
internal sealed class LaDeDaConv
{
    private readonly float[] _weights;
    private readonly double[] _scale, _shift;

    internal LaDeDaConv(int outChannels, int inChannels, int kernel, int stride, float[] weights, double[] scale, double[] shift)
    {
        if (weights.Length != outChannels * inChannels * kernel * kernel) throw new ArgumentException("weights do not match the shape", nameof(weights));
        if (scale.Length != outChannels || shift.Length != outChannels) throw new ArgumentException("one scale and shift per output channel");
        (OutChannels, InChannels, Kernel, Stride) = (outChannels, inChannels, kernel, stride);
        (_weights, _scale, _shift) = (weights, scale, shift);
    }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Kernel size (1 or 3).</summary>
    public int Kernel { get; }

    /// <summary>Stride (1 or 2).</summary>
    public int Stride { get; }

    /// <summary>Weights [out][in][ky][kx], float32 as stored in the checkpoint (the fused stem: computed in double, rounded once).</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>BatchNorm scale per output channel (γ / sqrt(var + eps)).</summary>
    public ReadOnlySpan<double> Scale => _scale;

    /// <summary>BatchNorm shift per output channel (β − mean · scale).</summary>
    public ReadOnlySpan<double> Shift => _shift;

    /// <summary>Output size along one axis for an input of <paramref name="inputSize"/> (0 when too small).</summary>
    public int OutputSize(int inputSize) => inputSize < Kernel ? 0 : (inputSize - Kernel) / Stride + 1;

    /// <summary>Multiply-adds for an output of <paramref name="outHeight"/> × <paramref name="outWidth"/>.</summary>
    public long MultiplyAdds(int outHeight, int outWidth) => (long)outHeight * outWidth * OutChannels * InChannels * Kernel * Kernel;
}
