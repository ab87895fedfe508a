namespace FastLaDeDa.Engines;

/// <summary>
/// Tiny-LaDeDa bound to its weights and preprocessing by an engine. Thread-safe; fast engines
/// keep per-thread scratch space, so repeated calls allocate nothing.
/// </summary>
public interface ITinyLaDeDaNetwork
{
    /// <summary>The engine that prepared this network.</summary>
    string EngineName { get; }

    /// <summary>
    /// Runs the network on an RGB image (interleaved bytes, <paramref name="width"/> ×
    /// <paramref name="height"/>, both at least 5) from the raw bytes: normalization and the
    /// preprocessing filter are part of the network.
    /// </summary>
    /// <param name="rgb">width × height × 3 bytes.</param>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="map">Receives the patch logits (row-major, <see cref="Models.TinyLaDeDaModel.MapSize"/> of each side), or empty to skip them.</param>
    /// <returns>The mean and max of the patch logits.</returns>
    PatchPooling Run(ReadOnlySpan<byte> rgb, int width, int height, Span<float> map);
}
