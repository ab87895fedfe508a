using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>Outcome of <see cref="WebpHeaderParser.Parse"/>, as libwebp's status codes.</summary>
internal enum WebpHeaderStatus
{
    /// <summary>The headers are valid.</summary>
    Ok,

    /// <summary>The data ends before the headers do.</summary>
    NotEnoughData,

    /// <summary>A header is invalid.</summary>
    BitstreamError,
}

/// <summary>What <see cref="WebpHeaderParser.Parse"/> found.</summary>
internal struct WebpBitstreamHeaders
{
    /// <summary>Size of the image (the VP8X canvas for an animation).</summary>
    public int Width, Height;

    /// <summary>The VP8X header announces an animation.</summary>
    public bool HasAnimation;

    /// <summary>The bitstream is VP8L.</summary>
    public bool IsLossless;

    /// <summary>Offset and declared size of the ALPH payload, or -1 and 0.</summary>
    public int AlphaOffset, AlphaSize;

    /// <summary>Offset of the VP8/VP8L payload.</summary>
    public int BitstreamOffset;
}

/// <summary>
/// libwebp 1.2.4's header walk (<c>ParseHeadersInternal</c>, behind <c>WebPGetFeatures</c> and
/// <c>WebPDecode</c>): RIFF header, optional VP8X, the chunks before the bitstream, and the bitstream's
/// own header. Pillow's decoder runs it on the whole file before demuxing, and again on the frame it
/// decodes, so its rules (which differ in places from the demuxer's) decide which files open.
/// </summary>
internal static class WebpHeaderParser
{
    /// <summary>
    /// Walks the headers of <paramref name="data"/>. <paramref name="haveAllData"/> is libwebp's flag
    /// that turns sizes running past the data into errors; with <paramref name="forDecoding"/> false a
    /// VP8X file whose bitstream is missing or cut still reports its canvas (libwebp's
    /// <c>WebPGetFeatures</c>), and an animation stops at its VP8X header.
    /// A lossy frame header that is invalid raises the VP8 decoder's <see cref="ImageDecodeException"/>.
    /// </summary>
    public static WebpHeaderStatus Parse(ReadOnlySpan<byte> data, bool haveAllData, bool forDecoding, out WebpBitstreamHeaders headers, string? source)
    {
        headers = default;
        headers.AlphaOffset = -1;
        if (data.Length < WebpChunk.RiffHeaderSize) return WebpHeaderStatus.NotEnoughData;

        // RIFF header.
        int position = 0;
        uint riffSize = 0;
        if (WebpChunk.FourCC(data) == WebpChunk.Riff)
        {
            if (WebpChunk.FourCC(data[8..]) != WebpChunk.Webp) return WebpHeaderStatus.BitstreamError;
            uint size = WebpChunk.ReadUInt32(data, 4);
            if (size < 4 + WebpChunk.HeaderSize || size > WebpChunk.MaxPayload) return WebpHeaderStatus.BitstreamError;
            if (haveAllData && size > data.Length - WebpChunk.HeaderSize) return WebpHeaderStatus.NotEnoughData;
            riffSize = size;
            position = WebpChunk.RiffHeaderSize;
        }
        bool foundRiff = riffSize > 0;

        // VP8X header.
        if (data.Length - position < WebpChunk.HeaderSize) return WebpHeaderStatus.NotEnoughData;
        bool foundVp8X = false;
        int canvasWidth = 0, canvasHeight = 0;
        if (WebpChunk.FourCC(data[position..]) == WebpChunk.Vp8X)
        {
            if (WebpChunk.ReadUInt32(data, position + 4) != WebpChunk.Vp8XPayloadSize) return WebpHeaderStatus.BitstreamError;
            if (data.Length - position < WebpChunk.HeaderSize + WebpChunk.Vp8XPayloadSize) return WebpHeaderStatus.NotEnoughData;
            uint flags = WebpChunk.ReadUInt32(data, position + 8);
            canvasWidth = 1 + WebpChunk.ReadUInt24(data, position + 12);
            canvasHeight = 1 + WebpChunk.ReadUInt24(data, position + 15);
            if ((ulong)canvasWidth * (ulong)canvasHeight >= WebpChunk.MaxImageArea) return WebpHeaderStatus.BitstreamError;
            headers.HasAnimation = (flags & WebpChunk.AnimationFlag) != 0;
            position += WebpChunk.HeaderSize + WebpChunk.Vp8XPayloadSize;
            foundVp8X = true;
        }
        if (!foundRiff && foundVp8X) return WebpHeaderStatus.BitstreamError;
        headers.Width = canvasWidth;
        headers.Height = canvasHeight;
        if (foundVp8X && headers.HasAnimation && !forDecoding) return WebpHeaderStatus.Ok;

        WebpHeaderStatus status = ParseBitstreamHeaders(data, ref position, haveAllData, riffSize, foundRiff, foundVp8X,
            canvasWidth, canvasHeight, ref headers, source);
        // Without all the data, a VP8X header alone is enough for the features.
        return status == WebpHeaderStatus.NotEnoughData && foundVp8X && !forDecoding ? WebpHeaderStatus.Ok : status;
    }

