using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Engines;

/// <summary>
/// A way to run Tiny-LaDeDa (scalar reference, fused scalar, fused Vector128, fused Vector256, fused Vector512).
/// Engines differ in speed only; all are tested against the reference on the same inputs.
/// </summary>
internal interface ITinyLaDeDaEngine
{
    /// <summary>The name <see cref="Detection.DetectorOptions.Engine"/> selects it by, e.g. <c>tiny-avx512</c>.</summary>
    string Name { get; }

    /// <summary>Whether this engine can run on this machine with the current runtime settings.</summary>
    bool IsSupported { get; }

    /// <summary>
    /// Binds a model and its preprocessing into a ready-to-run network (weights rearranged once).
    /// The result is immutable and thread-safe.
    /// </summary>
    IPatchNetwork Prepare(TinyLaDeDaModel model, PreprocessKind preprocess);
}
