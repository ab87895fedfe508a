using FastLaDeDa.Errors;

namespace FastLaDeDa.Gpu;

/// <summary>
/// The accelerator cannot hold what a run needs (weights, or the activations for this input size
/// and batch). The message names the size asked for and what the device has; a smaller batch or
/// input, or the CPU engine, is the way out.
/// </summary>
public sealed class GpuOutOfMemoryException : FastLaDeDaException
{
    /// <summary>Creates the error.</summary>
    public GpuOutOfMemoryException(string cause, long requestedBytes, long deviceBytes, Exception? inner = null)
        : base(null, cause, inner)
    {
        RequestedBytes = requestedBytes;
        DeviceBytes = deviceBytes;
    }

    /// <summary>Bytes the run needed.</summary>
    public long RequestedBytes { get; }

    /// <summary>Bytes of memory the accelerator reports (0 when unknown).</summary>
    public long DeviceBytes { get; }
}
