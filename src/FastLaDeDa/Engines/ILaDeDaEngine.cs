using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Engines;

/// <summary>
/// A way to run LaDeDa (float64 reference, CPU SIMD path, ILGPU kernels). Engines differ in
/// speed only; all are tested against the reference.
/// </summary>
public interface ILaDeDaEngine
{
    /// <summary>A short name for reports, e.g. <c>ladeda-cpu</c>.</summary>
    string Name { get; }

    /// <summary>Whether this engine can run on this machine.</summary>
    bool IsSupported { get; }

    /// <summary>Binds a model and its preprocessing (NPR for LaDeDa) into a ready, thread-safe network.</summary>
    IPatchNetwork Prepare(LaDeDaModel model, PreprocessKind preprocess);
}
