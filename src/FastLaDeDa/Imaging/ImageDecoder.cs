using FastLaDeDa.Errors;
using FastLaDeDa.Imaging.Formats.Bmp;
using FastLaDeDa.Imaging.Formats.Gif;
using FastLaDeDa.Imaging.Formats;
using FastLaDeDa.Imaging.Resize;

namespace FastLaDeDa.Imaging;

/// <summary>
/// Decodes an image file to 8-bit RGB exactly as the official pipeline's
/// <c>PIL.Image.open(f).convert("RGB")</c> (Pillow 9.4) sees it: alpha is dropped (not
/// composited), grey is replicated to three channels, palettes are looked up, 16-bit colour keeps
/// the high byte, 16-bit grey is clipped to 255, and EXIF orientation is ignored.
/// </summary>
/// <remarks>
/// <para>Formats: JPEG (baseline, extended, progressive and arithmetic-coded; grey, YCbCr, RGB,
/// CMYK and YCCK), WebP (lossy, lossless, alpha, frame 0 of animations), PNG (every bit depth and
/// colour type, APNG's default image), BMP and DIB (every variant Pillow 9.4 opens, RLE included),
/// GIF (first frame), TGA and PNM (P1–P6). Every format but TGA (StbImageSharp behind a structure
/// walk) has a decoder of its own that reproduces Pillow's bytes and fails wherever Pillow fails.
/// Other formats are recognised by their magic bytes and refused with
/// <see cref="UnsupportedImageFormatException"/>.</para>
/// <para>Before any pixel memory is allocated the file size and the dimensions declared in the
/// header are checked against <see cref="ImageLimits"/> (<see cref="ImageLimitExceededException"/>).
/// A decoder that stops early either throws or yields what Pillow yields for that file; output
/// buffers are always fully written, never left holding an earlier image.</para>
/// <para>For bad content only <see cref="ImageDecodeException"/> and its subclasses are thrown;
/// file-system errors (missing file, no access) propagate as the usual <see cref="IOException"/>s.</para>
/// </remarks>
internal static class ImageDecoder
{
    /// <summary>
    /// What decodes JPEGs in this process, for diagnostics (<c>fastladeda info</c>): FastLaDeDa's own
    /// decoder, and the instruction-set width of its SIMD kernels.
    /// </summary>
    public static string JpegDecoderDescription =>
        $"FastLaDeDa C# decoder (libjpeg-turbo 2.1 / Pillow 9.4 results), {Formats.Jpeg.JpegKernels.Best.Isa} kernels";

