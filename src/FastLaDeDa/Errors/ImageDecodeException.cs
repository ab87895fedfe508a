namespace FastLaDeDa.Errors;

/// <summary>An image file is empty, truncated, corrupt or otherwise cannot be decoded.</summary>
public class ImageDecodeException : FastLaDeDaException
{
    /// <summary>Creates the error.</summary>
    public ImageDecodeException(string? filePath, string cause, Exception? inner = null)
        : base(filePath, cause, inner) { }
}
