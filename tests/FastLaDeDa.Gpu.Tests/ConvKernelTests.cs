using FastLaDeDa.Gpu.Tests.Support;
using Xunit.Abstractions;

namespace FastLaDeDa.Gpu.Tests;

/// <summary>
/// The implicit-GEMM convolution against direct float64 loops on random shapes: 1×1, 3×3 and
/// strided, sizes that leave remainders in every tile dimension (M, N and K), batches, and the
/// fused epilogue (BatchNorm scale/shift, the cropped residual, ReLU). Each shape runs both kernels
/// (4 × 4 and 8 × 8 outputs per thread) with groups of 1 thread (the engine's CPU setting), 2 × 2
/// and 16 × 16 (CUDA's: 64 × 64 and 128 × 128 tiles), so both load paths and the barriers are exercised.
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
public class ConvKernelTests(CpuAccelerators cpu, ITestOutputHelper output)
{
    public static TheoryData<int, int, int, int, int, int, int, bool, int, int> Shapes => new()
    {
        // batch, inC, inH, inW, outC, kernel, stride, relu, residual extra rows, extra columns (−1: none)
        { 1, 5, 7, 9, 6, 1, 1, true, -1, -1 },
        { 1, 37, 11, 13, 70, 1, 1, false, -1, -1 },
        { 1, 3, 10, 12, 64, 3, 1, true, -1, -1 },
        { 2, 8, 15, 14, 9, 3, 2, true, -1, -1 },
        { 2, 20, 13, 13, 33, 1, 2, false, -1, -1 },
        { 1, 16, 9, 11, 17, 1, 1, true, 2, 1 },
        { 3, 6, 11, 9, 20, 3, 2, true, 1, 1 },
        { 2, 17, 6, 5, 65, 1, 1, true, 0, 0 },
        { 1, 24, 13, 21, 130, 1, 1, true, 1, 2 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Matches_a_scalar_convolution(int batch, int inC, int inH, int inW, int outC, int kernel, int stride, bool relu, int extraRows, int extraCols)
    {
        foreach (var gpu in new[] { cpu.Small, cpu.Pairs, cpu.Wide })
            foreach (int perThread in new[] { 4, 8 })
                Check(gpu, perThread, batch, inC, inH, inW, outC, kernel, stride, relu, extraRows, extraCols, output);
    }

    [SkippableTheory]
    [MemberData(nameof(Shapes))]
    public void Matches_a_scalar_convolution_on_cuda(int batch, int inC, int inH, int inW, int outC, int kernel, int stride, bool relu, int extraRows, int extraCols)
    {
        Cuda.Require();
        foreach (int perThread in new[] { 4, 8 })
            Check(Cuda.Accelerator, perThread, batch, inC, inH, inW, outC, kernel, stride, relu, extraRows, extraCols, output);
    }

    internal static void Check(GpuAccelerator gpu, int perThread, int batch, int inC, int inH, int inW, int outC, int kernel, int stride, bool relu, int extraRows, int extraCols, ITestOutputHelper output)
    {
        var rng = new Random(HashCode.Combine(batch, inC, inH, inW, outC, kernel, stride));
        var s = ConvShape.Create(batch, inC, inH, inW, outC, kernel, stride, relu);
        if (extraRows >= 0) s = s.WithResidual(s.OutHeight + extraRows, s.OutWidth + extraCols);
        float[] input = KernelRunner.Random(rng, s.InputLength);
        float[] weights = KernelRunner.Random(rng, (long)outC * s.K);
        double[] scale = [.. Enumerable.Range(0, outC).Select(_ => 0.5 + rng.NextDouble())];
        double[] shift = [.. Enumerable.Range(0, outC).Select(_ => rng.NextDouble() - 0.5)];
        float[]? residual = extraRows >= 0 ? KernelRunner.Random(rng, s.ResidualLength) : null;

        int tile = perThread * gpu.GroupSide;
        string name = $"{(gpu.IsCuda ? "cuda" : "cpu")} {gpu.GroupSide}x{gpu.GroupSide} threads, {tile}x{tile} tiles";
        float[] actual = KernelRunner.Conv(gpu, s, input, weights, scale, shift, residual, perThread);
        double[] expected = KernelRunner.ScalarConv(s, input, weights, scale, shift, residual);

        double maxDiff = 0, maxAbs = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.False(float.IsNaN(actual[i]), $"{name}: output {i} not written");
            maxDiff = Math.Max(maxDiff, Math.Abs(actual[i] - expected[i]));
            maxAbs = Math.Max(maxAbs, Math.Abs(expected[i]));
        }
        output.WriteLine($"{name}: M={s.M} N={s.OutChannels} K={s.K} k{kernel}s{stride} residual={extraRows >= 0}: max|Δ| {maxDiff:E2} of max {maxAbs:F2}");
        Assert.True(maxDiff <= 1e-5 * Math.Max(1, maxAbs), $"{name}: max |Δ| {maxDiff} (max |out| {maxAbs})");
        if (relu) Assert.All(actual, v => Assert.True(v >= 0));
    }
}
