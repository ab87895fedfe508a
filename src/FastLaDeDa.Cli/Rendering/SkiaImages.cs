using System.Runtime.InteropServices;
using FastLaDeDa.Imaging.Resize;
using FastLaDeDa.Imaging;
using SkiaSharp;

namespace FastLaDeDa.Cli.Rendering;

/// <summary>Conversions between the library's <see cref="Rgb24Image"/> and SkiaSharp bitmaps, and PNG encoding.</summary>
internal static class SkiaImages
{
    /// <summary>An opaque RGBA copy of <paramref name="image"/>.</summary>
    public static SKBitmap ToBitmap(Rgb24Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = new byte[image.Width * image.Height * 4];
        byte[] rgb = image.Pixels;
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            rgba[j] = rgb[i];
            rgba[j + 1] = rgb[i + 1];
            rgba[j + 2] = rgb[i + 2];
            rgba[j + 3] = 255;
        }
        Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return bitmap;
    }

    /// <summary>
    /// <paramref name="image"/> itself when its longer side is at most <paramref name="maxSide"/>
    /// pixels, else a copy shrunk to fit (Pillow bilinear, antialiased, aspect ratio kept).
    /// </summary>
    public static Rgb24Image FitWithin(Rgb24Image image, int maxSide)
    {
        ArgumentNullException.ThrowIfNull(image);
        int longSide = Math.Max(image.Width, image.Height);
        if (longSide <= maxSide) return image;
        double scale = (double)maxSide / longSide;
        int width = Math.Max(1, (int)Math.Round(image.Width * scale));
        int height = Math.Max(1, (int)Math.Round(image.Height * scale));
        return PillowResize.Bilinear(image, width, height);
    }

    /// <summary>Encodes what was drawn on <paramref name="surface"/> as PNG.</summary>
    public static byte[] EncodePng(SKSurface surface)
    {
        ArgumentNullException.ThrowIfNull(surface);
        using SKImage snapshot = surface.Snapshot();
        using SKData data = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
