namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>Receives the decoded ARGB rows of a VP8L image, one band at a time, top to bottom.</summary>
internal interface IVp8LRowSink
{
    /// <summary>Rows from <paramref name="rowStart"/>, <paramref name="width"/> pixels each.</summary>
    void WriteRows(int rowStart, ReadOnlySpan<uint> argb, int width);
}

/// <summary>Writes VP8L rows as RGB bytes into an image buffer (alpha dropped, as <c>convert("RGB")</c> does).</summary>
internal sealed class Vp8LRgbRowSink(byte[] rgb, int offset, int stride) : IVp8LRowSink
{
    /// <inheritdoc/>
    public void WriteRows(int rowStart, ReadOnlySpan<uint> argb, int width)
    {
        int rows = argb.Length / width;
        for (int y = 0; y < rows; y++)
            Vp8LInverseTransforms.ArgbToRgb(argb.Slice(y * width, width), rgb.AsSpan(offset + (rowStart + y) * stride, width * 3));
    }
}
