using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// One "prefix code group" of a VP8L image (RFC 9649 §3.7.2.2): the five codes for green +
/// backward-reference lengths + color cache indices, red, blue, alpha and distances, with the
/// shortcuts libwebp derives from them (constant literals, and a 6-bit table that yields a whole
/// ARGB literal in one look-up when the four literal codes are short).
/// </summary>
internal struct Vp8LHuffmanGroup
{
    /// <summary>Offsets of the five tables in <see cref="Vp8LHuffmanGroups.Tables"/>.</summary>
    public int Green, Red, Blue, Alpha, Distance;

    /// <summary>Red, blue and alpha (and green when <see cref="IsTrivialCode"/>) of the constant literal.</summary>
    public uint TrivialLiteral;

    /// <summary>Red, blue and alpha codes have a single symbol each (read with zero bits).</summary>
    public bool IsTrivialLiteral;

    /// <summary>Every code has a single symbol and green's is a literal: the pixels need no bits at all.</summary>
    public bool IsTrivialCode;

    /// <summary>Offset of the group's 64-entry packed table in <see cref="Vp8LHuffmanGroups.Packed"/>, or -1.</summary>
    public int PackedTable;
}

/// <summary>An entry of a packed table: a whole literal pixel, or a non-literal green symbol.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Vp8LPackedCode
{
    /// <summary>Marker added to <see cref="Bits"/> when <see cref="Value"/> is a non-literal green symbol.</summary>
    public const int NonLiteral = 0x100;

    /// <summary>Bits consumed (plus <see cref="NonLiteral"/> for a length or cache symbol).</summary>
    public int Bits;

    /// <summary>The ARGB pixel, or the green symbol (≥ 256).</summary>
    public uint Value;
}

/// <summary>
/// The prefix codes of one VP8L image stream: every group's lookup tables in one pooled buffer, the
/// groups, and the entropy image that tells which group codes each tile (RFC 9649 §3.7.2.2).
/// Reads them from the stream with libwebp 1.2.4's validity rules.
/// </summary>
internal sealed class Vp8LHuffmanGroups : IDisposable
{
    /// <summary>Symbols of the green alphabet before the color cache symbols: 256 literals + 24 length prefixes.</summary>
    public const int GreenAlphabetBase = 256 + 24;

    /// <summary>Symbols of the distance alphabet.</summary>
    public const int DistanceAlphabet = 40;

    private const int LiteralAlphabet = 256;
    private const int CodeLengthCodes = 19;
    private const int CodeLengthRootBits = 7;
    private const int PackedBits = 6;
    private const int PackedSize = 1 << PackedBits;

    /// <summary>
    /// Table entries one stream may build (128 MiB). libwebp-encoded files stay far below (at most 2600
    /// groups of a few thousand entries); the cap keeps a hostile stream from claiming gigabytes.
    /// </summary>
    private const int MaxTotalTableEntries = 1 << 25;

