using FastLaDeDa.Detection;
using FastLaDeDa.Engines;
using FastLaDeDa.Engines.Cpu;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Weights;
using Xunit.Abstractions;

namespace FastLaDeDa.Tests.Engines;

/// <summary>
/// The LaDeDa CPU engine: its convolution kernel (every width and tile shape) against a plain
/// scalar convolution on random shapes, strides, pitches and every remainder of its tiling; the
/// whole network against the float64 reference for every receptive field on small, odd sizes,
/// at every width and with 1 and 2 threads; banding, the positions it skips, allocations, and the
/// Detector/CLI wiring.
/// </summary>
public class LaDeDaCpuEngineTests(ITestOutputHelper output)
{
    private const double MapTolerance = 1e-4, LogitTolerance = 1e-3;

    // ---------------------------------------------------------------- convolution kernel

    private static ILaDeDaConvKernels Kernel(string name) => name switch
    {
        "Vector512-wide" => LaDeDaConvKernels.All[0],
        "Vector256-wide" => LaDeDaConvKernels.Vector256(wide: true),
        "Vector256-narrow" => LaDeDaConvKernels.Vector256(wide: false),
        _ => LaDeDaConvKernels.All[2],
    };

    public static TheoryData<string> KernelNames()
    {
        var data = new TheoryData<string>();
        if (LaDeDaConvKernels.All[0].IsSupported) data.Add("Vector512-wide");
        if (LaDeDaConvKernels.All[1].IsSupported)
        {
            data.Add("Vector256-wide");
            data.Add("Vector256-narrow");
        }
        data.Add("Scalar-narrow");
        return data;
    }

    private enum ResidualKind { None, Separate, InPlace }

    /// <summary>
    /// Random convolutions (1×1 and 3×3, stride 1 and 2, 1–70 input channels, output channels on
    /// and off the panel width, dense and padded pixel pitch, output positions a random subset of
    /// rows and columns, with or without a residual — separate or in place — and ReLU), each run
    /// as work items of 1–3 tile ranges × 1–3 panel ranges in random order, against a double-precision convolution. Every remainder of the pixel
    /// count by the tile height (6) and of the channel count by the panel width occurs.
    /// </summary>
    [Theory]
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
    [Theory]
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

    // ---------------------------------------------------------------- whole network

    public static TheoryData<string, int> EngineConfigurations()
    {
        var data = new TheoryData<string, int>();
        foreach (var e in LaDeDaEngines.Cpu.Where(e => e.IsSupported))
        {
            data.Add(e.Name, 1);
            data.Add(e.Name, 2);
        }
        return data;
    }

    // Every receptive field on two of 32×32, 33×41 (odd) and 40×48 (RF33 needs 33 pixels).
    private static readonly (int Rf, int Width, int Height)[] NetworkCases =
        [(5, 32, 32), (5, 33, 41), (9, 33, 41), (9, 40, 48), (17, 32, 32), (17, 40, 48), (33, 33, 41), (33, 40, 48)];

    private static readonly Dictionary<(int, int, int), (LaDeDaModel Model, Rgb24Image Image, PatchMap Map, PatchPooling Pooling)> ReferenceCache = [];

