using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Models;

/// <summary>
/// Tiny-LaDeDa in TorchSharp (MODEL.md): preprocessing filter → conv1 1×1 3→8 → conv2 3×3 8→8 ·
/// bn1 · ReLU → layer1.0: conv1 1×1 · bn1 · ReLU · conv2 3×3 stride 2 · bn2 · ReLU → fc 8→1 per
/// position. No padding, no residual. 1,297 learnable parameters; a 256×256 input gives 126×126
/// patch logits.
/// </summary>
internal sealed class TinyLaDeDaNet : PatchLogitNet
{
    // Field names are the state-dict names.
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn1;
    private readonly Sequential layer1;
    private readonly Linear fc;

    /// <summary>A freshly initialized network (TorchSharp's default initialization).</summary>
    public TinyLaDeDaNet(PreprocessKind preprocess = PreprocessKind.RightDiag) : base(nameof(TinyLaDeDaNet), preprocess)
    {
        var graph = TinyLaDeDaModel.Graph;
        var stem = graph.Nodes.Where(n => n.Block is null).ToList();
        (conv1, conv2, bn1) = (GraphModules.Conv(stem[0]), GraphModules.Conv(stem[1]), GraphModules.BatchNorm(stem[1]));
        layer1 = nn.Sequential(new Block([.. graph.Nodes.Where(n => n.Block == "layer1.0")]));
        fc = nn.Linear(graph.FeatureChannels, 1);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override ModelKind Kind => ModelKind.TinyLaDeDa;

    /// <inheritdoc/>
    public override int ReceptiveField => TinyLaDeDaModel.ReceptiveField;

    /// <inheritdoc/>
    public override int Stride => TinyLaDeDaModel.Stride;

    /// <inheritdoc/>
    public override int MapSize(int inputSize) => TinyLaDeDaModel.MapSize(inputSize);

    /// <inheritdoc/>
    public override IReadOnlyList<TensorSpec> TensorSpecs => TinyLaDeDaModel.Spec;

    /// <inheritdoc/>
    public override string DisplayName => "Tiny-LaDeDa";

    /// <inheritdoc/>
    public override Tensor Features(Tensor preprocessed)
    {
        using var scope = NewDisposeScope();
        Tensor x = nn.functional.relu(bn1.forward(conv2.forward(conv1.forward(preprocessed))));
        return layer1.forward(x).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override Tensor Head(Tensor features) => PerPosition(fc, features);

    /// <summary>layer1.0: pointwise conv · BN · ReLU, then 3×3 stride-2 conv · BN · ReLU.</summary>
    private sealed class Block : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1;
        private readonly BatchNorm2d bn1;
        private readonly Conv2d conv2;
        private readonly BatchNorm2d bn2;

        /// <summary>layer1.0's nodes of <see cref="TinyLaDeDaModel.Graph"/> as modules.</summary>
        public Block(IReadOnlyList<LaDeDaNode> nodes) : base("TinyLaDeDaBlock")
        {
            var (n1, n2) = (GraphModules.Node(nodes, "conv1"), GraphModules.Node(nodes, "conv2"));
            (conv1, bn1) = (GraphModules.Conv(n1), GraphModules.BatchNorm(n1));
            (conv2, bn2) = (GraphModules.Conv(n2), GraphModules.BatchNorm(n2));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            Tensor y = nn.functional.relu(bn1.forward(conv1.forward(x)));
            return nn.functional.relu(bn2.forward(conv2.forward(y))).MoveToOuterDisposeScope();
        }
    }
}
