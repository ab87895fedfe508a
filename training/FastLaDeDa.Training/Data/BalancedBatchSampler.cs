namespace FastLaDeDa.Training.Data;

/// <summary>
/// Balanced classes by sampling: every batch holds half real and half fake images (for an odd batch
/// size the extra image alternates between the classes). Within a class the images are drawn from a
/// shuffled cycle, reshuffled when used up, so every image of a class is seen equally often and the
/// smaller class is oversampled. An epoch has ⌈N / batch⌉ batches (about N images, N = dataset size).
/// The plan depends only on (seed, epoch).
/// <para>
/// With a source power α ≠ 1 (<c>--source-power</c>) a class's draws first pick a source with
/// probability ∝ n_s^α (n_s: that source's images of the class), then the source's next image from its
/// own shuffled cycle: α = 1 is plain image sampling (the default plan, exactly), α = 0 weighs every
/// source alike, α = 0.5 damps the big sources without letting a source of ten images dominate.
/// </para>
/// </summary>
internal static class BalancedBatchSampler
{
    /// <summary>The batches (dataset indices) of <paramref name="epoch"/>.</summary>
    public static IReadOnlyList<int[]> Plan(ImageDataset dataset, int batchSize, long seed, int epoch, double sourcePower = 1)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        int[] real = [.. dataset.IndicesOf(isFake: false)], fake = [.. dataset.IndicesOf(isFake: true)];
        if (sourcePower == 1) return Plan(real, fake, batchSize, seed, epoch);
        string[] sources = dataset.Images.Select(i => i.Source).ToArray();
        return Plan(real, fake, batchSize, seed, epoch, i => sources[i], sourcePower);
    }

    /// <summary>
    /// The batches with each class's draws weighted by source: a source is picked with probability
    /// ∝ (its images in the class)^<paramref name="sourcePower"/>, then its next image.
    /// </summary>
    public static IReadOnlyList<int[]> Plan(int[] real, int[] fake, int batchSize, long seed, int epoch,
                                            Func<int, string> sourceOf, double sourcePower)
    {
        ArgumentNullException.ThrowIfNull(sourceOf);
        if (!(sourcePower >= 0 && sourcePower <= 1)) throw new ArgumentOutOfRangeException(nameof(sourcePower), sourcePower, "expected a power in [0, 1]");
        return Plan(real, fake, batchSize, (indices, label) => new SourceMix(indices, sourceOf, sourcePower, seed, epoch, label));
    }

    /// <summary>The batches drawn from the two index lists; both must be non-empty.</summary>
    public static IReadOnlyList<int[]> Plan(int[] real, int[] fake, int batchSize, long seed, int epoch)
    {
        return Plan(real, fake, batchSize, (indices, label) => new ClassCycle(indices, seed, epoch, label));
    }

    private static List<int[]> Plan(int[] real, int[] fake, int batchSize, Func<int[], int, IDraw> drawFrom)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(fake);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 2);
        if (real.Length == 0 || fake.Length == 0) throw new DatasetException("balanced sampling needs images of both classes");
        int batches = (real.Length + fake.Length + batchSize - 1) / batchSize;
        IDraw realCycle = drawFrom(real, 0), fakeCycle = drawFrom(fake, 1);
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

    private interface IDraw
    {
        int Next();
    }

    /// <summary>A class's images in shuffled cycles (<paramref name="keys"/> after the epoch tell the streams apart).</summary>
    private sealed class ClassCycle(int[] indices, long seed, int epoch, params long[] keys) : IDraw
    {
        private readonly int[] _order = (int[])indices.Clone();
        private int _position = indices.Length;
        private int _cycle;

        public int Next()
        {
            if (_position == _order.Length)
            {
                SeededRandom.For(seed, [RandomStreams.Sampler, epoch, .. keys, _cycle++]).Shuffle(_order.AsSpan());
                _position = 0;
            }
            return _order[_position++];
        }
    }

    /// <summary>A class's draws by source: a weighted pick of the source, then that source's own cycle.</summary>
    private sealed class SourceMix : IDraw
    {
        private readonly ClassCycle[] _cycles;
        private readonly double[] _cumulative;
        private readonly SeededRandom _pick;

        public SourceMix(int[] indices, Func<int, string> sourceOf, double power, long seed, int epoch, int label)
        {
            // Sources in name order so the plan does not depend on the order the images were loaded in.
            var groups = indices.GroupBy(sourceOf).OrderBy(g => g.Key, StringComparer.Ordinal).ToArray();
            _cycles = groups.Select((g, s) => new ClassCycle(g.ToArray(), seed, epoch, label, 2 + s)).ToArray();
            _cumulative = new double[groups.Length];
            double total = 0;
            for (int s = 0; s < groups.Length; s++) _cumulative[s] = total += Math.Pow(groups[s].Count(), power);
            _pick = SeededRandom.For(seed, RandomStreams.Sampler, epoch, label, -1);
        }

        public int Next()
        {
            double u = _pick.NextDouble() * _cumulative[^1];
            int s = 0;
            while (s < _cumulative.Length - 1 && u >= _cumulative[s]) s++;
            return _cycles[s].Next();
        }
    }
}
