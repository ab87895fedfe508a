namespace FastLaDeDa.Models;

/// <summary>
/// A ResNet-50 bottleneck of LaDeDa: conv1 1×1 · ReLU · conv2 k×k stride s · ReLU · conv3 1×1,
/// plus the residual (the block input, or <see cref="Downsample"/> of it in block 0), then ReLU.
/// Because conv2 has no padding, the residual is larger than the main path: it is cropped at the
/// bottom and right to the main path's size before the add.
/// </summary>
internal sealed class LaDeDaBottleneck
{
    internal LaDeDaBottleneck(string name, LaDeDaConv conv1, LaDeDaConv conv2, LaDeDaConv conv3, LaDeDaConv? downsample)
    {
        (Name, Conv1, Conv2, Conv3, Downsample) = (name, conv1, conv2, conv3, downsample);
    }

    /// <summary>State-dict prefix, e.g. <c>layer2.0</c>.</summary>
    public string Name { get; }

    /// <summary>1×1, in → width, + bn1, ReLU.</summary>
    public LaDeDaConv Conv1 { get; }

    /// <summary>k×k stride s, width → width, + bn2, ReLU.</summary>
    public LaDeDaConv Conv2 { get; }

    /// <summary>1×1, width → 4·width, + bn3 (ReLU after the residual add).</summary>
    public LaDeDaConv Conv3 { get; }

    /// <summary>Block 0 only: 1×1 stride s, in → 4·width, + BN, on the residual path.</summary>
    public LaDeDaConv? Downsample { get; }

    /// <summary>Output size along one axis for an input of <paramref name="inputSize"/>: the main path's (conv2 decides).</summary>
    public int OutputSize(int inputSize) => Conv2.OutputSize(inputSize);

    /// <summary>The residual's size before cropping: the input, or the downsample's output.</summary>
    public int ResidualSize(int inputSize) => Downsample?.OutputSize(inputSize) ?? inputSize;
}
