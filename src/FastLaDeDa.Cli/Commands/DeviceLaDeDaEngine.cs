using FastLaDeDa.Engines;
using FastLaDeDa.Gpu;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Cli.Commands;

/// <summary>
/// <c>--device auto|cpu|gpu</c> for LaDeDa: picks CUDA (ILGPU) or the CPU engine when a network is
/// prepared, so scoring Tiny-LaDeDa never creates a GPU context. The ILGPU engine lives as long as
/// the process (the detector releases its network; the context goes at exit).
/// </summary>
internal sealed class DeviceLaDeDaEngine(LaDeDaDevice device, ILaDeDaEngine cpu) : ILaDeDaEngine
{
    private static readonly Lazy<LaDeDaGpuEngine> Cuda = new(() =>
    {
        var engine = new LaDeDaGpuEngine(GpuDevicePreference.Gpu);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => engine.Dispose();
        return engine;
    });

    /// <inheritdoc />
    public string Name => device == LaDeDaDevice.Cpu ? cpu.Name : $"{device.ToString().ToLowerInvariant()} ({cpu.Name} or ladeda-ilgpu-cuda)";

    /// <inheritdoc />
    public bool IsSupported => true;

    /// <inheritdoc />
    /// <exception cref="GpuUnavailableException"><c>--device gpu</c> on a machine without a CUDA device.</exception>
    public IPatchNetwork Prepare(LaDeDaModel model, PreprocessKind preprocess)
    {
        if (device == LaDeDaDevice.Cpu || (device == LaDeDaDevice.Auto && !LaDeDaGpuEngine.IsCudaAvailable))
            return cpu.Prepare(model, preprocess);
        if (!LaDeDaGpuEngine.IsCudaAvailable)
            throw new GpuUnavailableException($"--device gpu: {LaDeDaGpuEngine.CudaDescription}; use --device cpu or auto");
        return Cuda.Value.Prepare(model, preprocess);
    }
}

/// <summary>Where LaDeDa runs (<c>--device</c>).</summary>
internal enum LaDeDaDevice
{
    /// <summary>CUDA when present, else the CPU engine.</summary>
    Auto,
    /// <summary>The SIMD CPU engine.</summary>
    Cpu,
    /// <summary>CUDA through ILGPU; an error without a device.</summary>
    Gpu,
}
