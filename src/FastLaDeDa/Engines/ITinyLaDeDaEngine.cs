using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;

namespace FastLaDeDa.Engines;

/// <summary>
/// Computes Tiny-LaDeDa's patch-logit map from a normalized image. Implementations differ in
/// speed only; all are tested against <see cref="Reference.TinyLaDeDaReferenceEngine"/>.
/// Implementations are thread-safe.
/// </summary>
public interface ITinyLaDeDaEngine
{
    /// <summary>A short name for reports, e.g. <c>reference</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Runs <paramref name="model"/> on <paramref name="normalized"/> (3×H×W, ImageNet-normalized,
    /// before the model's preprocessing filter, which the engine applies as <paramref name="preprocess"/>).
    /// H and W must be at least 5.
    /// </summary>
    PatchMap Run(TinyLaDeDaModel model, PreprocessKind preprocess, ChwTensor normalized);
}
