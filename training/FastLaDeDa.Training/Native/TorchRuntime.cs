using TorchSharp;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Native;

/// <summary>Facts about the TorchSharp native runtime of this process (see training/README.md, "The native-library fix").</summary>
internal static class TorchRuntime
{
    /// <summary>The native library TorchSharp binds to.</summary>
    public const string LibTorchSharpFileName = "libLibTorchSharp.so";

    /// <summary>
    /// Runs a small TorchSharp operation (<c>torch.ones(2, 3).sum()</c>, which must be 6), forcing
    /// the native libraries to load. Throws what TorchSharp throws when they cannot be loaded.
    /// </summary>
    public static float Smoke()
    {
        using var scope = NewDisposeScope();
        float sum = ones(2, 3).sum().item<float>();
        if (sum != 6f) throw new InvalidOperationException($"torch.ones(2, 3).sum() gave {sum}, expected 6");
        return sum;
    }

    /// <summary>Paths of the mapped files named <paramref name="fileName"/> (Linux: from /proc/self/maps; empty elsewhere).</summary>
    public static IReadOnlyList<string> LoadedLibraries(string fileName = LibTorchSharpFileName)
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return [];
        return File.ReadLines(maps)
            .Select(line => line.IndexOf('/') is var i and >= 0 ? line[i..].Trim() : "")
            .Where(path => Path.GetFileName(path) == fileName)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }
}
