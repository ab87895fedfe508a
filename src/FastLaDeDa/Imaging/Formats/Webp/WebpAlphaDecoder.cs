using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// Decodes the "ALPH" chunk that gives a lossy (VP8) frame its alpha plane (WebP container spec,
/// "Alpha"): a header byte (compression, filter, pre-processing, reserved bits), then the plane raw or
/// as a headerless VP8L stream, then unfiltered row by row. The RGB that <c>convert("RGB")</c> keeps
/// does not depend on alpha, but libwebp fails the whole frame when this chunk is invalid, so it is
/// decoded with libwebp's rules. Pre-processing (level quantization) only matters for alpha dithering,
/// which Pillow leaves off, so its values are accepted and otherwise ignored.
/// </summary>
internal static class WebpAlphaDecoder
{
    private const int Uncompressed = 0;
    private const int Lossless = 1;
    private const int MaxPreprocessing = 1;

    /// <summary>The prediction filter applied before compression.</summary>
    internal enum Filter
    {
        /// <summary>No filtering.</summary>
        None = 0,

        /// <summary>Predicted from the left (first column from above).</summary>
        Horizontal = 1,

        /// <summary>Predicted from above (first row from the left).</summary>
        Vertical = 2,

        /// <summary>Predicted from left + above − above-left, clamped.</summary>
        Gradient = 3,
    }

    /// <summary>
    /// Decodes <paramref name="chunk"/> (the ALPH payload, its declared size without padding) into the
    /// first <paramref name="width"/> × <paramref name="height"/> bytes of <paramref name="alphaPlane"/>.
    /// </summary>
    public static void Decode(ReadOnlySpan<byte> chunk, int width, int height, byte[] alphaPlane, string? source)
    {
        if (chunk.Length <= 1) throw Corrupt(source, "alpha chunk is empty");
        int header = chunk[0];
        int method = header & 3;
        var filter = (Filter)((header >> 2) & 3);
        int preprocessing = (header >> 4) & 3;
        int reserved = header >> 6;
        if (method > Lossless || preprocessing > MaxPreprocessing || reserved != 0)
            throw Corrupt(source, $"alpha chunk header 0x{header:X2} is invalid");

        ReadOnlySpan<byte> data = chunk[1..];
        Span<byte> alpha = alphaPlane.AsSpan(0, width * height);
        if (method == Uncompressed)
        {
            if (data.Length < alpha.Length) throw Corrupt(source, "alpha chunk is truncated");
            for (int y = 0; y < height; y++)
                Unfilter(filter, y == 0 ? [] : alpha.Slice((y - 1) * width, width), data.Slice(y * width, width), alpha.Slice(y * width, width));
            return;
        }
        var sink = new AlphaRowSink(alphaPlane, width, filter);
        Vp8LDecoder.DecodeAlpha(data, width, height, sink, source);
    }

    /// <summary>
    /// Reverses <paramref name="filter"/> on one row: <paramref name="previous"/> is the row above
    /// (already unfiltered; empty for the first row). <paramref name="input"/> may be <paramref name="output"/>.
    /// </summary>
    public static void Unfilter(Filter filter, ReadOnlySpan<byte> previous, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (filter == Filter.None)
        {
            input.CopyTo(output);
        }
        else if (filter == Filter.Horizontal || previous.IsEmpty)
        {
            // The first row of the vertical and gradient filters is predicted from the left too.
            byte prediction = previous.IsEmpty ? (byte)0 : previous[0];
            for (int i = 0; i < input.Length; i++)
                output[i] = prediction = (byte)(prediction + input[i]);
        }
        else if (filter == Filter.Vertical)
        {
            for (int i = 0; i < input.Length; i++)
                output[i] = (byte)(previous[i] + input[i]);
        }
        else
        {
            int left = previous[0], topLeft = previous[0];
            for (int i = 0; i < input.Length; i++)
            {
                int top = previous[i];
                left = (byte)(input[i] + Math.Clamp(left + top - topLeft, 0, 255));
                topLeft = top;
                output[i] = (byte)left;
            }
        }
    }

    private static ImageDecodeException Corrupt(string? source, string cause) => new(source, "corrupt WebP: " + cause);

    /// <summary>Takes the alpha values from the green channel of the VP8L rows and unfilters them.</summary>
    private sealed class AlphaRowSink(byte[] alpha, int width, Filter filter) : IVp8LRowSink
    {
        public void WriteRows(int rowStart, ReadOnlySpan<uint> argb, int rowWidth)
        {
            for (int y = 0; y < argb.Length / width; y++)
            {
                int row = rowStart + y;
                Span<byte> output = alpha.AsSpan(row * width, width);
                ReadOnlySpan<uint> pixels = argb.Slice(y * width, width);
                for (int x = 0; x < width; x++)
                    output[x] = (byte)(pixels[x] >> 8);
                Unfilter(filter, row == 0 ? [] : alpha.AsSpan((row - 1) * width, width), output, output);
            }
        }
    }
}
