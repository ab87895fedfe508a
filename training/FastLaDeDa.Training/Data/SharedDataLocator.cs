using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Training.Data;

/// <summary>
/// Where the shared data lives by default: <c>data/</c> of the shared folder (<see cref="SharedFolder"/>'s
/// rule, the tests' and the bench's: <c>$FASTLADEDA_SHARED</c>, else the nearest <c>shared/</c> with a
/// <c>data/</c> above the checkout or the current directory), else <c>../shared/data</c>.
/// </summary>
internal static class SharedDataLocator
{
    /// <summary>The default data root (relative to the current directory when found by the search).</summary>
    public static string DefaultDataRoot()
    {
        bool named = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(SharedFolder.EnvironmentVariable));
        if (SharedFolder.Find(marker: "data") is not { } shared) return Path.Combine("..", "shared", "data");
        string data = Path.Combine(shared, "data");
        return named ? data : Path.GetRelativePath(Environment.CurrentDirectory, data);
    }
}
