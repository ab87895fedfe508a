namespace FastLaDeDa.Errors;

/// <summary>
/// A state dict does not match a model description: the message lists every missing, unexpected
/// and mis-shaped tensor at once.
/// </summary>
public sealed class ModelMismatchException : WeightsFormatException
{
    /// <summary>Creates the error.</summary>
    public ModelMismatchException(string? filePath, string cause) : base(filePath, cause) { }
}
