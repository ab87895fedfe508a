namespace FastLaDeDa.Models;

/// <summary>
/// One node of a <see cref="LaDeDaGraph"/>: a convolution (no padding, no bias) and everything up to
/// the next one, <c>y = relu?(scale · conv(x) + shift [+ residual cropped])</c>. Values are numbered:
/// 0 is the graph input (the preprocessed 3-channel image), <c>i + 1</c> the output of node <c>i</c>.
/// </summary>
/// <param name="Index">Position in <see cref="LaDeDaGraph.Nodes"/> (execution order).</param>
/// <param name="Name">The layer's state-dict prefix, e.g. <c>layer2.0.conv2</c> (<c>stem</c> for the fused stem).</param>
/// <param name="Block">The bottleneck it belongs to, e.g. <c>layer2.0</c>; null for the stem.</param>
/// <param name="Weight">State-dict name of the weight tensor [out][in][k][k].</param>
/// <param name="BatchNorm">State-dict prefix of the BatchNorm after it (its <c>.weight</c>, <c>.bias</c>, running statistics); null for none.</param>
/// <param name="InChannels">Input channels.</param>
/// <param name="OutChannels">Output channels.</param>
/// <param name="Kernel">Kernel size (square).</param>
/// <param name="Stride">Stride.</param>
/// <param name="Input">The value it convolves.</param>
/// <param name="Residual">The value added after the BatchNorm, cropped to this node's output at the bottom and right (the unpadded convolutions shrink the main path); −1 for none.</param>
/// <param name="Relu">Whether a ReLU follows (after the residual add).</param>
internal sealed record LaDeDaNode(
    int Index, string Name, string? Block, string Weight, string? BatchNorm,
    int InChannels, int OutChannels, int Kernel, int Stride, int Input, int Residual, bool Relu)
{
    /// <summary>The value this node produces.</summary>
    public int Output => Index + 1;

    /// <summary>The name inside its block (<c>conv1</c>, <c>downsample</c>, …); the whole name for the stem.</summary>
    public string LocalName => Block is null ? Name : Name[(Block.Length + 1)..];

    /// <summary>Output size along one axis for an input of <paramref name="inputSize"/> (0 when too small).</summary>
    public int OutputSize(int inputSize) => inputSize < Kernel ? 0 : (inputSize - Kernel) / Stride + 1;

    /// <summary>Multiply-adds for an output of <paramref name="outHeight"/> × <paramref name="outWidth"/>.</summary>
    public long MultiplyAdds(int outHeight, int outWidth) => (long)outHeight * outWidth * OutChannels * InChannels * Kernel * Kernel;
}
