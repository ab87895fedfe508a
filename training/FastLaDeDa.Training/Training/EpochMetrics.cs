namespace FastLaDeDa.Training.Training;

/// <summary>
/// One epoch of a run: what the CSV logs and the curves plot. Accuracies and AP are fractions;
/// <see cref="ValidationMse"/> is only set for distillation (student vs teacher patch logits on the
/// validation crops).
/// </summary>
internal sealed record EpochMetrics(
    int Epoch,
    double LearningRate,
    double TrainLoss,
    double TrainItemsPerSecond,
    double TrainSeconds,
    double ValidationLoss,
    double ValidationAccuracy,
    double ValidationRealAccuracy,
    double ValidationFakeAccuracy,
    double ValidationAp,
    double ValidationAuc,
    double? ValidationMse,
    double ElapsedSeconds);
