using System.Diagnostics;
using System.Globalization;
using FastLaDeDa.Cli.Reporting;
using FastLaDeDa.Evaluation;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Export;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Training;

/// <summary>
/// The epoch loop every training task shares: Adam on the network's parameters; per epoch the
/// task's training pass, then validation (ACC/AP/AUC with <see cref="FastLaDeDa.Evaluation.BinaryMetrics"/>),
/// the plateau schedule (<see cref="PlateauScheduler"/>), the best epoch's weights
/// (<c>best.safetensors</c>: highest validation accuracy, then AP), a checkpoint (<c>last.ckpt</c>),
/// the metrics CSV and the curves PNG. At the end the best weights are exported to
/// <c>model.safetensors</c> with the training metadata and the operating threshold and temperature
/// fitted on the validation images as <c>detect</c> scores them (<see cref="EnginePathScores"/>). Output files, all in
/// <see cref="TrainingOptions.OutputFolder"/>: <c>last.ckpt</c>, <c>best.safetensors</c>,
/// <c>model.safetensors</c>, <c>metrics.csv</c>, <c>curves.png</c>.
/// </summary>
internal abstract class EpochTrainer : IDisposable
{
    /// <summary>The checkpoint written after every epoch.</summary>
    public const string CheckpointFile = "last.ckpt";

    /// <summary>The best epoch's weights so far (F32).</summary>
    public const string BestFile = "best.safetensors";

    /// <summary>The exported model.</summary>
    public const string ModelFile = "model.safetensors";

    /// <summary>The per-epoch metrics.</summary>
    public const string MetricsFile = "metrics.csv";

    /// <summary>The training curves.</summary>
    public const string CurvesFile = "curves.png";

    /// <summary>The exported epoch's validation metrics per source (<see cref="SourceValidation"/>).</summary>
    public const string SourcesFile = "val-sources.csv";

    private readonly Adam _optimizer;

    /// <summary>Creates the optimizer for <paramref name="net"/>.</summary>
    protected EpochTrainer(string task, PatchLogitNet net, TrainingOptions options, ImageDataset train, ImageDataset validation, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(options);
        Task = task;
        Net = net;
        Options = options.Validated();
        Train = train ?? throw new ArgumentNullException(nameof(train));
        Validation = validation ?? throw new ArgumentNullException(nameof(validation));
        Log = log ?? throw new ArgumentNullException(nameof(log));
        _optimizer = optim.Adam(net.parameters(), options.LearningRate, options.Beta1, options.Beta2);
    }

    /// <summary>The command that trains (recorded in checkpoints and metadata).</summary>
    public string Task { get; }

    /// <summary>The network being trained.</summary>
    protected PatchLogitNet Net { get; }

    /// <summary>The optimizer.</summary>
    protected OptimizerHelper Optimizer => _optimizer;

    /// <summary>The run's settings.</summary>
    protected TrainingOptions Options { get; }

    /// <summary>The training split.</summary>
    protected ImageDataset Train { get; }

    /// <summary>The validation split.</summary>
    protected ImageDataset Validation { get; }

    /// <summary>Where epoch summaries go.</summary>
    protected TextWriter Log { get; }

    /// <summary>What the training loss is, for logs and plots (e.g. "BCE").</summary>
    protected abstract string LossLabel { get; }

    /// <summary>One pass of training for <paramref name="epoch"/> (1-based): mean loss, items trained on (images or patches), seconds.</summary>
    protected abstract (double MeanLoss, long Items, double Seconds) TrainEpoch(int epoch);

    /// <summary>Validation after an epoch; <c>Mse</c> only for distillation.</summary>
    protected abstract (ValidationResult Result, double? Mse) Validate();

    /// <summary>Called before the first epoch of this session (e.g. teacher extraction).</summary>
    protected virtual void Prepare() { }

