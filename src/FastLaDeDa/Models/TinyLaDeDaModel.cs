using FastLaDeDa.Weights;

namespace FastLaDeDa.Models;

/// <summary>
/// Tiny-LaDeDa with its BatchNorms reduced to per-channel scale and shift, ready for any engine.
/// Immutable and thread-safe. Layers (MODEL.md): preprocessing filter → conv1 1×1 3→8 →
/// stem 3×3 8→8 (+bn1, ReLU) → pointwise 1×1 8→8 (+layer1.0.bn1, ReLU) →
/// strided 3×3 stride 2 8→8 (+layer1.0.bn2, ReLU) → fc 8→1 per position.
/// All values are double so the reference engine adds no rounding of its own; fast engines
/// convert them to float32 once.
/// </summary>
internal sealed class TinyLaDeDaModel
{
    /// <summary>Channels of every hidden layer.</summary>
    public const int Channels = 8;

    /// <summary>Input pixels one patch logit sees per axis: gradient 3×3, stem 3×3 and strided 3×3 each widen it by 2 (1 + 2 + 2 + 2).</summary>
    public const int ReceptiveField = 7;

    /// <summary>Distance in input pixels between neighbouring patch logits.</summary>
    public const int Stride = 2;

    /// <summary>The tensors of an official / exported state dict.</summary>
    public static IReadOnlyList<TensorSpec> Spec { get; } = BuildSpec();

    /// <summary>The network as nodes (as written: conv1, conv2, layer1.0.conv1, layer1.0.conv2), what the ONNX exporter lowers.</summary>
    public static LaDeDaGraph Graph { get; } = LaDeDaGraph.BuildTiny(Channels, ReceptiveField);

    private readonly double[] _conv1, _stem, _pointwise, _strided, _fc;
    private readonly double[] _stemScale, _stemShift, _pointwiseScale, _pointwiseShift, _stridedScale, _stridedShift;
    private readonly Dictionary<string, LaDeDaConv> _convs;

    private TinyLaDeDaModel(double[] conv1, double[] stem, (double[] Scale, double[] Shift) stemBn,
                            double[] pointwise, (double[] Scale, double[] Shift) pointwiseBn,
                            double[] strided, (double[] Scale, double[] Shift) stridedBn, double[] fc, double fcBias,
                            Dictionary<string, LaDeDaConv> convs)
    {
        _convs = convs;
        (_conv1, _stem, _pointwise, _strided, _fc) = (conv1, stem, pointwise, strided, fc);
        (_stemScale, _stemShift) = stemBn;
        (_pointwiseScale, _pointwiseShift) = pointwiseBn;
        (_stridedScale, _stridedShift) = stridedBn;
        FcBias = fcBias;
    }

    /// <summary>conv1, 1×1 3→8, no bias: [out 8][in 3].</summary>
    public ReadOnlySpan<double> Conv1 => _conv1;

    /// <summary>conv2 (the stem), 3×3 8→8: [out 8][in 8][ky 3][kx 3]; followed by bn1 (<see cref="StemScale"/>, <see cref="StemShift"/>) and ReLU.</summary>
    public ReadOnlySpan<double> Stem => _stem;

    /// <summary>bn1 as a per-channel scale.</summary>
    public ReadOnlySpan<double> StemScale => _stemScale;

    /// <summary>bn1 as a per-channel shift.</summary>
    public ReadOnlySpan<double> StemShift => _stemShift;

    /// <summary>layer1.0.conv1, 1×1 8→8: [out 8][in 8]; followed by layer1.0.bn1 and ReLU.</summary>
    public ReadOnlySpan<double> Pointwise => _pointwise;

    /// <summary>layer1.0.bn1 as a per-channel scale.</summary>
    public ReadOnlySpan<double> PointwiseScale => _pointwiseScale;

    /// <summary>layer1.0.bn1 as a per-channel shift.</summary>
    public ReadOnlySpan<double> PointwiseShift => _pointwiseShift;

    /// <summary>layer1.0.conv2, 3×3 stride 2, 8→8: [out 8][in 8][ky 3][kx 3]; followed by layer1.0.bn2 and ReLU.</summary>
    public ReadOnlySpan<double> Strided => _strided;

    /// <summary>layer1.0.bn2 as a per-channel scale.</summary>
    public ReadOnlySpan<double> StridedScale => _stridedScale;

    /// <summary>layer1.0.bn2 as a per-channel shift.</summary>
    public ReadOnlySpan<double> StridedShift => _stridedShift;

    /// <summary>fc weights, one per channel.</summary>
    public ReadOnlySpan<double> Fc => _fc;

    /// <summary>fc bias.</summary>
    public double FcBias { get; }

    /// <summary>The convolution of <paramref name="node"/> (a node of <see cref="Graph"/>): the checkpoint's float32 weights and the BatchNorm's scale and shift (1 and 0 for conv1).</summary>
    public LaDeDaConv Conv(LaDeDaNode node) => _convs[node.Name];

    /// <summary>
    /// Validates <paramref name="dict"/> against <see cref="Spec"/> (one error listing every
    /// missing, unexpected or mis-shaped tensor; non-finite values rejected) and reduces each
    /// BatchNorm to a per-channel scale and shift (see <see cref="BatchNormFolding"/>).
    /// </summary>
    public static TinyLaDeDaModel FromStateDict(StateDict dict)
    {
        StateDictValidator.Validate(dict, Spec, "Tiny-LaDeDa");
        float[] T(string name) => dict.Tensors[name].ToFloat32();
        double[] D(string name) => Array.ConvertAll(T(name), v => (double)v);
        (double[], double[]) Bn(string bn) =>
            BatchNormFolding.ScaleAndShift(T(bn + ".weight"), T(bn + ".bias"), T(bn + ".running_mean"), T(bn + ".running_var"));

        return new TinyLaDeDaModel(D("conv1.weight"), D("conv2.weight"), Bn("bn1"),
            D("layer1.0.conv1.weight"), Bn("layer1.0.bn1"), D("layer1.0.conv2.weight"), Bn("layer1.0.bn2"),
            D("fc.weight"), T("fc.bias")[0],
            Graph.Nodes.ToDictionary(n => n.Name, n =>
            {
                var (scale, shift) = n.BatchNorm is { } bn ? Bn(bn) : (Enumerable.Repeat(1.0, n.OutChannels).ToArray(), new double[n.OutChannels]);
                return new LaDeDaConv(n.OutChannels, n.InChannels, n.Kernel, n.Stride, T(n.Weight), scale, shift);
            }, StringComparer.Ordinal));
    }

    /// <summary>Patch-map size for an input of <paramref name="inputSize"/> pixels along one axis (0 when too small).</summary>
    public static int MapSize(int inputSize) => Graph.MapSize(inputSize);

    private static List<TensorSpec> BuildSpec()
    {
        var specs = new List<TensorSpec>
        {
            new("conv1.weight", [Channels, 3, 1, 1]),
            new("conv2.weight", [Channels, Channels, 3, 3]),
            new("layer1.0.conv1.weight", [Channels, Channels, 1, 1]),
            new("layer1.0.conv2.weight", [Channels, Channels, 3, 3]),
            new("fc.weight", [1, Channels]),
            new("fc.bias", [1]),
        };
        foreach (string bn in new[] { "bn1", "layer1.0.bn1", "layer1.0.bn2" })
        {
            foreach (string p in new[] { "weight", "bias", "running_mean", "running_var" })
                specs.Add(new($"{bn}.{p}", [Channels]));
            specs.Add(new($"{bn}.num_batches_tracked", [], Required: false));
        }
        return specs;
    }
}
