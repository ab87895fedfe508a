using FastLaDeDa.Engines.Cpu.LaDeDa;
using FastLaDeDa.Engines.Cpu;
using FastLaDeDa.Tests.Support;
using Xunit.Abstractions;

namespace FastLaDeDa.Tests.Engines;
/// <summary>
/// The LaDeDa CPU engine's convolution kernel (every width and tile shape, those this process
/// cannot run skipped with the reason) against a plain scalar convolution on random shapes,
/// strides, pitches and every remainder of its tiling; the weight packing.
/// </summary>
[Trait(PerIsaSuites.Trait, PerIsaSuites.Value)]
public class LaDeDaConvKernelTests(ITestOutputHelper output)
{
    private static ILaDeDaConvKernels Kernel(string name)
    {
        ILaDeDaConvKernels kernels = name switch
        {
            "Vector512-wide" => LaDeDaConvKernels.All[0],
            "Vector256-wide" => LaDeDaConvKernels.Vector256(wide: true),
            "Vector256-narrow" => LaDeDaConvKernels.Vector256(wide: false),
            "Vector128-wide" => LaDeDaConvKernels.Vector128(wide: true),
            "Vector128-narrow" => LaDeDaConvKernels.Vector128(wide: false),
            _ => LaDeDaConvKernels.All[^1],
        };
        Implementations.SkipUnlessSupported(kernels.IsSupported, name, kernels.Isa);
        return kernels;
    }

    /// <summary>Every width and tile shape, supported here or not (those that are not are skipped).</summary>
    public static TheoryData<string> KernelNames() =>
        ["Vector512-wide", "Vector256-wide", "Vector256-narrow", "Vector128-wide", "Vector128-narrow", "Scalar-narrow"];

    private enum ResidualKind { None, Separate, InPlace }

