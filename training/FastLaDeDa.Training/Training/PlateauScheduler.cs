namespace FastLaDeDa.Training.Training;

/// <summary>
/// The official schedule: when validation accuracy has not improved by more than the minimum gain
/// for <c>patience</c> epochs, multiply the learning rate by the factor and start counting afresh
/// (the best score is forgotten, as the official code builds a new EarlyStopping); when the new rate
/// would fall below the minimum, stop.
/// </summary>
internal sealed class PlateauScheduler(int patience, double minImprovement, double factor, double minLearningRate, double learningRate)
{
    /// <summary>The current learning rate.</summary>
    public double LearningRate { get; private set; } = learningRate;

    /// <summary>Best validation accuracy since the last drop (null right after a drop).</summary>
    public double? Best { get; private set; }

    /// <summary>Epochs since <see cref="Best"/> improved.</summary>
    public int EpochsWithoutGain { get; private set; }

    /// <summary>What the scheduler decided after an epoch.</summary>
    public enum Decision
    {
        /// <summary>Keep going at the same rate.</summary>
        Continue,
        /// <summary>The rate was multiplied by the factor.</summary>
        Dropped,
        /// <summary>The rate would fall below the minimum: training ends.</summary>
        Stop,
    }

    /// <summary>Records an epoch's validation accuracy.</summary>
    public Decision Observe(double validationAccuracy)
    {
        if (Best is null || validationAccuracy > Best.Value + minImprovement)
        {
            Best = validationAccuracy;
            EpochsWithoutGain = 0;
            return Decision.Continue;
        }
        if (++EpochsWithoutGain < patience) return Decision.Continue;
        double next = LearningRate * factor;
        if (next < minLearningRate) return Decision.Stop;
        LearningRate = next;
        Best = null;
        EpochsWithoutGain = 0;
        return Decision.Dropped;
    }

    /// <summary>The state a checkpoint records.</summary>
    public (double LearningRate, double? Best, int EpochsWithoutGain) State => (LearningRate, Best, EpochsWithoutGain);

    /// <summary>Restores a checkpoint's state.</summary>
    public void Restore(double learningRate, double? best, int epochsWithoutGain)
    {
        LearningRate = learningRate;
        Best = best;
        EpochsWithoutGain = epochsWithoutGain;
    }
}
