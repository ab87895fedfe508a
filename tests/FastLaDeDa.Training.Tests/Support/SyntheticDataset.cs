using FastLaDeDa.Imaging;
using StbImageWriteSharp;

namespace FastLaDeDa.Training.Tests.Support;

/// <summary>
/// Small generated image sets in the WildRF layout, separable by construction: "real" images are
/// smooth colour gradients with mild noise, "fake" ones add a 2-pixel checkerboard (the kind of
/// up-sampling trace NPR and the gradient filters expose).
/// </summary>
internal static class SyntheticDataset
{
    /// <summary>Writes <c>root/train</c> and <c>root/val</c>, each with <paramref name="perClass"/> PNGs per class of <paramref name="size"/>².</summary>
    public static string Create(string root, int perClass = 4, int size = 64, int seed = 1)
    {
        foreach (string split in new[] { "train", "val" })
            WriteSplit(Path.Combine(root, split), perClass, size, seed + (split == "val" ? 1000 : 0));
        return root;
    }

    /// <summary>Writes <c>folder/0_real</c> and <c>folder/1_fake</c>.</summary>
    public static void WriteSplit(string folder, int perClass, int size, int seed, bool real = true, bool fake = true)
    {
        if (real) Directory.CreateDirectory(Path.Combine(folder, "0_real"));
        if (fake) Directory.CreateDirectory(Path.Combine(folder, "1_fake"));
        for (int i = 0; i < perClass; i++)
        {
            if (real) WritePng(Path.Combine(folder, "0_real", $"synth_real__{i:D2}.png"), Image(size, seed * 100 + i, isFake: false));
            if (fake) WritePng(Path.Combine(folder, "1_fake", $"synth_fake__{i:D2}.png"), Image(size, seed * 100 + 50 + i, isFake: true));
        }
    }

    /// <summary>One generated image.</summary>
    public static Rgb24Image Image(int size, int seed, bool isFake)
    {
        var random = new Random(seed);
        double a = random.NextDouble() * 2, b = random.NextDouble() * 2, phase = random.NextDouble() * 6;
        var pixels = new byte[size * size * 3];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                for (int c = 0; c < 3; c++)
                {
                    double v = 128 + 70 * Math.Sin(a * x / size * 6 + b * y / size * 6 + phase + c) + random.Next(-4, 5);
                    if (isFake) v += ((x + y) % 2 == 0 ? 22 : -22);
                    pixels[(y * size + x) * 3 + c] = (byte)Math.Clamp(v, 0, 255);
                }
        return new Rgb24Image(size, size, pixels);
    }

    /// <summary>Writes an image as PNG.</summary>
    public static void WritePng(string path, Rgb24Image image)
    {
        using var stream = File.Create(path);
        new ImageWriter().WritePng(image.Pixels, image.Width, image.Height, ColorComponents.RedGreenBlue, stream);
    }
}
