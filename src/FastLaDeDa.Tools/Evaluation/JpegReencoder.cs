using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;
using StbImageWriteSharp;

namespace FastLaDeDa.Evaluation;

/// <summary>
/// Re-encodes an image as baseline JPEG at a given quality, in memory (the JPEG-robustness
/// protocol, PROTOCOL.md). Uses stb_image_write's encoder (StbImageWriteSharp): IJG quality
/// scaling of the standard tables, 4:2:0 chroma up to quality 90 and 4:4:4 above — close to,
/// but not byte-identical with, Pillow/libjpeg at the same quality.
/// </summary>
internal static class JpegReencoder
{
    /// <summary>Decodes <paramref name="fileBytes"/> and returns the JPEG of those pixels at <paramref name="quality"/> (1–100).</summary>
    /// <exception cref="ImageDecodeException">The input cannot be decoded.</exception>
    public static byte[] Reencode(ReadOnlySpan<byte> fileBytes, int quality, string? sourceName = null, ImageLimits? limits = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        return Encode(ImageDecoder.Decode(fileBytes, sourceName, limits), quality);
    }

    /// <summary>The JPEG of <paramref name="image"/> at <paramref name="quality"/> (1–100).</summary>
    public static byte[] Encode(Rgb24Image image, int quality)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var output = new MemoryStream();
        new ImageWriter().WriteJpg(image.Pixels, image.Width, image.Height, ColorComponents.RedGreenBlue, output, quality);
        return output.ToArray();
    }
}
