using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Engines.Cpu.Tiny;

/// <summary>
/// Tiny-LaDeDa's weights rearranged for the fused kernel (float32, immutable, shared by threads):
/// <list type="bullet">
/// <item>conv1 (1×1, 3→8) is fused into the stem (3×3): both are linear with nothing between them,
/// so the stem becomes one 3×3 conv 3→8 (27 instead of 24 + 72 multiply-adds per output channel;
/// the products are summed in double, then rounded once).</item>
/// <item>Normalization and the preprocessing filter are NOT folded into the weights: the kernel
/// computes them with the same float32 operations as the reference, because the official
/// pipeline's rounding of normalized values is part of its result — NPR and the gradients are
/// differences of nearby normalized values, and a model with a large gain (the ForenSynth
/// checkpoint) turns that rounding into ~1e-5 of its logit range.</item>
/// <item>BatchNorms stay a per-channel scale and shift applied after accumulation (see
/// <see cref="BatchNormFolding"/> for why they are not multiplied into the weights).</item>
/// <item>The stem runs as Winograd F(2,3) along x (4 multiplies per 2 outputs instead of 6), its
/// transformed weights computed in double.</item>
/// <item>The strided conv runs as polyphase Winograd F(2,2) along x (5 multiplies per pair of
/// outputs and kernel row instead of 6).</item>
/// <item>Weights are stored tap-major, output channel minor, so one tap's 8 weights are adjacent.</item>
/// </list>
/// </summary>
internal sealed class FusedTinyLaDeDaWeights
{
    public const int Channels = TinyLaDeDaModel.Channels;

    public FusedTinyLaDeDaWeights(TinyLaDeDaModel model, PreprocessKind preprocess)
    {
        Preprocess = preprocess;
        NprScale = NprFilter.Scale(preprocess);
        // The gradient's non-zero taps, in the reference's row-major order, resolved once here
        // rather than per row: every gradient filter has exactly six (MODEL.md).
        var taps = new List<(int Row, int Column, float Weight)>();
        if (GradientKernels.IsGradient(preprocess))
        {
            ReadOnlySpan<float> all = GradientKernels.Taps(preprocess);
            for (int t = 0; t < 9; t++)
                if (all[t] != 0) taps.Add((t / 3, t % 3, all[t]));
            if (taps.Count != 6) throw new InvalidOperationException($"{preprocess}: the fused kernel expects six non-zero gradient taps, got {taps.Count}");
        }
        GradientTaps = [.. taps];

        // Winograd F(2,3) along x: per (c, ky) the 3 taps g become 4 transformed weights
        // U = [g0, (g0+g1+g2)/2, (g0−g1+g2)/2, g2], from the fused taps in double, rounded once.
        StemWinograd = new float[4 * 9 * Channels];
        Span<double> g = stackalloc double[3];
        for (int o = 0; o < Channels; o++)
            for (int c = 0; c < 3; c++)
                for (int ky = 0; ky < 3; ky++)
                {
                    for (int kx = 0; kx < 3; kx++)
                    {
                        double fused = 0; // Σ_i stem[o,i,ky,kx] · conv1[i,c]
                        for (int i = 0; i < Channels; i++) fused += model.Stem[(o * Channels + i) * 9 + ky * 3 + kx] * model.Conv1[i * 3 + c];
                        g[kx] = fused;
                    }
                    int row = c * 3 + ky;
                    StemWinograd[(0 * 9 + row) * Channels + o] = (float)g[0];
                    StemWinograd[(1 * 9 + row) * Channels + o] = (float)((g[0] + g[1] + g[2]) / 2);
                    StemWinograd[(2 * 9 + row) * Channels + o] = (float)((g[0] - g[1] + g[2]) / 2);
                    StemWinograd[(3 * 9 + row) * Channels + o] = (float)g[2];
                }
        StemScale = ToFloat(model.StemScale);
        StemShift = ToFloat(model.StemShift);

        PointwiseWeights = ToFloat(model.Pointwise);
        PointwiseScale = ToFloat(model.PointwiseScale);
        PointwiseShift = ToFloat(model.PointwiseShift);

        // Polyphase Winograd F(2,2) along x: per (c, ky) the taps w0, w1, w2 become w0, w1, w2 and
        // w0 + w2 (the product both outputs of a pair share), the sum in double, rounded once.
        StridedWeights = new float[Channels * 3 * 4 * Channels];
        for (int o = 0; o < Channels; o++)
            for (int c = 0; c < Channels; c++)
                for (int ky = 0; ky < 3; ky++)
                {
                    int k = (o * Channels + c) * 9 + ky * 3, row = (c * 3 + ky) * 4;
                    StridedWeights[(row + 0) * Channels + o] = (float)model.Strided[k];
                    StridedWeights[(row + 1) * Channels + o] = (float)model.Strided[k + 1];
                    StridedWeights[(row + 2) * Channels + o] = (float)model.Strided[k + 2];
                    StridedWeights[(row + 3) * Channels + o] = (float)(model.Strided[k] + model.Strided[k + 2]);
                }
        StridedScale = ToFloat(model.StridedScale);
        StridedShift = ToFloat(model.StridedShift);
        Fc = ToFloat(model.Fc);
        FcBias = (float)model.FcBias;
    }

    private static float[] ToFloat(ReadOnlySpan<double> values)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = (float)values[i];
        return result;
    }

    public PreprocessKind Preprocess { get; }

    /// <summary>The six non-zero taps of the gradient filter as (row, column, weight), row-major (empty for NPR and raw).</summary>
    public (int Row, int Column, float Weight)[] GradientTaps { get; }

    /// <summary>NPR's factor (1, or 2/3 for npr_2_3).</summary>
    public float NprScale { get; }

    /// <summary>[(k·9 + c·3 + ky)·8 + o]: fused conv1∘conv2, Winograd-transformed along x (k = 0..3).</summary>
    public float[] StemWinograd { get; }

    /// <summary>bn1: output = ReLU(scale · Σ + shift).</summary>
    public float[] StemScale { get; }

    public float[] StemShift { get; }

    /// <summary>[o·8 + i].</summary>
    public float[] PointwiseWeights { get; }

    public float[] PointwiseScale { get; }

    public float[] PointwiseShift { get; }

    /// <summary>[((c·3 + ky)·4 + q)·8 + o], q: w[kx = 0], w[1], w[2], w[0] + w[2].</summary>
    public float[] StridedWeights { get; }

    public float[] StridedScale { get; }

    public float[] StridedShift { get; }

    public float[] Fc { get; }

    public float FcBias { get; }
}
