namespace FastLaDeDa.Errors;

/// <summary>
/// A <c>.pth</c> checkpoint's pickle uses an opcode or names a global outside the whitelist that
/// <c>torch.save</c> of a state dict needs. Nothing in the file is ever executed.
/// </summary>
public sealed class UnsafePickleException : WeightsFormatException
{
    /// <summary>Creates the error.</summary>
    public UnsafePickleException(string? filePath, string cause) : base(filePath, cause) { }
}
