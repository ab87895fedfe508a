using System.Diagnostics;

namespace FastLaDeDa.Training.Training;

/// <summary>The source revision a model was trained from, for its metadata.</summary>
internal static class GitInfo
{
    /// <summary>
    /// <c>git rev-parse HEAD</c> run in <paramref name="directory"/> (the current directory by default),
    /// with <c>-dirty</c> appended when tracked files have uncommitted changes; <c>unknown</c> outside a
    /// checkout or without git.
    /// </summary>
    public static string Commit(string? directory = null)
    {
        string? head = Git(directory, "rev-parse HEAD");
        if (head is null || head.Length < 7) return "unknown";
        string? status = Git(directory, "status --porcelain --untracked-files=no");
        return string.IsNullOrEmpty(status) ? head : head + "-dirty";
    }

    private static string? Git(string? directory, string arguments)
    {
        try
        {
            var info = new ProcessStartInfo("git", arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = directory ?? Environment.CurrentDirectory,
            };
            using var process = Process.Start(info);
            if (process is null) return null;
            string output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            if (!process.WaitForExit(10_000)) return null;
            return process.ExitCode == 0 ? output.Trim() : null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
    }
}
