namespace FastLaDeDa.Models;

/// <summary>
/// The LaDeDa network for one receptive field (or Tiny-LaDeDa, <see cref="BuildTiny"/>) as a list of <see cref="LaDeDaNode"/>s in execution
/// order, built here and nowhere else from <see cref="LaDeDaSpec"/>'s stages: every engine, the ONNX
/// exporter, the cost model and the trainer lower these nodes instead of walking the stages
/// themselves, so a new variant is a new spec, not an edit in each of them. Two forms: as written
/// (stem conv1 1×1 3→64 then conv2 3×3 64→64 + bn1 + ReLU) and with the stem fused (one 3×3
/// 3→64 conv, what the fast engines run; see <see cref="LaDeDaModel.FusedStem"/>). Each bottleneck
/// is conv1 → conv2 → downsample (block 0) → conv3 with the residual added; the fc head
/// (<see cref="FcWeight"/>, <see cref="FcBias"/>) reads the last node's output per position.
/// </summary>
internal sealed class LaDeDaGraph
{
    /// <summary>State-dict name of the head's weights [1][2048].</summary>
    public const string FcWeight = "fc.weight";

    /// <summary>State-dict name of the head's bias [1].</summary>
    public const string FcBias = "fc.bias";

    /// <summary>Name of the fused stem node.</summary>
    public const string FusedStemName = "stem";

    /// <summary>What the fused stem's <see cref="LaDeDaNode.Weight"/> says: it has no tensor of its own (conv2 · conv1, computed in double).</summary>
    public const string FusedStemWeight = "conv2.weight·conv1.weight";

    private readonly LaDeDaNode[][] _consumers;

    private LaDeDaGraph(int receptiveField, bool fusedStem, List<LaDeDaNode> nodes)
    {
        (ReceptiveField, FusedStem, Nodes) = (receptiveField, fusedStem, nodes);
        _consumers = new LaDeDaNode[nodes.Count + 1][];
        for (int v = 0; v <= nodes.Count; v++)
            _consumers[v] = [.. nodes.Where(n => n.Input == v || n.Residual == v)];
    }

    /// <summary>Input pixels one patch logit sees per axis (the spec's; Tiny's includes its gradient filter).</summary>
    public int ReceptiveField { get; }

    /// <summary>Whether the stem's two convolutions are one node (<see cref="FusedStemName"/>).</summary>
    public bool FusedStem { get; }

    /// <summary>The nodes in execution order (a node's inputs are produced before it).</summary>
    public IReadOnlyList<LaDeDaNode> Nodes { get; }

    /// <summary>The value the head reads (the last node's output).</summary>
    public int Output => Nodes.Count;

    /// <summary>Channels the head reads.</summary>
    public int FeatureChannels => Nodes[^1].OutChannels;

    /// <summary>Channels of <paramref name="value"/> (3 for the input).</summary>
    public int Channels(int value) => value == 0 ? 3 : Nodes[value - 1].OutChannels;

    /// <summary>The nodes that read <paramref name="value"/> (as input or residual), in execution order.</summary>
    public IReadOnlyList<LaDeDaNode> Consumers(int value) => _consumers[value];

    /// <summary>The size along one axis of every value for an input of <paramref name="inputSize"/> (0 when too small).</summary>
    public int[] Sizes(int inputSize)
    {
        var sizes = new int[Nodes.Count + 1];
        Sizes(inputSize, sizes);
        return sizes;
    }

    /// <summary>Patch-map size along one axis for an input of <paramref name="inputSize"/> pixels (0 when too small). Allocates nothing (engines ask per run).</summary>
    public int MapSize(int inputSize)
    {
        Span<int> sizes = stackalloc int[Nodes.Count + 1];
        Sizes(inputSize, sizes);
        return sizes[Output];
    }

    private void Sizes(int inputSize, Span<int> sizes)
    {
        sizes[0] = Math.Max(inputSize, 0);
        // A for loop over the list: foreach over the interface would allocate an enumerator.
        for (int i = 0; i < Nodes.Count; i++)
        {
            var node = Nodes[i];
            sizes[node.Output] = node.OutputSize(sizes[node.Input]);
        }
    }

