using FastLaDeDa.Models;
using TorchSharp;
using TorchSharp.Modules;

namespace FastLaDeDa.Training.Models;

/// <summary>TorchSharp modules for the nodes of a <see cref="LaDeDaGraph"/> (the networks keep their state-dict field names; the shapes come from the graph).</summary>
internal static class GraphModules
{
    /// <summary>A node's convolution: its geometry, no padding, no bias.</summary>
    public static Conv2d Conv(LaDeDaNode node) => torch.nn.Conv2d(node.InChannels, node.OutChannels, node.Kernel, stride: node.Stride, bias: false);

    /// <summary>The BatchNorm after a node (over its output channels).</summary>
    public static BatchNorm2d BatchNorm(LaDeDaNode node) => torch.nn.BatchNorm2d(node.OutChannels);

    /// <summary>The node named <paramref name="localName"/> (<c>conv1</c>, <c>downsample</c>, …) among one block's nodes.</summary>
    public static LaDeDaNode Node(IReadOnlyList<LaDeDaNode> block, string localName) => block.Single(n => n.LocalName == localName);
}
