namespace FastLaDeDa.Cli.Reporting;

/// <summary>Writes a report to a file or stdout; an unwritable path is one error line, not an exception.</summary>
internal static class ReportWriter
{
    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> (stdout when null); false after printing the error.</summary>
    public static bool TryWrite(string? path, string text)
    {
        if (path is null)
        {
            Console.Write(text);
            return true;
        }
        try
        {
            File.WriteAllText(path, text);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ErrorReporter.Print(ex, path);
            return false;
        }
    }

    /// <summary>Checks up front that <paramref name="path"/> can be created, so a long run does not fail at its end.</summary>
    public static bool CanWrite(string? path)
    {
        if (path is null) return true;
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && Directory.Exists(folder)) return true;
        Console.Error.WriteLine($"error: {path}: folder {folder} does not exist");
        return false;
    }
}
