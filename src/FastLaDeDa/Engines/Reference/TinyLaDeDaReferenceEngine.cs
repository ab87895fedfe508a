using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Engines.Reference;

/// <summary>
/// The scalar reference: the official pipeline step by step (normalization, preprocessing filter,
/// then every layer as written in MODEL.md, one loop nest per layer) in double precision, so its
/// own rounding is negligible next to any float32 implementation. Slow and obviously right; the
/// yardstick for every other engine.
/// </summary>
internal sealed class TinyLaDeDaReferenceEngine : ITinyLaDeDaEngine
{
    private const int C = TinyLaDeDaModel.Channels;

    /// <summary>The shared instance (stateless).</summary>
    public static TinyLaDeDaReferenceEngine Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "tiny-reference";

    /// <inheritdoc />
    public bool IsSupported => true;

    /// <inheritdoc />
    public IPatchNetwork Prepare(TinyLaDeDaModel model, PreprocessKind preprocess)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new Network(model, preprocess);
    }

    /// <summary>The patch-logit map of an already normalized 3×H×W tensor (before the preprocessing filter).</summary>
    public static PatchMap ComputeMap(TinyLaDeDaModel model, PreprocessKind preprocess, ChwTensor normalized)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(normalized);
        if (normalized.Channels != 3) throw new ArgumentException("expected a 3-channel image", nameof(normalized));
        int h = normalized.Height, w = normalized.Width;
        if (h < 5 || w < 5) throw new ArgumentException($"input {w}x{h} is smaller than 5x5", nameof(normalized));

        ChwTensor filtered = Preprocessor.Apply(preprocess, normalized);
        double[] x = Array.ConvertAll(filtered.Data, v => (double)v);

        double[] a = Conv(x, 3, h, w, model.Conv1, scale: default, shift: default, kernel: 1, stride: 1, relu: false, out int ha, out int wa);
        double[] b = Conv(a, C, ha, wa, model.Stem, model.StemScale, model.StemShift, kernel: 3, stride: 1, relu: true, out int hb, out int wb);
        double[] c = Conv(b, C, hb, wb, model.Pointwise, model.PointwiseScale, model.PointwiseShift, kernel: 1, stride: 1, relu: true, out int hc, out int wc);
        double[] d = Conv(c, C, hc, wc, model.Strided, model.StridedScale, model.StridedShift, kernel: 3, stride: 2, relu: true, out int hd, out int wd);

        var logits = new float[hd * wd];
        for (int i = 0; i < logits.Length; i++)
        {
            double sum = model.FcBias;
            for (int ch = 0; ch < C; ch++) sum += model.Fc[ch] * d[ch * hd * wd + i];
            logits[i] = (float)sum;
        }
        return new PatchMap(wd, hd, logits, TinyLaDeDaModel.Stride, TinyLaDeDaModel.ReceptiveField);
    }

    /// <summary>
    /// Valid (unpadded) cross-correlation, planar layout, weights [out][in][ky][kx], then the
    /// BatchNorm as scale · sum + shift (when given) and ReLU (when asked).
    /// </summary>
    private static double[] Conv(double[] input, int inChannels, int h, int w, ReadOnlySpan<double> weights,
                                 ReadOnlySpan<double> scale, ReadOnlySpan<double> shift, int kernel, int stride, bool relu, out int outH, out int outW)
    {
        int outChannels = weights.Length / (inChannels * kernel * kernel);
        outH = (h - kernel) / stride + 1;
        outW = (w - kernel) / stride + 1;
        var output = new double[outChannels * outH * outW];
        for (int o = 0; o < outChannels; o++)
            for (int y = 0; y < outH; y++)
                for (int x = 0; x < outW; x++)
                {
                    double sum = 0;
                    for (int i = 0; i < inChannels; i++)
                        for (int ky = 0; ky < kernel; ky++)
                            for (int kx = 0; kx < kernel; kx++)
                                sum += weights[((o * inChannels + i) * kernel + ky) * kernel + kx]
                                     * input[(i * h + y * stride + ky) * w + x * stride + kx];
                    if (!scale.IsEmpty) sum = scale[o] * sum + shift[o];
                    output[(o * outH + y) * outW + x] = relu ? Math.Max(sum, 0) : sum;
                }
        return output;
    }

    private sealed class Network(TinyLaDeDaModel model, PreprocessKind preprocess) : TinyLaDeDaNetwork
    {
        public override string EngineName => Instance.Name;

        protected override PatchPooling RunValidated(ReadOnlySpan<byte> rgb, int width, int height, Span<float> map)
        {
            var image = new Rgb24Image(width, height, rgb.ToArray());
            PatchMap result = ComputeMap(model, preprocess, ImageNetNormalization.Normalize(image));
            if (!map.IsEmpty) result.Logits.CopyTo(map);
            return new PatchPooling(result.Pool(PoolingKind.Mean), result.Pool(PoolingKind.Max));
        }
    }
}
