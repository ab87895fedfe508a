using static TorchSharp.torch;

namespace FastLaDeDa.Training.Data;

/// <summary>A batch of crops: uint8 pixels [B,S,S,3] (interleaved RGB) and float32 labels [B] (1 = fake).</summary>
internal sealed class ImageBatch(Tensor pixels, Tensor labels) : IDisposable
{
    /// <summary>uint8 [B,S,S,3].</summary>
    public Tensor Pixels { get; } = pixels;

    /// <summary>float32 [B], 1 for fake, 0 for real.</summary>
    public Tensor Labels { get; } = labels;

    /// <summary>Number of images.</summary>
    public int Count => (int)Pixels.shape[0];

    /// <inheritdoc/>
    public void Dispose()
    {
        Pixels.Dispose();
        Labels.Dispose();
    }
}
