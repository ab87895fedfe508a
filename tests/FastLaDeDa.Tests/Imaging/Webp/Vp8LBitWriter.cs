namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// Writes VP8L bitstreams by hand (RFC 9649): bits least significant first, prefix codes (simple and
/// normal, with the code length code and its repeat codes), symbols, and LZ77 length/distance
/// prefixes. Independent of the decoder, so that hand-built streams test it.
/// </summary>
internal sealed class Vp8LBitWriter
{
    /// <summary>Order of the code length code lengths in the stream (RFC 9649 §3.7.2.1.2).</summary>
    private static readonly int[] CodeLengthOrder = [17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    private readonly List<byte> _bytes = [];
    private int _pending;
    private int _pendingBits;

    /// <summary>Bits written so far.</summary>
    public int BitCount => _bytes.Count * 8 + _pendingBits;

    /// <summary>Writes the low <paramref name="count"/> bits of <paramref name="value"/>, least significant first.</summary>
    public Vp8LBitWriter Bits(long value, int count)
    {
        for (int i = 0; i < count; i++)
        {
            _pending |= (int)((value >> i) & 1) << _pendingBits;
            if (++_pendingBits == 8)
            {
                _bytes.Add((byte)_pending);
                _pending = _pendingBits = 0;
            }
        }
        return this;
    }

    /// <summary>The stream, the last byte zero-padded.</summary>
    public byte[] ToArray() => _pendingBits == 0 ? [.. _bytes] : [.. _bytes, (byte)_pending];

    /// <summary>The VP8L header: signature, size, alpha hint, version 0.</summary>
    public Vp8LBitWriter Header(int width, int height, bool alphaHint = false) =>
        Bits(0x2F, 8).Bits(width - 1, 14).Bits(height - 1, 14).Bits(alphaHint ? 1 : 0, 1).Bits(0, 3);

    /// <summary>A simple prefix code of one or two symbols (one symbol is read with zero bits).</summary>
    public TestPrefixCode SimpleCode(int alphabetSize, params int[] symbols)
    {
        Bits(1, 1).Bits(symbols.Length - 1, 1);
        bool small = symbols[0] < 2;
        Bits(small ? 0 : 1, 1).Bits(symbols[0], small ? 1 : 8);
        if (symbols.Length == 2) Bits(symbols[1], 8);
        var lengths = new int[alphabetSize];
        foreach (int s in symbols) if (s < alphabetSize) lengths[s] = 1;
        return new TestPrefixCode(lengths);
    }

    /// <summary>
    /// A normal prefix code with the given code lengths, coded with a code length code that gives every
    /// length literal 0..15 four bits (so no repeat codes), and no max_symbol.
    /// </summary>
    public TestPrefixCode NormalCode(int[] lengths)
    {
        var codeLengthCodeLengths = new int[19];
        for (int i = 0; i < 16; i++) codeLengthCodeLengths[i] = 4;
        return NormalCode(lengths, codeLengthCodeLengths, [.. lengths.Select(l => (l, 0))], maxSymbol: null);
    }

    /// <summary>
    /// A normal prefix code whose lengths are given as code length code symbols (0..15 literals; 16, 17,
    /// 18 repeats with their extra bits), coded with <paramref name="codeLengthCodeLengths"/> and an
    /// optional max_symbol (number of code length symbols to read).
    /// </summary>
    public TestPrefixCode NormalCode(int[] lengths, int[] codeLengthCodeLengths, (int Symbol, int Extra)[] lengthSymbols, int? maxSymbol)
    {
        Bits(0, 1);
        int count = 19;
        while (count > 4 && codeLengthCodeLengths[CodeLengthOrder[count - 1]] == 0) count--;
        Bits(count - 4, 4);
        for (int i = 0; i < count; i++) Bits(codeLengthCodeLengths[CodeLengthOrder[i]], 3);
        if (maxSymbol is int max)
        {
            // length_nbits = 2 + 2 * n, max_symbol = 2 + value: pick the smallest n that fits.
            int n = 0;
            while (max - 2 >= 1 << (2 + 2 * n)) n++;
            Bits(1, 1).Bits(n, 3).Bits(max - 2, 2 + 2 * n);
        }
        else
        {
            Bits(0, 1);
        }
        var codeLengthCode = new TestPrefixCode(codeLengthCodeLengths);
        foreach (var (symbol, extra) in lengthSymbols)
        {
            codeLengthCode.Write(this, symbol);
            if (symbol == 16) Bits(extra, 2);
            else if (symbol == 17) Bits(extra, 3);
            else if (symbol == 18) Bits(extra, 7);
        }
        return new TestPrefixCode(lengths);
    }

    /// <summary>The prefix symbol, extra bit count and extra bits of an LZ77 length or distance code (≥ 1).</summary>
    public static (int Prefix, int ExtraBits, int Extra) Prefix(int value)
    {
        if (value <= 4) return (value - 1, 0, 0);
        int v = value - 1;
        int highest = 31 - int.LeadingZeroCount(v);
        int second = (v >> (highest - 1)) & 1;
        int extraBits = highest - 1;
        return (2 * highest + second, extraBits, v & ((1 << extraBits) - 1));
    }
}

/// <summary>A canonical prefix code built from code lengths, for writing symbols.</summary>
internal sealed class TestPrefixCode
{
    private readonly int[] _codes;

    /// <summary>Assigns canonical codes (shorter first, then by symbol) to the non-zero lengths.</summary>
    public TestPrefixCode(int[] lengths)
    {
        Lengths = lengths;
        _codes = new int[lengths.Length];
        SingleSymbol = lengths.Count(l => l > 0) == 1;
        int code = 0;
        for (int length = 1; length <= 15; length++)
        {
            for (int symbol = 0; symbol < lengths.Length; symbol++)
                if (lengths[symbol] == length) _codes[symbol] = code++;
            code <<= 1;
        }
    }

    /// <summary>The code lengths.</summary>
    public int[] Lengths { get; }

    /// <summary>Only one symbol is used: it costs zero bits.</summary>
    public bool SingleSymbol { get; }

    /// <summary>Writes <paramref name="symbol"/>'s code, most significant bit first.</summary>
    public void Write(Vp8LBitWriter writer, int symbol)
    {
        if (SingleSymbol) return;
        int length = Lengths[symbol];
        if (length == 0) throw new ArgumentException($"symbol {symbol} has no code");
        for (int bit = length - 1; bit >= 0; bit--) writer.Bits((_codes[symbol] >> bit) & 1, 1);
    }
}
