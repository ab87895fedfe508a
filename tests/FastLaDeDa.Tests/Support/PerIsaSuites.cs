using System.Diagnostics;
using System.Text.RegularExpressions;

namespace FastLaDeDa.Tests.Support;

/// <summary>
/// The suites that test every SIMD width against scalar (bit-exact, or against a float64
/// reference), tagged <c>[Trait(PerIsaSuites.Trait, PerIsaSuites.Value)]</c>, and a runner that
/// reruns them in a child <c>dotnet test</c> with runtime switches (<see cref="IsaModes"/>) — in the
/// manner of dotnet/runtime's FeatureTestRunner: one machine then covers the code the JIT emits
/// for machines without AVX-512, without AVX2, or with 128-bit vectors only.
/// </summary>
internal static partial class PerIsaSuites
{
    public const string Trait = "Category";
    public const string Value = "PerIsa";

    /// <summary>What one child run did: every test's name and outcome (Passed, Failed, NotExecuted), and its output.</summary>
    public sealed record Result(int ExitCode, IReadOnlyList<(string Name, string Outcome)> Tests, string Output)
    {
        public int Count(string outcome) => Tests.Count(t => t.Outcome == outcome);
    }

    /// <summary>Runs the tagged suites of this test assembly in a child process with <paramref name="environment"/>.</summary>
    public static Result Run(IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        using var results = new TempDirectory();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "test", typeof(PerIsaSuites).Assembly.Location, "--filter", $"{Trait}={Value}",
                     "--logger", "trx;LogFileName=child.trx", "--results-directory", results.Path })
            psi.ArgumentList.Add(a);
        foreach (var (key, value) in environment) psi.Environment[key] = value;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the child test run did not finish within {timeout.TotalMinutes:0} minutes");
        }
        string trx = Path.Combine(results.Path, "child.trx");
        var tests = File.Exists(trx)
            ? UnitTestResult().Matches(File.ReadAllText(trx)).Select(m => (System.Net.WebUtility.HtmlDecode(m.Groups["name"].Value), m.Groups["outcome"].Value)).ToList()
            : [];
        return new Result(process.ExitCode, tests, stdout.Result + stderr.Result);
    }

    [GeneratedRegex("<UnitTestResult [^>]*?testName=\"(?<name>[^\"]*)\"[^>]*?outcome=\"(?<outcome>[^\"]*)\"")]
    private static partial Regex UnitTestResult();
}
