using FastLaDeDa.Detection;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Detection;

/// <summary>
/// The FastLaDeDa package's public surface stays small and written down: the exported types are
/// exactly those src/FastLaDeDa/PublicAPI.Shipped.txt declares (the analyzer pins their members at
/// build time), and there are at most 30 of them.
/// </summary>
public class PublicApiTests
{
    private const int MaxPublicTypes = 30;

    [Fact]
    public void Exported_types_are_the_ones_PublicAPI_Shipped_names()
    {
        var exported = typeof(Detector).Assembly.GetExportedTypes().Select(t => t.FullName!.Replace('+', '.')).Order(StringComparer.Ordinal).ToArray();
        var declared = DeclaredTypes(Path.Combine(SharedData.RepoRoot, "src", "FastLaDeDa", "PublicAPI.Shipped.txt"));
        Assert.Equal(declared, exported);
    }

    [Fact]
    public void At_most_thirty_public_types()
    {
        var exported = typeof(Detector).Assembly.GetExportedTypes();
        Assert.True(exported.Length <= MaxPublicTypes,
            $"{exported.Length} public types (at most {MaxPublicTypes}): {string.Join(", ", exported.Select(t => t.Name).Order(StringComparer.Ordinal))}");
    }

    [Fact]
    public void The_gpu_package_exports_only_its_out_of_memory_error()
    {
        var exported = typeof(Gpu.GpuOutOfMemoryException).Assembly.GetExportedTypes().Select(t => t.FullName!).Order(StringComparer.Ordinal);
        var declared = DeclaredTypes(Path.Combine(SharedData.RepoRoot, "src", "FastLaDeDa.Gpu", "PublicAPI.Shipped.txt"));
        Assert.Equal(declared, exported);
    }

    /// <summary>
    /// The type lines of a PublicAPI file: a member line has a signature (<c>-&gt;</c> or a
    /// parameter list); a type line is the bare full name.
    /// </summary>
    private static string[] DeclaredTypes(string path) =>
        File.ReadAllLines(path)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#') && !line.Contains("->", StringComparison.Ordinal) && !line.Contains('('))
            .Order(StringComparer.Ordinal)
            .ToArray();
}
