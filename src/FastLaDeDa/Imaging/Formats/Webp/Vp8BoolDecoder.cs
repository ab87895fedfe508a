using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// VP8's boolean entropy decoder (RFC 6386 section 7) over one partition, reading the same bits
/// as libwebp 1.2.4's <c>VP8BitReader</c>: the range is kept minus one in [127, 254], the value
/// is refilled 56 bits (7 bytes) at a time while 8 bytes remain, then byte by byte.
/// Reading past the end appends 8 zero bits once and raises <see cref="Eof"/>; libwebp fails the
/// decode when it sees that flag after a header, a row of modes or a macroblock, and so do we.
/// A value type: the decoder keeps one per partition and hot loops work on a local copy.
/// </summary>
internal struct Vp8BoolDecoder
{
    private const int BulkBits = 56;

    private readonly byte[] _buffer;
    private readonly int _end;
    // Bulk reads (8 bytes, 7 used) are allowed while _position < _bulkEnd, i.e. _position + 8 <= _end.
    private readonly int _bulkEnd;
    private int _position;
    private ulong _value;
    private uint _range;
    private int _bits;
    private bool _eof;

    /// <summary>Starts decoding <paramref name="length"/> bytes of <paramref name="buffer"/> at <paramref name="start"/>.</summary>
    public Vp8BoolDecoder(byte[] buffer, int start, int length)
    {
        _buffer = buffer;
        _position = start;
        _end = start + length;
        _bulkEnd = length >= sizeof(ulong) ? _end - sizeof(ulong) + 1 : start;
        _range = 255 - 1;
        _value = 0;
        _bits = -8;
        _eof = false;
        LoadNewBytes();
    }

    /// <summary>True once a bit beyond the partition's end was needed.</summary>
    public readonly bool Eof => _eof;

    /// <summary>Reads one bit whose probability of being 0 is <paramref name="probability"/>/256.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetBit(int probability)
    {
        uint range = _range;
        if (_bits < 0) LoadNewBytes();
        int position = _bits;
        uint split = (range * (uint)probability) >> 8;
        uint value = (uint)(_value >> position);
        int bit;
        if (value > split)
        {
            range -= split;
            _value -= (ulong)(split + 1) << position;
            bit = 1;
        }
        else
        {
            range = split + 1;
            bit = 0;
        }
        // Renormalize so the range is back in [128, 255] (stored minus one).
        int shift = BitOperations.LeadingZeroCount(range) - 24;
        range <<= shift;
        _bits -= shift;
        _range = range - 1;
        return bit;
    }

    /// <summary>Reads a sign bit (probability 1/2) and returns <paramref name="magnitude"/> with that sign.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetSigned(int magnitude)
    {
        if (_bits < 0) LoadNewBytes();
        int position = _bits;
        uint split = _range >> 1;
        uint value = (uint)(_value >> position);
        // -1 when the bit is 1: a branch-free GetBit(128), whose shift is always 1 here.
        int mask = (int)(split - value) >> 31;
        _bits -= 1;
        _range = (uint)((int)_range + mask) | 1;
        _value -= (ulong)((split + 1) & (uint)mask) << position;
        return (magnitude ^ mask) - mask;
    }

    /// <summary>Reads an unsigned <paramref name="bitCount"/>-bit value, most significant bit first.</summary>
    public int GetValue(int bitCount)
    {
        int value = 0;
        while (bitCount-- > 0) value |= GetBit(0x80) << bitCount;
        return value;
    }

    /// <summary>Reads a <paramref name="bitCount"/>-bit magnitude followed by its sign bit.</summary>
    public int GetSignedValue(int bitCount)
    {
        int value = GetValue(bitCount);
        return GetBit(0x80) != 0 ? -value : value;
    }

    /// <summary>Reads a one-bit flag (probability 1/2).</summary>
    public bool GetFlag() => GetBit(0x80) != 0;

    // Not inlined, and by value: the hot callers keep the decoder in a local that must not be
    // address-exposed, so that the JIT can keep its fields in registers between refills.
    private void LoadNewBytes() => this = WithNewBytes(this);

    /// <summary>The decoder after a refill: 7 bytes while 8 remain, then single bytes, then the end-of-data state.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vp8BoolDecoder WithNewBytes(Vp8BoolDecoder decoder)
    {
        if (decoder._position < decoder._bulkEnd)
        {
            ulong bytes = BinaryPrimitives.ReadUInt64BigEndian(decoder._buffer.AsSpan(decoder._position, sizeof(ulong)));
            decoder._position += BulkBits / 8;
            decoder._value = (bytes >> (64 - BulkBits)) | (decoder._value << BulkBits);
            decoder._bits += BulkBits;
            return decoder;
        }
        return WithFinalByte(decoder);
    }

    /// <summary>The decoder after loading one more byte, or its end-of-data state.</summary>
    private static Vp8BoolDecoder WithFinalByte(Vp8BoolDecoder decoder)
    {
        if (decoder._position < decoder._end)
        {
            decoder._bits += 8;
            decoder._value = decoder._buffer[decoder._position++] | (decoder._value << 8);
        }
        else if (!decoder._eof)
        {
            decoder._value <<= 8;
            decoder._bits += 8;
            decoder._eof = true;
        }
        else
        {
            // Past the end for good: keep reading zeros without shifting further (libwebp does the same).
            decoder._bits = 0;
        }
        return decoder;
    }
}
