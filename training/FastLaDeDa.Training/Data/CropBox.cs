using System.Globalization;
using FastLaDeDa.Imaging;

namespace FastLaDeDa.Training.Data;

/// <summary>
/// A box of an image in Pillow's convention (<c>Image.crop((x0, y0, x1, y1))</c>): left/top inclusive,
/// right/bottom exclusive, so the result is (x1 − x0) × (y1 − y0).
/// </summary>
internal readonly record struct CropBox(int X0, int Y0, int X1, int Y1)
{
    /// <summary>Width of the box.</summary>
    public int Width => X1 - X0;

    /// <summary>Height of the box.</summary>
    public int Height => Y1 - Y0;

    /// <summary>Parses <c>"x0 y0 x1 y1"</c> (non-negative integers, x0 &lt; x1, y0 &lt; y1); null when it is not that.</summary>
    public static CropBox? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 4) return null;
        var v = new int[4];
        for (int i = 0; i < 4; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out v[i])) return null;
        return v[0] < v[2] && v[1] < v[3] ? new CropBox(v[0], v[1], v[2], v[3]) : null;
    }

    /// <summary>True when the box lies inside a <paramref name="width"/> × <paramref name="height"/> image.</summary>
    public bool FitsIn(int width, int height) => X1 <= width && Y1 <= height;

    /// <summary>The box's pixels (the box must fit, <see cref="FitsIn"/>).</summary>
    public Rgb24Image Apply(Rgb24Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!FitsIn(image.Width, image.Height))
            throw new ArgumentException($"crop {this} does not fit in {image.Width}x{image.Height}", nameof(image));
        var pixels = new byte[Width * Height * 3];
        for (int y = 0; y < Height; y++)
            image.Row(Y0 + y).Slice(X0 * 3, Width * 3).CopyTo(pixels.AsSpan(y * Width * 3));
        return new Rgb24Image(Width, Height, pixels);
    }

    /// <summary><c>x0 y0 x1 y1</c>, as in the manifest.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{X0} {Y0} {X1} {Y1}");
}
