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
        if (bytes > limits.MaxFileBytes)
            throw new ImageLimitExceededException(source, $"file is {bytes} bytes, over the limit of {limits.MaxFileBytes} bytes");
    }

    public static void CheckDimensions(long width, long height, ImageLimits limits, string? source, string format)
    {
        if (width <= 0 || height <= 0)
            throw new ImageDecodeException(source, $"{format} header declares invalid dimensions {width}x{height}");
        if (width > limits.MaxDimension || height > limits.MaxDimension)
            throw new ImageLimitExceededException(source, $"{format} header declares {width}x{height} pixels; the largest accepted side is {limits.MaxDimension}");
        long pixels = width * height;
        if (pixels > limits.MaxPixels)
            throw new ImageLimitExceededException(source, $"{format} header declares {width}x{height} = {pixels} pixels, over the limit of {limits.MaxPixels}");
        // Whatever the configured limits, the RGB result must fit in one .NET array.
        if (pixels * 3 > Array.MaxLength)
            throw new ImageLimitExceededException(source, $"{format} header declares {width}x{height} pixels, too many for one RGB buffer");
    }
}