    /// <summary>Reads and decodes the image file at <paramref name="path"/>.</summary>
    /// <param name="path">The image file; its name is used in error messages.</param>
    /// <param name="limits">Size limits; <see cref="ImageLimits.Default"/> when null.</param>
    /// <returns>The decoded RGB image.</returns>
    /// <exception cref="ImageDecodeException">The file is empty, truncated, corrupt or exceeds <paramref name="limits"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Rgb24Image Decode(string path, ImageLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        limits ??= ImageLimits.Default;
        using var file = PooledFile.Read(path, limits);
        return Decode(file.Data, path, limits);
    }

    /// <summary>Decodes an image held in memory.</summary>
    /// <param name="data">The bytes of the image file.</param>
    /// <param name="sourceName">A name for error messages (usually the file path), or null.</param>
    /// <param name="limits">Size limits; <see cref="ImageLimits.Default"/> when null.</param>
    /// <returns>The decoded RGB image.</returns>
    /// <exception cref="ImageDecodeException">The data is empty, truncated, corrupt or exceeds <paramref name="limits"/>.</exception>
    public static Rgb24Image Decode(ReadOnlySpan<byte> data, string? sourceName = null, ImageLimits? limits = null)
    {
        limits ??= ImageLimits.Default;
        if (data.IsEmpty) throw new ImageDecodeException(sourceName, "file is empty");
        ImageLimitGuard.CheckFileSize(data.Length, limits, sourceName);

        return ImageFormatSniffer.Detect(data, sourceName) switch
        {
            ImageFormat.Jpeg => DecodeJpeg(data, sourceName, limits),
            ImageFormat.Png => DecodePng(data, sourceName, limits),
            ImageFormat.Gif => DecodeGif(data, sourceName, limits),
            ImageFormat.Bmp => DecodeBmp(data, sourceName, limits),
            ImageFormat.Tga => DecodeTga(data, sourceName, limits),
            ImageFormat.Pnm => PnmDecoder.Decode(data, limits, sourceName),
            ImageFormat.Webp => Formats.Webp.WebpDecoder.Decode(data, limits, sourceName),
            _ => throw new UnsupportedImageFormatException(sourceName, "not a recognised image format"),
        };
    }

    /// <summary>
    /// Decodes and resizes to <paramref name="width"/> × <paramref name="height"/> with Pillow's
    /// BILINEAR into <paramref name="output"/>: the bytes of <see cref="Decode(ReadOnlySpan{byte}, string?, ImageLimits?)"/>
    /// followed by <see cref="PillowResize.Bilinear(Rgb24Image, int, int)"/>, but a JPEG or a
    /// sequential PNG is resized while it decodes and never held at full size, and a WebP is
    /// assembled in a pooled canvas: no full-size array is allocated per image for these formats. With <paramref name="reduced"/> a JPEG is first
    /// decoded at the smallest DCT scale that keeps both sides at least the target's (not exact).
    /// </summary>
    internal static void DecodeResized(ReadOnlySpan<byte> data, string? sourceName, ImageLimits limits, int width, int height, byte[] output, bool reduced = false)
    {
        if (data.IsEmpty) throw new ImageDecodeException(sourceName, "file is empty");
        ImageLimitGuard.CheckFileSize(data.Length, limits, sourceName);
        switch (ImageFormatSniffer.Detect(data, sourceName))
        {
            case ImageFormat.Jpeg:
            {
                using var sink = new ResizingRowSink(width, height, output);
                Formats.Jpeg.JpegDecoder.Decode(data, limits, sourceName, sink, reducedToAtLeast: reduced ? Math.Max(width, height) : 0);
                sink.Finish();
                return;
            }
            case ImageFormat.Png:
            {
                using var sink = new ResizingRowSink(width, height, output);
                Formats.Png.PngDecoder.Decode(data, PngStructure.Read(data, limits, sourceName), sourceName, sink);
                sink.Finish();
                return;
            }
            case ImageFormat.Webp:
            {
                using var sink = new ResizingRowSink(width, height, output);
                Formats.Webp.WebpDecoder.Decode(data, limits, sourceName, sink);
                sink.Finish();
                return;
            }
            default:
                PillowResize.BilinearInto(Decode(data, sourceName, limits), width, height, output);
                return;
        }
    }

    private static Rgb24Image DecodeJpeg(ReadOnlySpan<byte> data, string? source, ImageLimits limits) =>
        Formats.Jpeg.JpegDecoder.Decode(data, limits, source);

    private static Rgb24Image DecodePng(ReadOnlySpan<byte> data, string? source, ImageLimits limits) =>
        Formats.Png.PngDecoder.Decode(data, PngStructure.Read(data, limits, source), source);

    private static Rgb24Image DecodeGif(ReadOnlySpan<byte> data, string? source, ImageLimits limits) =>
        GifDecoder.Decode(data, limits, source);

    private static Rgb24Image DecodeBmp(ReadOnlySpan<byte> data, string? source, ImageLimits limits) =>
        BmpDecoder.Decode(data, limits, source);

    private static Rgb24Image DecodeTga(ReadOnlySpan<byte> data, string? source, ImageLimits limits)
    {
        TgaStructure tga = TgaStructure.Read(data, limits, source);
        Rgb24Image image = ExpectSize(StbImageBridge.DecodeTga(data, source), tga.Width, tga.Height, source);
        tga.MirrorIfRightToLeft(image);
        return image;
    }

    private static Rgb24Image ExpectSize(Rgb24Image image, int width, int height, string? source) =>
        image.Width == width && image.Height == height
            ? image
            : throw new ImageDecodeException(source, $"decoder produced {image.Width}x{image.Height} pixels, header declares {width}x{height}");
}
