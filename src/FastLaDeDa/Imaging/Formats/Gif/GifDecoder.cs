using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Gif;

/// <summary>
/// Decodes the first frame of a GIF to the RGB bytes Pillow 9.4's
/// <c>Image.open(path).convert("RGB")</c> yields, and refuses with a typed error every file
/// Pillow refuses.
/// </summary>
/// <remarks>
/// <para>Pillow opens frame 0 as a palette ("P") image, or a grey ("L") one when no colour table
/// is needed (<see cref="GifFirstFrame"/>), on a canvas the size of the logical screen (grown to
/// hold the frame). The canvas starts as the transparent index when a Graphic Control Extension
/// sets one, else index 0; the background colour is not used. <c>convert("RGB")</c> then looks
/// every index up, the transparent one included: transparency is dropped, not composited.</para>
/// <para>Pillow feeds the LZW decoder 64 KiB at a time and gives up when the decoder stops (at an
/// end code, or for more data) after the whole file has been read; a frame whose data ends before
/// its last pixel is therefore an error, while an end code in the middle of a file longer than
/// the data read so far lets decoding go on past it. <see cref="Decode"/> replays that schedule
/// (<see cref="PillowReadSize"/>) so both cases come out as in Pillow.</para>
/// </remarks>
internal static class GifDecoder
{
    /// <summary>Bytes Pillow's <c>ImageFile.load</c> reads per call to a decoder (<c>ImageFile.MAXBLOCK</c>).</summary>
    private const int PillowReadSize = 65536;

    /// <summary>The largest LZW minimum code size Pillow's decoder accepts.</summary>
    private const int MaxMinimumCodeSize = 12;

    /// <summary>Decodes the first frame; throws <see cref="ImageDecodeException"/> (or a subclass) where Pillow 9.4 fails.</summary>
    public static Rgb24Image Decode(ReadOnlySpan<byte> data, ImageLimits limits, string? source)
    {
        GifFirstFrame frame = GifFirstFrame.Read(data, source);
        ImageLimitGuard.CheckDimensions(frame.CanvasWidth, frame.CanvasHeight, limits, source, "GIF");
        (int _, int _, int regionWidth, int regionHeight) = frame.Region;
        if (regionWidth <= 0 || regionHeight <= 0)
            throw new ImageDecodeException(source, $"corrupt GIF: first frame is {regionWidth}x{regionHeight} pixels");
        if (frame.LzwMinimumCodeSize > MaxMinimumCodeSize)
            throw new ImageDecodeException(source, $"corrupt GIF: LZW minimum code size {frame.LzwMinimumCodeSize} (at most {MaxMinimumCodeSize})");

        var canvas = new byte[frame.CanvasWidth * frame.CanvasHeight];
        if (frame.TransparentIndex is int transparent) canvas.AsSpan().Fill((byte)transparent);
        DecodeFrame(data[frame.DataOffset..], frame, canvas, source);

        var rgb = new byte[canvas.Length * 3];
        frame.Palette.Expand(canvas, rgb);
        return new Rgb24Image(frame.CanvasWidth, frame.CanvasHeight, rgb);
    }

    private static void DecodeFrame(ReadOnlySpan<byte> stream, GifFirstFrame frame, byte[] canvas, string? source)
    {
        var lzw = new GifLzwDecoder(frame.LzwMinimumCodeSize, frame.Interlaced, canvas, frame.CanvasWidth, frame.Region);
        int read = 0, position = 0;
        while (true)
        {
            if (read == stream.Length)
                throw new ImageDecodeException(source, "truncated GIF (first frame's image data ends before its last pixel)");
            read = (int)Math.Min(stream.Length, (long)read + PillowReadSize);
            switch (lzw.Decode(stream[..read], ref position))
            {
                case GifLzwStatus.Complete:
                    return;
                case GifLzwStatus.Broken:
                    throw new ImageDecodeException(source, "corrupt GIF: invalid LZW code in the first frame");
            }
        }
    }
}
