namespace FastLaDeDa.Bench.Report;

/// <summary>Where the reports find the repository and the shared reference folder.</summary>
public static class BenchPaths
{
    /// <summary>The checkout holding FastLaDeDa.sln (found above the build output), else the working directory.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FastLaDeDa.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }

    /// <summary>
    /// The shared folder: <paramref name="explicitPath"/> when given (null if it does not exist), else
    /// the tests' SharedData.Find rule (that file needs xunit): FASTLADEDA_SHARED, else the nearest
    /// shared/ holding golden/ above the checkout, so nested git worktrees find it too.
    /// </summary>
    public static string? SharedFolder(string? explicitPath = null)
    {
        string? chosen = explicitPath ?? Environment.GetEnvironmentVariable("FASTLADEDA_SHARED");
        if (!string.IsNullOrEmpty(chosen)) return Directory.Exists(chosen) ? Path.GetFullPath(chosen) : null;
        for (var dir = new DirectoryInfo(RepoRoot()).Parent; dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "golden"))) return candidate;
        }
        return null;
    }
}
