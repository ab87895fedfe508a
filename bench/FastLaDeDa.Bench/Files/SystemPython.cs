namespace FastLaDeDa.Bench.Files;

/// <summary>Debian's python3 with its python3-pil (Pillow 9.4 on libjpeg-turbo 2.1, the official pipeline's versions), and the bench's scripts for it.</summary>
public static class SystemPython
{
    /// <summary>The interpreter: the system one, whose Pillow is Debian's (a virtual environment's may differ).</summary>
    public const string Interpreter = "/usr/bin/python3";

    private static readonly Lazy<bool> s_hasPillow = new(() => ExternalProcess.Run(Interpreter, ["-c", "import PIL"]) is { Succeeded: true });

    /// <summary>Whether <see cref="Interpreter"/> exists and imports PIL.</summary>
    public static bool HasPillow => s_hasPillow.Value;

    /// <summary>Runs bench/python/<paramref name="script"/> with the malloc settings of <see cref="ExternalProcess.MallocBestCase"/>.</summary>
    public static ExternalProcess.Result? RunScript(string script, IEnumerable<string> arguments) =>
        ExternalProcess.Run(Interpreter, arguments.Prepend(Path.Combine(Report.BenchPaths.RepoRoot(), "bench", "python", script)), ExternalProcess.MallocBestCase);
}
