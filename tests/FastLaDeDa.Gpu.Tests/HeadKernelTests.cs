using FastLaDeDa.Gpu.Tests.Support;
using ILGPU;
using ILGPU.Runtime;

namespace FastLaDeDa.Gpu.Tests;

/// <summary>The fc head and the mean/max pooling kernels against scalar loops, maps of several sizes per batch.</summary>
[Collection(CpuAcceleratorCollection.Name)]
public class HeadKernelTests(CpuAccelerators cpu)
{
    [Theory]
    [InlineData(1, 1, 2048)]
    [InlineData(3, 7 * 5, 64)]
    [InlineData(2, 31 * 31, 2048)]
    public void Fc_and_pooling_match_scalar_loops(int batch, int cells, int channels) => Check(cpu.Small, batch, cells, channels);

    [SkippableTheory]
    [InlineData(32, 31 * 31, 2048)]
    [InlineData(3, 27 * 27, 2048)]
    public void Fc_and_pooling_match_scalar_loops_on_cuda(int batch, int cells, int channels)
    {
        Cuda.Require();
        Check(Cuda.Accelerator, batch, cells, channels);
    }

    private static void Check(GpuAccelerator gpu, int batch, int cells, int channels)
    {
        var rng = new Random(batch * cells + channels);
        int positions = batch * cells;
        float[] features = KernelRunner.Random(rng, (long)channels * positions);
        float[] fc = KernelRunner.Random(rng, channels);
        double bias = rng.NextDouble() - 0.5;
        var acc = gpu.Accelerator;
        using var dFeatures = acc.Allocate1D(features);
        using var dFc = acc.Allocate1D(fc);
        using var dBias = acc.Allocate1D(new[] { bias });
        using var dLogits = acc.Allocate1D<float>(positions);
        using var dPooled = acc.Allocate1D<double>(2 * batch);
        gpu.LaunchFc(dFeatures.View, dFc.View, dBias.View, dLogits.View, channels, positions);
        gpu.Pool(new KernelConfig(batch, gpu.PoolThreads), dLogits.View, dPooled.View, cells);
        acc.Synchronize();
        float[] logits = dLogits.GetAsArray1D();
        double[] pooled = dPooled.GetAsArray1D();

        for (int m = 0; m < positions; m++)
        {
            double sum = bias;
            for (int c = 0; c < channels; c++) sum += (double)fc[c] * features[c * positions + m];
            // Summed in double (in slices, then added); allow a float rounding.
            Assert.True(Math.Abs(sum - logits[m]) <= 1e-6 * Math.Max(1, Math.Abs(sum)), $"position {m}: {logits[m]} vs {sum}");
        }
        for (int b = 0; b < batch; b++)
        {
            var map = logits.AsSpan(b * cells, cells).ToArray();
            Assert.Equal(map.Average(v => (double)v), pooled[2 * b], 1e-9);
            Assert.Equal(map.Max(), pooled[2 * b + 1]);
        }
    }
}
