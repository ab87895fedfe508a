using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Engines.Reference;

/// <summary>
/// LaDeDa step by step in double precision: normalization, the preprocessing filter, every node of
/// the graph as written (<see cref="LaDeDaSpec.Graph"/>: the stem's conv1 then conv2, each
/// bottleneck's convolutions with the cropped residual), the fc head. Direct
/// convolution loops, one thread: about 20 G multiply-adds for a 256×256 image, so use small
/// images (tests use 32–64 px). The yardstick for the fast engines.
/// </summary>
internal sealed class LaDeDaReferenceEngine : ILaDeDaEngine
{
    /// <summary>The shared instance (stateless).</summary>
    public static LaDeDaReferenceEngine Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "ladeda-reference";

    /// <inheritdoc />
    public bool IsSupported => true;

    /// <inheritdoc />
    public IPatchNetwork Prepare(LaDeDaModel model, PreprocessKind preprocess)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new Network(model, preprocess);
    }

    /// <summary>A planar double tensor [channels][height][width].</summary>
    private sealed record Activation(double[] Data, int Channels, int Height, int Width);

    /// <summary>The patch-logit map of a normalized 3×H×W tensor (before the preprocessing filter).</summary>
    public static PatchMap ComputeMap(LaDeDaModel model, PreprocessKind preprocess, ChwTensor normalized)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(normalized);
        ChwTensor filtered = Preprocessor.Apply(preprocess, normalized);
        var x = new Activation(Array.ConvertAll(filtered.Data, v => (double)v), 3, filtered.Height, filtered.Width);

        var graph = model.Spec.Graph;
        var values = new Activation[graph.Nodes.Count + 1];
        values[0] = x;
        foreach (var node in graph.Nodes)
        {
            values[node.Output] = Conv(values[node.Input], model.Conv(node), node.Residual < 0 ? null : values[node.Residual], node.Relu, applyBn: node.BatchNorm is not null);
            // Drop what no later node reads (a 64×64 image's activations add up to ~100 MB).
            foreach (int v in (int[])[node.Input, node.Residual])
                if (v >= 0 && graph.Consumers(v)[^1] == node) values[v] = null!;
        }
        x = values[graph.Output];

        var logits = new float[x.Height * x.Width];
        for (int i = 0; i < logits.Length; i++)
        {
            double logit = model.FcBias;
            for (int c = 0; c < x.Channels; c++) logit += model.Fc[c] * x.Data[c * logits.Length + i];
            logits[i] = (float)logit;
        }
        return new PatchMap(x.Width, x.Height, logits, LaDeDaSpec.Stride, model.Spec.ReceptiveField);
    }

    /// <summary>
    /// One node: the convolution, its BatchNorm, the residual (larger, because conv2 has no padding:
    /// its top-left output-sized part is added), then ReLU.
    /// </summary>
    private static Activation Conv(Activation input, LaDeDaConv conv, Activation? residual, bool relu, bool applyBn)
    {
        int k = conv.Kernel, s = conv.Stride, inC = conv.InChannels;
        int outH = conv.OutputSize(input.Height), outW = conv.OutputSize(input.Width);
        var output = new double[conv.OutChannels * outH * outW];
        ReadOnlySpan<float> w = conv.Weights;
        for (int o = 0; o < conv.OutChannels; o++)
            for (int y = 0; y < outH; y++)
                for (int x = 0; x < outW; x++)
                {
                    double sum = 0;
                    for (int i = 0; i < inC; i++)
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++)
                                sum += w[((o * inC + i) * k + ky) * k + kx] * input.Data[(i * input.Height + y * s + ky) * input.Width + x * s + kx];
                    if (applyBn) sum = conv.Scale[o] * sum + conv.Shift[o];
                    if (residual is not null) sum += residual.Data[(o * residual.Height + y) * residual.Width + x];
                    output[(o * outH + y) * outW + x] = relu ? Math.Max(sum, 0) : sum;
                }
        return new Activation(output, conv.OutChannels, outH, outW);
    }

    private sealed class Network(LaDeDaModel model, PreprocessKind preprocess) : IPatchNetwork
    {
        public string EngineName => Instance.Name;

        public int MinimumInputSize => model.Spec.ReceptiveField;

        public int Stride => LaDeDaSpec.Stride;

        public int ReceptiveField => model.Spec.ReceptiveField;

        public int MapSize(int inputSize) => model.MapSize(inputSize);

        public PatchPooling Run(ReadOnlySpan<byte> rgb, int width, int height, Span<float> map)
        {
            this.Validate(rgb, width, height, map);
            PatchMap result = ComputeMap(model, preprocess, ImageNetNormalization.Normalize(new Rgb24Image(width, height, rgb.ToArray())));
            if (!map.IsEmpty) result.Logits.CopyTo(map);
            return new PatchPooling(result.Pool(PoolingKind.Mean), result.Pool(PoolingKind.Max));
        }
    }
}
