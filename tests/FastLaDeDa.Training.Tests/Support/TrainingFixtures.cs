using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Training;

namespace FastLaDeDa.Training.Tests.Support;

/// <summary>Small in-memory datasets and fast settings for training tests.</summary>
internal static class TrainingFixtures
{
    /// <summary>A generated split of <paramref name="perClass"/> images per class at <paramref name="size"/>², in memory.</summary>
    public static ImageDataset Dataset(int perClass, int size, int seed) =>
        ImageDataset.FromImages($"synthetic-{seed}",
            [.. Enumerable.Range(0, perClass).Select(i => new DatasetImage($"r{i}.png", $"0_real/synth_real__{seed}_{i}.png", "synth_real", false, SyntheticDataset.Image(size, seed * 100 + i, false))),
             .. Enumerable.Range(0, perClass).Select(i => new DatasetImage($"f{i}.png", $"1_fake/synth_fake__{seed}_{i}.png", "synth_fake", true, SyntheticDataset.Image(size, seed * 100 + 50 + i, true)))]);

    /// <summary>Quick settings: small crops and batches, a few epochs.</summary>
    public static TrainingOptions Options(string folder, int crop = 32, int batchSize = 8, int maxEpochs = 2, double learningRate = 2e-4) => new()
    {
        OutputFolder = folder,
        Crop = crop,
        ValidationCrop = crop,
        BatchSize = batchSize,
        MaxEpochs = maxEpochs,
        LearningRate = learningRate,
        Seed = 7,
    };
}
