using FastLaDeDa.Simd;

namespace FastLaDeDa.Preprocessing;

/// <summary>
/// Interleaved RGB bytes → three normalized float planes, <c>(v / 255f - mean[c]) / std[c]</c> in
/// float32 (see <see cref="ImageNetNormalization"/>). Implementations: <see cref="ImageNetNormalizerScalar"/>
/// (the reference), <see cref="ImageNetNormalizerVector256"/>, <see cref="ImageNetNormalizerVector512"/>.
/// </summary>
internal abstract class ImageNetNormalizer : SimdImplementation
{
    /// <summary>Every implementation, widest first (supported or not).</summary>
    public static IReadOnlyList<ImageNetNormalizer> All { get; } =
        [ImageNetNormalizerVector512.Instance, ImageNetNormalizerVector256.Instance, ImageNetNormalizerVector128.Instance, ImageNetNormalizerScalar.Instance];

    /// <summary>The widest implementation this process supports.</summary>
    public static ImageNetNormalizer Best { get; } = Widest<ImageNetNormalizer>([.. All]);

    /// <summary>
    /// Writes the R, G and B planes of <paramref name="rgb"/> (3 bytes per pixel) one after another
    /// into <paramref name="planes"/>, which holds exactly as many floats as <paramref name="rgb"/> has bytes.
    /// </summary>
    public abstract void Normalize(ReadOnlySpan<byte> rgb, Span<float> planes);
}
