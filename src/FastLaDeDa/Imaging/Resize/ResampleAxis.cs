namespace FastLaDeDa.Imaging.Resize;

/// <summary>
/// The filter taps for resampling one axis from <see cref="InputSize"/> to
/// <see cref="OutputSize"/> samples, computed exactly as Pillow 9.4's <c>precompute_coeffs</c>
/// and <c>normalize_coeffs_8bpc</c> (libImaging/Resample.c) do, so that the integer results match
/// bit for bit.
/// </summary>
/// <remarks>
/// For output sample <c>i</c>: <c>scale = in / out</c>, <c>filterscale = max(scale, 1)</c> (when
/// shrinking, the filter widens: this is the antialiasing), <c>support = filter support ×
/// filterscale</c>, <c>center = (i + 0.5) × scale</c>; the taps run over input samples
/// <c>[xmin, xmin + count)</c> with <c>xmin = max((int)(center − support + 0.5), 0)</c> and
/// <c>xmin + count = min((int)(center + support + 0.5), in)</c>; tap <c>x</c> weighs
/// <c>filter((x + xmin − center + 0.5) × (1 / filterscale))</c> (Pillow multiplies by the
/// reciprocal, which can differ from dividing in the last bit), the weights are divided by their
/// sum in double precision, then rounded half away from zero to fixed point with
/// <see cref="PrecisionBits"/> fractional bits.
/// </remarks>
internal sealed class ResampleAxis
{
    /// <summary>Pillow's PRECISION_BITS for 8-bit images: 32 − 8 − 2 (8 bits of result, 2 for overflow and sign).</summary>
    public const int PrecisionBits = 32 - 8 - 2;

    private ResampleAxis(int inputSize, int outputSize, int kernelSize, int[] start, int[] count, double[] weights, int[] fixedWeights)
    {
        InputSize = inputSize;
        OutputSize = outputSize;
        KernelSize = kernelSize;
        Start = start;
        Count = count;
        Weights = weights;
        FixedWeights = fixedWeights;
    }

    /// <summary>Samples along the axis before resampling.</summary>
    public int InputSize { get; }

    /// <summary>Samples along the axis after resampling.</summary>
    public int OutputSize { get; }

    /// <summary>Stride of <see cref="Weights"/> and <see cref="FixedWeights"/> per output sample (Pillow's ksize = ceil(support) × 2 + 1).</summary>
    public int KernelSize { get; }

    /// <summary>First input sample of each output sample's taps (xmin).</summary>
    public int[] Start { get; }

    /// <summary>Number of taps of each output sample (Pillow's xmax after subtracting xmin).</summary>
    public int[] Count { get; }

    /// <summary>Normalised weights, <see cref="KernelSize"/> per output sample (unused entries 0).</summary>
    public double[] Weights { get; }

    /// <summary><see cref="Weights"/> in fixed point with <see cref="PrecisionBits"/> fractional bits.</summary>
    public int[] FixedWeights { get; }

    /// <summary>The taps of Pillow's BILINEAR filter (a triangle of support 1) over the whole axis.</summary>
    public static ResampleAxis Bilinear(int inputSize, int outputSize) =>
        Compute(inputSize, outputSize, TriangleFilter, filterSupport: 1.0);

    private static double TriangleFilter(double x)
    {
        if (x < 0.0) x = -x;
        return x < 1.0 ? 1.0 - x : 0.0;
    }

    /// <summary>
    /// The taps of any of Pillow's filters (<paramref name="filter"/> with support
    /// <paramref name="filterSupport"/>); the resize uses <see cref="Bilinear"/>, tests also use
    /// filters with negative lobes, whose sums can leave 0..255 before clipping.
    /// </summary>
    internal static ResampleAxis Compute(int inputSize, int outputSize, Func<double, double> filter, double filterSupport)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize);

        // Pillow passes the box edges as floats: (double)(in1 - in0) with in0 = 0, in1 = in.
        double scale = (double)(float)inputSize / outputSize;
        double filterScale = scale < 1.0 ? 1.0 : scale;
        double support = filterSupport * filterScale;
        int kernelSize = (int)Math.Ceiling(support) * 2 + 1;
        double reciprocal = 1.0 / filterScale;

        var start = new int[outputSize];
        var count = new int[outputSize];
        var weights = new double[outputSize * kernelSize];
        var fixedWeights = new int[outputSize * kernelSize];
        for (int i = 0; i < outputSize; i++)
        {
            double center = (i + 0.5) * scale;
            int xmin = (int)(center - support + 0.5);
            if (xmin < 0) xmin = 0;
            int xmax = (int)(center + support + 0.5);
            if (xmax > inputSize) xmax = inputSize;
            xmax -= xmin;

            Span<double> k = weights.AsSpan(i * kernelSize, kernelSize);
            double sum = 0.0;
            for (int x = 0; x < xmax; x++)
            {
                double w = filter((x + xmin - center + 0.5) * reciprocal);
                k[x] = w;
                sum += w;
            }
            for (int x = 0; x < xmax; x++)
            {
                if (sum != 0.0) k[x] /= sum;
                fixedWeights[i * kernelSize + x] = ToFixedPoint(k[x]);
            }
            start[i] = xmin;
            count[i] = xmax;
        }
        return new ResampleAxis(inputSize, outputSize, kernelSize, start, count, weights, fixedWeights);
    }

    /// <summary>Pillow's rounding: half away from zero, after scaling by 2^PrecisionBits.</summary>
    internal static int ToFixedPoint(double weight) =>
        weight < 0
            ? (int)(-0.5 + weight * (1 << PrecisionBits))
            : (int)(0.5 + weight * (1 << PrecisionBits));
}
