namespace FastLaDeDa.Engines;

/// <summary>
/// A patch-logit network (Tiny-LaDeDa or LaDeDa) bound to its weights and preprocessing by an
/// engine. Thread-safe; fast engines keep per-thread scratch space, so repeated calls allocate nothing.
/// </summary>
internal interface IPatchNetwork
{
    /// <summary>The engine that prepared this network.</summary>
    string EngineName { get; }

    /// <summary>The smallest input side the network accepts (the size that yields a 1×1 map).</summary>
    int MinimumInputSize { get; }

    /// <summary>Input pixels between neighbouring patch logits (2 for Tiny-LaDeDa, 8 for LaDeDa).</summary>
    int Stride { get; }

    /// <summary>Input pixels one patch logit sees per axis (7 for Tiny-LaDeDa, 9 for LaDeDa9).</summary>
    int ReceptiveField { get; }

    /// <summary>Patch-map size along one axis for an input of <paramref name="inputSize"/> pixels.</summary>
    int MapSize(int inputSize);

    /// <summary>
    /// Runs the network on an RGB image (interleaved bytes, <paramref name="width"/> ×
    /// <paramref name="height"/>, both at least <see cref="MinimumInputSize"/>) from the raw bytes:
    /// normalization and the preprocessing filter are part of the network.
    /// </summary>
    /// <param name="rgb">width × height × 3 bytes.</param>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="map">Receives the patch logits (row-major, <see cref="MapSize"/> of each side), or empty to skip them.</param>
    /// <returns>The mean and max of the patch logits.</returns>
    PatchPooling Run(ReadOnlySpan<byte> rgb, int width, int height, Span<float> map);
}
