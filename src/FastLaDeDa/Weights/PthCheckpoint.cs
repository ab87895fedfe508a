using System.IO.Compression;
using System.Text;
using FastLaDeDa.Errors;

namespace FastLaDeDa.Weights;

/// <summary>
/// Imports a PyTorch checkpoint (<c>torch.save</c> of a state dict, zip format) without Python.
/// The zip holds one top folder (its name varies from file to file) with <c>data.pkl</c>, the
/// pickle describing each tensor, <c>byteorder</c>, <c>version</c> and the raw storages
/// <c>data/0..N</c>. The pickle is run by <see cref="SafePickleReader"/>, which never executes
/// anything from the file.
/// </summary>
internal static class PthCheckpoint
{
    private const string DataPickle = "data.pkl";

    /// <summary>Reads the checkpoint at <paramref name="path"/>.</summary>
    /// <exception cref="UnsafePickleException">The pickle uses an opcode or global outside the whitelist.</exception>
    /// <exception cref="WeightsFormatException">The content is not a well-formed state-dict checkpoint or exceeds <paramref name="limits"/>.</exception>
    public static StateDict Read(string path, WeightsLimits? limits = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(stream, path, limits);
    }

    /// <summary>Reads a checkpoint held in memory; <paramref name="sourceName"/> is used in error messages.</summary>
    /// <inheritdoc cref="Read(string, WeightsLimits?)" path="/exception"/>
    public static StateDict Read(byte[] data, string? sourceName = null, WeightsLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var stream = new MemoryStream(data, writable: false);
        return Read(stream, sourceName, limits);
    }

    /// <summary>Reads a checkpoint from <paramref name="stream"/> (left open); <paramref name="sourceName"/> is used in error messages.</summary>
    /// <inheritdoc cref="Read(string, WeightsLimits?)" path="/exception"/>
    public static StateDict Read(Stream stream, string? sourceName = null, WeightsLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        limits ??= WeightsLimits.Default;
        Stream seekable = BoundedSeekable(stream, sourceName, limits);
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(seekable, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw new WeightsFormatException(sourceName, $"not a valid zip archive ({ex.Message})", ex);
        }
        using (archive)
        {
            try
            {
                return ReadArchive(archive, sourceName, limits);
            }
            catch (InvalidDataException ex)
            {
                throw new WeightsFormatException(sourceName, $"corrupt zip archive ({ex.Message})", ex);
            }
        }
    }

    private static StateDict ReadArchive(ZipArchive archive, string? source, WeightsLimits limits)
    {
        var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        int entryCount = archive.Entries.Count;
        if (entryCount > limits.MaxZipEntries)
            throw new WeightsFormatException(source, $"the zip has {entryCount} entries, above the limit of {limits.MaxZipEntries}");
        foreach (ZipArchiveEntry entry in archive.Entries)
        {
            // Two entries with one name would let different readers see different files.
            if (!entries.TryAdd(entry.FullName, entry))
                throw new WeightsFormatException(source, $"the zip holds two entries named {DiagnosticText.Quote(entry.FullName)}");
        }

        // The top folder is named after whatever the file was called when saved, so find it by its data.pkl.
        var pickles = entries.Keys.Where(n => n.EndsWith("/" + DataPickle, StringComparison.Ordinal) && n.IndexOf('/') == n.Length - DataPickle.Length - 1).ToList();
        if (pickles.Count == 0)
            throw new WeightsFormatException(source, $"not a PyTorch checkpoint (zip archive without {DataPickle})");
        if (pickles.Count > 1)
            throw new WeightsFormatException(source, $"the zip holds {pickles.Count} {DataPickle} files ({string.Join(", ", pickles.Select(DiagnosticText.Quote))}); a checkpoint has one top folder");
        string folder = pickles[0][..^DataPickle.Length];
        string? stray = entries.Keys.FirstOrDefault(n => !n.StartsWith(folder, StringComparison.Ordinal));
        if (stray is not null)
            throw new WeightsFormatException(source, $"zip entry {DiagnosticText.Quote(stray)} is outside the checkpoint folder {DiagnosticText.Quote(folder)}");

        // Torch before 2.1 wrote no byteorder record and meant the machine's order, i.e. little-endian in practice.
        if (entries.TryGetValue(folder + "byteorder", out ZipArchiveEntry? byteOrderEntry))
        {
            if (byteOrderEntry.Length > 16)
                throw new WeightsFormatException(source, $"{folder}byteorder is {byteOrderEntry.Length} bytes; expected 'little'");
            string byteOrder = Encoding.ASCII.GetString(ReadEntry(byteOrderEntry, byteOrderEntry.Length, source));
            if (byteOrder != "little")
                throw new WeightsFormatException(source, $"{folder}byteorder is {DiagnosticText.Quote(byteOrder)}; only little-endian checkpoints are supported");
        }

        ZipArchiveEntry pickleEntry = entries[pickles[0]];
        if (pickleEntry.Length > limits.MaxPickleBytes)
            throw new WeightsFormatException(source, $"{pickles[0]} is {pickleEntry.Length} bytes, above the limit of {limits.MaxPickleBytes}");
        byte[] pickle = ReadEntry(pickleEntry, pickleEntry.Length, source);

        var storages = new Dictionary<string, (TensorDType DType, long Count, byte[] Bytes)>(StringComparer.Ordinal);
        long storageBytes = 0;
        byte[] LoadStorage(string key, TensorDType dtype, long count)
        {
            string name = folder + "data/" + key;
            if (storages.TryGetValue(key, out var cached))
            {
                if (cached.DType != dtype || cached.Count != count)
                    throw new WeightsFormatException(source, $"storage {DiagnosticText.Quote(key)} is described twice, as {cached.Count} {cached.DType} and as {count} {dtype}");
                return cached.Bytes;
            }
            if (!entries.TryGetValue(name, out ZipArchiveEntry? entry))
                throw new WeightsFormatException(source, $"storage {DiagnosticText.Quote(key)} is missing: no zip entry {DiagnosticText.Quote(name)}");
            int elementSize = TensorData.SizeOf(dtype);
            if (count > limits.TensorByteCap / elementSize)
                throw new WeightsFormatException(source, $"storage {DiagnosticText.Quote(key)} of {count} {dtype} elements is above the limit of {limits.TensorByteCap} bytes");
            long expected = count * elementSize;
            if (entry.Length != expected)
                throw new WeightsFormatException(source, $"{DiagnosticText.Quote(name)} holds {entry.Length} bytes but the pickle declares {count} {dtype} elements ({expected} bytes)");
            // Compressed entries can expand far beyond the file, so bound the total as well.
            if ((storageBytes += expected) > limits.MaxFileBytes)
                throw new WeightsFormatException(source, $"the storages add up to more than {limits.MaxFileBytes} bytes (the file size limit)");
            byte[] bytes = ReadEntry(entry, expected, source);
            storages.Add(key, (dtype, count, bytes));
            return bytes;
        }

        object? root = SafePickleReader.Load(pickle, source, LoadStorage, limits);
        return new StateDict(ExtractStateDict(root, source), sourcePath: source);
    }

