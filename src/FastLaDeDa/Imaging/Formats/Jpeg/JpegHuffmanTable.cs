using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Jpeg;

/// <summary>
/// A Huffman table in the decoding form of ITU T.81 Annex F (MAXCODE / VALPTR), plus an 8-bit
/// lookahead table for the common short codes. Built and validated exactly as libjpeg's
/// <c>jpeg_make_d_derived_tbl</c> does, so the same tables are accepted and the same symbols
/// come out of every bit pattern, corrupt ones included.
/// </summary>
internal sealed class JpegHuffmanTable
{
    /// <summary>Bits of lookahead: codes up to this long decode with one table access.</summary>
    public const int LookaheadBits = 8;

    /// <summary>A lookahead entry for codes longer than <see cref="LookaheadBits"/>.</summary>
    public const int TooLong = (LookaheadBits + 1) << LookaheadBits;

    /// <summary>Bits indexing <see cref="FastAc"/>.</summary>
    public const int FastBits = 10;

    /// <summary>A <see cref="FastAc"/> flag: the code is EOB or ZRL (no value bits follow).</summary>
    public const int FastZeroSize = 0x80;

    private JpegHuffmanTable(int[] maxCode, int[] valueOffset, byte[] symbols, int[] lookup, int[] fastAc)
    {
        MaxCode = maxCode;
        ValueOffset = valueOffset;
        Symbols = symbols;
        Lookup = lookup;
        FastAc = fastAc;
    }

    /// <summary>Largest code of each length 1..16 (−1: none); entry 17 is a sentinel that ends any search.</summary>
    public int[] MaxCode { get; }

    /// <summary>Per length, the index in <see cref="Symbols"/> of the first code of that length minus that code.</summary>
    public int[] ValueOffset { get; }

    /// <summary>The 256 symbol slots (zero past the defined symbols, as libjpeg's table is).</summary>
    public byte[] Symbols { get; }

    /// <summary>Indexed by the next 8 bits: <c>(code length &lt;&lt; 8) | symbol</c>, or <see cref="TooLong"/>.</summary>
    public int[] Lookup { get; }

    /// <summary>
    /// For AC decoding, indexed by the next <see cref="FastBits"/> bits: a whole run/value pair
    /// when the code and its value bits fit — <c>(value &lt;&lt; 16) | (run &lt;&lt; 8) | bits used</c>;
    /// for EOB/ZRL codes <c>(run &lt;&lt; 8) | FastZeroSize | code length</c>; 0 when they do not fit.
    /// </summary>
    public int[] FastAc { get; }

    /// <summary>
    /// The symbol of a code longer than the lookahead, read bit by bit: <paramref name="code"/> of
    /// <paramref name="length"/> bits once <c>code ≤ MaxCode[length]</c>. A garbage code reaches the
    /// sentinel at length 17, for which libjpeg returns 0.
    /// </summary>
    public int SymbolOfLongCode(int code, int length) =>
        length > 16 ? 0 : Symbols[(code + ValueOffset[length]) & 0xFF];

    /// <summary>
    /// Builds the table from a DHT definition: <paramref name="counts"/>[1..16] codes per length and
    /// the symbols in code order. Throws when the counts do not form a valid prefix code, or (DC
    /// tables) a symbol is above 15, as libjpeg does (<c>JERR_BAD_HUFF_TABLE</c>).
    /// </summary>
    public static JpegHuffmanTable Build(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> symbolList, bool isDc, string? source)
    {
        // Code lengths in symbol order (Figure C.1).
        Span<byte> lengths = stackalloc byte[257];
        int symbolCount = 0;
        for (int length = 1; length <= 16; length++)
        {
            int n = counts[length];
            if (symbolCount + n > 256) throw BadTable(source);
            for (int i = 0; i < n; i++) lengths[symbolCount++] = (byte)length;
        }
        lengths[symbolCount] = 0;

        // Canonical codes (Figure C.2); a length whose codes overflow it is not a prefix code.
        Span<int> codes = stackalloc int[257];
        int code = 0, p = 0, size = lengths[0];
        while (lengths[p] != 0)
        {
            while (lengths[p] == size)
            {
                codes[p++] = code;
                code++;
            }
            if (code >= 1 << size) throw BadTable(source);
            code <<= 1;
            size++;
        }

        // Decoding tables (Figure F.15).
        var maxCode = new int[18];
        var valueOffset = new int[18];
        p = 0;
        for (int length = 1; length <= 16; length++)
        {
            if (counts[length] != 0)
            {
                valueOffset[length] = p - codes[p];
                p += counts[length];
                maxCode[length] = codes[p - 1];
            }
            else
            {
                maxCode[length] = -1;
            }
        }
        maxCode[17] = 0xFFFFF; // ends the bit-by-bit search of a garbage code
        valueOffset[17] = 0;

        var symbols = new byte[256];
        symbolList[..symbolCount].CopyTo(symbols);

        var lookup = new int[1 << LookaheadBits];
        lookup.AsSpan().Fill(TooLong);
        p = 0;
        for (int length = 1; length <= LookaheadBits; length++)
        {
            for (int i = 0; i < counts[length]; i++, p++)
            {
                int first = codes[p] << (LookaheadBits - length);
                int entry = (length << LookaheadBits) | symbols[p];
                lookup.AsSpan(first, 1 << (LookaheadBits - length)).Fill(entry);
            }
        }

        if (isDc)
            for (int i = 0; i < symbolCount; i++)
                if (symbols[i] > 15) throw BadTable(source);
        return new JpegHuffmanTable(maxCode, valueOffset, symbols, lookup, BuildFastAc(counts, codes, symbols));
    }

    private static int[] BuildFastAc(ReadOnlySpan<byte> counts, ReadOnlySpan<int> codes, byte[] symbols)
    {
        var fast = new int[1 << FastBits];
        int p = 0;
        for (int length = 1; length <= FastBits; length++)
        {
            for (int i = 0; i < counts[length]; i++, p++)
            {
                int symbol = symbols[p], run = symbol >> 4, size = symbol & 15;
                int first = codes[p] << (FastBits - length);
                for (int suffix = 0; suffix < 1 << (FastBits - length); suffix++)
                {
                    if (size == 0)
                        fast[first + suffix] = (run << 8) | FastZeroSize | length;
                    else if (length + size <= FastBits)
                    {
                        int bits = suffix >> (FastBits - length - size);
                        fast[first + suffix] = (JpegBitReader.Extend(bits, size) << 16) | (run << 8) | (length + size);
                    }
                }
            }
        }
        return fast;
    }

    private static ImageDecodeException BadTable(string? source) => new(source, "corrupt JPEG: bogus Huffman table definition");
}
