using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Models;

/// <summary>
/// LaDeDa in TorchSharp for receptive field 5, 9 (default), 17 or 33, built from
/// <see cref="LaDeDaSpec"/>: stem conv1 1×1 3→64 · conv2 3×3 64→64 · bn1 · ReLU, then ResNet-50
/// bottleneck stages 3/4/6/3 (width 64/128/256/512, out ×4) with no padding anywhere, then fc
/// 2048→1 per position. LaDeDa9 has 13,641,793 learnable parameters and maps 256×256 to 31×31.
/// </summary>
internal sealed class LaDeDaNet : PatchLogitNet
{
    // Field names are the state-dict names.
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn1;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly Linear fc;

    /// <summary>A freshly initialized network (TorchSharp's default initialization).</summary>
    public LaDeDaNet(int receptiveField = LaDeDaSpec.DefaultReceptiveField, PreprocessKind preprocess = PreprocessKind.Npr)
        : base(nameof(LaDeDaNet), preprocess)
    {
        Spec = LaDeDaSpec.ForReceptiveField(receptiveField);
        var graph = Spec.Graph;
        var stem = graph.Nodes.Where(n => n.Block is null).ToList();
        (conv1, conv2, bn1) = (GraphModules.Conv(stem[0]), GraphModules.Conv(stem[1]), GraphModules.BatchNorm(stem[1]));
        // Blocks "layer{l}.{b}" grouped into the Sequential "layer{l}" (state-dict names layer1.0.conv1.weight, …).
        var layers = graph.Nodes.Where(n => n.Block is not null).GroupBy(n => n.Block!)
            .GroupBy(block => block.Key[..block.Key.IndexOf('.')])
            .Select(layer => nn.Sequential(layer.Select(block => (nn.Module<Tensor, Tensor>)new Bottleneck([.. block])).ToArray()))
            .ToArray();
        (layer1, layer2, layer3, layer4) = (layers[0], layers[1], layers[2], layers[3]);
        fc = nn.Linear(graph.FeatureChannels, 1);
        RegisterComponents();
    }

    /// <summary>The architecture description this network was built from.</summary>
    public LaDeDaSpec Spec { get; }

    /// <inheritdoc/>
    public override ModelKind Kind => ModelKind.LaDeDa;

    /// <inheritdoc/>
    public override int ReceptiveField => Spec.ReceptiveField;

    /// <inheritdoc/>
    public override int Stride => LaDeDaSpec.Stride;

    /// <inheritdoc/>
    public override int MapSize(int inputSize) => Spec.MapSize(inputSize);

    /// <inheritdoc/>
    public override IReadOnlyList<TensorSpec> TensorSpecs => Spec.Tensors;

    /// <inheritdoc/>
    public override string DisplayName => $"LaDeDa{Spec.ReceptiveField}";

    /// <inheritdoc/>
    public override Tensor Features(Tensor preprocessed)
    {
        using var scope = NewDisposeScope();
        Tensor x = nn.functional.relu(bn1.forward(conv2.forward(conv1.forward(preprocessed))));
        x = layer4.forward(layer3.forward(layer2.forward(layer1.forward(x))));
        return x.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override Tensor Head(Tensor features) => PerPosition(fc, features);
}

/// <summary>
/// A ResNet-50 bottleneck without padding: conv1 1×1 · bn1 · ReLU · conv2 k×k stride s · bn2 ·
/// ReLU · conv3 1×1 (×4) · bn3, plus the residual (block 0: <c>downsample</c> = 1×1 conv stride s ·
/// BN) cropped at the bottom and right to the main path's size, then ReLU.
/// </summary>
internal sealed class Bottleneck : nn.Module<Tensor, Tensor>
{
    // Field names are the state-dict names.
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly Sequential? downsample;

    /// <summary>The block's nodes of <see cref="LaDeDaSpec.Graph"/> (conv1, conv2, downsample in block 0, conv3) as modules.</summary>
    public Bottleneck(IReadOnlyList<LaDeDaNode> nodes) : base(nameof(Bottleneck))
    {
        var (n1, n2, n3) = (GraphModules.Node(nodes, "conv1"), GraphModules.Node(nodes, "conv2"), GraphModules.Node(nodes, "conv3"));
        (conv1, bn1) = (GraphModules.Conv(n1), GraphModules.BatchNorm(n1));
        (conv2, bn2) = (GraphModules.Conv(n2), GraphModules.BatchNorm(n2));
        (conv3, bn3) = (GraphModules.Conv(n3), GraphModules.BatchNorm(n3));
        downsample = nodes.SingleOrDefault(n => n.LocalName == "downsample") is { } d ? nn.Sequential(GraphModules.Conv(d), GraphModules.BatchNorm(d)) : null;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor y = nn.functional.relu(bn1.forward(conv1.forward(x)));
        y = nn.functional.relu(bn2.forward(conv2.forward(y)));
        y = bn3.forward(conv3.forward(y));
        Tensor residual = downsample is null ? x : downsample.forward(x);
        // The unpadded k×k conv shrinks the main path; keep the residual's top-left part.
        residual = residual.narrow(2, 0, y.shape[2]).narrow(3, 0, y.shape[3]);
        return nn.functional.relu(y.add(residual)).MoveToOuterDisposeScope();
    }
}
