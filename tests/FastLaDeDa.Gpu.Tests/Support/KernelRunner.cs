using ILGPU;
using ILGPU.Runtime;

namespace FastLaDeDa.Gpu.Tests.Support;

/// <summary>Runs one kernel on given host arrays, and the scalar float64 formulas they are checked against.</summary>
internal static class KernelRunner
{
    /// <summary>A convolution kernel (4 or 8 outputs per thread and side; null: the engine's choice) on <paramref name="input"/> ([c][b][y][x]) with weights [out][in][ky][kx].</summary>
    public static float[] Conv(GpuAccelerator gpu, ConvShape s, float[] input, float[] weights, double[] scale, double[] shift, float[]? residual, int? perThread = null)
    {
        var acc = gpu.Accelerator;
        var transposed = new float[weights.Length];
        ConvKernel.TransposeToKxN(weights, s.OutChannels, transposed);
        using var dIn = acc.Allocate1D(input);
        using var dW = acc.Allocate1D(transposed);
        using var dScale = acc.Allocate1D(scale);
        using var dShift = acc.Allocate1D(shift);
        using var dRes = acc.Allocate1D(residual ?? new float[1]);
        // Poisoned: an output the kernel does not write stays NaN and fails the comparison.
        using var dOut = acc.Allocate1D(Enumerable.Repeat(float.NaN, checked((int)s.OutputLength)).ToArray());
        gpu.LaunchConv(dIn.View, dW.View, dScale.View, dShift.View, dRes.View, dOut.View, s, perThread);
        acc.Synchronize();
        return dOut.GetAsArray1D();
    }

    /// <summary>The same convolution, direct loops in double.</summary>
    public static double[] ScalarConv(ConvShape s, float[] input, float[] weights, double[] scale, double[] shift, float[]? residual)
    {
        var output = new double[s.OutputLength];
        int k = s.Kernel;
        for (int o = 0; o < s.OutChannels; o++)
            for (int b = 0; b < s.Batch; b++)
                for (int y = 0; y < s.OutHeight; y++)
                    for (int x = 0; x < s.OutWidth; x++)
                    {
                        double sum = 0;
                        for (int i = 0; i < s.InChannels; i++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                    sum += (double)weights[((o * s.InChannels + i) * k + ky) * k + kx]
                                         * input[((i * s.Batch + b) * s.InHeight + y * s.Stride + ky) * s.InWidth + x * s.Stride + kx];
                        double v = scale[o] * sum + shift[o];
                        if (residual is not null) v += residual[((o * s.Batch + b) * s.ResidualHeight + y) * s.ResidualWidth + x];
                        if (s.Relu != 0) v = Math.Max(v, 0);
                        output[((o * s.Batch + b) * s.OutHeight + y) * s.OutWidth + x] = v;
                    }
        return output;
    }

    /// <summary>Uniform values in [−1, 1).</summary>
    public static float[] Random(Random rng, long count)
    {
        var values = new float[count];
        for (long i = 0; i < count; i++) values[i] = rng.NextSingle() * 2 - 1;
        return values;
    }
}
