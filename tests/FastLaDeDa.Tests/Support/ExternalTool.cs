using System.Diagnostics;

namespace FastLaDeDa.Tests.Support;

/// <summary>
/// Runs a reference program from the system (libjpeg-turbo's cjpeg/djpeg, libwebp's cwebp/dwebp,
/// Debian's python3 with Pillow) as an independent oracle. Tests that need one skip with a message
/// naming the Debian package when it is not installed (.ci/run installs them where it can).
/// </summary>
internal static class ExternalTool
{
    /// <summary>The full path of <paramref name="name"/> on PATH (or /usr/bin), or null.</summary>
    public static string? Find(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin"))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The path of <paramref name="name"/>; skips the calling test when it is missing.</summary>
    public static string Require(string name, string debianPackage)
    {
        string? path = Find(name);
        Skip.If(path is null, $"{name} not found: install Debian's {debianPackage} to run this comparison with an independent decoder");
        return path!;
    }

    /// <summary>Runs <paramref name="tool"/> and returns its standard output; fails the test on a non-zero exit.</summary>
    public static byte[] Run(string tool, params string[] arguments)
    {
        var (code, stdout, stderr) = TryRun(tool, arguments);
        Assert.True(code == 0, $"{tool} {string.Join(' ', arguments)} exited with {code}: {stderr}");
        return stdout;
    }

    /// <summary>Runs <paramref name="tool"/>; returns its exit code, standard output and standard error.</summary>
    public static (int ExitCode, byte[] StdOut, string StdErr) TryRun(string tool, params string[] arguments)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in arguments) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var stdout = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(stdout);
        process.WaitForExit();
        return (process.ExitCode, stdout.ToArray(), stderr.Result);
    }
}
