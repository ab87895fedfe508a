using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace FastLaDeDa.Tests.Support;

/// <summary>
/// Writes pickle opcodes one by one, so tests can build both what <c>torch.save</c> produces and
/// hostile variants of it, without Python.
/// </summary>
internal sealed class TestPickleWriter
{
    private readonly MemoryStream _out = new();

    /// <summary>Appends raw bytes (an opcode and its operands written by hand).</summary>
    public TestPickleWriter Raw(params byte[] bytes) { _out.Write(bytes); return this; }

    /// <summary>PROTO.</summary>
    public TestPickleWriter Proto(byte version = 2) => Raw(0x80, version);
    /// <summary>MARK.</summary>
    public TestPickleWriter Mark() => Raw((byte)'(');
    /// <summary>EMPTY_DICT.</summary>
    public TestPickleWriter EmptyDict() => Raw((byte)'}');
    /// <summary>EMPTY_LIST.</summary>
    public TestPickleWriter EmptyList() => Raw((byte)']');
    /// <summary>EMPTY_TUPLE.</summary>
    public TestPickleWriter EmptyTuple() => Raw((byte)')');
    /// <summary>TUPLE (items since the last MARK).</summary>
    public TestPickleWriter Tuple() => Raw((byte)'t');
    /// <summary>TUPLE1.</summary>
    public TestPickleWriter Tuple1() => Raw(0x85);
    /// <summary>NEWFALSE.</summary>
    public TestPickleWriter False() => Raw(0x89);
    /// <summary>NONE.</summary>
    public TestPickleWriter None() => Raw((byte)'N');
    /// <summary>REDUCE.</summary>
    public TestPickleWriter Reduce() => Raw((byte)'R');
    /// <summary>BUILD.</summary>
    public TestPickleWriter Build() => Raw((byte)'b');
    /// <summary>BINPERSID.</summary>
    public TestPickleWriter BinPersId() => Raw((byte)'Q');
    /// <summary>SETITEM.</summary>
    public TestPickleWriter SetItem() => Raw((byte)'s');
    /// <summary>SETITEMS.</summary>
    public TestPickleWriter SetItems() => Raw((byte)'u');
    /// <summary>APPEND.</summary>
    public TestPickleWriter Append() => Raw((byte)'a');
    /// <summary>STOP.</summary>
    public TestPickleWriter Stop() => Raw((byte)'.');
    /// <summary>BINPUT.</summary>
    public TestPickleWriter Put(byte slot) => Raw((byte)'q', slot);
    /// <summary>BINGET.</summary>
    public TestPickleWriter Get(byte slot) => Raw((byte)'h', slot);

    /// <summary>BINUNICODE.</summary>
    public TestPickleWriter Str(string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        Raw((byte)'X');
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
        _out.Write(length);
        return Raw(utf8);
    }

    /// <summary>SHORT_BINUNICODE (a protocol 4 string).</summary>
    public TestPickleWriter ShortStr(string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        return Raw(0x8c, (byte)utf8.Length).Raw(utf8);
    }

    /// <summary>The smallest integer opcode that holds <paramref name="value"/>, as pickle does.</summary>
    public TestPickleWriter Int(long value)
    {
        if (value is >= 0 and <= byte.MaxValue) return Raw((byte)'K', (byte)value);
        if (value is >= 0 and <= ushort.MaxValue) return Raw((byte)'M', (byte)value, (byte)(value >> 8));
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        if (value is >= int.MinValue and <= int.MaxValue) return Raw((byte)'J').Raw(bytes[..4]);
        return Raw(0x8a, 8).Raw(bytes); // LONG1
    }

    /// <summary>GLOBAL module.name.</summary>
    public TestPickleWriter Global(string module, string name) => Raw((byte)'c').Raw(Encoding.UTF8.GetBytes($"{module}\n{name}\n"));

    /// <summary>The pickle so far.</summary>
    public byte[] ToArray() => _out.ToArray();
}

