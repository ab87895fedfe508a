using System.Text.Json;
using FastLaDeDa.Engines;
using FastLaDeDa.Tests.Support;
using Xunit.Abstractions;

namespace FastLaDeDa.Tests.Engines;

/// <summary>
/// The run-time pick, checked in child processes where the runtime is told to ignore AVX-512, AVX2
/// or every vector wider than 128 bits (<see cref="IsaModes"/>): the JIT then generates the code a
/// machine without those instructions would run (16 vector registers and VEX encoding without
/// AVX-512; 128-bit vectors as on ARM64), so one machine covers every path. Each child reports its
/// pick and runs the reference check.
/// </summary>
public class IsaSelectionTests(ITestOutputHelper output)
{
    private static string ExpectedPick(string label) =>
        IsaModes.ExpectedBackend(label) is { } backend ? "tiny-" + backend : TinyLaDeDaEngines.Best.Name;

    [Theory]
    [MemberData(nameof(IsaModes.Labels), MemberType = typeof(IsaModes))]
    public void The_child_picks_the_expected_engine_and_matches_the_reference(string label)
    {
        var info = CliRunner.RunWithEnvironment(IsaModes.Environment(label), "info");
        Assert.Equal(0, info.ExitCode);
        string picked = info.StdOut.Split('\n').Single(l => l.StartsWith("picked")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        Assert.Equal(ExpectedPick(label), picked);

        var check = CliRunner.RunWithEnvironment(IsaModes.Environment(label), "selftest");
        output.WriteLine($"{label}: {check.StdOut.Trim()}");
        Assert.True(check.ExitCode == 0, check.StdOut + check.StdErr);
        Assert.StartsWith(picked + ": 224 cases", check.StdOut);
        Assert.Contains("PASS", check.StdOut);
    }

    [SkippableTheory]
    [MemberData(nameof(IsaModes.Labels), MemberType = typeof(IsaModes))]
    public void The_child_reproduces_the_official_logits(string label)
    {
        // JPEGs too: their decoding runs the JPEG kernels of the same width (scalar without AVX2).
        string[] images = ["fake_progan_png256", "noise_rgb_301x199", "real_photo_png512", "real_food_jpg800", "real_nature_progressive_jpg888"];
        var r = CliRunner.RunWithEnvironment(IsaModes.Environment(label),
            ["detect", "--json", "--weights", Goldens.OfficialCheckpoint("WildRF_Tiny_LaDeDa.pth"), "--preprocess", "right_diag", .. images.Select(Goldens.ImagePath)]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(r.StdOut);
        var items = doc.RootElement.EnumerateArray().ToArray();
        for (int i = 0; i < images.Length; i++)
        {
            Assert.Equal(ExpectedPick(label), items[i].GetProperty("engine").GetString());
            double logit = items[i].GetProperty("logit").GetDouble(), golden = Goldens.Scalar(images[i] + ".wildrf_tiny.logit");
            output.WriteLine($"{label}: {images[i]} logit {logit:F6} golden {golden:F6} |Δ| {Math.Abs(logit - golden):E2}");
            Assert.True(Math.Abs(logit - golden) <= 1e-3, $"{label} {images[i]}: {logit} vs {golden}");
        }
    }
}
