using System.Buffers;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging.Resize;
using FastLaDeDa.Imaging;

namespace FastLaDeDa.Detection;

public sealed partial class Detector
{
    // Video frames come in one size: the resize taps are built once, not per frame.
    private readonly ResizePlanCache _resizePlans = new();

    /// <summary>
    /// Scores a raw 8-bit frame (a video frame, a camera or GPU buffer) without decoding and, once
    /// warm, without allocating (unless the patch map is requested): the rows are converted to RGB
    /// as the resize reads them, into pooled buffers. The result is bit for bit that of copying the
    /// frame into an <see cref="Rgb24Image"/> and calling <see cref="Score(Rgb24Image, bool)"/>.
    /// </summary>
    /// <param name="pixels">The frame: row <c>y</c> starts at <c>y × stride</c>; at least <c>stride × (height − 1) + width × bytes-per-pixel</c> bytes.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="stride">Bytes from one row to the next, at least width × bytes-per-pixel (padding bytes are never read).</param>
    /// <param name="format">The pixel layout; alpha is ignored (dropped, not composited), as Pillow's <c>convert("RGB")</c> does.</param>
    /// <param name="includePatchMap">Also return the patch-logit map (allocates it).</param>
    /// <exception cref="ArgumentException">A size is not positive, <paramref name="stride"/> is shorter than a row, <paramref name="pixels"/> is shorter than the frame, or <paramref name="format"/> is unknown; the parameter is named.</exception>
    /// <exception cref="ImageLimitExceededException">The frame is larger than <see cref="DetectorOptions.ImageLimits"/> allow (side or pixel count).</exception>
    /// <exception cref="ImageTooSmallException">With <see cref="DetectorOptions.Resize"/> off, the frame is smaller than the receptive field.</exception>
    public DetectionResult Score(ReadOnlySpan<byte> pixels, int width, int height, int stride, PixelFormat format, bool includePatchMap = false)
    {
        ThrowIfDisposed();
        ValidateFrame(pixels, width, height, stride, format);
        ImageLimitGuard.CheckFrame(width, height, _options.ImageLimits);
        return ScoreFrame(pixels, width, height, stride, format, null, includePatchMap);
    }

    /// <summary>The one path from pixels to a result (frames and <see cref="Rgb24Image"/>s); arguments already checked.</summary>
    private DetectionResult ScoreFrame(ReadOnlySpan<byte> pixels, int width, int height, int stride, PixelFormat format, string? sourceName, bool includePatchMap)
    {
        bool packedRgb = format == PixelFormat.Rgb24 && stride == width * 3;
        int size = _options.InputSize;
        if (!_options.Resize)
        {
            if (width < MinimumImageSize || height < MinimumImageSize)
                throw new ImageTooSmallException(sourceName,
                    $"image is {width}x{height}, smaller than the model's {MinimumImageSize}x{MinimumImageSize} receptive field; score it resized instead");
            if (packedRgb) return Run(pixels[..(width * height * 3)], width, height, includePatchMap);
        }
        else if (packedRgb && width == size && height == size)
        {
            return Run(pixels[..(size * size * 3)], size, size, includePatchMap);
        }

        int outWidth = _options.Resize ? size : width, outHeight = _options.Resize ? size : height;
        int length = outWidth * outHeight * 3;
        byte[] rgb = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            if (_options.Resize)
                FrameResizer.Resize(pixels, stride, format, _resizePlans.Get(width, height, size, size), rgb, Resampler.Best);
            else
                for (int y = 0; y < height; y++)
                    PixelRowConverter.ToRgb(pixels[(y * stride)..], format, width, rgb.AsSpan(y * width * 3, width * 3));
            return Run(rgb.AsSpan(0, length), outWidth, outHeight, includePatchMap);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgb);
        }
    }

    private static void ValidateFrame(ReadOnlySpan<byte> pixels, int width, int height, int stride, PixelFormat format)
    {
        if (!Enum.IsDefined(format)) throw new ArgumentOutOfRangeException(nameof(format), format, "unknown pixel format");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        long row = (long)width * PixelRowConverter.BytesPerPixel(format);
        if (stride < row)
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"a row of {width} {format} pixels needs at least {row} bytes");
        long needed = (long)stride * (height - 1) + row;
        if (pixels.Length < needed)
            throw new ArgumentException($"a {width}x{height} {format} frame with stride {stride} needs {needed} bytes, got {pixels.Length}", nameof(pixels));
    }
}
