using FastLaDeDa.Weights;

namespace FastLaDeDa.Models;

/// <summary>
/// LaDeDa (receptive field 5/9/17/33) ready for any engine: every tensor validated against
/// <see cref="LaDeDaSpec"/>, BatchNorms reduced to per-channel scale and shift (see
/// <see cref="BatchNormFolding"/>), and the stem's conv1 (1×1, 3→64) fused into conv2 (3×3,
/// 64→64) — both linear with nothing between them, so <see cref="FusedStem"/> is one 3×3 conv
/// 3→64 computed exactly (in double, rounded once). Immutable and thread-safe.
/// Its input is the NPR-filtered (preprocessed) normalized image; the head is fc 2048→1 per position.
/// </summary>
internal sealed class LaDeDaModel
{
    private readonly float[] _fc;
    private readonly Dictionary<string, LaDeDaConv> _convs;

    private LaDeDaModel(LaDeDaSpec spec, Dictionary<string, LaDeDaConv> convs, float[] fc, double fcBias)
    {
        Spec = spec;
        _convs = convs;
        _fc = fc;
        FcBias = fcBias;
    }

    /// <summary>The architecture.</summary>
    public LaDeDaSpec Spec { get; }

    /// <summary>The convolution (weights, BatchNorm scale and shift) of <paramref name="node"/>, a node of <see cref="LaDeDaSpec.Graph"/> or <see cref="LaDeDaSpec.FusedGraph"/>.</summary>
    public LaDeDaConv Conv(LaDeDaNode node) => _convs[node.Name];

    /// <summary>The stem's conv1 as written (1×1, 3→64, no BatchNorm: scale 1, shift 0).</summary>
    public LaDeDaConv StemConv1 => Conv(Spec.Graph.Nodes[0]);

    /// <summary>The stem's conv2 as written (3×3, 64→64) with bn1.</summary>
    public LaDeDaConv StemConv2 => Conv(Spec.Graph.Nodes[1]);

    /// <summary>conv1 fused into conv2: 3×3, 3→64, with bn1; followed by ReLU.</summary>
    public LaDeDaConv FusedStem => Conv(Spec.FusedGraph.Nodes[0]);

    /// <summary>fc weights (2048).</summary>
    public ReadOnlySpan<float> Fc => _fc;

    /// <summary>fc bias.</summary>
    public double FcBias { get; }

    /// <summary>Patch-map size along one axis for an input of <paramref name="inputSize"/>.</summary>
    public int MapSize(int inputSize) => Spec.MapSize(inputSize);

    /// <summary>
    /// Validates <paramref name="dict"/> (receptive field from its metadata or its conv2 shapes; one
    /// error listing every missing, unexpected or mis-shaped tensor; non-finite values rejected).
    /// </summary>
    public static LaDeDaModel FromStateDict(StateDict dict)
    {
        ArgumentNullException.ThrowIfNull(dict);
        var spec = LaDeDaSpec.ForReceptiveField(LaDeDaSpec.ReceptiveFieldOf(dict));
        StateDictValidator.Validate(dict, spec.Tensors, $"LaDeDa{spec.ReceptiveField}");
        float[] T(string name) => dict.Tensors[name].ToFloat32();
        (double[], double[]) Bn(string bn) =>
            BatchNormFolding.ScaleAndShift(T(bn + ".weight"), T(bn + ".bias"), T(bn + ".running_mean"), T(bn + ".running_var"));

        var convs = new Dictionary<string, LaDeDaConv>(StringComparer.Ordinal);
        foreach (var node in spec.Graph.Nodes)
        {
            var (scale, shift) = node.BatchNorm is { } bn ? Bn(bn) : (Enumerable.Repeat(1.0, node.OutChannels).ToArray(), new double[node.OutChannels]);
            convs.Add(node.Name, new LaDeDaConv(node.OutChannels, node.InChannels, node.Kernel, node.Stride, T(node.Weight), scale, shift));
        }
        var (conv1, conv2) = (convs[spec.Graph.Nodes[0].Name], convs[spec.Graph.Nodes[1].Name]);
        convs.Add(LaDeDaGraph.FusedStemName, FuseStem(conv1, conv2));
        return new LaDeDaModel(spec, convs, T(LaDeDaGraph.FcWeight), T(LaDeDaGraph.FcBias)[0]);
    }

    /// <summary>fused[o, c, k] = Σ_i conv2[o, i, k] · conv1[i, c], in double.</summary>
    private static LaDeDaConv FuseStem(LaDeDaConv conv1, LaDeDaConv conv2)
    {
        int outChannels = conv2.OutChannels, inner = conv2.InChannels, inChannels = conv1.InChannels;
        var fused = new float[outChannels * inChannels * 9];
        for (int o = 0; o < outChannels; o++)
            for (int c = 0; c < inChannels; c++)
                for (int k = 0; k < 9; k++)
                {
                    double sum = 0;
                    for (int i = 0; i < inner; i++) sum += (double)conv2.Weights[(o * inner + i) * 9 + k] * conv1.Weights[i * inChannels + c];
                    fused[(o * inChannels + c) * 9 + k] = (float)sum;
                }
        return new LaDeDaConv(outChannels, inChannels, 3, 1, fused, conv2.Scale.ToArray(), conv2.Shift.ToArray());
    }

    /// <summary>
    /// Multiply-adds of convolutions and fc for an input of <paramref name="height"/> × <paramref name="width"/>
    /// as written (stem conv1 and conv2 separately) or as executed with the stem fused.
    /// </summary>
    public long MultiplyAdds(int height, int width, bool fusedStem)
    {
        var graph = fusedStem ? Spec.FusedGraph : Spec.Graph;
        int[] h = graph.Sizes(height), w = graph.Sizes(width);
        long total = graph.Nodes.Sum(n => n.MultiplyAdds(h[n.Output], w[n.Output]));
        return total + (long)h[graph.Output] * w[graph.Output] * graph.FeatureChannels;
    }
}
