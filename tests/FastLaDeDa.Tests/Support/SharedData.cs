namespace FastLaDeDa.Tests.Support;

/// <summary>
/// Locates the read-only reference material (<c>../shared</c>: goldens, official checkpoints,
/// data) by <see cref="SharedFolder"/>'s rule. Tests that need it call <see cref="RequireRoot"/>, which
/// skips them with a clear reason when it is absent. <c>FASTLADEDA_SHARED</c> overrides the search.
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string?> Root = new(Find);

    /// <summary>The shared folder, or null when it cannot be found.</summary>
    public static string? TryRoot => Root.Value;

    /// <summary>The shared folder; skips the calling test when it is absent.</summary>
    public static string RequireRoot()
    {
        Skip.If(Root.Value is null, "../shared (goldens, official weights, data) not found next to the repository; set FASTLADEDA_SHARED to its path to run this test");
        return Root.Value!;
    }

    /// <summary>A path inside the shared folder; skips the calling test when it does not exist.</summary>
    public static string Require(params string[] parts)
    {
        string path = Path.Combine([RequireRoot(), .. parts]);
        Skip.IfNot(File.Exists(path) || Directory.Exists(path), $"{path} not found in the shared folder");
        return path;
    }

    /// <summary>The repository root (the folder holding FastLaDeDa.sln).</summary>
    public static string RepoRoot { get; } = SharedFolder.RepoRoot() ?? throw new InvalidOperationException("FastLaDeDa.sln not found above " + AppContext.BaseDirectory);

    private static string? Find() => SharedFolder.Find();
}
