namespace FastLaDeDa.Errors;

/// <summary>
/// CUDA was asked for (engine <c>cuda</c> or <c>ladeda-cuda</c>) and this process cannot use it:
/// the FastLaDeDa.Gpu package is not installed, or ILGPU finds no CUDA device. The message says which.
/// </summary>
public sealed class GpuUnavailableException : FastLaDeDaException
{
    /// <summary>Creates the error.</summary>
    public GpuUnavailableException(string cause, Exception? inner = null) : base(null, cause, inner) { }
}
