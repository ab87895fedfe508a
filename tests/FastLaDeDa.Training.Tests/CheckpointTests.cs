using FastLaDeDa.Errors;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Training.Export;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Training.Tests.Support;
using FastLaDeDa.Training.Training;
using FastLaDeDa.Weights;
using TorchSharp;

namespace FastLaDeDa.Training.Tests;

/// <summary>Checkpoints every epoch, resume, the plateau schedule, and errors for checkpoints or weights that belong to another model.</summary>
public class CheckpointTests
{
    private static TrainingOutcome TrainTiny(string folder, int maxEpochs, string? resume = null, long seed = 7)
    {
        var data = TrainingFixtures.Dataset(perClass: 4, size: 40, seed: 5);
        TrainingSeeds.SeedInitialWeights(seed);
        using var net = ResNetInitialization.Apply(new TinyLaDeDaNet());
        var options = TrainingFixtures.Options(folder, crop: 32, maxEpochs: maxEpochs, learningRate: 1e-2) with { Resume = resume, Seed = seed };
        using var trainer = new ClassifierTrainer("train-tiny", net, ImageLossKind.PooledBce, options, data, data, TextWriter.Null);
        return trainer.Run(new Dictionary<string, string>());
    }

    [Fact]
    public void Resuming_after_epoch_one_gives_the_run_that_was_never_interrupted()
    {
        using var straight = new TempDirectory();
        using var interrupted = new TempDirectory();
        var full = TrainTiny(straight.Path, maxEpochs: 3);
        TrainTiny(interrupted.Path, maxEpochs: 1);
        Assert.Equal(1, Checkpoint.ReadState(Path.Combine(interrupted.Path, EpochTrainer.CheckpointFile)).Epoch);
        var resumed = TrainTiny(interrupted.Path, maxEpochs: 3, resume: Path.Combine(interrupted.Path, EpochTrainer.CheckpointFile));
        Assert.Equal(3, resumed.History.Count);
        Assert.Equal(full.History.Select(h => h.TrainLoss), resumed.History.Select(h => h.TrainLoss), (a, b) => Math.Abs(a - b) < 1e-5);
        var a = SafeTensors.Read(Path.Combine(straight.Path, EpochTrainer.BestFile));
        var b = SafeTensors.Read(Path.Combine(interrupted.Path, EpochTrainer.BestFile));
        foreach (var (name, tensor) in a.Tensors)
            if (tensor.DType == TensorDType.Float32)
                Assert.Equal(tensor.ToFloat32(), b.Tensors[name].ToFloat32(), (x, y) => Math.Abs(x - y) < 1e-4);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(interrupted.Path, EpochTrainer.MetricsFile)).Length - 1);
    }

    [Fact]
    public void A_checkpoint_of_another_model_is_refused_with_what_it_holds()
    {
        using var temp = new TempDirectory();
        TrainTiny(temp.Path, maxEpochs: 1);
        string checkpoint = Path.Combine(temp.Path, EpochTrainer.CheckpointFile);
        using var ladeda = new LaDeDaNet();
        using var optimizer = torch.optim.Adam(ladeda.parameters());
        var ex = Assert.Throws<CheckpointException>(() => Checkpoint.Load(checkpoint, "train-ladeda", ladeda, optimizer));
        Assert.Contains("a train-tiny checkpoint of Tiny-LaDeDa (right_diag), not a train-ladeda checkpoint of LaDeDa9 (npr)", ex.Message, StringComparison.Ordinal);
        using var npr = new TinyLaDeDaNet(PreprocessKind.Npr);
        using var nprOptimizer = torch.optim.Adam(npr.parameters());
        Assert.Throws<CheckpointException>(() => Checkpoint.Load(checkpoint, "train-tiny", npr, nprOptimizer));
        Assert.Contains("trained with --seed 7, not 8", Assert.Throws<CheckpointException>(() => TrainTiny(temp.Path, 2, checkpoint, seed: 8)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_checkpoint_is_refused()
    {
        using var temp = new TempDirectory();
        string path = temp.Write("x.ckpt", [1, 2, 3, 4, 5]);
        using var net = new TinyLaDeDaNet();
        using var optimizer = torch.optim.Adam(net.parameters());
        Assert.Contains("not a FastLaDeDa.Training checkpoint", Assert.Throws<CheckpointException>(() => Checkpoint.Load(path, "train-tiny", net, optimizer)).Message, StringComparison.Ordinal);
        Assert.Contains("checkpoint not found", Assert.Throws<CheckpointException>(() => Checkpoint.ReadState(temp.File("missing.ckpt"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tiny_weights_given_as_the_teacher_are_a_model_mismatch()
    {
        using var temp = new TempDirectory();
        using var tiny = new TinyLaDeDaNet();
        string path = temp.File("tiny.safetensors");
        TorchStateDict.Save(tiny, path);
        var ex = Assert.ThrowsAny<FastLaDeDaException>(() => TorchStateDict.LoadLaDeDa(SafeTensors.Read(path)));
        Assert.Contains("tiny", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Plateau_drops_the_rate_after_patience_epochs_and_stops_below_the_minimum()
    {
        var s = new PlateauScheduler(patience: 2, minImprovement: 0.001, factor: 0.5, minLearningRate: 0.2, learningRate: 1.0);
        Assert.Equal(PlateauScheduler.Decision.Continue, s.Observe(0.5));
        Assert.Equal(PlateauScheduler.Decision.Continue, s.Observe(0.6));
        Assert.Equal(PlateauScheduler.Decision.Continue, s.Observe(0.6005)); // not a gain of more than 0.001
        Assert.Equal(PlateauScheduler.Decision.Dropped, s.Observe(0.59));
        Assert.Equal(0.5, s.LearningRate);
        Assert.Null(s.Best); // a fresh start after a drop, as the official EarlyStopping
        Assert.Equal(PlateauScheduler.Decision.Continue, s.Observe(0.4));
        Assert.Equal(PlateauScheduler.Decision.Continue, s.Observe(0.4));
        Assert.Equal(PlateauScheduler.Decision.Dropped, s.Observe(0.4));
        Assert.Equal(0.25, s.LearningRate);
        s.Observe(0.4);
        s.Observe(0.4);
        Assert.Equal(PlateauScheduler.Decision.Stop, s.Observe(0.4)); // 0.125 < 0.2
    }
}