    /// <summary>The float64 reference's map for a case (computed once per test run).</summary>
    private static (LaDeDaModel Model, Rgb24Image Image, PatchMap Map, PatchPooling Pooling) Reference(int rf, int width, int height)
    {
        lock (ReferenceCache)
        {
            if (ReferenceCache.TryGetValue((rf, width, height), out var cached)) return cached;
            var model = LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(rf * 1000 + width, rf));
            var image = RandomImages.Rgb(width, height, width * height + rf);
            var network = LaDeDaEngines.Reference.Prepare(model, PreprocessKind.Npr);
            var map = network.RunMap(image);
            var pooling = network.Run(image.Pixels, width, height, default);
            return ReferenceCache[(rf, width, height)] = (model, image, map, pooling);
        }
    }



    /// <summary>
    /// Random weights with non-trivial BatchNorm, receptive fields 5/9/17/33, each on two of 32×32,
    /// 33×41 and 40×48: maps within 1e-4 of the reference's largest |logit|, mean and max logits within 1e-3.
    /// </summary>
    [Theory]
    [MemberData(nameof(EngineConfigurations))]
    public void Network_matches_the_reference(string engineName, int threads)
    {
        var engine = ((LaDeDaCpuEngine)LaDeDaEngines.ByName(engineName)!).WithMaxThreads(threads);
        double worstMap = 0, worstLogit = 0;
        foreach (var (rf, width, height) in NetworkCases)
        {
            var (model, image, expected, expectedPooling) = Reference(rf, width, height);
            var network = engine.Prepare(model, PreprocessKind.Npr);
            PatchMap actual = network.RunMap(image);
            PatchPooling pooling = network.Run(image.Pixels, width, height, default);
            double mapError = Compare.RelativeMapError(expected, actual);
            double logitError = Math.Max(Math.Abs(pooling.Mean - expectedPooling.Mean), Math.Abs(pooling.Max - expectedPooling.Max));
            output.WriteLine($"LaDeDa{rf} {width}x{height}: map {actual.Width}x{actual.Height}, relative map error {mapError:E2}, |Δ logit| {logitError:E2}");
            Assert.True(mapError <= MapTolerance, $"LaDeDa{rf} {width}x{height}: relative map error {mapError:E2}");
            Assert.True(logitError <= LogitTolerance, $"LaDeDa{rf} {width}x{height}: |Δ logit| {logitError:E2}");
            worstMap = Math.Max(worstMap, mapError);
            worstLogit = Math.Max(worstLogit, logitError);
        }
        output.WriteLine($"{engineName}, {threads} thread(s): worst relative map error {worstMap:E2}, worst |Δ logit| {worstLogit:E2}");
    }

    /// <summary>Every width accumulates each output in the same order, so all give the same bits (threads and bands too).</summary>
    [Fact]
    public void Widths_threads_and_bands_give_identical_maps()
    {
        var (model, image, _, _) = Reference(9, 40, 48);
        PatchMap? first = null;
        foreach (var engine in LaDeDaEngines.Cpu.Where(e => e.IsSupported))
            foreach (int threads in new[] { 1, 2 })
                foreach (long budget in new[] { LaDeDaCpuNetwork.DefaultBandBudgetFloats, 1 })
                {
                    var network = engine.WithMaxThreads(threads).PrepareNetwork(model, PreprocessKind.Npr);
                    network.BandBudgetFloats = budget;
                    var map = network.RunMap(image);
                    first ??= map;
                    Assert.Equal(first.Logits, map.Logits);
                }
    }

    /// <summary>
    /// Fused chains (layer1's pointwise runs, the stem with layer1.0.conv1) give exactly the maps of
    /// layer-by-layer execution, for any chunk size — one tile per chunk included, where a hazard
    /// (a chunk overwriting what another still reads) could not hide — with 1 and 2 threads.
    /// </summary>
    [Theory]
    [InlineData(9, 40, 48)]
    [InlineData(17, 40, 48)]
    [InlineData(5, 33, 41)]
    public void Fused_chains_give_the_same_bits_as_layer_by_layer(int rf, int width, int height)
    {
        var (model, image, expected, _) = Reference(rf, width, height);
        float[]? layerByLayer = null;
        foreach (int chunk in new[] { 0, 1, 3, LaDeDaCpuPlan.DefaultChainChunkTiles })
            foreach (int threads in new[] { 1, 2 })
            {
                var network = LaDeDaCpuEngine.Best.WithMaxThreads(threads).PrepareNetwork(model, PreprocessKind.Npr);
                network.ChainChunkTiles = chunk;
                var stages = network.Stages(width, height);
                Assert.Equal(chunk > 0, stages.Any(s => s.Name.Contains('+')));
                var map = network.RunMap(image);
                layerByLayer ??= map.Logits;
                Assert.Equal(layerByLayer, map.Logits);
            }
        double error = Compare.RelativeError(expected.Logits, layerByLayer!);
        Assert.True(error <= MapTolerance, $"relative map error {error:E2}");
    }

    /// <summary>
    /// Several bands (one map row each, the last image rows unused) give the reference's map, for NPR
    /// (2×2 blocks aligned on the band's first row) and a 3×3 gradient (a row of context each side).
    /// </summary>
    [Theory]
    [InlineData(PreprocessKind.Npr)]
    [InlineData(PreprocessKind.NprTwoThirds)]
    [InlineData(PreprocessKind.RightDiag)]
    [InlineData(PreprocessKind.Raw)]
    public void Bands_match_the_reference(PreprocessKind kind)
    {
        var model = LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(77, 9));
        var image = RandomImages.Rgb(35, 45, 5);
        var expected = LaDeDaEngines.Reference.Prepare(model, kind).RunMap(image);
        var network = LaDeDaCpuEngine.Best.WithMaxThreads(2).PrepareNetwork(model, kind);
        network.BandBudgetFloats = 1;
        var actual = network.RunMap(image);
        Assert.Equal(5, actual.Height);
        double error = Compare.RelativeMapError(expected, actual);
        output.WriteLine($"{kind}: 5 bands, relative map error {error:E2}");
        Assert.True(error <= MapTolerance, $"relative map error {error:E2}");
    }

    /// <summary>
    /// The positions skipped: at 256×256 LaDeDa9 executes 14.65 G of its 18.69 G multiply-adds; 31×31
    /// and 27×27 maps. Layer1's pointwise runs are fused; layers with large weights run layer by layer.
    /// </summary>
    [Fact]
    public void Skips_the_positions_no_patch_reads()
    {
        foreach (int rf in LaDeDaSpec.ReceptiveFields)
        {
            var model = LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(3, rf));
            var network = LaDeDaCpuEngine.Best.PrepareNetwork(model, PreprocessKind.Npr);
            foreach (int size in new[] { 256, 224 })
            {
                var stages = network.Stages(size, size);
                long executed = stages.Where(s => s.Name is not ("preprocess" or "head")).Sum(s => s.MultiplyAdds);
                long nominal = model.MultiplyAdds(size, size, fusedStem: true) - stages.Single(s => s.Name == "head").MultiplyAdds;
                output.WriteLine($"LaDeDa{rf} {size}x{size}: map {network.MapSize(size)}, executes {executed / 1e9:F3} G of {nominal / 1e9:F3} G multiply-adds ({100.0 * executed / nominal:F1} %)");
                Assert.True(executed <= nominal);
                if (rf == 9 && size == 256)
                {
                    Assert.Equal(14_645_516_992, executed); // 15,239,872 per patch × 961 patches
                    output.WriteLine("passes: " + string.Join(", ", stages.Select(s => s.Name)));
                    Assert.Contains(stages, s => s.Name == "stem+layer1.0.conv1");
                    Assert.Contains(stages, s => s.Name == "layer1.0.downsample+layer1.0.conv3+layer1.1.conv1+layer1.1.conv2");
                    Assert.Contains(stages, s => s.Name == "layer1.1.conv3+layer1.2.conv1+layer1.2.conv2+layer1.2.conv3");
                    Assert.Contains(stages, s => s.Name == "layer4.2.conv3");
                }
            }
        }
        var ladeda9 = LaDeDaCpuEngine.Best.Prepare(LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(3, 9)), PreprocessKind.Npr);
        Assert.Equal(31, ladeda9.MapSize(256));
        Assert.Equal(27, ladeda9.MapSize(224));
    }

    [Fact]
    public void Rejects_images_below_the_receptive_field_and_wrong_buffers()
    {
        var model = LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(4, 17));
        var network = LaDeDaCpuEngine.Best.Prepare(model, PreprocessKind.Npr);
        Assert.Equal(17, network.MinimumInputSize);
        Assert.Throws<ArgumentException>(() => network.Run(new byte[16 * 40 * 3], 16, 40, default));
        Assert.Throws<ArgumentException>(() => network.Run(new byte[17 * 17 * 3 - 1], 17, 17, default));
        Assert.Throws<ArgumentException>(() => network.Run(new byte[25 * 17 * 3], 25, 17, new float[1]));
        var image = RandomImages.Rgb(17, 17, 1);
        Assert.Single(network.RunMap(image).Logits);
    }

    /// <summary>
    /// Steady state allocates nothing on the calling thread (weights, plans and workspaces are reused).
    /// The runtime may still create a synchronization object once, the first time waking a worker
    /// meets contention (seen once in a full test run: 1,448 bytes) — so of five windows of three
    /// runs the last two must allocate nothing; an allocation per run would show in every window.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Steady_state_runs_allocate_nothing(int threads)
    {
        var (model, image, _, _) = Reference(9, 40, 48);
        var network = LaDeDaCpuEngine.Best.WithMaxThreads(threads).Prepare(model, PreprocessKind.Npr);
        var map = new float[network.MapSize(40) * network.MapSize(48)];
        for (int i = 0; i < 3; i++) network.Run(image.Pixels, 40, 48, map); // plans, workspace, worker pool, JIT tiers
        var windows = new long[5];
        for (int w = 0; w < windows.Length; w++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 3; i++) network.Run(image.Pixels, 40, 48, map);
            windows[w] = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.True(windows[^2..].All(bytes => bytes == 0) && windows.Sum() < 16 << 10, $"bytes allocated per window of three runs: {string.Join(", ", windows)}");
    }

    [Fact]
    public async Task Concurrent_runs_share_the_network()
    {
        var (model, image, expected, _) = Reference(9, 40, 48);
        var network = LaDeDaCpuEngine.Best.Prepare(model, PreprocessKind.Npr);
        var maps = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => network.RunMap(image))));
        foreach (var map in maps) Assert.True(Compare.RelativeMapError(expected, map) <= MapTolerance);
    }

    [Fact]
    public void Registry_names_and_picks_the_engines()
    {
        Assert.Same(LaDeDaEngines.Best, LaDeDaEngines.ByName("ladeda-cpu"));
        Assert.Same(LaDeDaEngines.Reference, LaDeDaEngines.ByName("LaDeDa-Reference"));
        foreach (var engine in LaDeDaEngines.Cpu) Assert.Same(engine, LaDeDaEngines.ByName(engine.Name));
        Assert.Null(LaDeDaEngines.ByName("fused-vector512"));
        Assert.Same(LaDeDaEngines.Cpu[0], LaDeDaEngines.ByName("ladeda-cpu-vector512")); // the old names still resolve
        string expected = Implementations.ExpectedIsa.ToLowerInvariant() switch { "vector512" => "avx512", "vector256" => "avx2", var isa => isa };
        Assert.Equal("ladeda-" + expected, LaDeDaEngines.Best.Name);
        Assert.Equal(Environment.ProcessorCount, LaDeDaCpuEngine.Best.MaxThreads);
    }

    // ---------------------------------------------------------------- Detector and CLI

    private static StateDict WithMetadata(StateDict dict, Dictionary<string, string> metadata) =>
        new(dict.Tensors, metadata, dict.SourcePath);

    [Fact]
    public void Detector_recognises_ladeda_by_metadata_or_tensor_names()
    {
        var dict = RandomLaDeDa.StateDict(11, 9);
        var image = RandomImages.Rgb(40, 48, 3);
        var options = new DetectorOptions { Resize = false };
        using var byNames = Detector.FromStateDict(dict, options);
        Assert.Equal(ModelKind.LaDeDa, byNames.Metadata.Model);
        Assert.Equal(PreprocessKind.Npr, byNames.Metadata.Preprocess);
        Assert.True(byNames.PreprocessAssumed);
        Assert.Equal(LaDeDaEngines.Best.Name, byNames.EngineName);
        Assert.Equal(9, byNames.MinimumImageSize);

        var tagged = WithMetadata(dict, new() { ["model"] = "ladeda", ["preprocess"] = "npr_2_3", ["pooling"] = "max", ["receptive_field"] = "9" });
        using var byMetadata = Detector.FromStateDict(tagged, options);
        Assert.Equal(new ModelMetadata(ModelKind.LaDeDa, PreprocessKind.NprTwoThirds, PoolingKind.Max), byMetadata.Metadata);
        Assert.False(byMetadata.PreprocessAssumed);

        var model = LaDeDaModel.FromStateDict(dict);
        var reference = LaDeDaEngines.Reference.Prepare(model, PreprocessKind.NprTwoThirds).Run(image.Pixels, 40, 48, default);
        var result = byMetadata.Score(image, includePatchMap: true);
        Assert.Equal(reference.Max, result.Logit, 1e-3);
        Assert.Equal(5 * 4, result.PatchMap!.Logits.Length);

        using var pinned = Detector.FromStateDict(dict, options with { Engine = "ladeda-reference" });
        Assert.Equal("ladeda-reference", pinned.EngineName);
    }

    [Fact]
    public void Detector_names_missing_and_misshaped_tensors()
    {
        var dict = RandomLaDeDa.StateDict(12, 9);
        var tensors = dict.Tensors.ToDictionary();
        tensors.Remove("layer3.2.bn2.running_var");
        tensors["layer4.1.conv1.weight"] = TensorData.FromFloat32(new float[512 * 1024], 512, 1024, 1, 1);
        var broken = new StateDict(tensors, dict.Metadata, "broken.safetensors");
        var error = Assert.Throws<ModelMismatchException>(() => Detector.FromStateDict(broken));
        Assert.Contains("layer3.2.bn2.running_var", error.Message);
        Assert.Contains("layer4.1.conv1.weight", error.Message);
        Assert.Contains("broken.safetensors", error.Message);
    }

    [Fact]
    public void Detector_checks_the_expected_model()
    {
        var dict = RandomLaDeDa.StateDict(13, 5);
        var error = Assert.Throws<ModelMismatchException>(() => Detector.FromStateDict(dict, new DetectorOptions { Model = ModelKind.TinyLaDeDa }));
        Assert.Contains("tiny_ladeda", error.Message);
        using var ok = Detector.FromStateDict(dict, new DetectorOptions { Model = ModelKind.LaDeDa });
        Assert.Equal(ModelKind.LaDeDa, ok.Metadata.Model);
        var tiny = RandomTiny.StateDict(1);
        Assert.Throws<ModelMismatchException>(() => Detector.FromStateDict(tiny, new DetectorOptions { Model = ModelKind.LaDeDa }));
        using var tinyDetector = Detector.FromStateDict(tiny);
        Assert.Equal(ModelKind.TinyLaDeDa, tinyDetector.Metadata.Model);
    }

    [Fact]
    public void Detector_rejects_images_smaller_than_the_receptive_field_at_native_size()
    {
        using var detector = Detector.FromStateDict(RandomLaDeDa.StateDict(14, 33), new DetectorOptions { Resize = false });
        var error = Assert.Throws<ImageTooSmallException>(() => detector.Score(RandomImages.Rgb(40, 32, 1)));
        Assert.Contains("33x33", error.Message);
    }

    private static string WriteLaDeDa(TempDirectory dir, int seed, int rf)
    {
        var dict = RandomLaDeDa.StateDict(seed, rf);
        var tagged = WithMetadata(dict, new() { ["model"] = "ladeda", ["preprocess"] = "npr", ["pooling"] = "mean", ["receptive_field"] = rf.ToString() });
        string path = dir.File("ladeda.safetensors");
        SafeTensors.Write(path, tagged);
        return path;
    }

    private static string WritePng(TempDirectory dir, string name, Rgb24Image image) =>
        dir.Write(name, TestPngWriter.Encode(image.Width, image.Height, 8, 2, (x, y, c) => image.Pixels[(y * image.Width + x) * 3 + c]));

    [Fact]
    public void Cli_detects_with_ladeda_weights()
    {
        using var dir = new TempDirectory();
        string weights = WriteLaDeDa(dir, 15, 9);
        var image = RandomImages.Rgb(41, 33, 9);
        string png = WritePng(dir, "small.png", image);
        var r = CliRunner.Run("detect", "--json", "--model", "ladeda", "--weights", weights, "--no-resize", "--threads-per-image", "2", png);
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = System.Text.Json.JsonDocument.Parse(r.StdOut);
        var item = doc.RootElement[0];
        Assert.Equal(LaDeDaEngines.Best.Name, item.GetProperty("engine").GetString());
        var model = LaDeDaModel.FromStateDict(SafeTensors.Read(weights));
        double expected = LaDeDaEngines.Reference.Prepare(model, PreprocessKind.Npr).Run(image.Pixels, 41, 33, default).Mean;
        Assert.Equal(expected, item.GetProperty("logit").GetDouble(), 1e-3);

        // Resized to 256x256 (the default protocol), recognised from the file without --model.
        var resized = CliRunner.Run("detect", "--weights", weights, png);
        Assert.True(resized.ExitCode == 0, resized.StdErr);
        Assert.StartsWith(png + "\t", resized.StdOut);
    }

    [Fact]
    public void Cli_reports_ladeda_input_errors()
    {
        using var dir = new TempDirectory();
        string weights = WriteLaDeDa(dir, 16, 9);
        string tiny = WritePng(dir, "tiny.png", RandomImages.Rgb(8, 12, 1));
        var small = CliRunner.Run("detect", "--weights", weights, "--no-resize", tiny);
        Assert.NotEqual(0, small.ExitCode);
        Assert.Contains("smaller than the model's 9x9 receptive field", small.StdErr);
        Assert.DoesNotContain("   at ", small.StdErr);

        var noWeights = CliRunner.Run("detect", "--model", "ladeda", tiny);
        Assert.NotEqual(0, noWeights.ExitCode);
        Assert.Contains("--model ladeda needs --weights", noWeights.StdErr);

        var wrongModel = CliRunner.Run("detect", "--model", "tiny", "--weights", weights, tiny);
        Assert.NotEqual(0, wrongModel.ExitCode);
        Assert.Contains("expected a tiny_ladeda model", wrongModel.StdErr);

        var badThreads = CliRunner.Run("detect", "--weights", weights, "--threads-per-image", "0", tiny);
        Assert.NotEqual(0, badThreads.ExitCode);
        Assert.Contains("--threads-per-image must be at least 1", badThreads.StdErr);

        // eval has its own --threads (images in parallel); both options coexist.
        var help = CliRunner.Run("eval", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--threads-per-image", help.StdOut);
    }

    public static TheoryData<string, string, string> IsaConfigurations() => new()
    {
        { "default", "", "" },
        { "no AVX-512", "DOTNET_EnableAVX512", "0" },
        { "no AVX2", "DOTNET_EnableAVX2", "0" },
    };

    /// <summary>
    /// In child processes where the runtime ignores AVX-512 or AVX2, the pick falls back to
    /// Vector256 (narrow tile: 16 registers) or scalar, and detect still matches the reference.
    /// </summary>
    [Theory]
    [MemberData(nameof(IsaConfigurations))]
    public void Child_process_picks_the_widest_supported_engine(string label, string variable, string value)
    {
        var environment = variable == "" ? new Dictionary<string, string>() : new() { [variable] = value, ["DOTNET_EnableAVX512F"] = value };
        var info = CliRunner.RunWithEnvironment(environment, "info");
        Assert.Equal(0, info.ExitCode);
        string picked = info.StdOut.Split('\n').Single(l => l.StartsWith("ladeda picked")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
        string expected = variable switch
        {
            "DOTNET_EnableAVX512" => System.Runtime.Intrinsics.X86.Avx2.IsSupported ? "ladeda-avx2" : "ladeda-scalar",
            "DOTNET_EnableAVX2" => "ladeda-scalar",
            _ => LaDeDaEngines.Best.Name,
        };
        Assert.Equal(expected, picked);

        using var dir = new TempDirectory();
        string weights = WriteLaDeDa(dir, 17, 5);
        var image = RandomImages.Rgb(33, 41, 2);
        string png = WritePng(dir, "x.png", image);
        var r = CliRunner.RunWithEnvironment(environment, "detect", "--json", "--weights", weights, "--no-resize", png);
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = System.Text.Json.JsonDocument.Parse(r.StdOut);
        Assert.Equal(expected, doc.RootElement[0].GetProperty("engine").GetString());
        var model = LaDeDaModel.FromStateDict(SafeTensors.Read(weights));
        double reference = LaDeDaEngines.Reference.Prepare(model, PreprocessKind.Npr).Run(image.Pixels, 33, 41, default).Mean;
        double logit = doc.RootElement[0].GetProperty("logit").GetDouble();
        output.WriteLine($"{label}: {picked}, logit {logit:F6}, reference {reference:F6}");
        Assert.Equal(reference, logit, 1e-3);
    }
}
