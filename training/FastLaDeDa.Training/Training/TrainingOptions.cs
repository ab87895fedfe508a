using FastLaDeDa.Training.Data;

namespace FastLaDeDa.Training.Training;

/// <summary>
/// The settings every training loop shares. Defaults are the paper's (MODEL.md "Distillation" step 1):
/// random crop 224 + flip, centre crop 224 for validation, Adam lr 2e-4, betas (0.9, 0.999), batch 32,
/// learning rate ×0.9 after <see cref="Patience"/> epochs without a validation-accuracy gain, down to
/// 1e-6, then stop.
/// </summary>
internal sealed record TrainingOptions
{
    /// <summary>Folder the run writes to: checkpoints, metrics CSV, curves PNG, the exported model.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>Side of the random training crop (the model is fully convolutional; smaller crops keep the per-patch task and cost less).</summary>
    public int Crop { get; init; } = 224;

    /// <summary>Side of the centred validation crop.</summary>
    public int ValidationCrop { get; init; } = 224;

    /// <summary>Images (or, for distillation, patches) per optimizer step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Adam's initial learning rate.</summary>
    public double LearningRate { get; init; } = 2e-4;

    /// <summary>Adam's β1.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam's β2.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Epochs without a validation-accuracy gain of more than <see cref="MinImprovement"/> before the learning rate drops.</summary>
    public int Patience { get; init; } = 5;

    /// <summary>The gain in validation accuracy that counts as progress (the official early stopping's 0.001).</summary>
    public double MinImprovement { get; init; } = 0.001;

    /// <summary>Factor applied to the learning rate on a plateau.</summary>
    public double LearningRateFactor { get; init; } = 0.9;

    /// <summary>Training stops when a drop would take the learning rate below this.</summary>
    public double MinLearningRate { get; init; } = 1e-6;

    /// <summary>Upper bound on the number of epochs.</summary>
    public int MaxEpochs { get; init; } = 100;

    /// <summary>The seed every random decision derives from (<see cref="SeededRandom"/>), and the initial weights.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Optional augmentations (off by default).</summary>
    public AugmentationOptions Augmentation { get; init; } = AugmentationOptions.None;

    /// <summary>
    /// How a class's draws are shared among its sources: ∝ (images of the source)^power. 1 draws
    /// images alike (big sources dominate), 0 sources alike, 0.5 between (<see cref="Data.BalancedBatchSampler"/>).
    /// </summary>
    public double SourcePower { get; init; } = 1;

    /// <summary>The validation metric that picks the best epoch and drives the plateau schedule.</summary>
    public SelectionMetric Selection { get; init; } = SelectionMetric.Accuracy;

    /// <summary>A checkpoint to continue from (model, optimizer, epoch, plateau state, history), or null.</summary>
    public string? Resume { get; init; }

    /// <summary>Store the exported model's learnable tensors as F16 (LaDeDa, to keep the repository small).</summary>
    public bool ExportFloat16 { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public TrainingOptions Validated()
    {
        if (Crop < 8) throw new ArgumentException($"--crop {Crop}: expected at least 8");
        if (ValidationCrop < 8) throw new ArgumentException($"--val-crop {ValidationCrop}: expected at least 8");
        if (BatchSize < 2) throw new ArgumentException($"--batch-size {BatchSize}: BatchNorm needs at least 2");
        if (LearningRate <= 0 || MinLearningRate <= 0) throw new ArgumentException("learning rates must be positive");
        if (LearningRateFactor is <= 0 or >= 1) throw new ArgumentException($"--lr-factor {LearningRateFactor}: expected a factor in (0, 1)");
        if (Patience < 1) throw new ArgumentException($"--patience {Patience}: expected at least 1");
        if (MaxEpochs < 1) throw new ArgumentException($"--max-epochs {MaxEpochs}: expected at least 1");
        if (!(SourcePower >= 0 && SourcePower <= 1)) throw new ArgumentException($"--source-power {SourcePower}: expected a power in [0, 1]");
        Augmentation.Validated();
        return this;
    }
}
