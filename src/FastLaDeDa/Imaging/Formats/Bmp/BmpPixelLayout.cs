namespace FastLaDeDa.Imaging.Formats.Bmp;

/// <summary>
/// How the stored bytes of one pixel row become RGB: the raw modes Pillow 9.4 unpacks bitmaps
/// with. A layout may read fewer bits per pixel than the file declares (Pillow opens a bitmap
/// whose palette is pure black and white as mode "1" and one with a grey-ramp palette as mode
/// "L", whatever its depth), so the row stride comes from the header, not from the layout.
/// </summary>
internal enum BmpPixelLayout
{
    /// <summary>"P;1": 1-bit palette indices, most significant bit first.</summary>
    Palette1,

    /// <summary>"P;4": 4-bit palette indices, high nibble first.</summary>
    Palette4,

    /// <summary>"P": one palette index per byte.</summary>
    Palette8,

    /// <summary>"1": 1 bit per pixel, 0 black and 1 white.</summary>
    Bilevel,

    /// <summary>"L": one grey level per byte.</summary>
    Grey8,

    /// <summary>"BGR;15": 16-bit little-endian 5-5-5, top bit ignored.</summary>
    Bgr555,

    /// <summary>"BGR;16": 16-bit little-endian 5-6-5.</summary>
    Bgr565,

    /// <summary>"BGR": bytes B, G, R.</summary>
    Bgr24,

    /// <summary>"BGRX" and "BGRA": bytes B, G, R and one that RGB ignores.</summary>
    Bgrx32,

    /// <summary>"XBGR" and "ABGR": a byte RGB ignores, then B, G, R.</summary>
    Xbgr32,

    /// <summary>"RGBA": bytes R, G, B and alpha, which RGB ignores.</summary>
    Rgbx32,
}

/// <summary>Properties of <see cref="BmpPixelLayout"/>.</summary>
internal static class BmpPixelLayoutExtensions
{
    /// <summary>Bits the layout reads per pixel.</summary>
    public static int BitsPerPixel(this BmpPixelLayout layout) => layout switch
    {
        BmpPixelLayout.Palette1 or BmpPixelLayout.Bilevel => 1,
        BmpPixelLayout.Palette4 => 4,
        BmpPixelLayout.Palette8 or BmpPixelLayout.Grey8 => 8,
        BmpPixelLayout.Bgr555 or BmpPixelLayout.Bgr565 => 16,
        BmpPixelLayout.Bgr24 => 24,
        _ => 32,
    };
}
