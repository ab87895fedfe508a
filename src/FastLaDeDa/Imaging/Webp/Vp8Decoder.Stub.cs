namespace FastLaDeDa.Imaging.Webp;

/// <summary>
/// Placeholder for the lossy (VP8) decoder, which is built separately: it reads the frame size for
/// the container, and refuses to decode. Replaced by the real <c>Vp8Decoder</c> when that lands.
/// </summary>
internal static class Vp8Decoder
{
    /// <summary>
    /// Reads the frame header of a "VP8 " chunk payload (RFC 6386 §9.1 frame tag, §19.1 key frame start
    /// code and dimensions) and returns the frame size, with libwebp's checks: a key frame, a known
    /// profile, shown, a first partition shorter than the chunk, non-zero dimensions.
    /// </summary>
    public static (int Width, int Height) ReadSize(ReadOnlySpan<byte> chunk, string? source)
    {
        if (chunk.Length < 10) throw Corrupt(source, "frame header is truncated");
        int frameTag = chunk[0] | (chunk[1] << 8) | (chunk[2] << 16);
        bool keyFrame = (frameTag & 1) == 0;
        int profile = (frameTag >> 1) & 7;
        bool shown = ((frameTag >> 4) & 1) == 1;
        int firstPartitionSize = frameTag >> 5;
        if (chunk[3] != 0x9D || chunk[4] != 0x01 || chunk[5] != 0x2A) throw Corrupt(source, "missing start code");
        if (!keyFrame) throw Corrupt(source, "not a key frame");
        if (profile > 3) throw Corrupt(source, $"unknown profile {profile}");
        if (!shown) throw Corrupt(source, "frame is not shown");
        if (firstPartitionSize >= chunk.Length) throw Corrupt(source, "first partition is longer than the chunk");
        // 14 bits of size, 2 bits of upscaling hint (which decoders ignore).
        int width = (chunk[6] | (chunk[7] << 8)) & 0x3FFF;
        int height = (chunk[8] | (chunk[9] << 8)) & 0x3FFF;
        if (width == 0 || height == 0) throw Corrupt(source, "zero frame size");
        return (width, height);
    }

    /// <summary>Would decode the frame to RGB; the stub refuses.</summary>
    public static void Decode(ReadOnlySpan<byte> chunk, Span<byte> rgb, int stride, string? source) =>
        throw new UnsupportedImageFormatException(source, "lossy WebP decoding is not built yet");

    private static ImageDecodeException Corrupt(string? source, string cause) => new(source, "corrupt VP8: " + cause);
}