    // Order in which the code length code lengths are stored (RFC 9649 §3.7.2.1.2).
    private static ReadOnlySpan<byte> CodeLengthCodeOrder => [17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    private uint[] _tables;
    private int _tableEntries;
    private Vp8LPackedCode[]? _packed;
    private int _packedTables;
    private int[]? _metaImage;

    private Vp8LHuffmanGroups(int groupCount)
    {
        Groups = new Vp8LHuffmanGroup[groupCount];
        _tables = ArrayPool<uint>.Shared.Rent(Vp8LHuffmanTable.MaxTableSize * 5);
    }

    /// <summary>The groups, indexed by the values of the entropy image.</summary>
    public Vp8LHuffmanGroup[] Groups { get; }

    /// <summary>All lookup tables.</summary>
    public ReadOnlySpan<uint> Tables => _tables;

    /// <summary>All packed tables.</summary>
    public ReadOnlySpan<Vp8LPackedCode> Packed => _packed;

    /// <summary>Tile size bits of the entropy image (0 when the whole image uses group 0).</summary>
    public int MetaBits { get; private set; }

    /// <summary>Mask that is zero at the first column of every tile (~0 when there is no entropy image: only column 0).</summary>
    public int MetaMask => MetaBits == 0 ? ~0 : (1 << MetaBits) - 1;

    /// <summary>Index of the group that codes pixel (<paramref name="x"/>, <paramref name="y"/>) of an image <paramref name="width"/> wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GroupIndexAt(int x, int y, int width)
    {
        if (MetaBits == 0) return 0;
        int tilesPerRow = (width + (1 << MetaBits) - 1) >> MetaBits;
        return _metaImage![tilesPerRow * (y >> MetaBits) + (x >> MetaBits)];
    }

    /// <summary>
    /// Reads the codes of <paramref name="codedGroups"/> groups. <paramref name="metaImage"/> (the group of
    /// each tile, already renumbered 0..<paramref name="storedGroups"/>, pooled) is owned by the result,
    /// or returned to the pool when reading fails. <paramref name="mapping"/>, when not empty, maps each
    /// coded group number to its stored index, or to -1 for a group no tile uses, whose codes are
    /// validated and dropped.
    /// </summary>
    public static Vp8LHuffmanGroups Read(ref Vp8LBitReader reader, int codedGroups, ReadOnlySpan<int> mapping, int storedGroups,
        int[]? metaImage, int metaBits, int colorCacheBits, string? source)
    {
        var groups = new Vp8LHuffmanGroups(storedGroups) { _metaImage = metaImage, MetaBits = metaBits };
        try
        {
            groups.ReadAll(ref reader, codedGroups, mapping, colorCacheBits, source);
            return groups;
        }
        catch
        {
            groups.Dispose();
            throw;
        }
    }

    private void ReadAll(ref Vp8LBitReader reader, int codedGroups, ReadOnlySpan<int> mapping, int colorCacheBits, string? source)
    {
        int greenAlphabet = GreenAlphabetBase + (colorCacheBits > 0 ? 1 << colorCacheBits : 0);
        int[] codeLengths = ArrayPool<int>.Shared.Rent(greenAlphabet);
        try
        {
            Span<int> alphabets = [greenAlphabet, LiteralAlphabet, LiteralAlphabet, LiteralAlphabet, DistanceAlphabet];
            Span<int> offsets = stackalloc int[5];
            for (int coded = 0; coded < codedGroups; coded++)
            {
                int stored = mapping.IsEmpty ? coded : mapping[coded];
                if (stored < 0)
                {
                    // A group no tile uses: its codes must still be valid, but nothing is kept.
                    foreach (int alphabet in alphabets)
                        ReadCode(ref reader, alphabet, codeLengths, [], source);
                    continue;
                }

                int maxBitsOfLiterals = 0;
                for (int j = 0; j < 5; j++)
                {
                    EnsureTableRoom(source);
                    offsets[j] = _tableEntries;
                    int size = ReadCode(ref reader, alphabets[j], codeLengths, _tables.AsSpan(_tableEntries), source);
                    _tableEntries += size;
                    if (j < 4) maxBitsOfLiterals += LongestLength(codeLengths.AsSpan(0, alphabets[j]));
                }
                SetUpGroup(ref Groups[stored], offsets, maxBitsOfLiterals);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(codeLengths);
        }
    }

    private void EnsureTableRoom(string? source)
    {
        int needed = _tableEntries + Vp8LHuffmanTable.MaxTableSize;
        if (needed <= _tables.Length) return;
        if (needed > MaxTotalTableEntries)
            throw new UnsupportedImageFormatException(source, $"VP8L stream needs more than {MaxTotalTableEntries / (1 << 18)} MiB of Huffman tables; refused");
        uint[] larger = ArrayPool<uint>.Shared.Rent(Math.Max(needed, Math.Min(2 * _tables.Length, MaxTotalTableEntries)));
        _tables.AsSpan(0, _tableEntries).CopyTo(larger);
        ArrayPool<uint>.Shared.Return(_tables);
        _tables = larger;
    }

    private void SetUpGroup(ref Vp8LHuffmanGroup group, ReadOnlySpan<int> offsets, int maxBitsOfLiterals)
    {
        group.Green = offsets[0];
        group.Red = offsets[1];
        group.Blue = offsets[2];
        group.Alpha = offsets[3];
        group.Distance = offsets[4];
        group.PackedTable = -1;

        // Entry 0 of a table has zero bits exactly when its code has a single symbol.
        uint green = _tables[group.Green], red = _tables[group.Red], blue = _tables[group.Blue],
            alpha = _tables[group.Alpha], distance = _tables[group.Distance];
        group.IsTrivialLiteral = Bits(red) == 0 && Bits(blue) == 0 && Bits(alpha) == 0;
        if (group.IsTrivialLiteral)
        {
            group.TrivialLiteral = (Symbol(alpha) << 24) | (Symbol(red) << 16) | Symbol(blue);
            if (Bits(green) == 0 && Bits(distance) == 0 && Symbol(green) < LiteralAlphabet)
            {
                group.IsTrivialCode = true;
                group.TrivialLiteral |= Symbol(green) << 8;
            }
        }
        if (!group.IsTrivialCode && maxBitsOfLiterals < PackedBits)
            group.PackedTable = BuildPackedTable(group);
    }

    private static int LongestLength(ReadOnlySpan<int> lengths)
    {
        int longest = 0;
        foreach (int length in lengths)
            longest = Math.Max(longest, length);
        return longest;
    }

    private static int Bits(uint entry) => (int)(entry & 0xFF);

    private static uint Symbol(uint entry) => entry >> 16;

    /// <summary>All four literal codes fit in 6 bits: one look-up gives the whole pixel.</summary>
    private int BuildPackedTable(in Vp8LHuffmanGroup group)
    {
        int offset = _packedTables * PackedSize;
        _packed ??= new Vp8LPackedCode[PackedSize * Math.Min(Groups.Length, 16)];
        if (offset + PackedSize > _packed.Length)
            Array.Resize(ref _packed, Math.Min(Groups.Length, 2 * _packedTables) * PackedSize);
        _packedTables++;

        for (int bits = 0; bits < PackedSize; bits++)
        {
            ref Vp8LPackedCode code = ref _packed[offset + bits];
            uint green = _tables[group.Green + bits];
            if (Symbol(green) >= LiteralAlphabet)
            {
                code.Bits = Bits(green) + Vp8LPackedCode.NonLiteral;
                code.Value = Symbol(green);
                continue;
            }
            int consumed = Bits(green);
            uint red = _tables[group.Red + (bits >> consumed)];
            consumed += Bits(red);
            uint blue = _tables[group.Blue + (bits >> consumed)];
            consumed += Bits(blue);
            uint alpha = _tables[group.Alpha + (bits >> consumed)];
            consumed += Bits(alpha);
            code.Bits = consumed;
            code.Value = (Symbol(alpha) << 24) | (Symbol(red) << 16) | (Symbol(green) << 8) | Symbol(blue);
        }
        return offset;
    }

    /// <summary>
    /// Reads one prefix code (RFC 9649 §3.7.2.1) of <paramref name="alphabetSize"/> symbols into
    /// <paramref name="table"/> (validation only when empty); returns the table's size. The code
    /// lengths are left in <paramref name="codeLengths"/>.
    /// </summary>
    private static int ReadCode(ref Vp8LBitReader reader, int alphabetSize, int[] codeLengths, scoped Span<uint> table, string? source)
    {
        Span<int> lengths = codeLengths.AsSpan(0, alphabetSize);
        lengths.Clear();
        bool ok = true;
        if (reader.ReadBits(1) == 1)
        {
            // Simple code: one or two symbols given directly. A symbol beyond the alphabet is
            // ignored, as in libwebp (which writes it past the alphabet and never looks there).
            int symbolCount = (int)reader.ReadBits(1) + 1;
            int firstSymbolBits = reader.ReadBits(1) == 0 ? 1 : 8;
            int symbol = (int)reader.ReadBits(firstSymbolBits);
            if (symbol < alphabetSize) lengths[symbol] = 1;
            if (symbolCount == 2)
            {
                symbol = (int)reader.ReadBits(8);
                if (symbol < alphabetSize) lengths[symbol] = 1;
            }
        }
        else
        {
            Span<int> codeLengthCodeLengths = stackalloc int[CodeLengthCodes];
            int count = (int)reader.ReadBits(4) + 4;
            for (int i = 0; i < count; i++)
                codeLengthCodeLengths[CodeLengthCodeOrder[i]] = (int)reader.ReadBits(3);
            ok = ReadCodeLengths(ref reader, codeLengthCodeLengths, lengths);
        }

        int size = ok && !reader.EndOfStreamFlagged ? Vp8LHuffmanTable.Build(lengths, Vp8LHuffmanTable.RootBits, table) : 0;
        if (size == 0) throw Corrupt(source, "invalid Huffman code");
        return size;
    }

    /// <summary>Reads code lengths coded with the code length code (RFC 9649 §3.7.2.1.2).</summary>
    private static bool ReadCodeLengths(ref Vp8LBitReader reader, scoped ReadOnlySpan<int> codeLengthCodeLengths, scoped Span<int> lengths)
    {
        Span<uint> table = stackalloc uint[1 << CodeLengthRootBits];
        if (Vp8LHuffmanTable.Build(codeLengthCodeLengths, CodeLengthRootBits, table) == 0) return false;

        int symbolCount = lengths.Length;
        int maxSymbol = symbolCount;
        if (reader.ReadBits(1) == 1)
        {
            int lengthBits = 2 + 2 * (int)reader.ReadBits(3);
            maxSymbol = 2 + (int)reader.ReadBits(lengthBits);
            if (maxSymbol > symbolCount) return false;
        }

        int previousLength = 8;
        int symbol = 0;
        while (symbol < symbolCount)
        {
            if (maxSymbol-- == 0) break;
            reader.FillWindow();
            uint entry = table[(int)(reader.PeekBits & ((1u << CodeLengthRootBits) - 1))];
            reader.Skip((int)(entry & 0xFF));
            int code = (int)(entry >> 16);
            if (code < 16)
            {
                lengths[symbol++] = code;
                if (code != 0) previousLength = code;
                continue;
            }
            // 16: repeat the previous non-zero length 3..6 times; 17: 3..10 zeros; 18: 11..138 zeros.
            int repeat = code switch
            {
                16 => 3 + (int)reader.ReadBits(2),
                17 => 3 + (int)reader.ReadBits(3),
                _ => 11 + (int)reader.ReadBits(7),
            };
            if (symbol + repeat > symbolCount) return false;
            lengths.Slice(symbol, repeat).Fill(code == 16 ? previousLength : 0);
            symbol += repeat;
        }
        return true;
    }

    private static ImageDecodeException Corrupt(string? source, string cause) => new(source, "corrupt VP8L: " + cause);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_tables.Length > 0) ArrayPool<uint>.Shared.Return(_tables);
        _tables = [];
        if (_metaImage is not null) ArrayPool<int>.Shared.Return(_metaImage);
        _metaImage = null;
    }
}
