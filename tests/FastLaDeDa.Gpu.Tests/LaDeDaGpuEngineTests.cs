using System.Diagnostics;
using FastLaDeDa.Engines;
using FastLaDeDa.Engines.Reference;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;
using FastLaDeDa.Gpu.Tests.Support;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Tests.Support;
using Xunit.Abstractions;

namespace FastLaDeDa.Gpu.Tests;

/// <summary>
/// The whole network on ILGPU's CPU accelerator against the float64 <see cref="LaDeDaReferenceEngine"/>
/// on random weights with non-trivial BatchNorm statistics: patch maps within 1e-4 of max |map|,
/// pooled logits within 1e-3; a batch gives exactly what single runs give.
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
public class LaDeDaGpuEngineTests(CpuAccelerators cpu, ITestOutputHelper output)
{
    [Theory]
    [InlineData(9, 32, 32, PreprocessKind.Npr)]
    [InlineData(9, 40, 48, PreprocessKind.Npr)]
    [InlineData(9, 35, 33, PreprocessKind.NprTwoThirds)]
    [InlineData(5, 21, 19, PreprocessKind.Npr)]
    [InlineData(17, 25, 27, PreprocessKind.Npr)]
    [InlineData(33, 41, 33, PreprocessKind.Npr)]
    public void Matches_the_reference_engine(int receptiveField, int width, int height, PreprocessKind preprocess)
    {
        var model = LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(receptiveField * 1000 + width, receptiveField));
        using var network = cpu.Engine.Prepare(model, preprocess);
        CheckParity(network, model, preprocess, width, height, seed: width * height, output);
    }

    [Fact]
    public void A_batch_gives_what_single_runs_give()
    {
        const int width = 33, height = 34, count = 3;
        var model = LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(77));
        using var network = cpu.Engine.Prepare(model, PreprocessKind.Npr);
        CheckBatch(network, width, height, count);
    }

    [Fact]
    public void Profiling_times_every_launch_in_order_and_leaves_the_results_unchanged()
    {
        const int width = 33, height = 34;
        var model = LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(78));
        using var network = (LaDeDaGpuNetwork)cpu.Engine.Prepare(model, PreprocessKind.Npr);
        var rgb = new byte[width * height * 3];
        new Random(3).NextBytes(rgb);
        var before = new float[network.MapSize(width) * network.MapSize(height)];
        PatchPooling pooled = network.Run(rgb, width, height, before);

        var timings = network.Profile(rgb, 1, width, height);
        // preprocessing, the fused stem, 3 convs per bottleneck (+ the projection of each layer's first block), fc, pooling
        int convs = 1 + 3 * (3 + 4 + 6 + 3) + 4;
        Assert.Equal(convs + 3, timings.Count);
        Assert.Equal("preprocess", timings[0].Name);
        Assert.Equal("stem", timings[1].Name);
        Assert.Equal(model.Spec.FusedGraph.Nodes.Select(n => n.Name), timings.Skip(1).Take(convs).Select(t => t.Name));
        Assert.Equal(["fc", "pool"], timings.Skip(timings.Count - 2).Select(t => t.Name));
        Assert.All(timings, t => Assert.True(t.Milliseconds >= 0, t.Name));
        Assert.Equal(model.MultiplyAdds(height, width, fusedStem: true), timings.Sum(t => t.MultiplyAdds));

        var after = new float[before.Length];
        Assert.Equal(pooled, network.Run(rgb, width, height, after));
        Assert.Equal(before, after);
    }

    [Fact]
    public void A_disposed_network_is_released_by_its_engine()
    {
        // The engine keeps what it prepared only until it is disposed, so a long-lived engine
        // (the CLI's) does not hold every model's host weights.
        using var engine = new LaDeDaGpuEngine(GpuDevicePreference.Cpu);
        var model = LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(7));
        var first = engine.Prepare(model, PreprocessKind.Npr);
        using var second = engine.Prepare(model, PreprocessKind.Npr);
        Assert.Equal(2, engine.LiveNetworks);
        first.Dispose();
        Assert.Equal(1, engine.LiveNetworks);
        Assert.Throws<ObjectDisposedException>(() => first.Run(new byte[16 * 16 * 3], 16, 16, default));
        Assert.True(double.IsFinite(second.Run(new byte[16 * 16 * 3], 16, 16, default).Mean));
    }

    [Fact]
    public void Reports_its_name_and_the_patch_grid()
    {
        var model = LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(5));
        using var network = cpu.Engine.Prepare(model, PreprocessKind.Npr);
        Assert.Equal("ladeda-ilgpu-cpu", cpu.Engine.Name);
        Assert.True(cpu.Engine.IsSupported);
        Assert.Equal("ladeda-ilgpu-cpu", network.EngineName);
        Assert.Equal((9, 8, 9), (network.MinimumInputSize, network.Stride, network.ReceptiveField));
        Assert.Equal(31, network.MapSize(256));
        Assert.Equal(27, network.MapSize(224));
        Assert.Throws<ArgumentException>(() => network.Run(new byte[8 * 8 * 3], 8, 8, default));
        Assert.Throws<ArgumentException>(() => network.Run(new byte[10 * 10 * 3], 10, 10, new float[3]));
    }

    [Fact]
    public void A_batch_too_large_for_the_device_is_a_clear_typed_error()
    {
        var model = LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(6));
        using var network = cpu.Engine.Prepare(model, PreprocessKind.Npr);
        // 1,000 images of 256×256 need 64 × 254² × 1000 floats in one tensor: more than any device's
        // indexing or memory; the error is raised before anything is allocated.
        var error = Assert.Throws<GpuOutOfMemoryException>(() => network.WorkspaceBytes(256, 256, 1000));
        output.WriteLine(error.Message);
        Assert.Contains("smaller batch", error.Message);
        Assert.IsAssignableFrom<FastLaDeDaException>(error);
        Assert.True(network.WorkspaceBytes(256, 256, 1) > 4L * 64 * 254 * 254);
    }

    [Fact]
    public void Out_of_memory_is_recognised_by_cuda_s_error_code_not_by_a_message()
    {
        var outOfMemory = Failed(ILGPU.Runtime.Cuda.CudaError.CUDA_ERROR_OUT_OF_MEMORY);
        Assert.True(LaDeDaGpuNetwork.IsOutOfMemory(outOfMemory));
        Assert.True(LaDeDaGpuNetwork.IsOutOfMemory(new InvalidOperationException("launch failed", outOfMemory)));
        Assert.True(LaDeDaGpuNetwork.IsOutOfMemory(new OutOfMemoryException()));
        Assert.False(LaDeDaGpuNetwork.IsOutOfMemory(Failed(ILGPU.Runtime.Cuda.CudaError.CUDA_ERROR_INVALID_VALUE)));
        // A message that merely mentions it is not the error.
        Assert.False(LaDeDaGpuNetwork.IsOutOfMemory(new ILGPU.Runtime.Cuda.CudaException("CUDA_ERROR_OUT_OF_MEMORY mentioned in a log line")));
    }

    /// <summary>
    /// The exception ILGPU throws for <paramref name="error"/>. ILGPU builds it only through the driver
    /// (the message is the driver's text), so without one it is made with just its code, as ILGPU
    /// stores it (<c>Error</c> = the code's name).
    /// </summary>
    private static ILGPU.Runtime.Cuda.CudaException Failed(ILGPU.Runtime.Cuda.CudaError error)
    {
        try
        {
            ILGPU.Runtime.Cuda.CudaException.ThrowIfFailed(error);
        }
        catch (ILGPU.Runtime.Cuda.CudaException e)
        {
            return e;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or NotSupportedException)
        {
            var synthetic = (ILGPU.Runtime.Cuda.CudaException)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof(ILGPU.Runtime.Cuda.CudaException));
            typeof(ILGPU.Runtime.Cuda.CudaException).GetField("<Error>k__BackingField", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!
                .SetValue(synthetic, error.ToString());
            return synthetic;
        }
        throw new InvalidOperationException($"{error} did not throw");
    }

    [SkippableFact]
    public void Asking_for_a_gpu_without_one_is_a_clear_error()
    {
        Skip.If(LaDeDaGpuEngine.IsCudaAvailable, "this machine has a CUDA device");
        using var engine = new LaDeDaGpuEngine(GpuDevicePreference.Gpu);
        Assert.False(engine.IsSupported);
        var model = LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(7));
        var error = Assert.Throws<GpuUnavailableException>(() => engine.Prepare(model, PreprocessKind.Npr));
        output.WriteLine(error.Message);
        Assert.Contains("no CUDA device", error.Message);
    }

    [SkippableTheory]
    [InlineData(256, 256)]
    [InlineData(224, 224)]
    public void Matches_the_reference_engine_on_cuda(int width, int height)
    {
        Cuda.Require();
        var model = LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(width));
        using var network = Cuda.Engine.Prepare(model, PreprocessKind.Npr);
        Assert.Equal("ladeda-cuda", network.EngineName);
        CheckParity(network, model, PreprocessKind.Npr, width, height, seed: width, output);
    }

    [SkippableFact]
    public void Matches_the_reference_engine_on_cuda_at_odd_sizes()
    {
        Cuda.Require();
        foreach (var (rf, width, height) in new[] { (9, 40, 48), (9, 67, 45), (33, 97, 71) })
        {
            var model = LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(rf * 10 + width, rf));
            using var network = Cuda.Engine.Prepare(model, PreprocessKind.Npr);
            CheckParity(network, model, PreprocessKind.Npr, width, height, seed: height, output);
        }
    }

    [SkippableFact]
    public void A_batch_gives_what_single_runs_give_on_cuda()
    {
        Cuda.Require();
        var model = LaDeDaModel.FromStateDict(RandomLaDeDa.StateDict(78));
        using var network = Cuda.Engine.Prepare(model, PreprocessKind.Npr);
        CheckBatch(network, 256, 256, 5);
    }

    internal static void CheckParity(LaDeDaGpuNetwork network, LaDeDaModel model, PreprocessKind preprocess, int width, int height, int seed, ITestOutputHelper output)
    {
        var image = RandomImages.Rgb(width, height, seed);

        var clock = Stopwatch.StartNew();
        PatchMap expected = LaDeDaReferenceEngine.Instance.Prepare(model, preprocess).RunMap(image);
        double referenceMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var map = new float[network.MapSize(width) * network.MapSize(height)];
        PatchPooling pooled = network.Run(image.Pixels, width, height, map);
        double engineMs = clock.Elapsed.TotalMilliseconds;

        Assert.Equal(expected.Logits.Length, map.Length);
        double maxDiff = Compare.MaxAbsDiff(expected.Logits, map);
        double scale = Math.Max(1e-3, Compare.MaxAbs(expected.Logits));
        double meanDiff = Math.Abs(pooled.Mean - expected.Pool(PoolingKind.Mean));
        double maxLogitDiff = Math.Abs(pooled.Max - expected.Pool(PoolingKind.Max));
        output.WriteLine($"{network.EngineName} LaDeDa{model.Spec.ReceptiveField} {width}x{height} {preprocess}: map {expected.Width}x{expected.Height}, " +
                         $"max|Δmap| {maxDiff:E2} = {maxDiff / scale:E2} of max|map| {scale:F3}; |Δmean| {meanDiff:E2}; |Δmax| {maxLogitDiff:E2} " +
                         $"(reference {referenceMs:F0} ms, engine {engineMs:F0} ms)");
        Assert.True(maxDiff <= 1e-4 * scale, $"map: relative {maxDiff / scale:E2}");
        Assert.True(meanDiff <= 1e-3, $"mean logit off by {meanDiff}");
        Assert.True(maxLogitDiff <= 1e-3, $"max logit off by {maxLogitDiff}");
    }

    internal static void CheckBatch(LaDeDaGpuNetwork network, int width, int height, int count)
    {
        var rng = new Random(count * width);
        var rgb = new byte[count * width * height * 3];
        rng.NextBytes(rgb);
        int cells = network.MapSize(width) * network.MapSize(height);
        var maps = new float[count * cells];
        var pooled = new PatchPooling[count];
        network.RunBatch(rgb, count, width, height, maps, pooled);
        for (int b = 0; b < count; b++)
        {
            var single = new float[cells];
            PatchPooling one = network.Run(rgb.AsSpan(b * width * height * 3, width * height * 3), width, height, single);
            Assert.Equal(single, maps.AsSpan(b * cells, cells).ToArray());
            Assert.Equal(one, pooled[b]);
        }
        // The batch API over images gives the same too.
        var images = Enumerable.Range(0, count).Select(b => new Rgb24Image(width, height, rgb.AsSpan(b * width * height * 3, width * height * 3).ToArray())).ToArray();
        Assert.Equal(pooled, network.RunBatch(images));
    }
}
