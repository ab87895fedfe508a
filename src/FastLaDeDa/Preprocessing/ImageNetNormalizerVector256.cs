using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Preprocessing;

/// <summary>
/// Normalization 16 pixels at a time with 256-bit vectors: three 16-byte loads, a byte shuffle
/// per channel to gather its 16 bytes, widening to int32, conversion to float, then the same two
/// IEEE divisions and one subtraction as the scalar formula (so the results are bit-identical).
/// </summary>
internal sealed class ImageNetNormalizerVector256 : ImageNetNormalizer
{
    /// <summary>The single instance.</summary>
    public static ImageNetNormalizerVector256 Instance { get; } = new();

    private ImageNetNormalizerVector256() { }

    /// <inheritdoc/>
    public override string Isa => "Vector256";

    /// <inheritdoc/>
    public override bool IsSupported => Vector256.IsHardwareAccelerated && Avx2.IsSupported;

    /// <inheritdoc/>
    public override unsafe void Normalize(ReadOnlySpan<byte> rgb, Span<float> planes)
    {
        int pixels = rgb.Length / 3;
        if (pixels < RgbDeinterleave.PixelsPerBlock)
        {
            ImageNetNormalizerScalar.Instance.Normalize(rgb, planes);
            return;
        }
        Vector256<float> scale = Vector256.Create(255f);
        Vector256<float> meanR = Vector256.Create(ImageNetNormalization.Mean[0]), stdR = Vector256.Create(ImageNetNormalization.Std[0]);
        Vector256<float> meanG = Vector256.Create(ImageNetNormalization.Mean[1]), stdG = Vector256.Create(ImageNetNormalization.Std[1]);
        Vector256<float> meanB = Vector256.Create(ImageNetNormalization.Mean[2]), stdB = Vector256.Create(ImageNetNormalization.Std[2]);
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
    private static unsafe void Store(Vector128<byte> bytes, Vector256<float> mean, Vector256<float> std, Vector256<float> scale, float* destination)
    {
        Vector256<float> low = Vector256.ConvertToSingle(Avx2.ConvertToVector256Int32(bytes));
        Vector256<float> high = Vector256.ConvertToSingle(Avx2.ConvertToVector256Int32(Sse2.ShiftRightLogical128BitLane(bytes, 8)));
        // plane[i] = (v / 255f - mean[c]) / std[c]
        ((low / scale - mean) / std).Store(destination);
        ((high / scale - mean) / std).Store(destination + 8);
    }
}
