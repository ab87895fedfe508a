namespace FastLaDeDa.Training.Data;

/// <summary>
/// Balanced classes by sampling: every batch holds half real and half fake images (for an odd batch
/// size the extra image alternates between the classes). Within a class the images are drawn from a
/// shuffled cycle, reshuffled when used up, so every image of a class is seen equally often and the
/// smaller class is oversampled. An epoch has ⌈N / batch⌉ batches (about N images, N = dataset size).
/// The plan depends only on (seed, epoch).
/// </summary>
internal static class BalancedBatchSampler
{
    /// <summary>The batches (dataset indices) of <paramref name="epoch"/>.</summary>
    public static IReadOnlyList<int[]> Plan(ImageDataset dataset, int batchSize, long seed, int epoch)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Plan(dataset.IndicesOf(isFake: false), dataset.IndicesOf(isFake: true), batchSize, seed, epoch);
    }

    /// <summary>The batches drawn from the two index lists; both must be non-empty.</summary>
    public static IReadOnlyList<int[]> Plan(int[] real, int[] fake, int batchSize, long seed, int epoch)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(fake);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 2);
        if (real.Length == 0 || fake.Length == 0) throw new DatasetException("balanced sampling needs images of both classes");
        int batches = (real.Length + fake.Length + batchSize - 1) / batchSize;
        var realCycle = new ClassCycle(real, seed, epoch, 0);
        var fakeCycle = new ClassCycle(fake, seed, epoch, 1);
        var plan = new List<int[]>(batches);
        for (int b = 0; b < batches; b++)
        {
            int realCount = batchSize / 2 + (batchSize % 2 == 1 && b % 2 == 0 ? 1 : 0);
            var batch = new int[batchSize];
            for (int k = 0; k < batchSize; k++) batch[k] = k < realCount ? realCycle.Next() : fakeCycle.Next();
            plan.Add(batch);
        }
        return plan;
    }

    private sealed class ClassCycle(int[] indices, long seed, int epoch, int label)
    {
        private readonly int[] _order = (int[])indices.Clone();
        private int _position = indices.Length;
        private int _cycle;

        public int Next()
        {
            if (_position == _order.Length)
            {
                SeededRandom.For(seed, RandomStreams.Sampler, epoch, label, _cycle++).Shuffle(_order.AsSpan());
                _position = 0;
            }
            return _order[_position++];
        }
    }
}
