using System.Diagnostics;
using FastLaDeDa.Cli.Reporting;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Distillation;

/// <summary>
/// Tiny-LaDeDa distilled from LaDeDa (MODEL.md "Distillation"): before the first epoch the teacher's
/// patch-logit maps are extracted (or read from the cache) for every training crop (random crop,
/// no flip; <see cref="TeacherMaps"/>), and for the validation centre crops; each epoch then visits
/// every (student patch, teacher logit) pair once in a seeded random order, in batches of 729, with
/// MSE between the student's pooled patch logit and the teacher's. Validation scores the student
/// fully convolutionally on the validation crops (ACC/AP/AUC, as the product uses it) and reports
/// its MSE against the teacher on the validation patches.
/// </summary>
internal sealed class DistillationTrainer(TinyLaDeDaNet student, LaDeDaNet teacher, string teacherSha256, DistillationSettings settings,
                                        TrainingOptions options, ImageDataset train, ImageDataset validation, TextWriter log)
    : EpochTrainer(Name, student, options, train, validation, log)
{
    /// <summary>The task name in checkpoints and metadata.</summary>
    public const string Name = "distill";

    private DistillationSet? _train;
    private DistillationSet? _validation;

    private TinyLaDeDaNet Student => (TinyLaDeDaNet)Net;

    /// <inheritdoc/>
    protected override string LossLabel => "MSE";

    /// <inheritdoc/>
    protected override void Prepare()
    {
        var geometry = DistillationGeometry.For(teacher, Options.Crop);
        geometry.Check(settings.PatchMode);
        var valGeometry = DistillationGeometry.For(teacher, Options.ValidationCrop);
        valGeometry.Check(settings.PatchMode);
        string trainKey = TeacherMaps.MakeKey(teacherSha256, Train, geometry, settings.TeacherPasses, Options.Augmentation, Options.Seed, center: false);
        string valKey = TeacherMaps.MakeKey(teacherSha256, Validation, valGeometry, 1, AugmentationOptions.None, Options.Seed, center: true);
        var trainMaps = TeacherMaps.LoadOrExtract(Path.Combine(Options.OutputFolder, "teacher-maps-train.bin"), trainKey, teacher, Train, geometry,
                                                  settings.TeacherPasses, Options.Augmentation, Options.Seed, center: false, Log);
        var valMaps = TeacherMaps.LoadOrExtract(Path.Combine(Options.OutputFolder, "teacher-maps-val.bin"), valKey, teacher, Validation, valGeometry,
                                                1, AugmentationOptions.None, Options.Seed, center: true, Log);
        var clock = Stopwatch.StartNew();
        _train = DistillationSet.Build(trainMaps, Train, geometry, settings.PatchMode, Student.Preprocess, Options.Augmentation, Options.Seed, center: false);
        _validation = DistillationSet.Build(valMaps, Validation, valGeometry, settings.PatchMode, Student.Preprocess, AugmentationOptions.None, Options.Seed, center: true);
        Log.WriteLine($"distillation pairs: {_train.Count:N0} train ({_train.Crops} crops x {_train.PatchesPerCrop}), {_validation.Count:N0} val; " +
                      $"student patches {settings.PatchMode} {geometry.StudentPatchSize(settings.PatchMode)}x{geometry.StudentPatchSize(settings.PatchMode)}; built in {clock.Elapsed.TotalSeconds:F0} s");
    }

    /// <inheritdoc/>
    protected override (double MeanLoss, long Items, double Seconds) TrainEpoch(int epoch)
    {
        var data = _train ?? throw new InvalidOperationException("Prepare was not called");
        long total = data.Count;
        var order = new long[total];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        // Fisher–Yates draws depend only on the length, so shuffling int64 indices gives the same order.
        SeededRandom.For(Options.Seed, RandomStreams.PatchOrder, epoch).Shuffle(order.AsSpan());
        // One int64 tensor per epoch (what index_select takes); each batch is a view of it.
        using Tensor permutation = tensor(order);
        var bar = new ProgressBar($"epoch {epoch}", total, "patch");
        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        long done = 0;
        for (long start = 0; start < total; start += Options.BatchSize)
        {
            using var scope = NewDisposeScope();
            int count = (int)Math.Min(Options.BatchSize, total - start);
            if (count < 2) break; // BatchNorm cannot train on one sample
            using Tensor index = permutation.narrow(0, start, count);
            Tensor inputs = data.Inputs.index_select(0, index);
            Tensor targets = data.Targets.index_select(0, index);
            Tensor loss = nn.functional.mse_loss(StudentPatches.Logits(Student, inputs, settings.PatchMode), targets);
            Optimizer.zero_grad();
            loss.backward();
            Optimizer.step();
            lossSum += loss.item<float>() * count;
            done += count;
            bar.Report(done, lossSum / done);
        }
        return (lossSum / Math.Max(done, 1), done, clock.Elapsed.TotalSeconds);
    }

    /// <inheritdoc/>
    protected override (ValidationResult Result, double? Mse) Validate()
    {
        var result = Validator.Run(Net, Validation, Options.ValidationCrop, batchSize: 32);
        var data = _validation ?? throw new InvalidOperationException("Prepare was not called");
        double sum = 0;
        using (no_grad())
        {
            for (long start = 0; start < data.Count; start += 8192)
            {
                using var scope = NewDisposeScope();
                long count = Math.Min(8192, data.Count - start);
                Tensor logits = StudentPatches.Logits(Student, data.Inputs.narrow(0, start, count), settings.PatchMode);
                sum += logits.sub(data.Targets.narrow(0, start, count)).square().sum().item<float>();
            }
        }
        return (result, sum / Math.Max(1, data.Count));
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _train?.Dispose();
            _validation?.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>Distillation-specific settings.</summary>
/// <param name="PatchMode">How the student's patches are cut (<see cref="StudentPatchMode"/>).</param>
/// <param name="TeacherPasses">Random teacher crops per training image (1 in the paper).</param>
internal sealed record DistillationSettings(StudentPatchMode PatchMode = StudentPatchMode.Exact, int TeacherPasses = 1);
