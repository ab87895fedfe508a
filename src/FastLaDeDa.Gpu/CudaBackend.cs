using FastLaDeDa.Engines;

namespace FastLaDeDa.Gpu;

/// <summary>
/// What the library's engine names <c>auto</c>, <c>cuda</c> and <c>ladeda-cuda</c> find at run time
/// (<see cref="CudaBackendLocator"/> reads <see cref="Instance"/> by name): the CUDA probe and one
/// <see cref="LaDeDaGpuEngine"/> per process, created on first use and released at exit (detectors
/// release their networks; the context goes with the process).
/// </summary>
internal sealed class CudaBackend : ICudaBackend
{
    private readonly Lazy<LaDeDaGpuEngine> _engine = new(() =>
    {
        var engine = new LaDeDaGpuEngine(GpuDevicePreference.Gpu);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => engine.Dispose();
        return engine;
    });

    private CudaBackend() { }

    /// <summary>The one backend (looked up by <see cref="CudaBackendLocator"/>).</summary>
    public static CudaBackend Instance { get; } = new();

    /// <inheritdoc />
    public bool IsAvailable => LaDeDaGpuEngine.IsCudaAvailable;

    /// <inheritdoc />
    public string Description => LaDeDaGpuEngine.CudaDescription;

    /// <inheritdoc />
    public ILaDeDaEngine Engine => _engine.Value;
}
