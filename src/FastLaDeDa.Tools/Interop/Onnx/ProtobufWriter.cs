using System.Text;

namespace FastLaDeDa.Interop.Onnx;

/// <summary>
/// The few protocol-buffer encodings an ONNX file needs (varints, length-delimited fields), so
/// exporting needs no protobuf library. Messages are built bottom-up: a nested message is written
/// into its own writer and embedded as bytes.
/// </summary>
internal sealed class ProtobufWriter
{
    private readonly MemoryStream _buffer = new();

    /// <summary>The encoded message.</summary>
    public byte[] ToArray() => _buffer.ToArray();

    /// <summary>A varint field (int32/int64/enum/bool), wire type 0.</summary>
    public ProtobufWriter Varint(int field, long value)
    {
        Tag(field, 0);
        WriteVarint((ulong)value);
        return this;
    }

    /// <summary>A 32-bit float field, wire type 5.</summary>
    public ProtobufWriter Float(int field, float value)
    {
        Tag(field, 5);
        Span<byte> bytes = stackalloc byte[4];
        BitConverter.TryWriteBytes(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    /// <summary>A length-delimited field (bytes, string, embedded message), wire type 2.</summary>
    public ProtobufWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, 2);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    /// <summary>A UTF-8 string field.</summary>
    public ProtobufWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>An embedded message field (its bytes are copied straight from its buffer: no intermediate array, which for LaDeDa's 54 MB of weights matters).</summary>
    public ProtobufWriter Message(int field, ProtobufWriter message) => Bytes(field, message.Encoded);

    /// <summary>A packed repeated int64 field.</summary>
    public ProtobufWriter PackedInt64(int field, IEnumerable<long> values)
    {
        var packed = new ProtobufWriter();
        foreach (long v in values) packed.WriteVarint((ulong)v);
        return Bytes(field, packed.Encoded);
    }

    /// <summary>The bytes written so far, without a copy.</summary>
    private ReadOnlySpan<byte> Encoded => _buffer.GetBuffer().AsSpan(0, (int)_buffer.Length);

    private void Tag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _buffer.WriteByte((byte)value);
    }
}
