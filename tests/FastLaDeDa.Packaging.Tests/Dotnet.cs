using System.Diagnostics;
using System.Text;

namespace FastLaDeDa.Packaging.Tests;

/// <summary>The result of one child process.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed)
{
    /// <summary>Everything a failure message needs: the command, its exit code, stderr and stdout.</summary>
    public string Describe() =>
        $"`{CommandLine}` exited with {ExitCode} after {Elapsed.TotalSeconds:F1} s\n--- stderr ---\n{StdErr.Trim()}\n--- stdout ---\n{Tail(StdOut, 8000)}";

    private static string Tail(string s, int n) => s.Length <= n ? s.Trim() : "..." + s[^n..].Trim();
}

/// <summary>
/// Runs <c>dotnet</c> (the one running these tests) and other programs as child processes with a
/// clean environment: no MSBuild variables inherited from the <c>dotnet test</c> that started us,
/// no build servers or reused nodes (they would outlive the command and hold its output pipes).
/// </summary>
public static class Dotnet
{
    /// <summary>The dotnet executable: the host that runs the tests' build (DOTNET_HOST_PATH), else the one on PATH.</summary>
    public static string Executable { get; } = FindDotnet();

    public static ProcessResult Run(IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null) =>
        RunProgram(Executable, args, workingDirectory, environment, timeout);

    /// <summary>Runs dotnet and fails the test, with the command's stderr and stdout, unless it exits with 0.</summary>
    public static ProcessResult RunChecked(IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var r = Run(args, workingDirectory, environment, timeout);
        Assert.True(r.ExitCode == 0, r.Describe());
        return r;
    }

    public static ProcessResult RunProgram(string fileName, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        foreach (string key in psi.Environment.Keys.ToList())
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
                psi.Environment.Remove(key);
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        psi.Environment["UseSharedCompilation"] = "false";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // An installed tool's launcher looks for the runtime here first.
        psi.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(Executable);
        if (environment is not null)
            foreach (var (k, v) in environment)
                if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;

        string commandLine = fileName + " " + string.Join(' ', psi.ArgumentList.Select(a => a.Contains(' ') ? '"' + a + '"' : a));
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + commandLine);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var limit = timeout ?? TimeSpan.FromMinutes(3);
        if (!p.WaitForExit(limit))
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            p.WaitForExit();
            Assert.Fail($"`{commandLine}` did not finish within {limit.TotalSeconds:F0} s (killed)\n--- stderr ---\n{Safe(stderr)}\n--- stdout ---\n{Safe(stdout)}");
        }
        p.WaitForExit();
        return new ProcessResult(commandLine, p.ExitCode, stdout.Result, stderr.Result, clock.Elapsed);
    }

    private static string Safe(Task<string> t) => t.Wait(TimeSpan.FromSeconds(5)) ? t.Result : "(not available)";

    private static string FindDotnet()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return Resolve(host);
        string exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, exe);
            if (File.Exists(candidate)) return Resolve(candidate);
        }
        return exe;
    }

    // /usr/bin/dotnet is often a link into the installation: DOTNET_ROOT must be the installation.
    private static string Resolve(string path) =>
        new FileInfo(Path.GetFullPath(path)).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
}
