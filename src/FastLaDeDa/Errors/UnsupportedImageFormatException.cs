namespace FastLaDeDa;

/// <summary>
/// The bytes are not an image in a format FastLaDeDa decodes (JPEG, PNG, BMP, GIF, TGA, PNM),
/// or a variant of one it deliberately refuses (e.g. CMYK JPEG, whose colours the official
/// pipeline would convert differently).
/// </summary>
public sealed class UnsupportedImageFormatException : ImageDecodeException
{
    /// <summary>Creates the error.</summary>
    public UnsupportedImageFormatException(string? filePath, string cause) : base(filePath, cause) { }
}
