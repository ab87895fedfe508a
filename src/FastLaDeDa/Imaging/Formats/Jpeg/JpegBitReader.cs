using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Jpeg;

/// <summary>
/// Reads the bits of one entropy-coded segment the way libjpeg's Huffman decoder does
/// (<c>jdhuff.c</c>: a 64-bit buffer refilled to at least 57 bits whenever a request needs more
/// than it holds, an 8-bit lookahead for short codes, zero bits past the end of the segment).
/// </summary>
/// <remarks>
/// <para>The refill points matter for one thing only: a segment that runs into the end of the file
/// (no marker after it). Pillow feeds libjpeg a suspending source, so the first refill that needs
/// a byte past the end of the file stops decoding and Pillow reports the image as truncated; this
/// reader throws at exactly that refill. Everywhere else zero bits are returned past the data, as
/// libjpeg does after a marker, and <see cref="PastEnd"/> tells whether any of them was consumed
/// (libjpeg's <c>insufficient_data</c>).</para>
/// <para>The buffer is left-aligned: the next bit is bit 63. Bits below the <see cref="BitsLeft"/>
/// counted ones are always the true following bits or zero, so any refill may OR the next eight
/// bytes in (the fast decoder in <c>JpegDecoder.FastHuffman.cs</c> refills its own way on the same state).</para>
/// </remarks>
internal struct JpegBitReader
{

    /// <summary>The segment's bytes (unstuffed, followed by zero padding).</summary>
    public byte[] Data;

    /// <summary>Number of data bytes in <see cref="Data"/>.</summary>
    public int Length;

    /// <summary>The next byte to load.</summary>
    public int Position;

    /// <summary>Buffered bits, left-aligned.</summary>
    public ulong Buffer;

    /// <summary>Number of valid bits in <see cref="Buffer"/>.</summary>
    public int BitsLeft;

    /// <summary>True when the data stops at the end of the file rather than at a marker: refills must then follow libjpeg's pattern.</summary>
    public bool EndsAtEndOfFile;

    private string? _source;

    /// <summary>Starts reading <paramref name="segment"/> from its first bit.</summary>
    public void Reset(JpegEntropySegment segment, string? source)
    {
        Data = segment.Buffer;
        Length = segment.Length;
        Position = 0;
        Buffer = 0;
        BitsLeft = 0;
        EndsAtEndOfFile = segment.Marker == JpegEntropySegment.EndOfFile;
        _source = source;
    }

    /// <summary>True once a bit past the segment's data has been consumed.</summary>
    public readonly bool PastEnd => (long)Position * 8 - BitsLeft > (long)Length * 8;

    /// <summary>Discards the bits left in the buffer (at a restart marker).</summary>
    public void DiscardBuffered()
    {
        Buffer = 0;
        BitsLeft = 0;
    }

    /// <summary>The eight bytes at <paramref name="position"/> as a big-endian word (zero past the padding, where only zero bytes remain).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Word(byte[] data, int length, int position) =>
        position <= length + JpegEntropySegment.Padding - 8
            ? BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(position, 8))
            : 0;

    /// <summary>libjpeg's refill: whole bytes until at least 57 bits are buffered.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Fill()
    {
        int bytes = (64 - BitsLeft) >> 3;
        if (Position + bytes > Length && EndsAtEndOfFile)
            throw new ImageDecodeException(_source, JpegDecoder.TruncatedCause);
        Buffer |= Word(Data, Length, Position) >> BitsLeft;
        BitsLeft += bytes * 8;
        Position += bytes;
    }

    /// <summary>The next <paramref name="count"/> (1–16) bits as an unsigned number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetBits(int count)
    {
        if (BitsLeft < count) Fill();
        int value = (int)(Buffer >> (64 - count));
        Buffer <<= count;
        BitsLeft -= count;
        return value;
    }

    /// <summary>The next bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetBit() => GetBits(1);

    /// <summary>The next <paramref name="size"/> bits as a signed magnitude category value (ITU T.81 F.2.2.1 EXTEND).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReceiveExtend(int size) => Extend(GetBits(size), size);

    /// <summary>EXTEND: a <paramref name="size"/>-bit magnitude code to its signed value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Extend(int value, int size) => value < 1 << (size - 1) ? value + (-1 << size) + 1 : value;

    /// <summary>Decodes one Huffman symbol (libjpeg's HUFF_DECODE: 8-bit lookahead, then bit by bit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int DecodeHuffman(JpegHuffmanTable table)
    {
        if (BitsLeft < JpegHuffmanTable.LookaheadBits) Fill();
        int entry = table.Lookup[(int)(Buffer >> (64 - JpegHuffmanTable.LookaheadBits))];
        int length = entry >> JpegHuffmanTable.LookaheadBits;
        if (length <= JpegHuffmanTable.LookaheadBits)
        {
            Buffer <<= length;
            BitsLeft -= length;
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
        return table.SymbolOfLongCode(code, length);
    }
}
