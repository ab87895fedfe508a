namespace FastLaDeDa.Errors;

/// <summary>
/// This build of the library has no embedded default weights (<c>weights/tiny-ladeda.safetensors</c>
/// did not exist when it was built). Pass a weights file explicitly.
/// </summary>
public sealed class DefaultWeightsMissingException : FastLaDeDaException
{
    /// <summary>Creates the error naming the missing file.</summary>
    public DefaultWeightsMissingException(string missingFile)
        : base(missingFile, "the embedded default weights are missing: this build was made before the trainer produced them. Pass --weights FILE (a .safetensors or an official .pth).") { }
}