    /// <summary>
    /// Trains until the schedule stops or <see cref="TrainingOptions.MaxEpochs"/>, resuming from
    /// <see cref="TrainingOptions.Resume"/> when set, and exports the best epoch's weights with
    /// <paramref name="metadata"/> plus the run's own entries (epochs, best epoch, validation metrics,
    /// wall time, images/s, git commit).
    /// </summary>
    public TrainingOutcome Run(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        string folder = Options.OutputFolder;
        Directory.CreateDirectory(folder);
        var scheduler = new PlateauScheduler(Options.Patience, Options.MinImprovement, Options.LearningRateFactor, Options.MinLearningRate, Options.LearningRate);
        var history = new List<EpochMetrics>();
        int firstEpoch = 1, bestEpoch = 0;
        double bestAccuracy = double.NegativeInfinity, bestAp = double.NegativeInfinity, priorSeconds = 0;
        string bestPath = Path.Combine(folder, BestFile);
        // The revision the run was started from (a resumed run keeps the first session's, noting the current one when it differs).
        string gitCommit = GitInfo.Commit();

        if (Options.Resume is { } resume)
        {
            CheckpointState state = Checkpoint.Load(resume, Task, Net, Optimizer);
            if (state.Seed != Options.Seed) throw new CheckpointException(resume, $"trained with --seed {state.Seed}, not {Options.Seed}: pass --seed {state.Seed}");
            if (state.Crop != Options.Crop) throw new CheckpointException(resume, $"trained with --crop {state.Crop}, not {Options.Crop}: pass --crop {state.Crop}");
            if (state.TrainFileListSha256 != Train.Summary.FileListSha256)
                throw new CheckpointException(resume, "trained on a different training set (file-list hash differs)");
            scheduler.Restore(state.LearningRate, state.PlateauBest, state.EpochsWithoutGain);
            if (state.GitCommit is null) gitCommit = $"unknown (resumed at {gitCommit})";
            else if (state.GitCommit != gitCommit && !state.GitCommit.Contains(" (resumed at ", StringComparison.Ordinal)) gitCommit = $"{state.GitCommit} (resumed at {gitCommit})";
            else gitCommit = state.GitCommit;
            history.AddRange(state.History);
            (firstEpoch, bestEpoch, bestAccuracy, bestAp, priorSeconds) = (state.Epoch + 1, state.BestEpoch, state.BestAccuracy, state.BestAp, state.TrainingSeconds);
            string resumedBest = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(resume))!, BestFile);
            if (bestEpoch > 0 && !File.Exists(resumedBest)) throw new CheckpointException(resume, $"{resumedBest} (the best epoch's weights) is missing next to it");
            if (bestEpoch > 0 && Path.GetFullPath(resumedBest) != Path.GetFullPath(bestPath)) File.Copy(resumedBest, bestPath, overwrite: true);
            Log.WriteLine($"resumed {resume}: epoch {state.Epoch} done, lr {scheduler.LearningRate:G3}, best epoch {bestEpoch}");
        }

        var clock = Stopwatch.StartNew();
        Prepare();
        string stopReason = $"reached --max-epochs {Options.MaxEpochs}";
        for (int epoch = firstEpoch; epoch <= Options.MaxEpochs; epoch++)
        {
            foreach (var group in Optimizer.ParamGroups) group.LearningRate = scheduler.LearningRate;
            double lr = scheduler.LearningRate;
            Net.train();
            var (loss, items, seconds) = TrainEpoch(epoch);
            var (val, mse) = Validate();
            var m = val.Metrics;
            var metrics = new EpochMetrics(epoch, lr, loss, items / Math.Max(seconds, 1e-9), seconds, val.Loss,
                m.Accuracy ?? double.NaN, m.RealAccuracy ?? double.NaN, m.FakeAccuracy ?? double.NaN,
                m.AveragePrecision ?? double.NaN, m.Auc ?? double.NaN, mse, priorSeconds + clock.Elapsed.TotalSeconds);
            history.Add(metrics);

            // bestAccuracy holds the selection metric's value (accuracy unless --select auc).
            double selected = Options.Selection == SelectionMetric.Auc ? metrics.ValidationAuc : metrics.ValidationAccuracy;
            bool improved = selected > bestAccuracy || (selected == bestAccuracy && metrics.ValidationAp > bestAp);
            if (improved)
            {
                (bestEpoch, bestAccuracy, bestAp) = (epoch, selected, metrics.ValidationAp);
                TorchStateDict.Save(Net, bestPath, extraMetadata: [new("task", Task), new("epoch", epoch.ToString(CultureInfo.InvariantCulture))]);
            }
            var decision = scheduler.Observe(selected);
            Log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch}: lr {lr:G3}, train {LossLabel} {loss:F4} ({metrics.TrainItemsPerSecond:F1}/s, {seconds:F0} s), val loss {val.Loss:F4}, " +
                $"ACC {100 * metrics.ValidationAccuracy:F1}% (real {100 * metrics.ValidationRealAccuracy:F1}, fake {100 * metrics.ValidationFakeAccuracy:F1}), " +
                $"AP {100 * metrics.ValidationAp:F1}%, AUC {100 * metrics.ValidationAuc:F1}%{(mse is { } v ? $", MSE vs teacher {v:F4}" : "")}" +
                $"{(improved ? " *best*" : "")}{(decision == PlateauScheduler.Decision.Dropped ? $"; plateau: lr -> {scheduler.LearningRate:G3}" : "")}"));
            Log.Flush();

            var (rate, plateauBest, without) = scheduler.State;
            Checkpoint.Save(Path.Combine(folder, CheckpointFile),
                new CheckpointState(Task, Checkpoint.ModelName(Net), (Net as LaDeDaNet)?.ReceptiveField, Net.Preprocess.ToName(), epoch, Options.Seed,
                    Options.Crop, rate, plateauBest, without, bestEpoch, bestAccuracy, bestAp, Train.Summary.FileListSha256,
                    priorSeconds + clock.Elapsed.TotalSeconds, history, gitCommit),
                Net, Optimizer);
            MetricsCsv.Write(Path.Combine(folder, MetricsFile), history);
            TrainingCurves.Save(Path.Combine(folder, CurvesFile), $"{Task}: {Net.DisplayName}", history, LossLabel);
            if (decision == PlateauScheduler.Decision.Stop)
            {
                stopReason = $"learning rate would fall below {Options.MinLearningRate:G3}";
                break;
            }
        }
        if (history.Count == 0) throw new InvalidOperationException("no epoch was trained");
        // Resuming with --max-epochs at or below the checkpoint's epoch trains nothing and only exports.

        // Export the best epoch's weights, then calibrate the operating threshold on the validation
        // images as detect scores them with the exported weights (whole images; crops would pick another one).
        TorchStateDict.Load(Net, SafeTensors.Read(bestPath));
        EpochMetrics best = history.First(h => h.Epoch == bestEpoch);
        double totalSeconds = priorSeconds + clock.Elapsed.TotalSeconds;
        var all = new Dictionary<string, string>(metadata)
        {
            ["task"] = Task,
            ["seed"] = Options.Seed.ToString(CultureInfo.InvariantCulture),
            ["epochs"] = history.Count.ToString(CultureInfo.InvariantCulture),
            ["best_epoch"] = bestEpoch.ToString(CultureInfo.InvariantCulture),
            ["val_acc"] = best.ValidationAccuracy.ToString("F4", CultureInfo.InvariantCulture),
            ["val_ap"] = best.ValidationAp.ToString("F4", CultureInfo.InvariantCulture),
            ["val_auc"] = best.ValidationAuc.ToString("F4", CultureInfo.InvariantCulture),
            ["crop"] = Options.Crop.ToString(CultureInfo.InvariantCulture),
            ["val_crop"] = Options.ValidationCrop.ToString(CultureInfo.InvariantCulture),
            ["batch_size"] = Options.BatchSize.ToString(CultureInfo.InvariantCulture),
            ["lr"] = Options.LearningRate.ToString("G", CultureInfo.InvariantCulture),
            ["patience"] = Options.Patience.ToString(CultureInfo.InvariantCulture),
            ["augmentation"] = Options.Augmentation.ToString(),
            ["loss"] = LossLabel,
            ["training_data"] = Train.Summary.ToJson(),
            ["validation_data"] = Validation.Summary.ToJson(),
            ["training_files_sha256"] = Train.Summary.FileListSha256,
            ["training_seconds"] = totalSeconds.ToString("F0", CultureInfo.InvariantCulture),
            ["train_items_per_second"] = history.Average(h => h.TrainItemsPerSecond).ToString("F2", CultureInfo.InvariantCulture),
            ["git_commit"] = gitCommit,
            ["selection"] = Options.Selection.ToName(),
            ["source_power"] = Options.SourcePower.ToString("G", CultureInfo.InvariantCulture),
        };
        string modelPath = Path.Combine(folder, ModelFile);
        StateDict exported = TorchStateDict.Export(Net, PoolingKind.Mean, Options.ExportFloat16, all);
        double[] logits = EnginePathScores.Score(exported, Validation);
        bool[] isFake = Validation.Images.Select(i => i.IsFake).ToArray();
        var threshold = ThresholdCalibration.Fit(logits, isFake);
        var perSource = SourceValidation.PerSource(Validation, logits, threshold.UnscaledProbability);
        File.WriteAllText(Path.Combine(folder, SourcesFile), SourceValidation.ToCsv(perSource));
        double accuracyAtThreshold = SetMetrics.Compute("validation", logits, isFake, threshold.UnscaledProbability).Accuracy ?? double.NaN;
        var calibrated = new Dictionary<string, string>(exported.Metadata);
        threshold.WriteTo(calibrated, accuracyAtThreshold, EnginePathScores.Rule);
        SafeTensors.Write(modelPath, new StateDict(exported.Tensors, calibrated));
        Log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"done ({stopReason}): {history.Count} epochs in {ProgressBar.FormatDuration(totalSeconds)}; best epoch {bestEpoch} " +
            $"(val ACC {100 * best.ValidationAccuracy:F1}%, AP {100 * best.ValidationAp:F1}%, AUC {100 * best.ValidationAuc:F1}%) exported to {modelPath}; " +
            $"threshold {threshold.Probability:G4} (logit {threshold.Logit:F3}, temperature {threshold.Temperature:F3}): balanced ACC {100 * threshold.BalancedAccuracy:F1}%, ACC {100 * accuracyAtThreshold:F1}%"));
        foreach (var row in perSource)
            Log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {row.Name,-40} {row.RealCount,4} real {row.FakeCount,4} fake  ACC {100 * row.Accuracy,5:F1}  AP {100 * row.AveragePrecision,5:F1}  AUC {100 * row.Auc,5:F1}"));
        return new TrainingOutcome(modelPath, bestEpoch, best, history, totalSeconds, stopReason);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the optimizer (the network belongs to the caller).</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing) _optimizer.Dispose();
    }
}
