using System.Buffers;
using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// Decodes a WebP file to the RGB that Pillow 9.4's <c>Image.open(f).convert("RGB")</c> yields.
/// Pillow opens every WebP through libwebp's <c>WebPAnimDecoder</c> (RGBA): it checks the headers of
/// the whole file, demuxes it, then decodes frame 0 onto a canvas of the canvas size cleared to zero,
/// at the frame's offset, without blending; <c>convert("RGB")</c> then drops alpha. So the result is
/// the canvas size, zero outside frame 0, and frame 0's RGB whatever its alpha.
/// </summary>
/// <remarks>
/// Every check those libwebp steps make is made here too, in the same order, so a file fails exactly
/// when Pillow cannot open it; the failure is one <see cref="ImageDecodeException"/> with the cause
/// (<see cref="UnsupportedImageFormatException"/> for a valid variant that is refused, and
/// <see cref="ImageLimitExceededException"/> from the limits, checked on the canvas and the frame
/// before any pixel memory is allocated).
/// </remarks>
internal static class WebpDecoder
{
    /// <summary>
    /// Decodes frame 0 of a WebP file (simple lossy, simple lossless, extended VP8X with
    /// ALPH/ICCP/EXIF/XMP, animated ANIM/ANMF) to RGB, as Pillow 9.4 <c>convert("RGB")</c> yields it.
    /// </summary>
    public static Rgb24Image Decode(ReadOnlySpan<byte> data, ImageLimits limits, string? source)
    {
        byte[] rgb = DecodeCanvas(data, limits, source, pool: null, out int width, out int height);
        return new Rgb24Image(width, height, rgb);
    }

    /// <summary>
    /// Decodes frame 0 into <paramref name="sink"/>. The canvas is assembled in a pooled buffer
    /// (VP8 and VP8L write their rows in place; the canvas may be larger than the frame) and then
    /// handed over row by row, so no full-size array is allocated per image.
    /// </summary>
    public static void Decode(ReadOnlySpan<byte> data, ImageLimits limits, string? source, IRgbRowSink sink)
    {
        byte[] canvas = DecodeCanvas(data, limits, source, ArrayPool<byte>.Shared, out int width, out int height);
        try
        {
            sink.Start(width, height);
            RgbRows.Replay(canvas, width, height, sink);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(canvas);
        }
    }

    /// <summary>
    /// The decode itself, onto a canvas of exactly canvas width × height × 3 bytes, or at least that
    /// many rented from <paramref name="pool"/> (the caller returns it; nothing is rented when this throws).
    /// </summary>
    private static byte[] DecodeCanvas(ReadOnlySpan<byte> data, ImageLimits limits, string? source, ArrayPool<byte>? pool, out int width, out int height)
    {
        // Pillow only recognises "RIFF" .... "WEBP" followed by a VP8, VP8L or VP8X chunk.
        if (data.Length < WebpChunk.RiffHeaderSize + 4 || WebpChunk.FourCC(data) != WebpChunk.Riff
            || WebpChunk.FourCC(data[8..]) != WebpChunk.Webp)
            throw new ImageDecodeException(source, "not a WebP file (no RIFF/WEBP header)");
        uint firstChunk = WebpChunk.FourCC(data[WebpChunk.RiffHeaderSize..]);
        if (firstChunk != WebpChunk.Vp8 && firstChunk != WebpChunk.Vp8L && firstChunk != WebpChunk.Vp8X)
            throw new ImageDecodeException(source, "not a WebP file (its first chunk is not VP8, VP8L or VP8X)");

        // 1. WebPAnimDecoderNew validates the headers of the whole file before demuxing.
        WebpHeaderStatus features = WebpHeaderParser.Parse(data, haveAllData: false, forDecoding: false, out _, source);
        if (features != WebpHeaderStatus.Ok) throw HeaderError(features, source);

        // 2. The demuxer: canvas and frames.
        WebpContainer container = WebpDemuxer.Demux(data, source);
        ImageLimitGuard.CheckDimensions(container.CanvasWidth, container.CanvasHeight, limits, source, "WebP");
        WebpFrame frame = container.Frames[0];
        ImageLimitGuard.CheckDimensions(frame.Width, frame.Height, limits, source, "WebP");

        // 3. Frame 0 alone (its ALPH chunk, if kept, and its image chunk), decoded as WebPDecode does.
        (int fragmentOffset, int fragmentLength) = frame.Fragment;
        ReadOnlySpan<byte> fragment = data.Slice(fragmentOffset, fragmentLength);
        WebpHeaderStatus status = WebpHeaderParser.Parse(fragment, haveAllData: false, forDecoding: false, out _, source);
        WebpBitstreamHeaders frameHeaders = default;
        if (status == WebpHeaderStatus.Ok)
            status = WebpHeaderParser.Parse(fragment, haveAllData: true, forDecoding: true, out frameHeaders, source);
        if (status != WebpHeaderStatus.Ok) throw HeaderError(status, source);

        int canvasStride = container.CanvasWidth * 3;
        bool coversCanvas = frame.Width == container.CanvasWidth && frame.Height == container.CanvasHeight;
        int canvasBytes = canvasStride * container.CanvasHeight;
        // Outside frame 0 the canvas stays zero; a frame that covers it overwrites every byte.
        byte[] rgb = pool is not null ? pool.Rent(canvasBytes)
            : coversCanvas ? GC.AllocateUninitializedArray<byte>(canvasBytes) : new byte[canvasBytes];
        if (pool is not null && !coversCanvas) Array.Clear(rgb, 0, canvasBytes);
        int offset = frame.Y * canvasStride + frame.X * 3;
        ReadOnlySpan<byte> bitstream = fragment[frameHeaders.BitstreamOffset..];
        try
        {
            if (frameHeaders.IsLossless)
            {
                Vp8LDecoder.DecodeRgb(bitstream, rgb, offset, canvasStride, source);
            }
            else
            {
                if (frameHeaders.AlphaOffset >= 0)
                    DecodeAlpha(fragment.Slice(frameHeaders.AlphaOffset, frameHeaders.AlphaSize), frame.Width, frame.Height, source);
                Vp8Decoder.Decode(bitstream, rgb.AsSpan(offset, canvasBytes - offset), canvasStride, source);
            }
        }
        catch when (pool is not null)
        {
            pool.Return(rgb);
            throw;
        }
        (width, height) = (container.CanvasWidth, container.CanvasHeight);
        return rgb;
    }

    /// <summary>Decodes (and so validates) the alpha plane of a lossy frame; its values are not needed for RGB.</summary>
    private static void DecodeAlpha(ReadOnlySpan<byte> chunk, int width, int height, string? source)
    {
        byte[] plane = ArrayPool<byte>.Shared.Rent(width * height);
        try
        {
            WebpAlphaDecoder.Decode(chunk, width, height, plane, source);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(plane);
        }
    }

    private static ImageDecodeException HeaderError(WebpHeaderStatus status, string? source) =>
        new(source, status == WebpHeaderStatus.NotEnoughData ? "corrupt WebP: file is truncated" : "corrupt WebP: invalid header");
}
