using System.Buffers;

namespace FastLaDeDa.Imaging.Resize;

/// <summary>
/// Pillow's BILINEAR resize of a raw frame (any <see cref="PixelFormat"/>, any row stride) into a
/// packed RGB buffer, with exactly the bytes of converting the frame to an <see cref="Rgb24Image"/>
/// and calling <see cref="PillowResize.Bilinear(Rgb24Image, int, int)"/>: the rows the vertical pass
/// reads are converted a batch at a time into pooled scratch and go through the horizontal pass as
/// <see cref="ResizingRowSink"/> feeds a decoder's rows (the per-row results are the same), then the
/// vertical pass runs. With a cached <see cref="ResizePlan"/> it allocates nothing.
/// </summary>
internal static class FrameResizer
{
    private const int BatchRows = 16;

    /// <summary>
    /// Resizes the frame (row <c>y</c> at <c>pixels[y × stride ..]</c>; sizes already validated) to
    /// <c>plan.Width</c> × <c>plan.Height</c> RGB in <paramref name="output"/>.
    /// </summary>
    public static void Resize(ReadOnlySpan<byte> pixels, int stride, PixelFormat format, ResizePlan plan, Span<byte> output, Resampler resampler)
    {
        int width = plan.SourceWidth, outStride = plan.Width * 3;
        int rows = plan.EndRow - plan.FirstRow;
        byte[]? intermediate = plan.Vertical is null ? null : ArrayPool<byte>.Shared.Rent(rows * outStride);
        try
        {
            // Where the horizontal pass (or the conversion, when the width stays) puts its rows.
            Span<byte> horizontalOut = intermediate is null ? output[..(rows * outStride)] : intermediate.AsSpan(0, rows * outStride);
            if (plan.Horizontal is null)
            {
                for (int y = 0; y < rows; y++)
                    PixelRowConverter.ToRgb(pixels[((plan.FirstRow + y) * stride)..], format, width, horizontalOut.Slice(y * outStride, outStride));
            }
            else if (format == PixelFormat.Rgb24 && stride == width * 3)
            {
                // Already packed RGB: the pass reads the frame itself.
                resampler.Horizontal(pixels[..(plan.EndRow * stride)], width, plan.Horizontal, plan.FirstRow, rows, horizontalOut);
            }
            else
            {
                byte[] batch = ArrayPool<byte>.Shared.Rent(BatchRows * width * 3);
                try
                {
                    for (int start = 0; start < rows; start += BatchRows)
                    {
                        int count = Math.Min(BatchRows, rows - start);
                        for (int i = 0; i < count; i++)
                            PixelRowConverter.ToRgb(pixels[((plan.FirstRow + start + i) * stride)..], format, width, batch.AsSpan(i * width * 3, width * 3));
                        resampler.Horizontal(batch.AsSpan(0, count * width * 3), width, plan.Horizontal, 0, count, horizontalOut.Slice(start * outStride, count * outStride));
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(batch);
                }
            }
            if (plan.Vertical is not null)
                resampler.Vertical(horizontalOut, plan.Width, plan.Vertical, plan.FirstRow, output);
        }
        finally
        {
            if (intermediate is not null) ArrayPool<byte>.Shared.Return(intermediate);
        }
    }
}
