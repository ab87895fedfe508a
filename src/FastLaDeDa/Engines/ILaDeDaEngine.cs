using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Engines;

/// <summary>
/// A way to run LaDeDa (float64 reference, CPU SIMD path, ILGPU kernels). Engines differ in
/// speed only; all are tested against the reference.
/// </summary>
internal interface ILaDeDaEngine
{
    /// <summary>The name <see cref="Detection.DetectorOptions.Engine"/> selects it by, e.g. <c>ladeda-avx512</c>.</summary>
    string Name { get; }

    /// <summary>Whether this engine can run on this machine.</summary>
    bool IsSupported { get; }

    /// <summary>Binds a model and its preprocessing (NPR for LaDeDa) into a ready, thread-safe network.</summary>
    IPatchNetwork Prepare(LaDeDaModel model, PreprocessKind preprocess);
}
