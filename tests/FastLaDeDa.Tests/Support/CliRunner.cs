using System.Diagnostics;

namespace FastLaDeDa.Tests.Support;

/// <summary>Runs the built <c>fastladeda</c> CLI in a child process, as a user would.</summary>
internal static class CliRunner
{
    // The CLI is built next to the tests with the same configuration: src/FastLaDeDa.Cli/bin/<Config>/net10.0/.
    private static readonly Lazy<string> CliDll = new(() =>
    {
        string config = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // .../bin/<Config>/net10.0/
        string path = Path.Combine(SharedData.RepoRoot, "src", "FastLaDeDa.Cli", "bin", config, "net10.0", "FastLaDeDa.Cli.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("build the CLI first: " + path);
    });

    /// <summary>What one run printed and returned.</summary>
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        /// <summary>Non-empty stderr lines.</summary>
        public string[] ErrorLines => StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Runs <c>fastladeda ARGS</c> and waits (at most a minute) for it to exit.</summary>
    public static Result Run(params string[] args) => RunWithEnvironment(new Dictionary<string, string>(), args);

    /// <summary>Runs <c>fastladeda ARGS</c> with extra environment variables (e.g. DOTNET_EnableAVX512=0).</summary>
    public static Result RunWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunWithTimeout(TimeSpan.FromMinutes(1), environment, args);

    /// <summary>Runs <c>fastladeda ARGS</c> and waits at most <paramref name="timeout"/> (long runs: LaDeDa over a data set).</summary>
    public static Result RunWithTimeout(TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunWithStdin(timeout, environment, "", args);

    /// <summary>Runs <c>fastladeda ARGS</c> with <paramref name="stdin"/> as its standard input (then closed).</summary>
    public static Result RunWithStdin(string stdin, params string[] args) =>
        RunWithStdin(TimeSpan.FromMinutes(1), new Dictionary<string, string>(), stdin, args);

    private static Result RunWithStdin(TimeSpan timeout, IReadOnlyDictionary<string, string> environment, string stdin, string[] args)
    {
        using var process = StartChild(args, environment);
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"fastladeda {string.Join(' ', args)} did not exit within {timeout.TotalMinutes:0.#} minute(s)");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// Starts <c>fastladeda ARGS</c> with standard input, output and error redirected, and returns
    /// at once: for a long-running command (serve) the caller reads and stops itself.
    /// </summary>
    public static Process StartChild(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(CliDll.Value);
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("FASTLADEDA_DEBUG");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) psi.Environment[key] = value;
        return Process.Start(psi)!;
    }
}
