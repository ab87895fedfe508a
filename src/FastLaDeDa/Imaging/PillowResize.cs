namespace FastLaDeDa.Imaging;

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
/// rounded to bytes. Integer sums are exact, so the order of accumulation does not matter.
/// </remarks>
public static class PillowResize
{
    private const int Half = 1 << (ResampleAxis.PrecisionBits - 1);

    /// <summary>Resizes <paramref name="source"/> to <paramref name="width"/> × <paramref name="height"/> with Pillow's BILINEAR filter.</summary>
    /// <param name="source">The image to resize.</param>
    /// <param name="width">Output width, at least 1.</param>
    /// <param name="height">Output height, at least 1.</param>
    /// <returns>A new image; the source is not modified (same size: a copy, as Pillow returns).</returns>
    public static Rgb24Image Bilinear(Rgb24Image source, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * height * 3 > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(width), $"{width}x{height} RGB does not fit in one buffer");

        if (width == source.Width && height == source.Height)
            return new Rgb24Image(width, height, (byte[])source.Pixels.Clone());

        ResampleAxis vertical = ResampleAxis.Bilinear(source.Height, height);
        byte[] rows = source.Pixels;
        int firstRow = 0;
        if (width != source.Width)
        {
            // Only rows [first, last) are read by the vertical pass.
            firstRow = vertical.Start[0];
            int lastRow = vertical.Start[height - 1] + vertical.Count[height - 1];
            rows = ResampleHorizontally(source, ResampleAxis.Bilinear(source.Width, width), firstRow, lastRow - firstRow);
            if (height == source.Height)
                return new Rgb24Image(width, height, rows); // the rows are the whole height then
        }
        return new Rgb24Image(width, height, ResampleVertically(rows, width, vertical, firstRow));
    }

    private static unsafe byte[] ResampleHorizontally(Rgb24Image source, ResampleAxis axis, int firstRow, int rowCount)
    {
        int inStride = source.Stride;
        int outWidth = axis.OutputSize;
        int outStride = outWidth * 3;
        int kernelSize = axis.KernelSize;
        var output = new byte[(long)outStride * rowCount];
        fixed (byte* input = source.Pixels, result = output)
        fixed (int* weights = axis.FixedWeights, start = axis.Start, count = axis.Count)
        {
            for (int y = 0; y < rowCount; y++)
            {
                byte* inRow = input + (long)(firstRow + y) * inStride;
                byte* outPixel = result + (long)y * outStride;
                for (int x = 0; x < outWidth; x++, outPixel += 3)
                {
                    int* k = weights + x * kernelSize;
                    byte* p = inRow + start[x] * 3;
                    int taps = count[x];
                    int r = Half, g = Half, b = Half;
                    for (int t = 0; t < taps; t++, p += 3)
                    {
                        int w = k[t];
                        r += p[0] * w;
                        g += p[1] * w;
                        b += p[2] * w;
                    }
                    outPixel[0] = ClipToByte(r);
                    outPixel[1] = ClipToByte(g);
                    outPixel[2] = ClipToByte(b);
                }
            }
        }
        return output;
    }

    /// <summary>Vertical pass over <paramref name="rows"/>, whose first row is source row <paramref name="firstRow"/>.</summary>
    private static unsafe byte[] ResampleVertically(byte[] rows, int width, ResampleAxis axis, int firstRow)
    {
        int stride = width * 3;
        int kernelSize = axis.KernelSize;
        var output = new byte[(long)stride * axis.OutputSize];
        var sums = new int[stride];
        fixed (byte* input = rows, result = output)
        fixed (int* weights = axis.FixedWeights, start = axis.Start, count = axis.Count, acc = sums)
        {
            for (int y = 0; y < axis.OutputSize; y++)
            {
                new Span<int>(acc, stride).Fill(Half);
                int* k = weights + y * kernelSize;
                byte* inRow = input + (long)(start[y] - firstRow) * stride;
                for (int t = 0; t < count[y]; t++, inRow += stride)
                {
                    int w = k[t];
                    for (int i = 0; i < stride; i++)
                        acc[i] += inRow[i] * w;
                }
                byte* outRow = result + (long)y * stride;
                for (int i = 0; i < stride; i++)
                    outRow[i] = ClipToByte(acc[i]);
            }
        }
        return output;
    }

    private static byte ClipToByte(int sum)
    {
        int v = sum >> ResampleAxis.PrecisionBits;
        return v < 0 ? (byte)0 : v > 255 ? (byte)255 : (byte)v;
    }
}