    /// <summary>Builds the graph of <paramref name="spec"/>, as written or with the stem fused.</summary>
    internal static LaDeDaGraph Build(LaDeDaSpec spec, bool fusedStem)
    {
        var nodes = new List<LaDeDaNode>();
        int c = LaDeDaSpec.StemChannels;
        int x = fusedStem
            ? Add(nodes, FusedStemName, null, FusedStemWeight, "bn1", 3, c, 3, 1, 0, -1, relu: true)
            : AddStem(nodes, c);
        int inChannels = c;
        for (int layer = 1; layer <= LaDeDaSpec.Stages.Count; layer++)
        {
            LaDeDaStage stage = LaDeDaSpec.Stages[layer - 1];
            for (int b = 0; b < stage.Blocks; b++)
            {
                string p = $"layer{layer}.{b}";
                int stride = b == 0 ? stage.Stride : 1;
                int conv1 = Add(nodes, p + ".conv1", p, p + ".conv1.weight", p + ".bn1", inChannels, stage.Width, 1, 1, x, -1, relu: true);
                int conv2 = Add(nodes, p + ".conv2", p, p + ".conv2.weight", p + ".bn2", stage.Width, stage.Width, spec.Conv2Kernel(layer, b), stride, conv1, -1, relu: true);
                // Block 0 changes the width (and the stride): its residual is a 1×1 conv + BN of the input.
                int residual = b == 0
                    ? Add(nodes, p + ".downsample", p, p + ".downsample.0.weight", p + ".downsample.1", inChannels, stage.OutChannels, 1, stride, x, -1, relu: false)
                    : x;
                x = Add(nodes, p + ".conv3", p, p + ".conv3.weight", p + ".bn3", stage.Width, stage.OutChannels, 1, 1, conv2, residual, relu: true);
                inChannels = stage.OutChannels;
            }
        }
        return new LaDeDaGraph(spec.ReceptiveField, fusedStem, nodes);
    }

    /// <summary>
    /// Tiny-LaDeDa's graph as written (MODEL.md): the stem conv1 1×1 3→8 then conv2 3×3 8→8 + bn1 +
    /// ReLU, then layer1.0's conv1 1×1 8→8 + bn1 + ReLU and conv2 3×3 stride 2 8→8 + bn2 + ReLU (no
    /// conv3, no residual); fc 8→1. Its <see cref="ReceptiveField"/> counts the 3×3 gradient filter
    /// before it (7; the nodes alone see 5).
    /// </summary>
    internal static LaDeDaGraph BuildTiny(int channels, int receptiveField)
    {
        var nodes = new List<LaDeDaNode>();
        int x = AddStem(nodes, channels);
        const string p = "layer1.0";
        x = Add(nodes, p + ".conv1", p, p + ".conv1.weight", p + ".bn1", channels, channels, 1, 1, x, -1, relu: true);
        Add(nodes, p + ".conv2", p, p + ".conv2.weight", p + ".bn2", channels, channels, 3, 2, x, -1, relu: true);
        return new LaDeDaGraph(receptiveField, fusedStem: false, nodes);
    }

    /// <summary>The stem as written, both models: conv1 1×1 3→c (no BatchNorm, no ReLU) then conv2 3×3 c→c + bn1 + ReLU.</summary>
    private static int AddStem(List<LaDeDaNode> nodes, int channels) =>
        Add(nodes, "conv2", null, "conv2.weight", "bn1", channels, channels, 3, 1,
            Add(nodes, "conv1", null, "conv1.weight", null, 3, channels, 1, 1, 0, -1, relu: false), -1, relu: true);

    /// <summary>Appends a node and returns the value it produces.</summary>
    private static int Add(List<LaDeDaNode> nodes, string name, string? block, string weight, string? batchNorm,
                           int inChannels, int outChannels, int kernel, int stride, int input, int residual, bool relu)
    {
        nodes.Add(new LaDeDaNode(nodes.Count, name, block, weight, batchNorm, inChannels, outChannels, kernel, stride, input, residual, relu));
        return nodes.Count;
    }
}
