using FastLaDeDa.Evaluation;
using FastLaDeDa.Models;
using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Training;

/// <summary>Scores of a dataset under a network, with the mean BCE and the protocol's metrics (<see cref="BinaryMetrics"/>).</summary>
/// <param name="Logits">One pooled logit per image, in dataset order.</param>
/// <param name="IsFake">The labels.</param>
/// <param name="Loss">Mean binary cross-entropy of the pooled logits.</param>
/// <param name="Metrics">ACC (threshold 0.5), real/fake ACC, AP, AUC.</param>
internal sealed record ValidationResult(double[] Logits, bool[] IsFake, double Loss, SetMetrics Metrics);

/// <summary>Runs a network in eval mode over a dataset's centre crops and scores each image by its pooled patch logits.</summary>
internal static class Validator
{
    /// <summary>
    /// Scores every image of <paramref name="dataset"/> on its centre crop of <paramref name="crop"/>
    /// (the whole 256×256 image when crop is 256, which is the inference protocol). The network is
    /// left in eval mode.
    /// </summary>
    public static ValidationResult Run(PatchLogitNet net, ImageDataset dataset, int crop, int batchSize = 16,
                                       PoolingKind pooling = PoolingKind.Mean, string name = "validation")
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(dataset);
        net.eval();
        var logits = new double[dataset.Count];
        var isFake = dataset.Images.Select(i => i.IsFake).ToArray();
        using (no_grad())
        {
            for (int start = 0; start < dataset.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(batchSize, dataset.Count - start);
                using var batch = BatchBuilder.Validation(dataset, start, count, crop);
                Tensor pooled = PatchLogitNet.Pool(net.forward(TorchPreprocessing.Normalize(batch.Pixels)), pooling);
                float[] values = pooled.data<float>().ToArray();
                for (int k = 0; k < count; k++) logits[start + k] = values[k];
            }
        }
        double loss = 0;
        for (int i = 0; i < logits.Length; i++) loss += BinaryCrossEntropy(logits[i], isFake[i]);
        loss /= Math.Max(1, logits.Length);
        return new ValidationResult(logits, isFake, loss, SetMetrics.Compute(name, logits, isFake));
    }

    /// <summary>BCE of one logit, computed stably: max(x,0) − x·y + log(1 + e^−|x|).</summary>
    public static double BinaryCrossEntropy(double logit, bool isFake) =>
        Math.Max(logit, 0) - (isFake ? logit : 0) + Math.Log(1 + Math.Exp(-Math.Abs(logit)));
}
