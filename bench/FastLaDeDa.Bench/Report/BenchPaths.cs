namespace FastLaDeDa.Bench.Report;

/// <summary>Where the reports find the repository and the shared reference folder (<see cref="Tests.Support.SharedFolder"/>'s rule, the tests' and the trainer's).</summary>
public static class BenchPaths
{
    /// <summary>The checkout holding FastLaDeDa.sln (found above the build output), else the working directory.</summary>
    public static string RepoRoot() => Tests.Support.SharedFolder.RepoRoot() ?? Directory.GetCurrentDirectory();

    /// <summary>The shared folder: <paramref name="explicitPath"/> when given (null if it does not exist), else <see cref="Tests.Support.SharedFolder.Find"/>.</summary>
    public static string? SharedFolder(string? explicitPath = null) => Tests.Support.SharedFolder.Find(explicitPath);
}
