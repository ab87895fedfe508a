using System.Runtime.CompilerServices;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// Two-level lookup tables for the canonical prefix codes of VP8L (RFC 9649 §3.7.2): a root table
/// indexed by the next <c>rootBits</c> bits of the stream, whose entries either hold a symbol and its
/// code length or point to a second-level table for the longer codes. An entry is one <see cref="uint"/>:
/// the bit count in the low byte, the symbol (or the second-level table's offset from the root) in
/// the high 16 bits.
/// </summary>
/// <remarks>
/// Which code lengths are accepted is libwebp's rule: at least one non-zero length; a single used
/// symbol is a zero-bit code whatever its length; otherwise the lengths must form a complete code
/// (Kraft sum exactly 1).
/// </remarks>
internal static class Vp8LHuffmanTable
{
    /// <summary>Root bits of the tables used for pixel data.</summary>
    public const int RootBits = 8;

    /// <summary>Longest code length the format allows.</summary>
    public const int MaxCodeLength = 15;

    /// <summary>
    /// An upper bound on the entries <see cref="Build"/> writes with 8 root bits, whatever the alphabet
    /// (at most 2328 symbols): 2704 is the largest table a complete code of that many symbols can need
    /// (computed with zlib's <c>enough</c> tool), rounded up.
    /// </summary>
    public const int MaxTableSize = 4096;

    /// <summary>Packs a table entry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Entry(int bits, int value) => ((uint)value << 16) | (uint)bits;

    /// <summary>
    /// Checks <paramref name="codeLengths"/> and, when they form a valid code, writes its lookup table to
    /// <paramref name="table"/> (at least <see cref="MaxTableSize"/> entries for 8 root bits, or
    /// <c>1 &lt;&lt; rootBits</c> when no length exceeds <paramref name="rootBits"/>). Returns the
    /// number of entries written, or 0 when the lengths are not a valid code. An empty
    /// <paramref name="table"/> only validates (returns 1 for a valid code).
    /// </summary>
    public static int Build(ReadOnlySpan<int> codeLengths, int rootBits, Span<uint> table)
    {
        Span<int> countPerLength = stackalloc int[MaxCodeLength + 1];
        foreach (int length in codeLengths)
        {
            if ((uint)length > MaxCodeLength) return 0;
            countPerLength[length]++;
        }
        int usedSymbols = codeLengths.Length - countPerLength[0];
        if (usedSymbols == 0) return 0;

        int rootSize = 1 << rootBits;
        if (usedSymbols == 1)
        {
            // A lone symbol is read with zero bits, whatever length the stream gave it.
            if (table.IsEmpty) return 1;
            int symbol = codeLengths.IndexOfAnyExcept(0);
            table[..rootSize].Fill(Entry(0, symbol));
            return rootSize;
        }

        // Complete code: no length over-subscribed, no branch left open.
        int open = 1;
        for (int length = 1; length <= MaxCodeLength; length++)
        {
            open = (open << 1) - countPerLength[length];
            if (open < 0) return 0;
        }
        if (open != 0) return 0;
        if (table.IsEmpty) return 1;

        return Fill(codeLengths, rootBits, countPerLength, table);
    }

    /// <summary>Writes the table of a complete code; returns its size.</summary>
    private static int Fill(ReadOnlySpan<int> codeLengths, int rootBits, Span<int> remainingPerLength, Span<uint> table)
    {
        // Symbols sorted by (length, symbol): the canonical code order.
        Span<int> firstOfLength = stackalloc int[MaxCodeLength + 2];
        for (int length = 1; length <= MaxCodeLength; length++)
            firstOfLength[length + 1] = firstOfLength[length] + remainingPerLength[length];
        Span<ushort> sorted = stackalloc ushort[codeLengths.Length];
        for (int symbol = 0; symbol < codeLengths.Length; symbol++)
        {
            int length = codeLengths[symbol];
            if (length > 0) sorted[firstOfLength[length]++] = (ushort)symbol;
        }
        int usedSymbols = firstOfLength[MaxCodeLength + 1];

        int rootSize = 1 << rootBits;
        int rootMask = rootSize - 1;
        int tableEnd = rootSize;
        int currentPrefix = -1;
        int subTableStart = 0;
        int subTableSize = 0;
        int code = 0;
        int codeLength = codeLengths[sorted[0]];
        for (int i = 0; i < usedSymbols; i++)
        {
            int symbol = sorted[i];
            int length = codeLengths[symbol];
            code <<= length - codeLength;
            codeLength = length;
            int reversed = ReverseBits(code, length);
            if (length <= rootBits)
            {
                for (int index = reversed; index < rootSize; index += 1 << length)
                    table[index] = Entry(length, symbol);
            }
            else
            {
                int prefix = reversed & rootMask;
                if (prefix != currentPrefix)
                {
                    // A new second-level table, wide enough for every remaining code under this prefix.
                    int subBits = SecondLevelBits(remainingPerLength, length, rootBits);
                    currentPrefix = prefix;
                    subTableStart = tableEnd;
                    subTableSize = 1 << subBits;
                    tableEnd += subTableSize;
                    table[prefix] = Entry(subBits + rootBits, subTableStart);
                }
                int step = 1 << (length - rootBits);
                for (int index = reversed >> rootBits; index < subTableSize; index += step)
                    table[subTableStart + index] = Entry(length - rootBits, symbol);
            }
            remainingPerLength[length]--;
            code++;
        }
        return tableEnd;
    }

    /// <summary>Bits of the second-level table that starts with a code of <paramref name="length"/> bits.</summary>
    private static int SecondLevelBits(ReadOnlySpan<int> remainingPerLength, int length, int rootBits)
    {
        int left = 1 << (length - rootBits);
        while (length < MaxCodeLength)
        {
            left -= remainingPerLength[length];
            if (left <= 0) break;
            length++;
            left <<= 1;
        }
        return length - rootBits;
    }

    private static int ReverseBits(int value, int count)
    {
        int reversed = 0;
        for (int i = 0; i < count; i++)
        {
            reversed = (reversed << 1) | (value & 1);
            value >>= 1;
        }
        return reversed;
    }

    /// <summary>
    /// Decodes one symbol with the 8-root-bit table that starts at <paramref name="table"/>; the window
    /// must have been filled. No bounds checks: every index stays inside the table by construction
    /// (a complete code fills its root and each second-level table entirely).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ReadSymbol(ref uint table, ref Vp8LBitReader reader)
    {
        uint bits = reader.PeekBits;
        uint entry = Unsafe.Add(ref table, (int)(bits & ((1u << RootBits) - 1)));
        int length = (int)(entry & 0xFF);
        if (length > RootBits)
        {
            reader.Skip(RootBits);
            int subBits = length - RootBits;
            entry = Unsafe.Add(ref table, (int)(entry >> 16) + (int)((bits >> RootBits) & ((1u << subBits) - 1)));
            length = (int)(entry & 0xFF);
        }
        reader.Skip(length);
        return (int)(entry >> 16);
    }
}
