namespace FastLaDeDa.Tests.Support;

/// <summary>A fresh temporary folder, deleted on dispose, for tests that need real files.</summary>
internal sealed class TempDirectory : IDisposable
{
    /// <summary>Creates the folder.</summary>
    public TempDirectory() => Directory.CreateDirectory(Path);

    /// <summary>The folder's path.</summary>
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fastladeda-" + Guid.NewGuid().ToString("N"));

    /// <summary>The path of a file of that name in the folder (not created).</summary>
    public string File(string fileName) => System.IO.Path.Combine(Path, fileName);

    /// <summary>Writes <paramref name="bytes"/> to a file of that name in the folder and returns its path.</summary>
    public string Write(string fileName, byte[] bytes)
    {
        string path = File(fileName);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
