using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace FastLaDeDa.Imaging.Jpeg;

/// <summary>
/// Reads the bits of one entropy-coded segment the way libjpeg's Huffman decoder does
/// (<c>jdhuff.c</c>: a 64-bit buffer refilled to at least 57 bits whenever a request needs more
/// than it holds, an 8-bit lookahead for short codes, zero bits past the end of the segment).
/// </summary>
/// <remarks>
/// The refill points matter for one thing only: a segment that runs into the end of the file
/// (no marker after it). Pillow feeds libjpeg a suspending source, so the first refill that needs
/// a byte past the end of the file stops decoding and Pillow reports the image as truncated; this
/// reader throws at exactly that refill. Everywhere else zero bits are returned past the data, as
/// libjpeg does after a marker, and <see cref="PastEnd"/> tells whether any of them was consumed
/// (libjpeg's <c>insufficient_data</c>).
/// </remarks>
internal struct JpegBitReader
{
    private const int MinimumAfterFill = 57; // libjpeg's MIN_GET_BITS for a 64-bit buffer

    private byte[] _data;
    private int _length;
    private int _position;
    private ulong _buffer;
    private int _bitsLeft;
    private bool _endsAtEndOfFile;
    private string? _source;

    /// <summary>Starts reading <paramref name="segment"/> from its first bit.</summary>
    public void Reset(JpegEntropySegment segment, string? source)
    {
        _data = segment.Buffer;
        _length = segment.Length;
        _position = 0;
        _buffer = 0;
        _bitsLeft = 0;
        _endsAtEndOfFile = segment.Marker == JpegEntropySegment.EndOfFile;
        _source = source;
    }

    /// <summary>True once a bit past the segment's data has been consumed.</summary>
    public readonly bool PastEnd => (long)_position * 8 - _bitsLeft > (long)_length * 8;

    /// <summary>Discards the bits left in the buffer (at a restart marker).</summary>
    public void DiscardBuffered() => _bitsLeft = 0;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Fill()
    {
        int bytes = (64 - _bitsLeft) >> 3;
        if (_position + bytes > _length && _endsAtEndOfFile)
            throw new ImageDecodeException(_source, "truncated JPEG (the image data ends before the end of the file)");
        // The data is followed by Padding zero bytes; further out only zero bits remain.
        ulong word = _position + 8 <= _length + JpegEntropySegment.Padding
            ? BinaryPrimitives.ReadUInt64BigEndian(_data.AsSpan(_position))
            : 0;
        _buffer = bytes == 8 ? word : (_buffer << (bytes * 8)) | (word >> (64 - bytes * 8));
        _bitsLeft += bytes * 8;
        _position += bytes;
    }

    /// <summary>The next <paramref name="count"/> (1–16) bits as an unsigned number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetBits(int count)
    {
        if (_bitsLeft < count) Fill();
        _bitsLeft -= count;
        return (int)(_buffer >> _bitsLeft) & ((1 << count) - 1);
    }

    /// <summary>The next bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetBit()
    {
        if (_bitsLeft < 1) Fill();
        _bitsLeft--;
        return (int)(_buffer >> _bitsLeft) & 1;
    }

    /// <summary>Skips <paramref name="count"/> (1–16) bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Skip(int count)
    {
        if (_bitsLeft < count) Fill();
        _bitsLeft -= count;
    }

    /// <summary>The next <paramref name="size"/> bits as a signed magnitude category value (ITU T.81 F.2.2.1 EXTEND).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReceiveExtend(int size)
    {
        int value = GetBits(size);
        return value < 1 << (size - 1) ? value + (-1 << size) + 1 : value;
    }

    /// <summary>Decodes one Huffman symbol (libjpeg's HUFF_DECODE: 8-bit lookahead, then bit by bit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int DecodeHuffman(JpegHuffmanTable table)
    {
        if (_bitsLeft < JpegHuffmanTable.LookaheadBits) Fill();
        int entry = table.Lookup[(int)(_buffer >> (_bitsLeft - JpegHuffmanTable.LookaheadBits)) & 0xFF];
        int length = entry >> JpegHuffmanTable.LookaheadBits;
        if (length <= JpegHuffmanTable.LookaheadBits)
        {
            _bitsLeft -= length;
            return entry & 0xFF;
        }
        return DecodeLongCode(table);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int DecodeLongCode(JpegHuffmanTable table)
    {
        int length = JpegHuffmanTable.LookaheadBits + 1;
        int code = GetBits(length);
        int[] maxCode = table.MaxCode;
        while (code > maxCode[length])
        {
            code = (code << 1) | GetBit();
            length++;
        }
        // A garbage code reaches the sentinel at length 17; libjpeg then returns 0.
        return length > 16 ? 0 : table.Symbols[(code + table.ValueOffset[length]) & 0xFF];
    }
}
