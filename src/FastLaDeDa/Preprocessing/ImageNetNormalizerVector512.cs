using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Preprocessing;

/// <summary>
/// Normalization 16 pixels at a time with 512-bit vectors: three 16-byte loads, a byte shuffle per
/// channel to gather its 16 bytes, one widening to 16 int32 lanes, conversion to float, then the
/// same two IEEE divisions and one subtraction as the scalar formula (bit-identical results).
/// </summary>
internal sealed class ImageNetNormalizerVector512 : ImageNetNormalizer
{
    /// <summary>The single instance.</summary>
    public static ImageNetNormalizerVector512 Instance { get; } = new();

    private ImageNetNormalizerVector512() { }

    /// <inheritdoc/>
    public override string Isa => "Vector512";

    /// <inheritdoc/>
    public override bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <inheritdoc/>
    public override unsafe void Normalize(ReadOnlySpan<byte> rgb, Span<float> planes)
    {
        int pixels = rgb.Length / 3;
        if (pixels < RgbDeinterleave.PixelsPerBlock)
        {
            ImageNetNormalizerScalar.Instance.Normalize(rgb, planes);
            return;
        }
        Vector512<float> scale = Vector512.Create(255f);
        Vector512<float> meanR = Vector512.Create(ImageNetNormalization.Mean[0]), stdR = Vector512.Create(ImageNetNormalization.Std[0]);
        Vector512<float> meanG = Vector512.Create(ImageNetNormalization.Mean[1]), stdG = Vector512.Create(ImageNetNormalization.Std[1]);
        Vector512<float> meanB = Vector512.Create(ImageNetNormalization.Mean[2]), stdB = Vector512.Create(ImageNetNormalization.Std[2]);
        fixed (byte* source = rgb)
        fixed (float* destination = planes)
        {
            float* red = destination, green = destination + pixels, blue = destination + 2 * pixels;
            // Blocks of 16 pixels; the last block overlaps the one before it (same values rewritten).
            for (int i = 0; ; i += RgbDeinterleave.PixelsPerBlock)
            {
                if (i > pixels - RgbDeinterleave.PixelsPerBlock) i = pixels - RgbDeinterleave.PixelsPerBlock;
                RgbDeinterleave.Split(source + 3 * i, out Vector128<byte> r, out Vector128<byte> g, out Vector128<byte> b);
                Store(r, meanR, stdR, scale, red + i);
                Store(g, meanG, stdG, scale, green + i);
                Store(b, meanB, stdB, scale, blue + i);
                if (i == pixels - RgbDeinterleave.PixelsPerBlock) break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(Vector128<byte> bytes, Vector512<float> mean, Vector512<float> std, Vector512<float> scale, float* destination)
    {
        Vector512<float> v = Vector512.ConvertToSingle(Avx512F.ConvertToVector512Int32(bytes));
        // plane[i] = (v / 255f - mean[c]) / std[c]
        ((v / scale - mean) / std).Store(destination);
    }
}
