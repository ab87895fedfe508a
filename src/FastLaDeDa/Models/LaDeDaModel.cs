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

    private LaDeDaModel(LaDeDaSpec spec, LaDeDaConv stemConv1, LaDeDaConv stemConv2, LaDeDaConv fusedStem,
                        IReadOnlyList<IReadOnlyList<LaDeDaBottleneck>> layers, float[] fc, double fcBias)
    {
        Spec = spec;
        StemConv1 = stemConv1;
        StemConv2 = stemConv2;
        FusedStem = fusedStem;
        Layers = layers;
        _fc = fc;
        FcBias = fcBias;
    }

    /// <summary>The architecture.</summary>
    public LaDeDaSpec Spec { get; }

    /// <summary>The stem's conv1 as written (1×1, 3→64, no BatchNorm: scale 1, shift 0).</summary>
    public LaDeDaConv StemConv1 { get; }

    /// <summary>The stem's conv2 as written (3×3, 64→64) with bn1.</summary>
    public LaDeDaConv StemConv2 { get; }

    /// <summary>conv1 fused into conv2: 3×3, 3→64, with bn1; followed by ReLU.</summary>
    public LaDeDaConv FusedStem { get; }

    /// <summary>layer1..layer4, their bottlenecks in order.</summary>
    public IReadOnlyList<IReadOnlyList<LaDeDaBottleneck>> Layers { get; }

    /// <summary>All bottlenecks in execution order.</summary>
    public IEnumerable<LaDeDaBottleneck> Blocks => Layers.SelectMany(l => l);

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
        LaDeDaConv Conv(string weight, string? bn, int stride)
        {
            var shape = dict.Tensors[weight].Shape;
            int outChannels = shape[0];
            var (scale, shift) = bn is null ? (Enumerable.Repeat(1.0, outChannels).ToArray(), new double[outChannels]) : Bn(bn);
            return new LaDeDaConv(outChannels, shape[1], shape[2], stride, T(weight), scale, shift);
        }

        var stemConv1 = Conv("conv1.weight", null, 1);
        var stemConv2 = Conv("conv2.weight", "bn1", 1);
        var layers = new List<IReadOnlyList<LaDeDaBottleneck>>();
        for (int layer = 1; layer <= LaDeDaSpec.Stages.Count; layer++)
        {
            var stage = LaDeDaSpec.Stages[layer - 1];
            var blocks = new List<LaDeDaBottleneck>();
            for (int b = 0; b < stage.Blocks; b++)
            {
                string p = $"layer{layer}.{b}";
                int stride = b == 0 ? stage.Stride : 1;
                blocks.Add(new LaDeDaBottleneck(p,
                    Conv($"{p}.conv1.weight", $"{p}.bn1", 1),
                    Conv($"{p}.conv2.weight", $"{p}.bn2", stride),
                    Conv($"{p}.conv3.weight", $"{p}.bn3", 1),
                    b == 0 ? Conv($"{p}.downsample.0.weight", $"{p}.downsample.1", stride) : null));
            }
            layers.Add(blocks);
        }
        return new LaDeDaModel(spec, stemConv1, stemConv2, FuseStem(stemConv1, stemConv2), layers, T("fc.weight"), T("fc.bias")[0]);
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
        long total = 0;
        if (fusedStem) total += FusedStem.MultiplyAdds(height - 2, width - 2);
        else total += StemConv1.MultiplyAdds(height, width) + StemConv2.MultiplyAdds(height - 2, width - 2);
        int h = height - 2, w = width - 2;
        foreach (var block in Blocks)
        {
            int h2 = block.OutputSize(h), w2 = block.OutputSize(w);
            total += block.Conv1.MultiplyAdds(h, w) + block.Conv2.MultiplyAdds(h2, w2) + block.Conv3.MultiplyAdds(h2, w2);
            if (block.Downsample is { } d) total += d.MultiplyAdds(block.ResidualSize(h), block.ResidualSize(w));
            (h, w) = (h2, w2);
        }
        return total + (long)h * w * LaDeDaSpec.FeatureChannels;
    }
}
