using System.Runtime.CompilerServices;

namespace FastLaDeDa.Imaging.Formats.Jpeg;

/// <summary>
/// A local copy of a <see cref="JpegBitReader"/>'s state for the hot decoding loops: held in a
/// local variable (its fields then live in registers), refilled eight bytes at a time whenever a
/// request might need more than 32 bits, zero bits past the data. Only for segments ending at a
/// marker (or scans that fail anyway when the file ends): it does not reproduce libjpeg's refill
/// points, which decide whether a single-scan image cut at the end of its data is truncated.
/// </summary>
internal struct JpegFastBits
{
    private readonly byte[] _data;
    private readonly int _length;
    private int _position;
    private ulong _buffer;
    private int _bits;

    /// <summary>Takes over the reader's position.</summary>
    public JpegFastBits(in JpegBitReader reader)
    {
        _data = reader.Data;
        _length = reader.Length;
        _position = reader.Position;
        _buffer = reader.Buffer;
        _bits = reader.BitsLeft;
    }

    /// <summary>Hands the position back to the reader.</summary>
    public readonly void SaveTo(ref JpegBitReader reader)
    {
        reader.Position = _position;
        reader.Buffer = _buffer;
        reader.BitsLeft = _bits;
    }

    /// <summary>Makes sure at least 32 bits are buffered (a code and its value bits need at most 32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Ensure32()
    {
        if (_bits < 32)
        {
            _buffer |= JpegBitReader.Word(_data, _length, _position) >> _bits;
            _position += (63 - _bits) >> 3;
            _bits |= 56;
        }
    }

    /// <summary>The next <paramref name="count"/> bits without consuming them (after <see cref="Ensure32"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int Peek(int count) => (int)(_buffer >> (64 - count));

    /// <summary>Consumes <paramref name="count"/> bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Drop(int count)
    {
        _buffer <<= count;
        _bits -= count;
    }

    /// <summary>The next <paramref name="count"/> (1–16) bits (after <see cref="Ensure32"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Take(int count)
    {
        int value = (int)(_buffer >> (64 - count));
        _buffer <<= count;
        _bits -= count;
        return value;
    }

    /// <summary>One bit, refilling first if needed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Bit()
    {
        Ensure32();
        return Take(1);
    }

    /// <summary>One Huffman symbol (after <see cref="Ensure32"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Symbol(JpegHuffmanTable table)
    {
        int entry = table.Lookup[Peek(JpegHuffmanTable.LookaheadBits)];
        int length = entry >> JpegHuffmanTable.LookaheadBits;
        if (length <= JpegHuffmanTable.LookaheadBits)
        {
            Drop(length);
            return entry & 0xFF;
        }
        return LongSymbol(table);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int LongSymbol(JpegHuffmanTable table)
    {
        int length = JpegHuffmanTable.LookaheadBits + 1;
        int code = Take(length);
        int[] maxCode = table.MaxCode;
        while (code > maxCode[length])
        {
            code = (code << 1) | Take(1);
            length++;
        }
        return table.SymbolOfLongCode(code, length);
    }
}
