using System.Runtime.Intrinsics.X86;
using System.Text.Json;
using FastLaDeDa.Engines;
using FastLaDeDa.Tests.Support;
using Xunit.Abstractions;

namespace FastLaDeDa.Tests.Engines;

/// <summary>
/// The run-time pick, checked in child processes where the runtime is told to ignore AVX-512 or
/// AVX2 (<c>DOTNET_EnableAVX512F=0</c>, <c>DOTNET_EnableAVX2=0</c>): the JIT then generates the
/// code a machine without those instructions would run (16 vector registers, VEX encoding), so
/// one machine covers every path. Each child reports its pick and runs the reference check.
/// </summary>
public class IsaSelectionTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, string> Configurations() => new()
    {
        { "default", "", "" },
        { "no AVX-512", "DOTNET_EnableAVX512F", "0" },
        { "no AVX2", "DOTNET_EnableAVX2", "0" },
    };

    private static string ExpectedPick(string variable) => variable switch
    {
        "DOTNET_EnableAVX512F" => Avx2.IsSupported && Fma.IsSupported ? "tiny-avx2" : "tiny-scalar",
        "DOTNET_EnableAVX2" => "tiny-scalar",
        _ => TinyLaDeDaEngines.Best.Name,
    };

    // .NET 10 reads DOTNET_EnableAVX512 (one switch for the AVX-512 family); earlier runtimes read
    // DOTNET_EnableAVX512F. Setting both makes the child ignore AVX-512 on either.
    private static Dictionary<string, string> Environment(string variable, string value) => variable switch
    {
        "" => new(),
        "DOTNET_EnableAVX512F" => new() { [variable] = value, ["DOTNET_EnableAVX512"] = value },
        _ => new() { [variable] = value },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void The_child_picks_the_expected_engine_and_matches_the_reference(string label, string variable, string value)
    {
        var info = CliRunner.RunWithEnvironment(Environment(variable, value), "info");
        Assert.Equal(0, info.ExitCode);
        string picked = info.StdOut.Split('\n').Single(l => l.StartsWith("picked")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        Assert.Equal(ExpectedPick(variable), picked);

        var check = CliRunner.RunWithEnvironment(Environment(variable, value), "selftest");
        output.WriteLine($"{label}: {check.StdOut.Trim()}");
        Assert.True(check.ExitCode == 0, check.StdOut + check.StdErr);
        Assert.StartsWith(picked + ": 224 cases", check.StdOut);
        Assert.Contains("PASS", check.StdOut);
    }

    [SkippableTheory]
    [MemberData(nameof(Configurations))]
    public void The_child_reproduces_the_official_logits(string label, string variable, string value)
    {
        // JPEGs too: their decoding runs the JPEG kernels of the same width (scalar without AVX2).
        string[] images = ["fake_progan_png256", "noise_rgb_301x199", "real_photo_png512", "real_food_jpg800", "real_nature_progressive_jpg888"];
        var r = CliRunner.RunWithEnvironment(Environment(variable, value),
            ["detect", "--json", "--weights", Goldens.OfficialCheckpoint("WildRF_Tiny_LaDeDa.pth"), "--preprocess", "right_diag", .. images.Select(Goldens.ImagePath)]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(r.StdOut);
        var items = doc.RootElement.EnumerateArray().ToArray();
        for (int i = 0; i < images.Length; i++)
        {
            Assert.Equal(ExpectedPick(variable), items[i].GetProperty("engine").GetString());
            double logit = items[i].GetProperty("logit").GetDouble(), golden = Goldens.Scalar(images[i] + ".wildrf_tiny.logit");
            output.WriteLine($"{label}: {images[i]} logit {logit:F6} golden {golden:F6} |Δ| {Math.Abs(logit - golden):E2}");
            Assert.True(Math.Abs(logit - golden) <= 1e-3, $"{label} {images[i]}: {logit} vs {golden}");
        }
    }
}
