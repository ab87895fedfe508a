using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Engines.Reference;

/// <summary>
/// The scalar reference: every layer as written in MODEL.md, one loop nest per layer, in double
/// precision (so its own rounding is negligible next to any float32 implementation). Slow and
/// obviously right; the yardstick for every other engine.
/// </summary>
public sealed class TinyLaDeDaReferenceEngine : ITinyLaDeDaEngine
{
    private const int C = TinyLaDeDaModel.Channels;

    /// <summary>The shared instance (stateless).</summary>
    public static TinyLaDeDaReferenceEngine Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "reference";

    /// <inheritdoc />
    public PatchMap Run(TinyLaDeDaModel model, PreprocessKind preprocess, ChwTensor normalized)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(normalized);
        if (normalized.Channels != 3) throw new ArgumentException("expected a 3-channel image", nameof(normalized));
        int h = normalized.Height, w = normalized.Width;
        if (h < 5 || w < 5) throw new ArgumentException($"input {w}x{h} is smaller than 5x5", nameof(normalized));

        ChwTensor filtered = Preprocessor.Apply(preprocess, normalized);
        double[] x = Array.ConvertAll(filtered.Data, v => (double)v);

        double[] a = Conv(x, 3, h, w, model.Conv1, bias: default, kernel: 1, stride: 1, relu: false, out int ha, out int wa);
        double[] b = Conv(a, C, ha, wa, model.Stem, model.StemBias, kernel: 3, stride: 1, relu: true, out int hb, out int wb);
        double[] c = Conv(b, C, hb, wb, model.Pointwise, model.PointwiseBias, kernel: 1, stride: 1, relu: true, out int hc, out int wc);
        double[] d = Conv(c, C, hc, wc, model.Strided, model.StridedBias, kernel: 3, stride: 2, relu: true, out int hd, out int wd);

        var logits = new float[hd * wd];
        for (int i = 0; i < logits.Length; i++)
        {
            double sum = model.FcBias;
            for (int ch = 0; ch < C; ch++) sum += model.Fc[ch] * d[ch * hd * wd + i];
            logits[i] = (float)sum;
        }
        return new PatchMap(wd, hd, logits, TinyLaDeDaModel.Stride, TinyLaDeDaModel.ReceptiveField);
    }

    /// <summary>Valid (unpadded) cross-correlation, planar layout, weights [out][in][ky][kx], optional bias and ReLU.</summary>
    private static double[] Conv(double[] input, int inChannels, int h, int w, ReadOnlySpan<double> weights,
                                 ReadOnlySpan<double> bias, int kernel, int stride, bool relu, out int outH, out int outW)
    {
        int outChannels = weights.Length / (inChannels * kernel * kernel);
        outH = (h - kernel) / stride + 1;
        outW = (w - kernel) / stride + 1;
        var output = new double[outChannels * outH * outW];
        for (int o = 0; o < outChannels; o++)
            for (int y = 0; y < outH; y++)
                for (int x = 0; x < outW; x++)
                {
                    double sum = bias.IsEmpty ? 0 : bias[o];
                    for (int i = 0; i < inChannels; i++)
                        for (int ky = 0; ky < kernel; ky++)
                            for (int kx = 0; kx < kernel; kx++)
                                sum += weights[((o * inChannels + i) * kernel + ky) * kernel + kx]
                                     * input[(i * h + y * stride + ky) * w + x * stride + kx];
                    output[(o * outH + y) * outW + x] = relu ? Math.Max(sum, 0) : sum;
                }
        return output;
    }
}
