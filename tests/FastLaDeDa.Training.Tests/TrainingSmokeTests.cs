using FastLaDeDa.Tests.Support;
using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Distillation;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Training.Tests.Support;
using FastLaDeDa.Training.Training;
using TorchSharp;

namespace FastLaDeDa.Training.Tests;

/// <summary>A few optimizer steps on a handful of small generated images: the loss goes down (full training never runs in CI).</summary>
public class TrainingSmokeTests
{
    [Theory]
    [InlineData("ladeda", nameof(ImageLossKind.PooledBce))]
    [InlineData("tiny", nameof(ImageLossKind.PooledBce))]
    [InlineData("tiny", nameof(ImageLossKind.PatchBce))]
    public void Image_label_training_steps_reduce_the_loss(string model, string lossName)
    {
        var loss = Enum.Parse<ImageLossKind>(lossName); // the trainer's types are internal; a public test method takes the name
        using var temp = new TempDirectory();
        var data = TrainingFixtures.Dataset(perClass: 4, size: 48, seed: 1);
        TrainingSeeds.SeedInitialWeights(7);
        using PatchLogitNet net = model == "ladeda" ? ResNetInitialization.Apply(new LaDeDaNet()) : ResNetInitialization.Apply(new TinyLaDeDaNet());
        var options = TrainingFixtures.Options(temp.Path, crop: 32, learningRate: model == "ladeda" ? 2e-4 : 1e-2);
        using var trainer = new ClassifierTrainer("smoke", net, loss, options, data, data, TextWriter.Null);
        using var batch = BatchBuilder.Training(data, BalancedBatchSampler.Plan(data, 8, 7, 1)[0], 32, AugmentationOptions.None, 7, 1, 0);
        net.train();
        var losses = Enumerable.Range(0, 8).Select(_ => trainer.Step(batch)).ToList();
        Assert.True(losses.TakeLast(3).Average() < 0.9 * losses[0], $"losses: {string.Join(", ", losses.Select(l => l.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    [Fact]
    public void Distillation_reduces_the_mse_to_the_teacher()
    {
        using var temp = new TempDirectory();
        var train = TrainingFixtures.Dataset(perClass: 3, size: 64, seed: 2);
        var val = TrainingFixtures.Dataset(perClass: 2, size: 64, seed: 3);
        torch.manual_seed(3);
        using var teacher = TorchTestNets.Randomize(new LaDeDaNet(), seed: 4);
        TrainingSeeds.SeedInitialWeights(7);
        using var student = ResNetInitialization.Apply(new TinyLaDeDaNet());
        // crop 64: 7x7 teacher cells per crop; batch 49 = one crop's patches.
        var options = TrainingFixtures.Options(temp.Path, crop: 64, batchSize: 49, maxEpochs: 4, learningRate: 5e-3);
        using var trainer = new DistillationTrainer(student, teacher, "test-teacher", new DistillationSettings(), options, train, val, TextWriter.Null);
        var outcome = trainer.Run(new Dictionary<string, string>());
        var history = outcome.History;
        Assert.Equal(4, history.Count);
        Assert.True(history[^1].TrainLoss < 0.8 * history[0].TrainLoss, $"train MSE: {string.Join(", ", history.Select(h => h.TrainLoss))}");
        Assert.True(history[^1].ValidationMse < history[0].ValidationMse, $"val MSE: {string.Join(", ", history.Select(h => h.ValidationMse))}");
        Assert.Equal(6 * 49, history[0].TrainItemsPerSecond * history[0].TrainSeconds, 1e-6);
        Assert.True(File.Exists(Path.Combine(temp.Path, "teacher-maps-train.bin")));
    }
}
