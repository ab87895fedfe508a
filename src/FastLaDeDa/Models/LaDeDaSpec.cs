using FastLaDeDa.Errors;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Models;

/// <summary>One ResNet-50 stage of LaDeDa: its bottleneck count, inner width and the stride of its block 0.</summary>
/// <param name="Blocks">Bottleneck blocks in the stage.</param>
/// <param name="Width">Channels inside a bottleneck (conv1 and conv2 outputs).</param>
/// <param name="Stride">Stride of block 0's conv2 and downsample (the other blocks use 1).</param>
internal readonly record struct LaDeDaStage(int Blocks, int Width, int Stride)
{
    /// <summary>Channels a block of this stage outputs (<see cref="Width"/> × <see cref="LaDeDaSpec.Expansion"/>).</summary>
    public int OutChannels => Width * LaDeDaSpec.Expansion;
}

/// <summary>
/// The LaDeDa architecture (MODEL.md) for one receptive field, independent of any engine: the
/// stages, which block-0 convolutions are 3×3, the state-dict tensors with their PyTorch names and
/// shapes, the parameter count and the patch-map size. Stem: conv1 1×1 3→64 · conv2 3×3 64→64 ·
/// bn1 · ReLU. Bottleneck: conv1 1×1 · bn1 · ReLU · conv2 k×k stride s (no padding) · bn2 · ReLU ·
/// conv3 1×1 (×4) · bn3 · (+ residual cropped bottom/right; block 0 has downsample 1×1 stride s
/// · BN) · ReLU. Head: fc 2048→1 per position.
/// </summary>
internal sealed class LaDeDaSpec
{
    /// <summary>The paper's default receptive field (LaDeDa9).</summary>
    public const int DefaultReceptiveField = 9;

    /// <summary>Input pixels between neighbouring patch logits (2 × 2 × 2, from layers 1–3).</summary>
    public const int Stride = 8;

    /// <summary>Channels of the stem.</summary>
    public const int StemChannels = 64;

    /// <summary>Ratio of a bottleneck's output channels to its inner width.</summary>
    public const int Expansion = 4;

    /// <summary>Channels the head reads (layer4's output).</summary>
    public const int FeatureChannels = 2048;

    /// <summary>Safetensors metadata key holding the receptive field (<c>5</c>, <c>9</c>, <c>17</c> or <c>33</c>).</summary>
    public const string ReceptiveFieldMetadataKey = "receptive_field";

    /// <summary>The receptive fields of the paper's ablation.</summary>
    public static IReadOnlyList<int> ReceptiveFields { get; } = [5, 9, 17, 33];

    /// <summary>The four stages: 3/4/6/3 bottlenecks of width 64/128/256/512, strides 2/2/2/1.</summary>
    public static IReadOnlyList<LaDeDaStage> Stages { get; } =
        [new(3, 64, 2), new(4, 128, 2), new(6, 256, 2), new(3, 512, 1)];

    private static readonly LaDeDaSpec[] All = [.. ReceptiveFields.Select(rf => new LaDeDaSpec(rf))];

