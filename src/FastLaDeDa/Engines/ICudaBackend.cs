namespace FastLaDeDa.Engines;

/// <summary>
/// What the library needs from FastLaDeDa.Gpu, which it cannot reference (the GPU package depends
/// on this one): whether CUDA is there, and the engine that runs LaDeDa on it. Found at run time by
/// <see cref="CudaBackendLocator"/>.
/// </summary>
internal interface ICudaBackend
{
    /// <summary>Whether a CUDA device is usable (probed once per process, without keeping it).</summary>
    bool IsAvailable { get; }

    /// <summary>The CUDA device's name, or why there is none.</summary>
    string Description { get; }

    /// <summary>The CUDA engine, created on first use and kept for the process (it owns the GPU context).</summary>
    ILaDeDaEngine Engine { get; }
}