/// <summary>One tensor of a synthetic checkpoint: a view (offset, size, stride) of storage <c>data/Key</c>.</summary>
internal sealed record TestTensor(string Name, string StorageType, string Key, long StorageElements, long Offset, long[] Size, long[] Stride);

/// <summary>Builds synthetic <c>.pth</c> files laid out exactly as <c>torch.save</c> lays them out.</summary>
internal static class TestCheckpoint
{
    /// <summary>
    /// The data.pkl of <c>torch.save(state_dict)</c> (protocol 2): a dict (or an OrderedDict with
    /// its <c>_metadata</c> BUILD) of name → <c>_rebuild_tensor_v2(...)</c>, memoising globals as torch does.
    /// </summary>
    public static byte[] StateDictPickle(IEnumerable<TestTensor> tensors, bool orderedDict = false)
    {
        var p = new TestPickleWriter().Proto();
        if (orderedDict) p.Global("collections", "OrderedDict").Put(0).EmptyTuple().Reduce();
        else p.EmptyDict();
        p.Mark();
        bool first = true;
        foreach (TestTensor t in tensors)
        {
            p.Str(t.Name);
            if (first) p.Global("torch._utils", "_rebuild_tensor_v2").Put(1); else p.Get(1);
            p.Mark().Mark().Str("storage").Global("torch", t.StorageType).Str(t.Key).Str("cpu").Int(t.StorageElements).Tuple().BinPersId();
            p.Int(t.Offset).Mark();
            foreach (long s in t.Size) p.Int(s);
            p.Tuple().Mark();
            foreach (long s in t.Stride) p.Int(s);
            p.Tuple().False();
            if (first) p.Global("collections", "OrderedDict").Put(2); else p.Get(2);
            p.EmptyTuple().Reduce().Tuple().Reduce();
            first = false;
        }
        p.SetItems();
        if (orderedDict)
        {
            // state = {'_metadata': OrderedDict({'': {'version': 1}})}
            p.EmptyDict().Str("_metadata").Get(0).EmptyTuple().Reduce()
             .Str("").EmptyDict().Str("version").Int(1).SetItem().SetItem().SetItem().Build();
        }
        return p.Stop().ToArray();
    }

    /// <summary>A checkpoint zip: <c>FOLDER/data.pkl</c>, <c>byteorder</c>, <c>version</c> and <c>data/KEY</c> for each storage.</summary>
    public static byte[] Zip(byte[] pickle, IReadOnlyDictionary<string, byte[]> storages, string folder = "archive",
                             string? byteOrder = "little", CompressionLevel compression = CompressionLevel.NoCompression,
                             IReadOnlyDictionary<string, byte[]>? extraEntries = null)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, byte[] content)
            {
                using Stream s = zip.CreateEntry(name, compression).Open();
                s.Write(content);
            }
            Add($"{folder}/data.pkl", pickle);
            if (byteOrder is not null) Add($"{folder}/byteorder", Encoding.ASCII.GetBytes(byteOrder));
            foreach (var (key, bytes) in storages) Add($"{folder}/data/{key}", bytes);
            Add($"{folder}/version", "3\n"u8.ToArray());
            foreach (var (name, bytes) in extraEntries ?? new Dictionary<string, byte[]>()) Add(name, bytes);
        }
        return buffer.ToArray();
    }

    /// <summary>Little-endian float32 bytes.</summary>
    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    /// <summary>0, 1, 2, ... as little-endian float32 bytes.</summary>
    public static byte[] Iota(int count) => Floats([.. Enumerable.Range(0, count).Select(i => (float)i)]);

    /// <summary>A contiguous float tensor over a whole storage.</summary>
    public static TestTensor Contiguous(string name, string key, params long[] size)
    {
        var stride = new long[size.Length];
        long step = 1;
        for (int i = size.Length - 1; i >= 0; i--) { stride[i] = step; step *= size[i]; }
        return new TestTensor(name, "FloatStorage", key, step, 0, size, stride);
    }
}
