using System.Buffers.Binary;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// The RIFF chunk vocabulary of the WebP container (WebP container specification): sizes, FourCCs,
/// VP8X flags, and little-endian field readers.
/// </summary>
internal static class WebpChunk
{
    /// <summary>"RIFF", size, "WEBP".</summary>
    public const int RiffHeaderSize = 12;

    /// <summary>FourCC and payload size.</summary>
    public const int HeaderSize = 8;

    /// <summary>Payload of a VP8X chunk.</summary>
    public const int Vp8XPayloadSize = 10;

    /// <summary>Payload of an ANIM chunk.</summary>
    public const int AnimPayloadSize = 6;

    /// <summary>Fixed part of an ANMF payload, before the frame's own chunks.</summary>
    public const int AnmfHeaderSize = 16;

    /// <summary>Bytes of a VP8 frame header (frame tag, start code, dimensions).</summary>
    public const int Vp8FrameHeaderSize = 10;

    /// <summary>Bytes of a VP8L header (signature, dimensions, alpha hint, version).</summary>
    public const int Vp8LHeaderSize = 5;

    /// <summary>Largest payload size: adding the header and the padding byte must not overflow 32 bits.</summary>
    public const uint MaxPayload = uint.MaxValue - HeaderSize - 1;

    /// <summary>width × height of a canvas or frame must stay below 2^32.</summary>
    public const ulong MaxImageArea = 1UL << 32;

    /// <summary>VP8X flag: the file is an animation.</summary>
    public const int AnimationFlag = 0x02;

    /// <summary>VP8X flag: an ALPH chunk accompanies the (still) image.</summary>
    public const int AlphaFlag = 0x10;

    /// <summary>The VP8X flags libwebp's demuxer accepts (animation, XMP, EXIF, alpha, ICC).</summary>
    public const int AllValidFlags = 0x3E;

    /// <summary>A FourCC as the little-endian number its four bytes make.</summary>
    public static uint FourCC(ReadOnlySpan<byte> name) => BinaryPrimitives.ReadUInt32LittleEndian(name);

    /// <summary>"RIFF".</summary>
    public static readonly uint Riff = FourCC("RIFF"u8);

    /// <summary>"WEBP".</summary>
    public static readonly uint Webp = FourCC("WEBP"u8);

    /// <summary>Lossy bitstream chunk.</summary>
    public static readonly uint Vp8 = FourCC("VP8 "u8);

    /// <summary>Lossless bitstream chunk.</summary>
    public static readonly uint Vp8L = FourCC("VP8L"u8);

    /// <summary>Extended-format header chunk.</summary>
    public static readonly uint Vp8X = FourCC("VP8X"u8);

    /// <summary>Alpha plane of a lossy image.</summary>
    public static readonly uint Alph = FourCC("ALPH"u8);

    /// <summary>Animation parameters.</summary>
    public static readonly uint Anim = FourCC("ANIM"u8);

    /// <summary>Animation frame.</summary>
    public static readonly uint Anmf = FourCC("ANMF"u8);

    /// <summary>Reads a little-endian 16-bit field.</summary>
    public static int ReadUInt16(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(data[offset..]);

    /// <summary>Reads a little-endian 24-bit field.</summary>
    public static int ReadUInt24(ReadOnlySpan<byte> data, int offset) => data[offset] | (data[offset + 1] << 8) | (data[offset + 2] << 16);

    /// <summary>Reads a little-endian 32-bit field.</summary>
    public static uint ReadUInt32(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);

    /// <summary>A payload size rounded up to even: what the chunk occupies on disk after its header.</summary>
    public static long Padded(uint payloadSize) => payloadSize + (payloadSize & 1L);
}
