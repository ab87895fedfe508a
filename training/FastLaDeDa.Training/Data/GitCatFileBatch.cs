using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace FastLaDeDa.Training.Data;

/// <summary>
/// One long-running <c>git --git-dir=DIR cat-file --batch</c>: objects are asked for on stdin
/// (<c>COMMIT:PATH</c>) and come back on stdout as <c>SHA TYPE SIZE\n</c>, the bytes and <c>\n</c>
/// (or <c>NAME missing</c>). One process per repository instead of one per file is what makes
/// staging ~1 500 files take seconds. Not thread-safe: callers serialize (<see cref="GitMirrorSet"/> does).
/// </summary>
internal sealed class GitCatFileBatch : IDisposable
{
    private readonly Process _process;
    private readonly Stream _stdout;
    private readonly Stream _stdin;
    private readonly StringBuilder _stderr = new();

    /// <summary>Starts the process on the git directory <paramref name="gitDir"/>; a missing <c>git</c> is a <see cref="DatasetException"/>.</summary>
    public GitCatFileBatch(string gitDir)
    {
        GitDir = gitDir;
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // An argument list, not a shell string: paths with spaces or quotes pass unchanged.
        foreach (string arg in new[] { "--git-dir=" + gitDir, "cat-file", "--batch" }) start.ArgumentList.Add(arg);
        try
        {
            _process = Process.Start(start) ?? throw new DatasetException("git could not be started");
        }
        catch (Win32Exception ex)
        {
            throw new DatasetException($"git could not be started ({ex.Message}); staging reads the mirrors with git, which must be on PATH", ex);
        }
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginErrorReadLine();
        _stdout = _process.StandardOutput.BaseStream;
        _stdin = _process.StandardInput.BaseStream;
    }

    /// <summary>The git directory read.</summary>
    public string GitDir { get; }

    /// <summary>
    /// The object named <paramref name="name"/> (e.g. <c>COMMIT:PATH</c>, <c>COMMIT^{commit}</c>):
    /// its type and bytes, or null when git says it is missing. A dead or confused git process is a
    /// <see cref="DatasetException"/> quoting git's stderr.
    /// </summary>
    public (string Type, byte[] Bytes)? Read(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        // The batch protocol is line-based: a line break in a name would be read as two requests.
        if (name.Contains('\n') || name.Contains('\r')) throw new DatasetException($"{GitDir}: object name with a line break: '{name}'");
        try
        {
            _stdin.Write(Encoding.UTF8.GetBytes(name + "\n"));
            _stdin.Flush();
            string header = ReadLine();
            if (header.EndsWith(" missing", StringComparison.Ordinal) || header.EndsWith(" ambiguous", StringComparison.Ordinal)) return null;
            string[] parts = header.Split(' ');
            if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long size) || size > int.MaxValue)
                throw Failure($"unexpected answer '{header}' to '{name}'");
            var bytes = new byte[size];
            _stdout.ReadExactly(bytes);
            if (_stdout.ReadByte() != '\n') throw Failure($"object '{name}' not followed by a line break");
            return (parts[1], bytes);
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException)
        {
            throw Failure($"reading '{name}' failed ({ex.Message})");
        }
    }

    private string ReadLine()
    {
        var line = new List<byte>(64);
        while (true)
        {
            int b = _stdout.ReadByte();
            if (b < 0) throw Failure("git cat-file ended");
            if (b == '\n') return Encoding.UTF8.GetString(line.ToArray());
            line.Add((byte)b);
        }
    }

    private DatasetException Failure(string what)
    {
        string stderr;
        if (!_process.HasExited) _process.WaitForExit(200);
        lock (_stderr) stderr = _stderr.ToString().Trim();
        return new DatasetException($"{GitDir}: git cat-file: {what}" + (stderr.Length > 0 ? $"; git says: {stderr.ReplaceLineEndings(" ")}" : ""));
    }

    /// <summary>Closes stdin (git then exits) and waits for the process.</summary>
    public void Dispose()
    {
        try
        {
            _stdin.Dispose();
            if (!_process.WaitForExit(5000)) _process.Kill();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException) { }
        _process.Dispose();
    }
}
