using FastLaDeDa.Imaging;

namespace FastLaDeDa.Training.Data;

/// <summary>
/// A separable Gaussian blur on 8-bit RGB (kernel radius ⌈3σ⌉, normalized taps, mirrored borders),
/// rounding to uint8 once at the end, like the blur augmentation of CNNDetection-style training.
/// </summary>
internal static class GaussianBlur
{
    /// <summary>The blurred image (a new image; the input is unchanged).</summary>
    public static Rgb24Image Apply(Rgb24Image image, double sigma)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigma);
        float[] taps = Kernel(sigma);
        int radius = taps.Length / 2, w = image.Width, h = image.Height;
        var horizontal = new float[w * h * 3];
        byte[] src = image.Pixels;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++)
                {
                    float sum = 0;
                    for (int k = -radius; k <= radius; k++) sum += taps[k + radius] * src[(y * w + Mirror(x + k, w)) * 3 + c];
                    horizontal[(y * w + x) * 3 + c] = sum;
                }
        var output = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++)
                {
                    float sum = 0;
                    for (int k = -radius; k <= radius; k++) sum += taps[k + radius] * horizontal[(Mirror(y + k, h) * w + x) * 3 + c];
                    output[(y * w + x) * 3 + c] = (byte)Math.Clamp(MathF.Round(sum), 0, 255);
                }
        return new Rgb24Image(w, h, output);
    }

    /// <summary>The normalized 1-D taps for <paramref name="sigma"/> (length 2⌈3σ⌉ + 1).</summary>
    public static float[] Kernel(double sigma)
    {
        int radius = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        var taps = new float[2 * radius + 1];
        double total = 0;
        for (int k = -radius; k <= radius; k++) total += taps[k + radius] = (float)Math.Exp(-k * k / (2 * sigma * sigma));
        for (int i = 0; i < taps.Length; i++) taps[i] = (float)(taps[i] / total);
        return taps;
    }

    // Reflect without repeating the edge pixel (… 2 1 | 0 1 2 … n-1 | n-2 …), clamped for tiny images.
    private static int Mirror(int i, int n)
    {
        if (n == 1) return 0;
        while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
        return i;
    }
}
