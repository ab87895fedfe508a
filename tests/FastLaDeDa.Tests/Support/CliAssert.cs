namespace FastLaDeDa.Tests.Support;

/// <summary>Assertions about what the CLI printed.</summary>
internal static class CliAssert
{
    /// <summary>Exactly one <c>error: PATH: …cause…</c> line on stderr (notes and warnings aside), the expected exit code, and never a stack trace.</summary>
    public static void OneErrorLine(CliRunner.Result r, string path, string cause, int exitCode)
    {
        Assert.Equal(exitCode, r.ExitCode);
        string[] lines = r.ErrorLines.Where(l => !l.StartsWith("note:") && !l.StartsWith("warning:")).ToArray();
        Assert.Single(lines);
        Assert.StartsWith($"error: {path}: ", lines[0]);
        Assert.Contains(cause, lines[0]);
        Assert.DoesNotContain("   at ", r.StdErr);
    }
}
