namespace FastLaDeDa.Errors;

/// <summary>An image is smaller than the model's receptive field, so no patch can be scored.</summary>
public sealed class ImageTooSmallException : FastLaDeDaException
{
    /// <summary>Creates the error.</summary>
    public ImageTooSmallException(string? filePath, string cause) : base(filePath, cause) { }
}
