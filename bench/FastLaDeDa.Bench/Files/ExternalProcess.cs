using System.Diagnostics;

namespace FastLaDeDa.Bench.Files;

/// <summary>Runs a tool outside .NET (python3, cjpeg, cwebp) and collects what it printed.</summary>
public static class ExternalProcess
{
    /// <summary>What a finished run returned.</summary>
    public readonly record struct Result(int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>Exit code 0.</summary>
        public bool Succeeded => ExitCode == 0;
    }

    /// <summary>
    /// glibc's malloc keeps large blocks instead of returning them to the OS after every image (it
    /// reads these only at process start): the setting bench/files.sh gives our process, passed on
    /// so Pillow runs at its best too.
    /// </summary>
    public static IReadOnlyDictionary<string, string> MallocBestCase { get; } = new Dictionary<string, string>
    {
        ["MALLOC_MMAP_THRESHOLD_"] = "2000000000",
        ["MALLOC_TRIM_THRESHOLD_"] = "2000000000",
    };

    /// <summary>Runs <paramref name="fileName"/> to completion; null when it cannot be started (not installed).</summary>
    public static Result? Run(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        if (environment is not null)
            foreach (var (key, value) in environment) start.Environment[key] = value;
        try
        {
            using var process = Process.Start(start);
            if (process is null) return null;
            // Read stderr on the side so neither pipe can fill up and block the child.
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return new Result(process.ExitCode, stdout, stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}