    private static WebpHeaderStatus ParseBitstreamHeaders(ReadOnlySpan<byte> data, ref int position, bool haveAllData, uint riffSize,
        bool foundRiff, bool foundVp8X, int canvasWidth, int canvasHeight, ref WebpBitstreamHeaders headers, string? source)
    {
        if (data.Length - position < 4) return WebpHeaderStatus.NotEnoughData;
        if ((foundRiff && foundVp8X) || (!foundRiff && !foundVp8X && WebpChunk.FourCC(data[position..]) == WebpChunk.Alph))
        {
            WebpHeaderStatus optional = SkipOptionalChunks(data, ref position, riffSize, ref headers);
            if (optional != WebpHeaderStatus.Ok) return optional;
        }

        // The VP8 / VP8L chunk header.
        if (data.Length - position < WebpChunk.HeaderSize) return WebpHeaderStatus.NotEnoughData;
        uint fourCC = WebpChunk.FourCC(data[position..]);
        // Pillow only opens files whose bitstream sits in a chunk (never a bare VP8/VP8L stream).
        if (fourCC != WebpChunk.Vp8 && fourCC != WebpChunk.Vp8L) return WebpHeaderStatus.BitstreamError;
        uint size = WebpChunk.ReadUInt32(data, position + 4);
        if (riffSize >= 4 + WebpChunk.HeaderSize && size > riffSize - (4 + WebpChunk.HeaderSize)) return WebpHeaderStatus.BitstreamError;
        if (haveAllData && size > data.Length - position - WebpChunk.HeaderSize) return WebpHeaderStatus.NotEnoughData;
        if (size > WebpChunk.MaxPayload) return WebpHeaderStatus.BitstreamError;
        position += WebpChunk.HeaderSize;
        headers.IsLossless = fourCC == WebpChunk.Vp8L;
        headers.BitstreamOffset = position;

        ReadOnlySpan<byte> bitstream = data[position..];
        int width, height;
        if (headers.IsLossless)
        {
            if (bitstream.Length < WebpChunk.Vp8LHeaderSize) return WebpHeaderStatus.NotEnoughData;
            if (Vp8LDecoder.ReadSize(bitstream) is not var (w, h)) return WebpHeaderStatus.BitstreamError;
            (width, height) = (w, h);
        }
        else
        {
            if (bitstream.Length < WebpChunk.Vp8FrameHeaderSize) return WebpHeaderStatus.NotEnoughData;
            // A frame shorter than its own header can never decode (libwebp fails it later, in
            // VP8GetHeaders); the VP8 decoder checks the rest against the declared size.
            if (size < WebpChunk.Vp8FrameHeaderSize) return WebpHeaderStatus.BitstreamError;
            (width, height) = Vp8Decoder.ReadSize(bitstream[..(int)Math.Min(size, (uint)bitstream.Length)], source);
        }
        if (foundVp8X && (canvasWidth != width || canvasHeight != height)) return WebpHeaderStatus.BitstreamError;
        headers.Width = width;
        headers.Height = height;
        return WebpHeaderStatus.Ok;
    }

    /// <summary>Skips the chunks between VP8X (or a leading ALPH) and the bitstream chunk, noting the ALPH payload.</summary>
    private static WebpHeaderStatus SkipOptionalChunks(ReadOnlySpan<byte> data, ref int position, uint riffSize, ref WebpBitstreamHeaders headers)
    {
        // libwebp counts in 32 bits from the VP8X header on ("WEBP" + VP8X chunk) and compares with the RIFF size.
        uint total = 4 + WebpChunk.HeaderSize + WebpChunk.Vp8XPayloadSize;
        while (true)
        {
            if (data.Length - position < WebpChunk.HeaderSize) return WebpHeaderStatus.NotEnoughData;
            uint size = WebpChunk.ReadUInt32(data, position + 4);
            if (size > WebpChunk.MaxPayload) return WebpHeaderStatus.BitstreamError;
            uint onDisk = (WebpChunk.HeaderSize + size + 1) & ~1u;
            total = unchecked(total + onDisk);
            if (riffSize > 0 && total > riffSize) return WebpHeaderStatus.BitstreamError;

            uint fourCC = WebpChunk.FourCC(data[position..]);
            if (fourCC == WebpChunk.Vp8 || fourCC == WebpChunk.Vp8L) return WebpHeaderStatus.Ok;
            if ((uint)(data.Length - position) < onDisk) return WebpHeaderStatus.NotEnoughData;
            if (fourCC == WebpChunk.Alph)
            {
                headers.AlphaOffset = position + WebpChunk.HeaderSize;
                headers.AlphaSize = (int)size;
            }
            position += (int)onDisk;
        }
    }
}
