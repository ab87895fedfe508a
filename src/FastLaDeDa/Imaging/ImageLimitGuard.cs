using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging;

/// <summary>
/// Compares a file's size and the dimensions declared in its header with <see cref="ImageLimits"/>.
/// Every decoder calls <see cref="CheckDimensions"/> as soon as it has read the header, before it
/// allocates pixel memory, so a small file that declares a huge image (a decompression bomb) costs
/// nothing.
/// </summary>
internal static class ImageLimitGuard
{
    public static void CheckFileSize(long bytes, ImageLimits limits, string? source)
    {
        if (FileSizeError(bytes, limits, source) is { } error) throw error;
    }

    /// <summary>The error <see cref="CheckFileSize"/> throws, or null: for callers that must not throw (TryScore).</summary>
    public static ImageLimitExceededException? FileSizeError(long bytes, ImageLimits limits, string? source) =>
        bytes > limits.MaxFileBytes
            ? new ImageLimitExceededException(source, $"file is {bytes} bytes, over the limit of {limits.MaxFileBytes} bytes")
            : null;

    public static void CheckDimensions(long width, long height, ImageLimits limits, string? source, string format)
    {
        if (width <= 0 || height <= 0)
            throw new ImageDecodeException(source, $"{format} header declares invalid dimensions {width}x{height}");
        CheckSize(width, height, limits, source, format);
    }

    /// <summary>The same limits for a raw frame, which has no header (its sizes are already checked positive).</summary>
    public static void CheckFrame(int width, int height, ImageLimits limits) => CheckSize(width, height, limits, null, format: null);

    private static void CheckSize(long width, long height, ImageLimits limits, string? source, string? format)
    {
        // Built only when throwing: this runs for every image.
        string Subject() => format is null ? "frame is" : $"{format} header declares";
        if (width > limits.MaxDimension || height > limits.MaxDimension)
            throw new ImageLimitExceededException(source, $"{Subject()} {width}x{height} pixels; the largest accepted side is {limits.MaxDimension}");
        long pixels = width * height;
        if (pixels > limits.MaxPixels)
            throw new ImageLimitExceededException(source, $"{Subject()} {width}x{height} = {pixels} pixels, over the limit of {limits.MaxPixels}");
        // Whatever the configured limits, the RGB result must fit in one .NET array.
        if (pixels * 3 > Array.MaxLength)
            throw new ImageLimitExceededException(source, $"{Subject()} {width}x{height} pixels, too many for one RGB buffer");
    }
}
