using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// The uncompressed 10-byte start of a VP8 key frame (RFC 6386 section 9.1): frame tag, start
/// code and dimensions. Validated as libwebp 1.2.4 does (<c>VP8GetInfo</c> and <c>VP8GetHeaders</c>).
/// </summary>
internal readonly struct Vp8FrameHeader
{
    /// <summary>Bytes before the first partition: 3-byte frame tag, 3-byte start code, 2 × 2-byte size.</summary>
    public const int Size = 10;

    private Vp8FrameHeader(int width, int height, int firstPartitionSize)
    {
        Width = width;
        Height = height;
        FirstPartitionSize = firstPartitionSize;
    }

    /// <summary>Frame width in pixels (1..16383).</summary>
    public int Width { get; }

    /// <summary>Frame height in pixels (1..16383).</summary>
    public int Height { get; }

    /// <summary>Length of the first partition (modes and headers), which follows the 10 header bytes; shorter than the chunk.</summary>
    public int FirstPartitionSize { get; }

    /// <summary>Parses and validates the header of a "VP8 " chunk payload.</summary>
    public static Vp8FrameHeader Read(ReadOnlySpan<byte> chunk, string? source)
    {
        if (chunk.Length < Size) throw new ImageDecodeException(source, $"VP8 frame header truncated ({chunk.Length} of {Size} bytes)");
        int tag = chunk[0] | (chunk[1] << 8) | (chunk[2] << 16);
        if ((tag & 1) != 0) throw new UnsupportedImageFormatException(source, "VP8 inter frames are not supported (a WebP frame must be a key frame)");
        if (chunk[3] != 0x9d || chunk[4] != 0x01 || chunk[5] != 0x2a) throw new ImageDecodeException(source, "VP8 start code missing");
        int profile = (tag >> 1) & 7;
        if (profile > 3) throw new ImageDecodeException(source, $"VP8 profile {profile} is not defined");
        if (((tag >> 4) & 1) == 0) throw new UnsupportedImageFormatException(source, "VP8 frame is marked invisible");
        int firstPartitionSize = tag >> 5;
        // libwebp's VP8GetInfo rule; decoding also needs the partition to end inside the data.
        if (firstPartitionSize >= chunk.Length)
            throw new ImageDecodeException(source, $"VP8 first partition ({firstPartitionSize} bytes) is longer than the chunk ({chunk.Length} bytes)");
        // The top two bits are an upscaling hint that decoders (libwebp included) ignore.
        int width = (chunk[6] | (chunk[7] << 8)) & 0x3fff;
        int height = (chunk[8] | (chunk[9] << 8)) & 0x3fff;
        if (width == 0 || height == 0) throw new ImageDecodeException(source, $"VP8 frame size {width}x{height} is empty");
        return new Vp8FrameHeader(width, height, firstPartitionSize);
    }
}