    private LaDeDaSpec(int receptiveField)
    {
        ReceptiveField = receptiveField;
        // Block 0 of the first n stages has a 3×3 conv2: each one widens the field by 2 × the stride before it.
        Block0KernelThreeStages = Array.IndexOf([.. ReceptiveFields], receptiveField) + 1;
        Graph = LaDeDaGraph.Build(this, fusedStem: false);
        FusedGraph = LaDeDaGraph.Build(this, fusedStem: true);
        Tensors = BuildTensors();
        ParameterCount = Tensors.Where(t => IsLearnable(t.Name)).Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b));
    }

    /// <summary>The specification for <paramref name="receptiveField"/> (5, 9, 17 or 33).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Another receptive field.</exception>
    public static LaDeDaSpec ForReceptiveField(int receptiveField = DefaultReceptiveField) =>
        All.FirstOrDefault(s => s.ReceptiveField == receptiveField)
        ?? throw new ArgumentOutOfRangeException(nameof(receptiveField), receptiveField, $"LaDeDa has receptive fields {string.Join(", ", ReceptiveFields)}");

    /// <summary>Input pixels one patch logit sees per axis.</summary>
    public int ReceptiveField { get; }

    /// <summary>How many stages (from layer1 on) have a 3×3 conv2 in block 0: 1 for LaDeDa5 … 4 for LaDeDa33.</summary>
    public int Block0KernelThreeStages { get; }

    /// <summary>The network as written (stem conv1 then conv2): what the reference engine, the ONNX exporter and the trainer lower.</summary>
    public LaDeDaGraph Graph { get; }

    /// <summary>The network with the stem's conv1 fused into conv2: what the CPU and GPU engines run.</summary>
    public LaDeDaGraph FusedGraph { get; }

    /// <summary>Every tensor of the PyTorch state dict, in PyTorch's order (<c>num_batches_tracked</c> optional).</summary>
    public IReadOnlyList<TensorSpec> Tensors { get; }

    /// <summary>Learnable parameters (convolutions, fc, BatchNorm weight and bias): 13,641,793 for LaDeDa9.</summary>
    public long ParameterCount { get; }

    /// <summary>Kernel size of conv2 in block <paramref name="block"/> of stage <paramref name="layer"/> (1-based, as in <c>layer1</c>).</summary>
    public int Conv2Kernel(int layer, int block) => block == 0 && layer <= Block0KernelThreeStages ? 3 : 1;

    /// <summary>Patch-map size along one axis for an input of <paramref name="inputSize"/> pixels (0 when too small): 31 for 256, 27 for 224 (LaDeDa9).</summary>
    public int MapSize(int inputSize) => Graph.MapSize(inputSize);

    /// <summary>True for names of learnable tensors (not BatchNorm running statistics or counters).</summary>
    public static bool IsLearnable(string name) =>
        !name.EndsWith(".running_mean", StringComparison.Ordinal) && !name.EndsWith(".running_var", StringComparison.Ordinal)
        && !name.EndsWith(".num_batches_tracked", StringComparison.Ordinal);

    /// <summary>
    /// The receptive field of a state dict: its <see cref="ReceptiveFieldMetadataKey"/> metadata when
    /// present, otherwise read from which block-0 conv2 kernels are 3×3 (an official <c>.pth</c> has no
    /// metadata), otherwise <see cref="DefaultReceptiveField"/>.
    /// </summary>
    /// <exception cref="WeightsFormatException">The metadata names an unknown receptive field.</exception>
    public static int ReceptiveFieldOf(StateDict dict)
    {
        ArgumentNullException.ThrowIfNull(dict);
        if (dict.Metadata.TryGetValue(ReceptiveFieldMetadataKey, out var text))
            return int.TryParse(text, out int rf) && ReceptiveFields.Contains(rf) ? rf
                : throw new WeightsFormatException(dict.SourcePath, $"metadata '{ReceptiveFieldMetadataKey}' is '{text}', expected one of {string.Join(", ", ReceptiveFields)}");
        int threes = 0;
        for (int layer = 1; layer <= Stages.Count; layer++)
        {
            if (!dict.Tensors.TryGetValue($"layer{layer}.0.conv2.weight", out var w) || w.Shape.Length != 4 || w.Shape[2] != 3) break;
            threes++;
        }
        return threes is >= 1 and <= 4 ? ReceptiveFields[threes - 1] : DefaultReceptiveField;
    }

    /// <summary>
    /// The state dict of <see cref="Graph"/>: each node's weight and BatchNorm, in PyTorch's order —
    /// modules as declared (stem conv1, conv2, bn1; a bottleneck's conv1, bn1, conv2, bn2, conv3, bn3,
    /// downsample), which within a block is the ordinal order of the nodes' local names — then fc.
    /// </summary>
    private List<TensorSpec> BuildTensors()
    {
        var specs = new List<TensorSpec>();
        foreach (var node in Graph.Nodes.GroupBy(n => n.Block).SelectMany(g => g.OrderBy(n => n.LocalName, StringComparer.Ordinal)))
        {
            specs.Add(new(node.Weight, [node.OutChannels, node.InChannels, node.Kernel, node.Kernel]));
            if (node.BatchNorm is { } bn) AddBatchNorm(specs, bn, node.OutChannels);
        }
        specs.Add(new(LaDeDaGraph.FcWeight, [1, Graph.FeatureChannels]));
        specs.Add(new(LaDeDaGraph.FcBias, [1]));
        return specs;
    }

    private static void AddBatchNorm(List<TensorSpec> specs, string bn, int channels)
    {
        foreach (string p in new[] { "weight", "bias", "running_mean", "running_var" })
            specs.Add(new($"{bn}.{p}", [channels]));
        specs.Add(new($"{bn}.num_batches_tracked", [], Required: false));
    }
}
