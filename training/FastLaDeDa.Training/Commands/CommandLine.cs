using System.CommandLine;

namespace FastLaDeDa.Training.Commands;

/// <summary>The command line a command was given, for the exported metadata.</summary>
internal static class CommandLine
{
    /// <summary><c>FastLaDeDa.Training COMMAND ARGS...</c> as parsed (also right for the steps <c>all</c> runs in-process); arguments with spaces quoted.</summary>
    public static string Text(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return "FastLaDeDa.Training " + string.Join(' ', parse.Tokens.Select(t => t.Value.Contains(' ', StringComparison.Ordinal) ? $"\"{t.Value}\"" : t.Value));
    }

    /// <summary>The metadata every command's export starts from.</summary>
    public static Dictionary<string, string> Metadata(ParseResult parse, params (string Key, string Value)[] extra)
    {
        var metadata = new Dictionary<string, string> { ["command"] = Text(parse) };
        foreach (var (key, value) in extra) metadata[key] = value;
        return metadata;
    }
}
