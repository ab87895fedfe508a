namespace FastLaDeDa.Gpu.Tests.Support;

/// <summary>
/// Every test that runs kernels on ILGPU's CPU accelerator is in this collection: they share the
/// accelerators (kernels compiled once) and run one at a time (each simulated group is a set of
/// OS threads; two suites at once would only thrash the cores).
/// </summary>
[CollectionDefinition(Name)]
public sealed class CpuAcceleratorCollection : ICollectionFixture<CpuAccelerators>
{
    public const string Name = "ILGPU CPU accelerator";
}

/// <summary>The CPU accelerators the tests use, created once.</summary>
public sealed class CpuAccelerators : IDisposable
{
    private readonly Lazy<GpuAccelerator> _wide = new(() => GpuAccelerator.Create(GpuDevicePreference.Cpu, 16)!);
    private readonly Lazy<GpuAccelerator> _pairs = new(() => GpuAccelerator.Create(GpuDevicePreference.Cpu, 2)!);

    /// <summary>The engine's own CPU configuration: one thread per group, 4 × 4 tiles (the engine's accelerator: its kernels are compiled once).</summary>
    internal GpuAccelerator Small => Engine.Gpu!;

    /// <summary>2 × 2 threads, 8 × 8 tiles: fewer threads than tile columns, with barriers.</summary>
    internal GpuAccelerator Pairs => _pairs.Value;

    /// <summary>16 × 16 threads, 64 × 64 tiles: the CUDA configuration, simulated.</summary>
    internal GpuAccelerator Wide => _wide.Value;

    /// <summary>The engine as a user gets it with <c>--device cpu</c>.</summary>
    internal LaDeDaGpuEngine Engine { get; } = new(GpuDevicePreference.Cpu);

    public void Dispose()
    {
        Engine.Dispose();
        if (_wide.IsValueCreated) _wide.Value.Dispose();
        if (_pairs.IsValueCreated) _pairs.Value.Dispose();
    }
}

/// <summary>The CUDA engine, when this machine has a device (tests skip otherwise).</summary>
public static class Cuda
{
    /// <summary>The reason CUDA tests skip.</summary>
    public static string SkipReason => LaDeDaGpuEngine.CudaDescription.StartsWith("no CUDA device", StringComparison.Ordinal) ? LaDeDaGpuEngine.CudaDescription : "no CUDA device";

    private static readonly Lazy<LaDeDaGpuEngine?> LazyEngine = new(() =>
        LaDeDaGpuEngine.IsCudaAvailable ? new LaDeDaGpuEngine(GpuDevicePreference.Gpu) : null);

    /// <summary>
    /// Skips the calling test without a CUDA device — or fails it when <c>FASTLADEDA_REQUIRE_CUDA=1</c>
    /// (kernels/gpu-check.sh sets it, so a GPU machine whose device ILGPU cannot open never passes by skipping).
    /// </summary>
    public static void Require()
    {
        if (!LaDeDaGpuEngine.IsCudaAvailable && Environment.GetEnvironmentVariable("FASTLADEDA_REQUIRE_CUDA") == "1")
            Assert.Fail($"FASTLADEDA_REQUIRE_CUDA=1 but ILGPU finds no CUDA device: {LaDeDaGpuEngine.CudaDescription}");
        Skip.IfNot(LaDeDaGpuEngine.IsCudaAvailable, SkipReason);
    }

    /// <summary>The shared CUDA engine (call <see cref="Require"/> first).</summary>
    internal static LaDeDaGpuEngine Engine => LazyEngine.Value!;

    /// <summary>The CUDA engine's accelerator, for the per-kernel tests (one context, kernels compiled once).</summary>
    internal static GpuAccelerator Accelerator => Engine.Gpu!;
}
