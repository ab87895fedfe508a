namespace FastLaDeDa.Errors;

/// <summary>
/// Base of every error FastLaDeDa raises on purpose. The message is always one line of the form
/// <c>FILE: cause</c> (or just the cause when the input did not come from a file), so a command
/// line tool can print it as it is.
/// </summary>
public abstract class FastLaDeDaException : Exception
{
    /// <summary>Creates the error for <paramref name="filePath"/> (null when the input was not a file).</summary>
    protected FastLaDeDaException(string? filePath, string cause, Exception? inner = null)
        : base(filePath is null ? cause : $"{filePath}: {cause}", inner)
    {
        FilePath = filePath;
        Cause = cause;
    }

    /// <summary>The file the error is about, or null when the input was in memory.</summary>
    public string? FilePath { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Cause { get; }
}
