using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Engines.Cpu;

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
/// <item>Weights are stored tap-major, output channel minor, so one tap's 8 weights are adjacent.</item>
/// </list>
/// </summary>
internal sealed class FusedTinyLaDeDaWeights
{
    public const int Channels = TinyLaDeDaModel.Channels;

    public FusedTinyLaDeDaWeights(TinyLaDeDaModel model, PreprocessKind preprocess)
    {
        Preprocess = preprocess;
        GradientTaps = GradientKernels.IsGradient(preprocess) ? GradientKernels.Taps(preprocess).ToArray() : [];

        StemWeights = new float[27 * Channels];
        for (int o = 0; o < Channels; o++)
            for (int c = 0; c < 3; c++)
                for (int k = 0; k < 9; k++)
                {
                    double fused = 0; // Σ_i stem[o,i,k] · conv1[i,c]
                    for (int i = 0; i < Channels; i++) fused += model.Stem[(o * Channels + i) * 9 + k] * model.Conv1[i * 3 + c];
                    StemWeights[(c * 9 + k) * Channels + o] = (float)fused;
                }
        StemScale = ToFloat(model.StemScale);
        StemShift = ToFloat(model.StemShift);

        PointwiseWeights = ToFloat(model.Pointwise);
        PointwiseScale = ToFloat(model.PointwiseScale);
        PointwiseShift = ToFloat(model.PointwiseShift);

        StridedWeights = new float[Channels * 9 * Channels];
        for (int o = 0; o < Channels; o++)
            for (int c = 0; c < Channels; c++)
                for (int k = 0; k < 9; k++)
                    StridedWeights[(c * 9 + k) * Channels + o] = (float)model.Strided[(o * Channels + c) * 9 + k];
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

    /// <summary>The 9 taps of the gradient filter (empty for NPR and raw).</summary>
    public float[] GradientTaps { get; }

    /// <summary>[(c·9 + ky·3 + kx)·8 + o]: fused conv1∘conv2.</summary>
    public float[] StemWeights { get; }

    /// <summary>bn1: output = ReLU(scale · Σ + shift).</summary>
    public float[] StemScale { get; }

    public float[] StemShift { get; }

    /// <summary>[o·8 + i].</summary>
    public float[] PointwiseWeights { get; }

    public float[] PointwiseScale { get; }

    public float[] PointwiseShift { get; }

    /// <summary>[(c·9 + ky·3 + kx)·8 + o].</summary>
    public float[] StridedWeights { get; }

    public float[] StridedScale { get; }

    public float[] StridedShift { get; }

    public float[] Fc { get; }

    public float FcBias { get; }
}
