using ILGPU;

namespace FastLaDeDa.Kernels;

/// <summary>
/// The head: the fc layer (2048 → 1, with bias) at every map position, then mean and max pooling
/// of each image's map.
/// </summary>
internal static class HeadKernels
{
    /// <summary>Threads per pooling group on CUDA (a power of two).</summary>
    public const int MaxPoolThreads = 256;

    /// <summary>
    /// One thread per map position m of the batch: <c>logit[m] = bias + Σ_c fc[c] · x[c][m]</c>,
    /// summed in double (consecutive threads read consecutive positions of each channel plane).
    /// </summary>
    public static void Fc(Index1D index, ArrayView<float> features, ArrayView<float> fc, ArrayView<double> bias, ArrayView<float> logits, int channels, int positions)
    {
        int m = index;
        double sum = bias[0];
        for (int c = 0; c < channels; c++) sum += (double)fc[c] * features[c * positions + m];
        logits[m] = (float)sum;
    }

    /// <summary>
    /// One group per image (grid = batch; group size a power of two ≤ <see cref="MaxPoolThreads"/>):
    /// each thread strides over the image's <paramref name="cells"/> logits, then a shared-memory
    /// tree reduction gives the sum (double) and the max; <c>pooled[2b] = mean</c>, <c>pooled[2b + 1] = max</c>.
    /// </summary>
    public static void Pool(ArrayView<float> logits, ArrayView<double> pooled, int cells)
    {
        var sums = SharedMemory.Allocate<double>(MaxPoolThreads);
        var maxes = SharedMemory.Allocate<float>(MaxPoolThreads);
        int t = Group.IdxX, threads = Group.DimX, b = Grid.IdxX;
        double sum = 0;
        float max = float.NegativeInfinity;
        for (int i = t; i < cells; i += threads)
        {
            float v = logits[b * cells + i];
            sum += v;
            if (v > max) max = v;
        }
        sums[t] = sum;
        maxes[t] = max;
        Group.Barrier();
        for (int half = threads / 2; half > 0; half /= 2)
        {
            if (t < half)
            {
                sums[t] += sums[t + half];
                if (maxes[t + half] > maxes[t]) maxes[t] = maxes[t + half];
            }
            Group.Barrier();
        }
        if (t == 0)
        {
            pooled[2 * b] = sums[0] / cells;
            pooled[2 * b + 1] = maxes[0];
        }
    }
}