    /// <summary>
    /// The tensors of the unpickled object: a dict of name → tensor, or a training checkpoint
    /// whose only state dict sits under <c>state_dict</c> or <c>model</c>.
    /// </summary>
    private static List<KeyValuePair<string, TensorData>> ExtractStateDict(object? root, string? source)
    {
        if (root is not PickleDict dict)
            throw new WeightsFormatException(source, $"the checkpoint holds a {SafePickleReader.Describe(root)}, not a state dict");
        if (TryAsTensorDict(dict, out var tensors, out string? problem)) return tensors;

        var nested = new List<(string Key, List<KeyValuePair<string, TensorData>> Tensors)>();
        foreach (string key in (string[])["state_dict", "model"])
            if (dict.TryGetValue(key, out object? inner) && inner is PickleDict innerDict && TryAsTensorDict(innerDict, out var innerTensors, out _))
                nested.Add((key, innerTensors));
        return nested.Count switch
        {
            1 => nested[0].Tensors,
            0 => throw new WeightsFormatException(source, $"the checkpoint is not a state dict ({problem}) and has no 'state_dict' or 'model' entry holding one"),
            _ => throw new WeightsFormatException(source, "the checkpoint holds state dicts under both 'state_dict' and 'model'; which one is meant is ambiguous"),
        };
    }

    private static bool TryAsTensorDict(PickleDict dict, out List<KeyValuePair<string, TensorData>> tensors, out string? problem)
    {
        tensors = new List<KeyValuePair<string, TensorData>>(dict.Count);
        problem = null;
        foreach (var (key, value) in dict.Items)
        {
            if (key is not string name) { problem = $"key {SafePickleReader.Describe(key)} is not a string"; return false; }
            if (value is not TensorData tensor) { problem = $"{DiagnosticText.Quote(name)} holds a {SafePickleReader.Describe(value)}, not a tensor"; return false; }
            tensors.Add(new(name, tensor));
        }
        return true;
    }

    /// <summary>Reads exactly <paramref name="length"/> bytes of an entry, failing if it holds more or less.</summary>
    private static byte[] ReadEntry(ZipArchiveEntry entry, long length, string? source)
    {
        var bytes = new byte[length];
        try
        {
            using Stream content = entry.Open();
            content.ReadExactly(bytes);
            // Never trust the declared size: a deflated entry could inflate further.
            if (content.ReadByte() != -1)
                throw new WeightsFormatException(source, $"zip entry {DiagnosticText.Quote(entry.FullName)} holds more than its declared {length} bytes");
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or NotSupportedException)
        {
            throw new WeightsFormatException(source, $"zip entry {DiagnosticText.Quote(entry.FullName)} cannot be read ({ex.Message})", ex);
        }
        return bytes;
    }

    /// <summary>
    /// ZipArchive needs a seekable stream and would buffer any other one whole, so the size limit
    /// is enforced before that: by length when seekable, by a bounded copy otherwise.
    /// </summary>
    private static Stream BoundedSeekable(Stream stream, string? source, WeightsLimits limits)
    {
        if (stream.CanSeek)
        {
            long length = stream.Length - stream.Position;
            if (length > limits.MaxFileBytes)
                throw new WeightsFormatException(source, $"input is {length} bytes, above the limit of {limits.MaxFileBytes}");
            if (length == 0) throw new WeightsFormatException(source, "file is empty");
            return stream;
        }
        var copy = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            if (copy.Length + read > limits.MaxFileBytes)
                throw new WeightsFormatException(source, $"input is more than {limits.MaxFileBytes} bytes (the limit)");
            copy.Write(buffer, 0, read);
        }
        if (copy.Length == 0) throw new WeightsFormatException(source, "file is empty");
        copy.Position = 0;
        return copy;
    }
}
