using FastLaDeDa.Imaging;
using FastLaDeDa.Imaging.Resize;

namespace FastLaDeDa.Training.Data;

/// <summary>
/// Synthetic fakes made from real photographs: the image is shrunk to half its side (Pillow
/// BILINEAR) and enlarged back the way a generator's decoder does it — a nearest-neighbour 2× up-sampling
/// followed by a 3×3 convolution with random positive taps (summing to 1, replicated borders). What
/// such an image carries and a photograph does not is the period-2 correlation an up-sampling layer
/// leaves, the trace GAN and latent-diffusion decoders share (Zhang et al. 2019, "Detecting and
/// simulating artifacts in GAN fake images"; Tan et al. 2024, NPR); the content is a real photo's, so
/// only that trace separates it from its class. <c>--synthetic-fakes</c> uses these in place of some fakes.
/// </summary>
internal static class UpsamplingFake
{
    /// <summary>Taps of the random convolution (3×3, row-major).</summary>
    public const int Taps = 9;

    /// <summary>The synthetic fake of <paramref name="real"/> with taps drawn from <paramref name="random"/> (a new image).</summary>
    public static Rgb24Image Make(Rgb24Image real, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(random);
        return Make(real, RandomKernel(random));
    }

    /// <summary>The synthetic fake of <paramref name="real"/> with the given 3×3 <paramref name="kernel"/> (row-major).</summary>
    public static Rgb24Image Make(Rgb24Image real, ReadOnlySpan<double> kernel)
    {
        ArgumentNullException.ThrowIfNull(real);
        if (kernel.Length != Taps) throw new ArgumentException($"expected {Taps} taps, got {kernel.Length}", nameof(kernel));
        int w = real.Width, h = real.Height;
        if (w < 2 || h < 2) throw new ArgumentException($"a {w}×{h} image is too small to halve", nameof(real));
        var half = PillowResize.Bilinear(real, w / 2, h / 2);
        return Convolve3x3(NearestDouble(half, w, h), kernel);
    }

    /// <summary>Nine taps uniform in [0, 1), normalised to sum 1 (a smoothing layer of unknown shape).</summary>
    public static double[] RandomKernel(SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var kernel = new double[Taps];
        double total = 0;
        for (int i = 0; i < Taps; i++) total += kernel[i] = random.NextDouble();
        for (int i = 0; i < Taps; i++) kernel[i] /= total;
        return kernel;
    }

    // Each source pixel becomes a 2×2 block; an odd target side repeats the last column/row.
    private static Rgb24Image NearestDouble(Rgb24Image small, int width, int height)
    {
        var pixels = new byte[width * height * 3];
        byte[] src = small.Pixels;
        for (int y = 0; y < height; y++)
        {
            int sy = Math.Min(y / 2, small.Height - 1);
            for (int x = 0; x < width; x++)
            {
                int sx = Math.Min(x / 2, small.Width - 1);
                src.AsSpan((sy * small.Width + sx) * 3, 3).CopyTo(pixels.AsSpan((y * width + x) * 3, 3));
            }
        }
        return new Rgb24Image(width, height, pixels);
    }

    // Correlation with the 3×3 kernel per channel, borders replicated, rounded once (half away from zero).
    private static Rgb24Image Convolve3x3(Rgb24Image image, ReadOnlySpan<double> kernel)
    {
        int w = image.Width, h = image.Height;
        byte[] src = image.Pixels;
        var output = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++)
                {
                    double sum = 0;
                    for (int dy = -1; dy <= 1; dy++)
                    {
                        int sy = Math.Clamp(y + dy, 0, h - 1);
                        for (int dx = -1; dx <= 1; dx++)
                            sum += kernel[(dy + 1) * 3 + dx + 1] * src[(sy * w + Math.Clamp(x + dx, 0, w - 1)) * 3 + c];
                    }
                    output[(y * w + x) * 3 + c] = (byte)Math.Clamp(Math.Round(sum, MidpointRounding.AwayFromZero), 0, 255);
                }
        return new Rgb24Image(w, h, output);
    }
}
