namespace FastLaDeDa.Errors;

/// <summary>
/// The bytes are not an image in a format FastLaDeDa decodes (JPEG, PNG, WebP, BMP, GIF, TGA,
/// PNM), or a variant of one it deliberately refuses, like the official pipeline's Pillow (e.g. a
/// 12-bit or lossless JPEG). README's "Formats" lists them with the reasons.
/// </summary>
public sealed class UnsupportedImageFormatException : ImageDecodeException
{
    /// <summary>Creates the error.</summary>
    public UnsupportedImageFormatException(string? filePath, string cause) : base(filePath, cause) { }
}
