namespace FastLaDeDa.Imaging;

/// <summary>
/// An 8-bit RGB image, pixels interleaved row by row (R, G, B, R, G, B, ...), no padding.
/// This is what Pillow's <c>convert("RGB")</c> yields and what every later stage consumes.
/// Immutable by convention: stages produce new images instead of writing into their input.
/// </summary>
public sealed class Rgb24Image
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied), which must hold exactly width × height × 3 bytes.</summary>
    public Rgb24Image(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if ((long)width * height * 3 != pixels.Length)
            throw new ArgumentException($"expected {(long)width * height * 3} bytes for {width}x{height} RGB, got {pixels.Length}", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Interleaved RGB bytes, <c>Pixels[(y * Width + x) * 3 + c]</c>.</summary>
    public byte[] Pixels { get; }

    /// <summary>Bytes per row (width × 3).</summary>
    public int Stride => Width * 3;

    /// <summary>One row of pixels.</summary>
    public ReadOnlySpan<byte> Row(int y) => Pixels.AsSpan(y * Stride, Stride);
}
