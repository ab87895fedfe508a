using FastLaDeDa.Imaging;

namespace FastLaDeDa.Preprocessing;

/// <summary>
/// torchvision's <c>ToTensor()</c> followed by <c>Normalize(mean, std)</c> with the ImageNet
/// statistics, reproduced operation for operation in float32 so the results are bit-identical:
/// <c>(v / 255f - mean[c]) / std[c]</c> (a division, not a multiplication by 1/std).
/// </summary>
internal static class ImageNetNormalization
{
    /// <summary>Per-channel means (R, G, B) as float32, as torchvision holds them.</summary>
    public static ReadOnlySpan<float> Mean => [0.485f, 0.456f, 0.406f];

    /// <summary>Per-channel standard deviations (R, G, B) as float32.</summary>
    public static ReadOnlySpan<float> Std => [0.229f, 0.224f, 0.225f];

    /// <summary>
    /// Whether <see cref="ReciprocalDivisor"/> reproduces both divisions bit for bit for every byte
    /// value and channel — checked once, over all 3 × 256 inputs; kernels that divide by multiplying
    /// fall back to division when it is false (it is true for the ImageNet constants).
    /// </summary>
    internal static bool ReciprocalDivisionIsExact { get; } = CheckReciprocalDivision();

    private static bool CheckReciprocalDivision()
    {
        var by255 = new ReciprocalDivisor(255f);
        for (int c = 0; c < 3; c++)
        {
            var byStd = new ReciprocalDivisor(Std[c]);
            for (int v = 0; v < 256; v++)
            {
                float q = v / 255f, fast = by255.Divide(v);
                if (BitConverter.SingleToInt32Bits(fast) != BitConverter.SingleToInt32Bits(q)) return false;
                float d = q - Mean[c];
                if (BitConverter.SingleToInt32Bits(byStd.Divide(d)) != BitConverter.SingleToInt32Bits(d / Std[c])) return false;
            }
        }
        return true;
    }

    /// <summary>Converts interleaved RGB bytes into a normalized 3×H×W tensor.</summary>
    public static ChwTensor Normalize(Rgb24Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var result = new ChwTensor(3, image.Height, image.Width);
        Normalize(image.Pixels, result.Data);
        return result;
    }

    /// <summary>
    /// Normalizes interleaved RGB bytes (<paramref name="rgb"/>, 3 per pixel) into three planes
    /// written one after another into <paramref name="planes"/>.
    /// </summary>
    public static void Normalize(ReadOnlySpan<byte> rgb, Span<float> planes)
    {
        int pixels = rgb.Length / 3;
        if (rgb.Length != pixels * 3 || planes.Length != rgb.Length)
            throw new ArgumentException("rgb must hold 3 bytes per pixel and planes 3 floats per pixel");
        // The widest SIMD implementation this CPU supports; all give bit-identical results.
        ImageNetNormalizer.Best.Normalize(rgb, planes);
    }
}
