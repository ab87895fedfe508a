namespace FastLaDeDa.Training.Data;

/// <summary>
/// Where the shared data lives by default: <c>$FASTLADEDA_SHARED/data</c> when that variable is set,
/// else the first <c>shared/data</c> found walking up from the current directory (<c>../shared/data</c>
/// next to a clone; further up for nested git worktrees), else <c>../shared/data</c>.
/// </summary>
internal static class SharedDataLocator
{
    /// <summary>The default data root.</summary>
    public static string DefaultDataRoot()
    {
        string? env = Environment.GetEnvironmentVariable("FASTLADEDA_SHARED");
        if (!string.IsNullOrEmpty(env)) return Path.Combine(env, "data");
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory).Parent; dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate)) return Path.GetRelativePath(Environment.CurrentDirectory, candidate);
        }
        return Path.Combine("..", "shared", "data");
    }
}
