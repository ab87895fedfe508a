using FastLaDeDa.Errors;

namespace FastLaDeDa.Weights;

/// <summary>Loads a weights file in whichever supported format it is, judged by its content, not its name.</summary>
internal static class WeightsFile
{
    /// <summary>
    /// Loads a safetensors file or a PyTorch <c>.pth</c> checkpoint (recognised by the zip magic
    /// <c>PK\x03\x04</c>, or <c>PK\x05\x06</c> for an empty archive); an error names the format the
    /// content looked like (<c>not a PyTorch checkpoint (…)</c>, <c>not a safetensors file (…)</c>). File-system errors surface as the usual <see cref="IOException"/>s;
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

        Span<byte> magic = stackalloc byte[9];
        int read;
        using (var stream = File.OpenRead(path)) read = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        magic = magic[..read];
        // A zip (local file header, or the end record of an empty archive) is a PyTorch checkpoint or nothing.
        if (magic.StartsWith("PK\x03\x04"u8) || magic.StartsWith("PK\x05\x06"u8))
            return PthCheckpoint.Read(path, limits);
        try
        {
            return SafeTensors.Read(path, limits);
        }
        catch (WeightsFormatException ex) when (magic.Length < 9 || magic[8] != (byte)'{')
        {
            // Not even the start of a safetensors file (8-byte length, then the JSON header's "{"): say what it looks like.
            if (magic.Length >= 2 && magic[0] == 0x80 && magic[1] is >= 2 and <= 5)
                throw new WeightsFormatException(path, "not a supported PyTorch checkpoint (a bare pickle: torch.save's legacy format before PyTorch 1.6; re-save it with a current torch.save, which writes a zip)", ex);
            throw new WeightsFormatException(path, $"not a safetensors file ({ex.Cause}) nor a PyTorch checkpoint (no zip signature)", ex);
        }
    }
}
