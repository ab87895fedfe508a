using System.Buffers.Binary;
using System.Text.Json;

namespace FastLaDeDa.Tests.Support;

/// <summary>
/// A minimal reader of the golden safetensors file (8-byte little-endian header length, a JSON
/// header mapping names to dtype/shape/data_offsets, then the raw data), enough for the tests.
/// Only U8 and F32 tensors are read. It may be replaced by the library's safetensors reader.
/// </summary>
internal sealed class GoldenFile
{
    private static readonly Lazy<GoldenFile> SharedInstance = new(() => new GoldenFile(Path.Combine(SharedData.RequireRoot(), "golden", "goldens.safetensors")));

    private readonly byte[] _bytes;
    private readonly long _dataStart;
    private readonly Dictionary<string, (string DType, int[] Shape, long Begin, long End)> _tensors = new();

    private GoldenFile(string path)
    {
        _bytes = File.ReadAllBytes(path);
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(_bytes);
        _dataStart = 8 + headerLength;
        using var header = JsonDocument.Parse(_bytes.AsMemory(8, (int)headerLength));
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__") continue;
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets");
            _tensors[entry.Name] = (entry.Value.GetProperty("dtype").GetString()!, shape, offsets[0].GetInt64(), offsets[1].GetInt64());
        }
    }

    /// <summary>The goldens in ../shared; skips the calling test when they are absent.</summary>
    public static GoldenFile Shared
    {
        get
        {
            SharedData.Require("golden", "goldens.safetensors");
            return SharedInstance.Value;
        }
    }

    public bool Contains(string name) => _tensors.ContainsKey(name);

    public int[] Shape(string name) => _tensors[name].Shape;

    public byte[] U8(string name)
    {
        var t = _tensors[name];
        if (t.DType != "U8") throw new InvalidOperationException($"{name} is {t.DType}, not U8");
        return _bytes.AsSpan((int)(_dataStart + t.Begin), (int)(t.End - t.Begin)).ToArray();
    }

    public float[] F32(string name)
    {
        var t = _tensors[name];
        if (t.DType != "F32") throw new InvalidOperationException($"{name} is {t.DType}, not F32");
        var values = new float[(t.End - t.Begin) / 4];
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(_bytes.AsSpan((int)(_dataStart + t.Begin + 4 * i)));
        return values;
    }
}
