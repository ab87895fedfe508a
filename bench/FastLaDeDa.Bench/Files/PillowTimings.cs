using System.Text.Json;

namespace FastLaDeDa.Bench.Files;

/// <summary>Runs bench/python/pillow_files.py on the inputs and reads its JSON lines.</summary>
public static class PillowTimings
{
    /// <summary>Times every file; null (with the reason in <paramref name="notes"/>) when Pillow is unavailable or the script fails.</summary>
    /// <returns>The timings by path, and the versions line's fields.</returns>
    public static (Dictionary<string, PillowTiming> ByPath, Dictionary<string, string?> Versions)? Measure(IEnumerable<string> paths, int minRuns, List<string> notes)
    {
        if (!SystemPython.HasPillow)
        {
            notes.Add($"Pillow columns left empty: {SystemPython.Interpreter} is missing or cannot import PIL.");
            return null;
        }
        var run = SystemPython.RunScript("pillow_files.py", paths.Prepend(minRuns.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (run is not { Succeeded: true })
        {
            notes.Add($"Pillow columns left empty: pillow_files.py failed ({run?.Stderr.Trim() ?? "python3 did not start"}).");
            return null;
        }
        var byPath = new Dictionary<string, PillowTiming>();
        var versions = new Dictionary<string, string?>();
        foreach (string line in run.Value.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.TryGetProperty("versions", out var v))
            {
                foreach (var p in v.EnumerateObject()) versions[p.Name] = p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.ToString();
                continue;
            }
            byPath[root.GetProperty("file").GetString()!] = new PillowTiming(Step(root, "decode"), Step(root, "decode_resize"), Step(root, "draft_resize"),
                root.TryGetProperty("error", out var e) ? e.GetString() : null);
        }
        return (byPath, versions);
    }

    private static PillowStep? Step(JsonElement root, string name) =>
        root.TryGetProperty(name, out var s)
            ? new PillowStep(s.GetProperty("wall_ms").GetDouble(), s.GetProperty("cpu_ms").GetDouble(), s.GetProperty("runs").GetInt32())
            : null;
}
