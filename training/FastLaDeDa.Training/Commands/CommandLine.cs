namespace FastLaDeDa.Training.Commands;

/// <summary>The command line of this process, for the exported metadata.</summary>
internal static class CommandLine
{
    /// <summary><c>FastLaDeDa.Training ARGS...</c>, arguments with spaces quoted.</summary>
    public static string Text =>
        "FastLaDeDa.Training " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));

    /// <summary>The metadata every command's export starts from.</summary>
    public static Dictionary<string, string> Metadata(params (string Key, string Value)[] extra)
    {
        var metadata = new Dictionary<string, string> { ["command"] = Text };
        foreach (var (key, value) in extra) metadata[key] = value;
        return metadata;
    }
}
