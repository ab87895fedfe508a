using FastLaDeDa.Engines;
using FastLaDeDa.Errors;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Gpu;

/// <summary>
/// LaDeDa on an ILGPU accelerator: CUDA (<c>ladeda-cuda</c>) or, without a GPU, ILGPU's CPU
/// accelerator (<c>ladeda-ilgpu-cpu</c>: the same kernels on simulated thread groups; slow, for
/// correctness on small inputs). Owns the ILGPU context and accelerator and every network it
/// prepared: disposing the engine releases them all.
/// </summary>
internal sealed class LaDeDaGpuEngine : ILaDeDaEngine, IDisposable
{
    private readonly GpuAccelerator? _gpu;
    private readonly List<LaDeDaGpuNetwork> _networks = [];
    private readonly object _gate = new();
    private bool _disposed;

    /// <summary>Creates the engine on the accelerator <paramref name="device"/> asks for (creating no accelerator when it asks for CUDA and there is none).</summary>
    public LaDeDaGpuEngine(GpuDevicePreference device = GpuDevicePreference.Auto) : this(device, 1) { }

    /// <summary>Tests pin the CPU accelerator's group side (1 by default; 16 runs CUDA's 64 × 64 tiles).</summary>
    internal LaDeDaGpuEngine(GpuDevicePreference device, int cpuGroupSide)
    {
        Preference = device;
        _gpu = GpuAccelerator.Create(device, cpuGroupSide);
    }

    /// <summary>Whether ILGPU finds a CUDA device on this machine (probed once per process, without keeping it).</summary>
    public static bool IsCudaAvailable => GpuAccelerator.CudaAvailable;

    /// <summary>The CUDA device's name, or why there is none.</summary>
    public static string CudaDescription => GpuAccelerator.CudaDescription;

    /// <summary>What the engine was asked to run on.</summary>
    public GpuDevicePreference Preference { get; }

    /// <summary>True when the engine runs on CUDA.</summary>
    public bool IsCuda => _gpu?.IsCuda ?? false;

    /// <inheritdoc />
    public string Name => _gpu is null || _gpu.IsCuda ? EngineCatalog.LaDeDaCuda : "ladeda-ilgpu-cpu";

    /// <inheritdoc />
    public bool IsSupported => _gpu is not null;

    /// <summary>The accelerator's name, or why there is none.</summary>
    public string DeviceName => _gpu?.Accelerator.Name ?? CudaDescription;

    /// <inheritdoc />
    IPatchNetwork ILaDeDaEngine.Prepare(LaDeDaModel model, PreprocessKind preprocess) => Prepare(model, preprocess);

    /// <summary>Uploads <paramref name="model"/>'s weights and returns the network (owned by this engine; may be disposed earlier).</summary>
    /// <exception cref="GpuUnavailableException">CUDA was asked for and there is no device.</exception>
    /// <exception cref="GpuOutOfMemoryException">The weights do not fit.</exception>
    public LaDeDaGpuNetwork Prepare(LaDeDaModel model, PreprocessKind preprocess)
    {
        ArgumentNullException.ThrowIfNull(model);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_gpu is null) throw new GpuUnavailableException($"{Name}: {CudaDescription}; use --device cpu or auto");
            var network = new LaDeDaGpuNetwork(_gpu, Name, model, preprocess, Forget);
            _networks.Add(network);
            return network;
        }
    }

    /// <summary>The accelerator (null without a device), for tests that launch kernels on the engine's own.</summary>
    internal GpuAccelerator? Gpu => _gpu;

    /// <summary>Networks prepared and not yet disposed.</summary>
    internal int LiveNetworks
    {
        get { lock (_gate) return _networks.Count; }
    }

    /// <summary>A network disposed on its own stops being tracked, so its model's host weights can go.</summary>
    private void Forget(LaDeDaGpuNetwork network)
    {
        lock (_gate) _networks.Remove(network);
    }

    /// <summary>Releases every prepared network, then the accelerator and the ILGPU context.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            // Each network forgets itself as it goes (same thread, re-entrant lock): iterate a copy.
            foreach (var network in _networks.ToArray()) network.Dispose();
            _networks.Clear();
            _gpu?.Dispose();
        }
    }
}
