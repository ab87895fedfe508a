namespace FastLaDeDa.Errors;

/// <summary>
/// A weights file (safetensors or PyTorch <c>.pth</c>) is malformed, exceeds a limit, holds
/// non-finite values, or does not describe the model it is loaded as.
/// </summary>
public class WeightsFormatException : FastLaDeDaException
{
    /// <summary>Creates the error.</summary>
    public WeightsFormatException(string? filePath, string cause, Exception? inner = null)
        : base(filePath, cause, inner) { }
}
