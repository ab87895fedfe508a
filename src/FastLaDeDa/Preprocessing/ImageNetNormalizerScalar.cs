namespace FastLaDeDa.Preprocessing;

/// <summary>The reference normalization: a 256-entry table per channel built with the exact float32 formula.</summary>
internal sealed class ImageNetNormalizerScalar : ImageNetNormalizer
{
    /// <summary>The single instance.</summary>
    public static ImageNetNormalizerScalar Instance { get; } = new();

    private ImageNetNormalizerScalar() { }

    /// <inheritdoc/>
    public override string Isa => "Scalar";

    /// <inheritdoc/>
    public override bool IsSupported => true;

    /// <inheritdoc/>
    public override void Normalize(ReadOnlySpan<byte> rgb, Span<float> planes)
    {
        int pixels = rgb.Length / 3;
        // A table of the 256 possible results per channel: the same float operations, done once.
        Span<float> table = stackalloc float[3 * 256];
        for (int c = 0; c < 3; c++)
            for (int v = 0; v < 256; v++)
                table[c * 256 + v] = Formula(v, c);
        for (int c = 0; c < 3; c++)
        {
            Span<float> plane = planes.Slice(c * pixels, pixels);
            ReadOnlySpan<float> lookup = table.Slice(c * 256, 256);
            for (int i = 0; i < pixels; i++) plane[i] = lookup[rgb[i * 3 + c]];
        }
    }

    /// <summary>torchvision's <c>ToTensor</c> then <c>Normalize</c> for one byte of channel <paramref name="channel"/>.</summary>
    internal static float Formula(int value, int channel) =>
        (value / 255f - ImageNetNormalization.Mean[channel]) / ImageNetNormalization.Std[channel];
}
