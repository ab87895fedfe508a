using System.Buffers;
using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// Decodes the payload of a RIFF "VP8 " chunk (a lossy WebP frame) to RGB, byte for byte as
/// libwebp 1.2.4 does for MODE_RGB/MODE_RGBA with default options (fancy upsampling, no
/// dithering) — hence as Pillow 9.4's <c>Image.open(f).convert("RGB")</c>.
/// </summary>
internal static class Vp8Decoder
{
    /// <summary>Reads the frame header of a "VP8 " chunk payload; returns the frame size (throws ImageDecodeException when invalid).</summary>
    public static (int Width, int Height) ReadSize(ReadOnlySpan<byte> chunk, string? source)
    {
        Vp8FrameHeader header = Vp8FrameHeader.Read(chunk, source);
        return (header.Width, header.Height);
    }

    /// <summary>
    /// Decodes the frame to RGB exactly as libwebp 1.2.4 does for MODE_RGBA/MODE_RGB with default options (fancy upsampling, no dithering):
    /// writes Width*3 bytes per row, R G B per pixel, rows <paramref name="stride"/> bytes apart, starting at rgb[0]. Throws ImageDecodeException.
    /// </summary>
    public static void Decode(ReadOnlySpan<byte> chunk, Span<byte> rgb, int stride, string? source)
    {
        Vp8FrameHeader header = Vp8FrameHeader.Read(chunk, source);
        int rowBytes = header.Width * 3;
        if (stride < rowBytes) throw new ArgumentOutOfRangeException(nameof(stride), stride, $"a {header.Width}-pixel row needs {rowBytes} bytes");
        if (rgb.Length < (long)(header.Height - 1) * stride + rowBytes)
            throw new ArgumentException($"{header.Width}x{header.Height} pixels with stride {stride} do not fit in {rgb.Length} bytes", nameof(rgb));

        // The bool decoders keep array offsets between rows, so they read a pooled copy of the chunk.
        // libwebp hands its VP8 decoder an odd-length chunk's RIFF pad byte too (Pillow's demuxer
        // and dwebp alike), as the end of the last partition: only a truncated partition can reach
        // it, and then whether it exists decides between an error and a picture. RIFF pads with 0.
        int length = chunk.Length + (chunk.Length & 1);
        if (header.FirstPartitionSize > length - Vp8FrameHeader.Size)
            throw new ImageDecodeException(source, $"VP8 first partition ({header.FirstPartitionSize} bytes) runs past the data ({length - Vp8FrameHeader.Size} bytes after the frame header)");
        byte[] data = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            chunk.CopyTo(data);
            if (length > chunk.Length) data[chunk.Length] = 0;
            using var frame = new Vp8FrameDecoder(header, data, length, source);
            frame.Decode(rgb, stride);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(data);
        }
    }
}
