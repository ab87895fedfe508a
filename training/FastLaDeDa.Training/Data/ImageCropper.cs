using FastLaDeDa.Imaging;

namespace FastLaDeDa.Training.Data;

/// <summary>Copies crops of interleaved RGB images into batch buffers.</summary>
internal static class ImageCropper
{
    /// <summary>Writes the window's pixels (size × size × 3 bytes, mirrored when <see cref="CropWindow.Flip"/>) into <paramref name="destination"/>.</summary>
    public static void Copy(Rgb24Image image, CropWindow window, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        int size = window.Size;
        if (window.Top < 0 || window.Left < 0 || window.Top + size > image.Height || window.Left + size > image.Width)
            throw new ArgumentOutOfRangeException(nameof(window), $"crop {window} does not fit the {image.Width}x{image.Height} image");
        if (destination.Length < size * size * 3) throw new ArgumentException("destination too small", nameof(destination));
        for (int y = 0; y < size; y++)
        {
            ReadOnlySpan<byte> row = image.Row(window.Top + y).Slice(window.Left * 3, size * 3);
            Span<byte> target = destination.Slice(y * size * 3, size * 3);
            if (!window.Flip)
            {
                row.CopyTo(target);
                continue;
            }
            for (int x = 0; x < size; x++)
            {
                int s = (size - 1 - x) * 3, d = x * 3;
                target[d] = row[s];
                target[d + 1] = row[s + 1];
                target[d + 2] = row[s + 2];
            }
        }
    }

    /// <summary>The window's pixels as a new image.</summary>
    public static Rgb24Image Crop(Rgb24Image image, CropWindow window)
    {
        var pixels = new byte[window.Size * window.Size * 3];
        Copy(image, window, pixels);
        return new Rgb24Image(window.Size, window.Size, pixels);
    }
}
