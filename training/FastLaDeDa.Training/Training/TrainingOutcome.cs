namespace FastLaDeDa.Training.Training;

/// <summary>The result of a finished run.</summary>
/// <param name="ModelPath">The exported model (the best epoch's weights, with metadata).</param>
/// <param name="BestEpoch">The epoch whose weights were exported (best validation accuracy, then AP).</param>
/// <param name="Best">That epoch's metrics.</param>
/// <param name="History">Every epoch's metrics.</param>
/// <param name="TrainingSeconds">Wall time spent in training and validation, over all sessions of the run (resumes included).</param>
/// <param name="StopReason">Why the run ended.</param>
internal sealed record TrainingOutcome(string ModelPath, int BestEpoch, EpochMetrics Best, IReadOnlyList<EpochMetrics> History,
                                     double TrainingSeconds, string StopReason);