    /// <summary>
    /// Random convolutions (1×1 and 3×3, stride 1 and 2, 1–70 input channels, output channels on
    /// and off the panel width, dense and padded pixel pitch, output positions a random subset of
    /// rows and columns, with or without a residual — separate or in place — and ReLU), each run
    /// as work items of 1–3 tile ranges × 1–3 panel ranges in random order, against a double-precision convolution. Every remainder of the pixel
    /// count by the tile height (6) and of the channel count by the panel width occurs.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(KernelNames))]
    public unsafe void Conv_kernel_matches_a_scalar_convolution(string kernelName)
    {
        var kernels = Kernel(kernelName);
        int nr = kernels.PanelWidth;
        var rng = new Random(kernelName.Length * 7919);
        var pixelRemainders = new HashSet<int>();
        var channelRemainders = new HashSet<int>();
        double worst = 0;
        for (int test = 0; test < 72; test++)
        {
            int k = rng.Next(2) == 0 ? 1 : 3, stride = rng.Next(1, 3);
            int cin = test % 9 == 0 ? 3 : rng.Next(1, 71);
            int cout = (test % 4) switch { 0 => nr * rng.Next(1, 3), 1 => rng.Next(1, nr + 1), _ => rng.Next(1, 2 * nr + 6) };
            int inPitch = rng.Next(3) == 0 ? cin : cin + rng.Next(1, 9);
            int height = k + rng.Next(0, 12), width = k + (test < LaDeDaConvKernels.TileRows ? 2 * stride * 6 : rng.Next(0, 12));
            int outH = (height - k) / stride + 1, outW = (width - k) / stride + 1;
            int[] outRows = Subset(rng, outH), outCols = Subset(rng, outW);
            if (test < LaDeDaConvKernels.TileRows) (outRows, outCols) = ([outRows[0]], [.. outCols.Take(test + 1)]); // every tile remainder
            var residualKind = (ResidualKind)rng.Next(3);
            bool relu = rng.Next(2) == 0;

            var weights = RandomFloats(rng, cout * cin * k * k, 1.0 / Math.Sqrt(cin * k * k));
            var scale = Enumerable.Range(0, cout).Select(_ => 0.5 + rng.NextDouble()).ToArray();
            var shift = Enumerable.Range(0, cout).Select(_ => rng.NextDouble() - 0.5).ToArray();
            var packed = new LaDeDaPackedConv(cout, cin, k, stride, weights, scale, shift, nr, inPitch);
            int outPitch = packed.Panels * nr + (rng.Next(2) == 0 ? 0 : nr);
            var input = new LaDeDaGrid([.. Enumerable.Range(0, height)], [.. Enumerable.Range(0, width)], cin, inPitch, 0);
            var outGrid = new LaDeDaGrid(outRows, outCols, cout, outPitch, 1);
            int pixels = outGrid.Pixels;

            var inData = new float[input.Floats];
            for (int i = 0; i < inData.Length; i++) inData[i] = i % inPitch < cin ? (float)(rng.NextDouble() * 2 - 1) : float.NaN; // padding is never read
            var residualData = new float[residualKind == ResidualKind.Separate ? pixels * outPitch : 0];
            for (int i = 0; i < residualData.Length; i++) residualData[i] = (float)(rng.NextDouble() * 2 - 1);
            const int guard = 64;
            var outData = new float[pixels * outPitch + guard];
            Array.Fill(outData, float.NaN, pixels * outPitch, guard);
            if (residualKind == ResidualKind.InPlace)
                for (int i = 0; i < pixels * outPitch; i++) outData[i] = (float)(rng.NextDouble() * 2 - 1);
            var residualBefore = residualKind == ResidualKind.InPlace ? outData[..(pixels * outPitch)] : residualData;

            int[]? residualOffsets = residualKind == ResidualKind.None ? null : [.. Enumerable.Range(0, pixels).Select(p => p * outPitch)];
            var step = new LaDeDaConvStep("test", packed, 0, 1, residualKind == ResidualKind.None ? -1 : 2, outPitch,
                input.WindowOffsets(outRows, outCols, stride, k), residualOffsets, packed.TapOffsets(input.RowPitch), relu);
            var scratch = new float[nr];
            fixed (float* inPtr = inData, outPtr = outData, resPtr = residualData, scratchPtr = scratch)
            {
                float* residual = residualKind == ResidualKind.Separate ? resPtr : residualKind == ResidualKind.InPlace ? outPtr : null;
                // Work items as the engine cuts them: tile ranges × panel ranges, in any order.
                int tiles = step.Tiles, panels = packed.Panels, tileRanges = rng.Next(1, 4), panelRanges = rng.Next(1, Math.Min(3, panels) + 1);
                foreach (int item in Enumerable.Range(0, tileRanges * panelRanges).OrderBy(_ => rng.Next()))
                {
                    int tr = item % tileRanges, pr = item / tileRanges;
                    kernels.Run(step, inPtr, outPtr, residual, scratchPtr, tiles * tr / tileRanges, tiles * (tr + 1) / tileRanges,
                                panels * pr / panelRanges, panels * (pr + 1) / panelRanges);
                }
            }

            double maxRef = 1e-6, maxDiff = 0;
            for (int i = 0; i < outRows.Length; i++)
                for (int j = 0; j < outCols.Length; j++)
                {
                    int p = i * outCols.Length + j;
                    for (int o = 0; o < cout; o++)
                    {
                        double sum = 0;
                        for (int c = 0; c < cin; c++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                    sum += (double)weights[((o * cin + c) * k + ky) * k + kx] * inData[((outRows[i] * stride + ky) * width + outCols[j] * stride + kx) * inPitch + c];
                        double y = scale[o] * sum + shift[o];
                        if (residualKind != ResidualKind.None) y += residualBefore[p * outPitch + o];
                        if (relu) y = Math.Max(y, 0);
                        maxRef = Math.Max(maxRef, Math.Abs(y));
                        maxDiff = Math.Max(maxDiff, Math.Abs(y - outData[p * outPitch + o]));
                    }
                }
            for (int g = 0; g < guard; g++) Assert.True(float.IsNaN(outData[pixels * outPitch + g]), $"case {test}: wrote past the last pixel");
            double relative = maxDiff / maxRef;
            worst = Math.Max(worst, relative);
            Assert.True(relative <= 1e-5, $"case {test} ({cin}->{cout}, k{k} s{stride}, {outRows.Length}x{outCols.Length} px, pitch {inPitch}, {residualKind}): relative error {relative:E2}");
            pixelRemainders.Add(pixels % LaDeDaConvKernels.TileRows);
            channelRemainders.Add(cout % nr == 0 ? 0 : 1);
        }
        Assert.Equal(LaDeDaConvKernels.TileRows, pixelRemainders.Count);
        if (nr > 1) Assert.Equal(2, channelRemainders.Count);
        output.WriteLine($"{kernelName} (panel {nr}): 72 random convolutions, worst relative error {worst:E2}");
    }

    /// <summary>A random non-empty increasing subset of 0..n−1 (sometimes all of it).</summary>
    private static int[] Subset(Random rng, int n)
    {
        if (rng.Next(3) == 0) return [.. Enumerable.Range(0, n)];
        var picked = Enumerable.Range(0, n).Where(_ => rng.Next(3) != 0).ToArray();
        return picked.Length > 0 ? picked : [rng.Next(n)];
    }

    private static float[] RandomFloats(Random rng, int count, double scale)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
        return values;
    }

    /// <summary>The packing places weight [o][i][ky][kx] where the tap layout says, dense or padded.</summary>
    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public unsafe void Packing_puts_each_weight_at_its_tap_and_lane(bool dense)
    {
        int cout = 20, cin = 5, k = 3, nr = 16, pitch = dense ? cin : 8;
        var weights = Enumerable.Range(0, cout * cin * k * k).Select(i => (float)i).ToArray();
        var packed = new LaDeDaPackedConv(cout, cin, k, 2, weights, new double[cout], new double[cout], nr, pitch);
        Assert.Equal(2, packed.Panels);
        Assert.Equal(dense ? 3 : 9, packed.Taps);
        Assert.Equal(dense ? 15 : 5, packed.Run);
        Assert.Equal(dense ? new nint[] { 0, 100, 200 } : [0, 8, 16, 100, 108, 116, 200, 208, 216], packed.TapOffsets(100));
        for (int o = 0; o < 32; o++)
            for (int i = 0; i < cin; i++)
                for (int ky = 0; ky < k; ky++)
                    for (int kx = 0; kx < k; kx++)
                    {
                        int tap = dense ? ky : ky * 3 + kx, run = dense ? kx * cin + i : i;
                        float value = packed.Weights[o / nr * packed.PanelFloats + (tap * packed.Run + run) * nr + o % nr];
                        Assert.Equal(o < cout ? weights[((o * cin + i) * k + ky) * k + kx] : 0f, value);
                    }
    }
}
