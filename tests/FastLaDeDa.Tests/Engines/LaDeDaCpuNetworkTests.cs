using FastLaDeDa.Engines.Cpu.LaDeDa;
using FastLaDeDa.Engines;
using FastLaDeDa.Engines.Cpu;
using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Tests.Support;
using Xunit.Abstractions;

namespace FastLaDeDa.Tests.Engines;
/// <summary>
/// The whole LaDeDa CPU network against the float64 reference for every receptive field on small,
/// odd sizes, at every width and with 1 and 2 threads; every width bit-identical to scalar;
/// banding, fused chains, the positions it skips, allocations, concurrency and the registry.
/// </summary>
public class LaDeDaCpuNetworkTests(ITestOutputHelper output)
{
    private const double MapTolerance = 1e-4, LogitTolerance = 1e-3;

    public static TheoryData<string, int> EngineConfigurations()
    {
        var data = new TheoryData<string, int>();
        foreach (var e in LaDeDaEngines.Cpu)
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
    [SkippableTheory]
    [MemberData(nameof(EngineConfigurations))]
    public void Network_matches_the_reference(string engineName, int threads)
    {
        var engine = Implementations.LaDeDaEngine(engineName).WithMaxThreads(threads);
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

    public static TheoryData<string> EngineNames() => [.. LaDeDaEngines.Cpu.Select(e => e.Name)];

    /// <summary>
    /// Every width accumulates each output in the scalar engine's order, so all give its bits,
    /// with 1 and 2 threads and any band size.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(EngineNames))]
    [Trait(PerIsaSuites.Trait, PerIsaSuites.Value)]
    public void Every_width_thread_count_and_band_gives_the_scalar_engines_bits(string engineName)
    {
        var engine = Implementations.LaDeDaEngine(engineName);
        var (model, image, _, _) = Reference(9, 40, 48);
        var expected = Implementations.LaDeDaEngine("ladeda-scalar").WithMaxThreads(1).PrepareNetwork(model, PreprocessKind.Npr).RunMap(image);
        foreach (int threads in new[] { 1, 2 })
            foreach (long budget in new[] { LaDeDaCpuNetwork.DefaultBandBudgetFloats, 1 })
            {
                var network = engine.WithMaxThreads(threads).PrepareNetwork(model, PreprocessKind.Npr);
                network.BandBudgetFloats = budget;
                Assert.Equal(expected.Logits, network.RunMap(image).Logits);
            }
    }

    /// <summary>
    /// Fused chains (layer1's pointwise runs, the stem with layer1.0.conv1) give exactly the maps of
    /// layer-by-layer execution, for any chunk size — one tile per chunk included, where a hazard
    /// (a chunk overwriting what another still reads) could not hide — with 1 and 2 threads.
    /// </summary>
    [SkippableTheory]
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
    [SkippableTheory]
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
    [SkippableTheory]
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
}
