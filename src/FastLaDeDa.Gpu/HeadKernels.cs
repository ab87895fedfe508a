using ILGPU;

namespace FastLaDeDa.Gpu;

/// <summary>
/// The head: the fc layer (2048 → 1, with bias) at every map position, then mean and max pooling
/// of each image's map.
/// </summary>
internal static class HeadKernels
{
    /// <summary>Threads per pooling group on CUDA (a power of two).</summary>
    public const int MaxPoolThreads = 256;

    /// <summary>Map positions per fc group (threads along x).</summary>
    public const int FcPositions = 32;

    /// <summary>Channel slices per fc group (threads along y).</summary>
    public const int FcSplits = 8;

    /// <summary>
    /// <c>logit[m] = bias + Σ_c fc[c] · x[c][m]</c> for every map position m of the batch, in double.
    /// A group of gx × gy threads (≤ <see cref="FcPositions"/> × <see cref="FcSplits"/>) takes gx
    /// consecutive positions (coalesced reads of each channel plane); thread row y sums channels
    /// y, y + gy, …, and the gy partial sums are added in a fixed order — short dependency chains
    /// instead of one 2048-long one per position.
    /// </summary>
    public static void Fc(ArrayView<float> features, ArrayView<float> fc, ArrayView<double> bias, ArrayView<float> logits, int channels, int positions)
    {
        var partial = SharedMemory.Allocate<double>(FcPositions * FcSplits);
        int tx = Group.IdxX, ty = Group.IdxY, gx = Group.DimX, gy = Group.DimY;
        int m = Grid.IdxX * gx + tx;
        double sum = 0;
        if (m < positions)
            for (int c = ty; c < channels; c += gy) sum += (double)fc[c] * features[c * positions + m];
        partial[ty * gx + tx] = sum;
        Group.Barrier();
        if (ty == 0 && m < positions)
        {
            double total = bias[0];
            for (int y = 0; y < gy; y++) total += partial[y * gx + tx];
            logits[m] = (float)total;
        }
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
