using FastLaDeDa.Detection;
using FastLaDeDa.Engines;
using FastLaDeDa.Errors;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Detection;

/// <summary><see cref="DetectorOptions.Engine"/>: one name per engine, the generic auto/cpu/cuda, old names, clear errors.</summary>
public class EngineSelectionTests
{
    private static readonly DetectorOptions NativeSize = new() { Resize = false };

    [Fact]
    public void Every_name_is_generic_or_model_dash_backend()
    {
        Assert.Equal(["auto", "cpu", "cuda"], Detector.EngineNames.Take(3));
        Assert.All(Detector.EngineNames.Skip(3), name => Assert.Matches("^(tiny|ladeda)-[a-z0-9]+$", name));
        foreach (var engine in TinyLaDeDaEngines.Fused.Cast<ITinyLaDeDaEngine>().Append(TinyLaDeDaEngines.Reference))
            Assert.Contains(engine.Name, Detector.EngineNames);
        foreach (var engine in LaDeDaEngines.Cpu.Cast<ILaDeDaEngine>().Append(LaDeDaEngines.Reference))
            Assert.Contains(engine.Name, Detector.EngineNames);
    }

    [Fact]
    public void Tiny_weights_run_auto_cpu_and_cuda_on_the_widest_cpu_engine()
    {
        foreach (string name in new[] { "auto", "cpu", "cuda", "AUTO" })
        {
            using var detector = Detector.FromStateDict(RandomTiny.StateDict(1), NativeSize with { Engine = name });
            Assert.Equal(TinyLaDeDaEngines.Best.Name, detector.EngineName);
        }
        using var byDefault = Detector.FromStateDict(RandomTiny.StateDict(1), NativeSize);
        Assert.Equal("auto", byDefault.Options.Engine);
        Assert.Equal(TinyLaDeDaEngines.Best.Name, byDefault.EngineName);
    }

    [Fact]
    public void Tiny_engines_by_name_and_by_their_old_names()
    {
        foreach (var engine in TinyLaDeDaEngines.Fused.Where(e => e.IsSupported).Cast<ITinyLaDeDaEngine>().Append(TinyLaDeDaEngines.Reference))
        {
            using var detector = Detector.FromStateDict(RandomTiny.StateDict(2), NativeSize with { Engine = engine.Name });
            Assert.Equal(engine.Name, detector.EngineName);
        }
        using var old = Detector.FromStateDict(RandomTiny.StateDict(2), NativeSize with { Engine = "fused-scalar" });
        Assert.Equal("tiny-scalar", old.EngineName);
        using var reference = Detector.FromStateDict(RandomTiny.StateDict(2), NativeSize with { Engine = "reference" });
        Assert.Equal("tiny-reference", reference.EngineName);
    }

    [Fact]
    public void A_ladeda_engine_on_tiny_weights_says_which_model_each_holds()
    {
        var error = Assert.Throws<ModelMismatchException>(() => Detector.FromStateDict(RandomTiny.StateDict(3), NativeSize with { Engine = "ladeda-scalar" }));
        Assert.Contains("engine ladeda-scalar runs LaDeDa; these weights hold Tiny-LaDeDa", error.Message);
        Assert.Contains("tiny-scalar", error.Message);
    }

    [Fact]
    public void A_tiny_engine_on_ladeda_weights_says_which_model_each_holds()
    {
        var error = Assert.Throws<ModelMismatchException>(() => Detector.FromStateDict(RandomLaDeDa.StateDict(4, 9), NativeSize with { Engine = "tiny-scalar" }));
        Assert.Contains("engine tiny-scalar runs Tiny-LaDeDa; these weights hold LaDeDa", error.Message);
    }

    [Fact]
    public void An_unknown_name_lists_the_valid_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => Detector.FromStateDict(RandomTiny.StateDict(5), NativeSize with { Engine = "turbo" }));
        Assert.Contains("unknown engine 'turbo'", error.Message);
        foreach (string name in Detector.EngineNames) Assert.Contains(name, error.Message);
    }

    [Fact]
    public void Ladeda_cpu_engines_take_the_threads_per_image()
    {
        using var cpu = Detector.FromStateDict(RandomLaDeDa.StateDict(6, 9), NativeSize with { Engine = "cpu", ThreadsPerImage = 1 });
        Assert.Equal(LaDeDaEngines.Best.Name, cpu.EngineName);
        using var scalar = Detector.FromStateDict(RandomLaDeDa.StateDict(6, 9), NativeSize with { Engine = "ladeda-cpu-scalar", ThreadsPerImage = 2 });
        Assert.Equal("ladeda-scalar", scalar.EngineName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DetectorOptions { ThreadsPerImage = 0 });
    }

    [Fact]
    public void The_gpu_assembly_is_found_at_run_time()
    {
        // The tests ship FastLaDeDa.Gpu next to the library, as an app with the GPU package does.
        var backend = CudaBackendLocator.Backend;
        Assert.True(backend is not null, CudaBackendLocator.WhyMissing);
        Assert.False(string.IsNullOrEmpty(backend.Description));
    }

    [SkippableFact]
    public void Without_cuda_auto_runs_ladeda_on_the_cpu_and_cuda_is_a_clear_error()
    {
        Skip.If(CudaBackendLocator.Backend is { IsAvailable: true }, "this machine has a CUDA device");
        using var auto = Detector.FromStateDict(RandomLaDeDa.StateDict(7, 9), NativeSize);
        Assert.Equal(LaDeDaEngines.Best.Name, auto.EngineName);
        foreach (string name in new[] { "cuda", "ladeda-cuda", "ladeda-ilgpu-cuda" })
        {
            var error = Assert.Throws<GpuUnavailableException>(() => Detector.FromStateDict(RandomLaDeDa.StateDict(7, 9), NativeSize with { Engine = name }));
            Assert.StartsWith($"engine {name} needs CUDA", error.Message);
        }
    }

    [SkippableFact]
    public void With_cuda_auto_runs_ladeda_on_the_gpu()
    {
        Skip.IfNot(CudaBackendLocator.Backend is { IsAvailable: true }, "no CUDA device");
        using var auto = Detector.FromStateDict(RandomLaDeDa.StateDict(8, 9), NativeSize);
        Assert.Equal("ladeda-cuda", auto.EngineName);
    }
}
