using System.Buffers;

namespace FastLaDeDa.Imaging.Resize;

/// <summary>
/// Pillow 9.4's <c>Image.resize(size, Image.BILINEAR)</c> for an RGB image (whole-image box, no
/// reducing gap), reproduced bit for bit. This is what torchvision's <c>Resize((256, 256))</c>
/// does to a PIL image in the official pipeline.
/// </summary>
/// <remarks>
/// Pillow's bilinear is a separable, antialiased resampling (when shrinking, the triangle filter
/// is widened by the scale factor; it is not a 2×2 interpolation). It runs a horizontal pass
/// first, over only the source rows the vertical pass will read, then a vertical pass; a pass
/// whose size does not change is skipped. Each pass accumulates <c>pixel × fixed-point weight</c>
/// in a 32-bit integer starting at ½ (<c>1 &lt;&lt; (PrecisionBits − 1)</c>), shifts right by
/// <see cref="ResampleAxis.PrecisionBits"/> and clamps to 0..255, so the intermediate image is
/// rounded to bytes. Integer sums are exact, so the order of accumulation does not matter: the
/// SIMD passes (<see cref="Resampler"/>) give the same bytes as the scalar reference.
/// </remarks>
internal static class PillowResize
{
    /// <summary>Resizes <paramref name="source"/> to <paramref name="width"/> × <paramref name="height"/> with Pillow's BILINEAR filter.</summary>
    /// <param name="source">The image to resize.</param>
    /// <param name="width">Output width, at least 1.</param>
    /// <param name="height">Output height, at least 1.</param>
    /// <returns>A new image; the source is not modified (same size: a copy, as Pillow returns).</returns>
    /// <remarks>Runs the widest SIMD implementation of the passes the CPU supports; every one gives the same bytes.</remarks>
    public static Rgb24Image Bilinear(Rgb24Image source, int width, int height) =>
        Bilinear(source, width, height, Resampler.Best);

    /// <summary><see cref="Bilinear(Rgb24Image, int, int)"/> with the given implementation of the passes (tests pin each one).</summary>
    internal static Rgb24Image Bilinear(Rgb24Image source, int width, int height, Resampler resampler)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * height * 3 > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(width), $"{width}x{height} RGB does not fit in one buffer");
        var output = new byte[width * height * 3];
        BilinearInto(source, width, height, output, resampler);
        return new Rgb24Image(width, height, output);
    }

    /// <summary>
    /// <see cref="Bilinear(Rgb24Image, int, int)"/> into <paramref name="output"/> (width × height × 3
    /// bytes), so a caller scoring many images can reuse one buffer.
    /// </summary>
    internal static void BilinearInto(Rgb24Image source, int width, int height, Span<byte> output, Resampler? resampler = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        resampler ??= Resampler.Best;
        output = output[..(width * height * 3)];
        if (width == source.Width && height == source.Height)
        {
            source.Pixels.CopyTo(output);
            return;
        }

        ResampleAxis vertical = ResampleAxis.Bilinear(source.Height, height);
        if (width == source.Width)
        {
            resampler.Vertical(source.Pixels, width, vertical, 0, output);
            return;
        }

        ResampleAxis horizontal = ResampleAxis.Bilinear(source.Width, width);
        if (height == source.Height)
        {
            resampler.Horizontal(source.Pixels, source.Width, horizontal, 0, height, output);
            return;
        }

        // Only rows [first, last) are read by the vertical pass.
        int firstRow = vertical.Start[0];
        int lastRow = vertical.Start[height - 1] + vertical.Count[height - 1];
        int intermediateLength = checked((lastRow - firstRow) * width * 3);
        byte[] rows = ArrayPool<byte>.Shared.Rent(intermediateLength);
        try
        {
            Span<byte> intermediate = rows.AsSpan(0, intermediateLength);
            resampler.Horizontal(source.Pixels, source.Width, horizontal, firstRow, lastRow - firstRow, intermediate);
            resampler.Vertical(intermediate, width, vertical, firstRow, output);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rows);
        }
    }
}
