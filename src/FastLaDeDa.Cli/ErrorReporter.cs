using FastLaDeDa.Errors;

namespace FastLaDeDa.Cli;

/// <summary>
/// Turns exceptions into the one-line messages the CLI prints: <c>error: FILE: cause</c>.
/// Stack traces appear only for unexpected exceptions and only with FASTLADEDA_DEBUG=1.
/// </summary>
internal static class ErrorReporter
{
    /// <summary>True for the exceptions that describe bad input rather than a bug.</summary>
    public static bool IsExpected(Exception ex) =>
        ex is FastLaDeDaException or IOException or UnauthorizedAccessException;

    /// <summary>One line describing <paramref name="ex"/>; <paramref name="path"/> names the file when the exception does not.</summary>
    public static string Describe(Exception ex, string? path) => ex switch
    {
        // Opening a folder as a file fails as "access denied" or "not found", depending on the call.
        IOException or UnauthorizedAccessException when path is not null && Directory.Exists(path) => $"{path}: is a directory",
        FastLaDeDaException f => f.FilePath is null && path is not null ? $"{path}: {f.Cause}" : f.Message,
        FileNotFoundException or DirectoryNotFoundException => $"{path ?? (ex as FileNotFoundException)?.FileName}: file not found",
        UnauthorizedAccessException => $"{path}: permission denied",
        IOException => path is null ? ex.Message : $"{path}: {ex.Message}",
        _ => $"internal error{(path is null ? "" : " on " + path)}: {ex.GetType().Name}: {ex.Message}",
    };

    /// <summary>Prints the line for <paramref name="ex"/> on stderr (with the stack trace for bugs when FASTLADEDA_DEBUG=1).</summary>
    public static void Print(Exception ex, string? path)
    {
        Console.Error.WriteLine("error: " + Describe(ex, path));
        if (!IsExpected(ex) && Environment.GetEnvironmentVariable("FASTLADEDA_DEBUG") == "1")
            Console.Error.WriteLine(ex);
    }

    /// <summary>The exit code for a failure that stops the whole command.</summary>
    public static int FatalExitCode(Exception ex) => IsExpected(ex) ? ExitCodes.Fatal : ExitCodes.InternalError;
}
