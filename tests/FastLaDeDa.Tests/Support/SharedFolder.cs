namespace FastLaDeDa.Tests.Support;

/// <summary>
/// The one rule for finding the checkout and the read-only reference folder (<c>shared/</c>:
/// goldens, official checkpoints, data), used by the tests, the bench and the trainer (linked into
/// the tests and the trainer; the bench reaches the trainer's copy). No xunit here: the apps use it.
/// </summary>
internal static class SharedFolder
{
    /// <summary>The variable that names the shared folder explicitly.</summary>
    public const string EnvironmentVariable = "FASTLADEDA_SHARED";

    /// <summary>The checkout holding FastLaDeDa.sln above the running program, or null when it runs from elsewhere.</summary>
    public static string? RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FastLaDeDa.sln"))) return dir.FullName;
        return null;
    }

    /// <summary>
    /// The shared folder: <paramref name="explicitPath"/> when given, else <see cref="EnvironmentVariable"/>
    /// (either: null when it does not exist), else the nearest <c>shared/</c> holding
    /// <paramref name="marker"/> above the checkout — so git worktrees nested a level deeper find it
    /// too — or above the current directory; null when there is none.
    /// </summary>
    public static string? Find(string? explicitPath = null, string marker = "golden")
    {
        string? chosen = explicitPath ?? Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(chosen)) return Directory.Exists(chosen) ? Path.GetFullPath(chosen) : null;
        foreach (string? start in new[] { RepoRoot(), Environment.CurrentDirectory })
        {
            if (start is null) continue;
            for (var dir = new DirectoryInfo(start).Parent; dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared");
                if (Directory.Exists(Path.Combine(candidate, marker))) return candidate;
            }
        }
        return null;
    }
}
