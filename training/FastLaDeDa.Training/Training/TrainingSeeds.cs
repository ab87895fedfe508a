using FastLaDeDa.Training.Data;
using TorchSharp;

namespace FastLaDeDa.Training.Training;

/// <summary>Seeds torch's global generator for a run's initial weights (from the run's seed), so equal seeds give equal networks.</summary>
internal static class TrainingSeeds
{
    /// <summary>Calls <c>torch.manual_seed</c> with a value derived from <paramref name="seed"/>.</summary>
    public static void SeedInitialWeights(long seed) =>
        torch.manual_seed((long)(SeededRandom.For(seed, RandomStreams.Initialization).NextUInt64() >> 1));
}
