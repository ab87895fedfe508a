namespace FastLaDeDa.Errors;

/// <summary>
/// An image's file size or declared dimensions exceed <see cref="Imaging.ImageLimits"/>. Raised
/// from the header, before any pixel memory is allocated (decompression bombs).
/// </summary>
public sealed class ImageLimitExceededException : ImageDecodeException
{
    /// <summary>Creates the error.</summary>
    public ImageLimitExceededException(string? filePath, string cause) : base(filePath, cause) { }
}
