using FastLaDeDa.Imaging.Resize;

namespace FastLaDeDa.Imaging;

/// <summary>
/// Receives a decoded image row by row, top to bottom, as interleaved RGB: the decoder asks for
/// the row's storage, fills all of it, then reports it done. Lets a streaming decoder write straight
/// into the final image (<see cref="ImageRowSink"/>), or feed the resize without ever holding the
/// whole image (<see cref="ResizingRowSink"/>).
/// </summary>
internal interface IRgbRowSink
{
    /// <summary>Called once before the first row.</summary>
    void Start(int width, int height);

    /// <summary>Storage for row <paramref name="y"/>: width × 3 bytes, completely overwritten by the decoder.</summary>
    Span<byte> RowBuffer(int y);

    /// <summary>Row <paramref name="y"/> is complete.</summary>
    void RowDone(int y);
}

/// <summary>Feeding a sink from a decoder that assembles its image first (an interlaced PNG, a WebP canvas).</summary>
internal static class RgbRows
{
    /// <summary>Hands rows 0..<paramref name="height"/>−1 of the packed RGB <paramref name="pixels"/> to <paramref name="sink"/> (already started).</summary>
    public static void Replay(ReadOnlySpan<byte> pixels, int width, int height, IRgbRowSink sink)
    {
        int stride = width * 3;
        for (int y = 0; y < height; y++)
        {
            pixels.Slice(y * stride, stride).CopyTo(sink.RowBuffer(y));
            sink.RowDone(y);
        }
    }
}

/// <summary>Collects the rows into an <see cref="Rgb24Image"/>.</summary>
internal sealed class ImageRowSink : IRgbRowSink
{
    private byte[] _pixels = [];
    private int _width, _height;

    /// <inheritdoc/>
    public void Start(int width, int height)
    {
        (_width, _height) = (width, height);
        _pixels = new byte[(long)width * height * 3];
    }

    /// <inheritdoc/>
    public Span<byte> RowBuffer(int y) => _pixels.AsSpan(y * _width * 3, _width * 3);

    /// <inheritdoc/>
    public void RowDone(int y) { }

    /// <summary>The decoded image (after every row was written).</summary>
    public Rgb24Image Image => new(_width, _height, _pixels);
}
