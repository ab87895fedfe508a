using System.Diagnostics;
using FastLaDeDa.Cli.Reporting;
using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Training;

/// <summary>
/// Trains a patch-logit network (LaDeDa, or Tiny-LaDeDa without a teacher) from image labels:
/// balanced batches (<see cref="BalancedBatchSampler"/>), random crop + flip and the optional
/// augmentations (<see cref="BatchBuilder"/>), and the loss of <see cref="ImageLossKind"/>. The next
/// batch is prepared on the thread pool while the current one trains.
/// </summary>
internal sealed class ClassifierTrainer(string task, PatchLogitNet net, ImageLossKind loss, TrainingOptions options,
                                      ImageDataset train, ImageDataset validation, TextWriter log)
    : EpochTrainer(task, net, options, train, validation, log)
{
    /// <inheritdoc/>
    protected override string LossLabel => loss == ImageLossKind.PatchBce ? "patch BCE" : "BCE";

    /// <inheritdoc/>
    protected override (double MeanLoss, long Items, double Seconds) TrainEpoch(int epoch)
    {
        var plan = BalancedBatchSampler.Plan(Train, Options.BatchSize, Options.Seed, epoch, Options.SourcePower);
        var bar = new ProgressBar($"epoch {epoch}", (long)plan.Count * Options.BatchSize);
        var clock = Stopwatch.StartNew();
        ImageBatch Build(int b) => BatchBuilder.Training(Train, plan[b], Options.Crop, Options.Augmentation, Options.Seed, epoch, b);
        var next = System.Threading.Tasks.Task.Run(() => Build(0));
        double lossSum = 0;
        long done = 0;
        for (int b = 0; b < plan.Count; b++)
        {
            using ImageBatch batch = next.Result;
            if (b + 1 < plan.Count)
            {
                int following = b + 1;
                next = System.Threading.Tasks.Task.Run(() => Build(following));
            }
            lossSum += Step(batch) * batch.Count;
            done += batch.Count;
            bar.Report(done, lossSum / done);
        }
        return (lossSum / done, done, clock.Elapsed.TotalSeconds);
    }

    /// <summary>One optimizer step on a batch; returns the batch's loss.</summary>
    public double Step(ImageBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        Tensor map = Net.forward(TorchPreprocessing.Normalize(batch.Pixels));
        Tensor value = Loss(map, batch.Labels, loss);
        Optimizer.zero_grad();
        value.backward();
        Optimizer.step();
        return value.item<float>();
    }

    /// <summary>The loss of patch-logit maps [B,1,H,W] against image labels [B].</summary>
    public static Tensor Loss(Tensor map, Tensor labels, ImageLossKind kind)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(labels);
        if (kind == ImageLossKind.PatchBce)
        {
            using Tensor target = labels.view(-1, 1, 1, 1).expand_as(map);
            return nn.functional.binary_cross_entropy_with_logits(map, target);
        }
        using Tensor pooled = PatchLogitNet.Pool(map);
        return nn.functional.binary_cross_entropy_with_logits(pooled, labels);
    }

    /// <inheritdoc/>
    protected override (ValidationResult Result, double? Mse) Validate() =>
        (Validator.Run(Net, Validation, Options.ValidationCrop), null);
}
