using FastLaDeDa.Errors;

namespace FastLaDeDa.Weights;

/// <summary>Loads a weights file in whichever supported format it is, judged by its content, not its name.</summary>
internal static class WeightsFile
{
    /// <summary>
    /// Loads a safetensors file or a PyTorch <c>.pth</c> checkpoint (recognised by the zip magic
    /// <c>PK\x03\x04</c>). File-system errors surface as the usual <see cref="IOException"/>s;
    /// every problem with the content is a <see cref="WeightsFormatException"/>.
    /// </summary>
    /// <exception cref="UnsafePickleException">A checkpoint's pickle uses an opcode or global outside the whitelist.</exception>
    /// <exception cref="WeightsFormatException">The content is empty, malformed or exceeds <paramref name="limits"/>.</exception>
    public static StateDict Load(string path, WeightsLimits? limits = null)
    {
        limits ??= WeightsLimits.Default;
        // Check the size before reading anything, so an oversized file costs nothing.
        long length = new FileInfo(path).Length;
        if (length == 0) throw new WeightsFormatException(path, "file is empty");
        if (length > limits.MaxFileBytes)
            throw new WeightsFormatException(path, $"file is {length} bytes, above the limit of {limits.MaxFileBytes}");

        Span<byte> magic = stackalloc byte[4];
        int read;
        using (var stream = File.OpenRead(path)) read = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        return magic[..read].SequenceEqual("PK\x03\x04"u8)
            ? PthCheckpoint.Read(path, limits)
            : SafeTensors.Read(path, limits);
    }
}
