using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using FastLaDeDa.Tests.Support;
using Xunit.Abstractions;

namespace FastLaDeDa.Tests.Engines;

/// <summary>
/// The per-width suites (<see cref="PerIsaSuites"/>) rerun in child processes with AVX-512 off,
/// AVX2 off, and only 128-bit vectors: every test passes or is skipped, and exactly the widths
/// the mode leaves accelerated ran — a width turned off shows up as skipped, never as absent.
/// </summary>
public class PerIsaChildProcessTests(ITestOutputHelper output)
{
    public static TheoryData<string> Modes() => [.. IsaModes.All.Keys];

    [Theory]
    [MemberData(nameof(Modes))]
    public void The_per_width_suites_pass_in_a_child_process(string mode)
    {
        var result = PerIsaSuites.Run(IsaModes.All[mode], TimeSpan.FromMinutes(15));
        output.WriteLine($"{mode}: {result.Count("Passed")} passed, {result.Count("Failed")} failed, {result.Count("NotExecuted")} skipped");
        Assert.True(result.ExitCode == 0 && result.Count("Failed") == 0, result.Output);
        Assert.NotEmpty(result.Tests);
        foreach (var (name, outcome) in result.Tests)
        {
            string? width = WidthOf(name);
            bool shouldRun = width is null || Runs(mode, width, name);
            Assert.True(outcome == (shouldRun ? "Passed" : "NotExecuted"), $"{mode}: {name} was {outcome}");
        }
        foreach (string width in new[] { "Vector512", "Vector256", "Vector128" })
            output.WriteLine($"  {width}: {result.Tests.Count(t => WidthOf(t.Name) == width && t.Outcome == "Passed")} ran, {result.Tests.Count(t => WidthOf(t.Name) == width && t.Outcome != "Passed")} skipped");
    }

    /// <summary>The width a test case runs at, from the implementation or engine name in its arguments (null: none, or scalar).</summary>
    private static string? WidthOf(string testName) =>
        testName.Contains("Vector512") || testName.Contains("avx512") ? "Vector512"
        : testName.Contains("Vector256") || testName.Contains("avx2") ? "Vector256"
        : testName.Contains("Vector128") || testName.Contains("vector128") ? "Vector128"
        : null;

    /// <summary>Whether the child in <paramref name="mode"/> runs test <paramref name="name"/> at <paramref name="width"/> on this machine.</summary>
    private static bool Runs(string mode, string width, string name)
    {
        // The integer resampler's 128-bit width needs SSE4.1 (or AdvSimd), not FMA: it runs in every mode.
        if (width == "Vector128" && name.Contains("ResamplerVector128")) return Sse41.IsSupported || AdvSimd.Arm64.IsSupported;
        bool fma128 = AdvSimd.Arm64.IsSupported || (Sse41.IsSupported && Fma.IsSupported);
        return (mode, width) switch
        {
            ("no AVX-512", "Vector256") => Avx2.IsSupported && Fma.IsSupported,
            ("no AVX-512", "Vector128") => fma128,
            ("128-bit only", "Vector128") => fma128,
            ("no AVX2", "Vector128") => AdvSimd.Arm64.IsSupported,
            _ => false,
        };
    }
}
