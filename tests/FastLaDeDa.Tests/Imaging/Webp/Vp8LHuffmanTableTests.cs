using FastLaDeDa.Imaging.Formats.Webp;

namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// The two-level Huffman look-up tables: libwebp's acceptance rule (complete codes, or a single symbol
/// of any length) and symbols decoded through the root and second-level tables.
/// </summary>
public sealed class Vp8LHuffmanTableTests
{
    private static int Build(int[] lengths) => Vp8LHuffmanTable.Build(lengths, Vp8LHuffmanTable.RootBits, new uint[Vp8LHuffmanTable.MaxTableSize]);

    [Theory]
    [InlineData(new[] { 1, 1 }, true)]
    [InlineData(new[] { 1, 2, 2 }, true)]
    [InlineData(new[] { 0, 0, 7, 0 }, true)]        // a single symbol, whatever its length
    [InlineData(new[] { 15 }, true)]
    [InlineData(new[] { 1, 1, 1 }, false)]          // over-subscribed
    [InlineData(new[] { 1, 2 }, false)]             // incomplete
    [InlineData(new[] { 2, 2, 2 }, false)]          // incomplete
    [InlineData(new[] { 0, 0, 0 }, false)]          // no symbol
    [InlineData(new[] { 1, 16 }, false)]            // longer than 15 bits
    public void Only_complete_codes_or_a_single_symbol_are_accepted(int[] lengths, bool valid)
    {
        Assert.Equal(valid, Build(lengths) > 0);
        Assert.Equal(valid, Vp8LHuffmanTable.Build(lengths, Vp8LHuffmanTable.RootBits, []) > 0);
    }

    [Fact]
    public void Symbols_with_codes_longer_than_the_root_go_through_second_level_tables()
    {
        // Lengths 1, 2, ..., 14, 15, 15: a complete code with codes up to 15 bits.
        int[] lengths = [.. Enumerable.Range(1, 15), 15];
        var code = new TestPrefixCode(lengths);
        var table = new uint[Vp8LHuffmanTable.MaxTableSize];
        Assert.True(Vp8LHuffmanTable.Build(lengths, Vp8LHuffmanTable.RootBits, table) > 1 << Vp8LHuffmanTable.RootBits);

        var writer = new Vp8LBitWriter();
        int[] symbols = [.. Enumerable.Range(0, lengths.Length).Reverse(), 0, 15, 3, 14];
        foreach (int symbol in symbols) code.Write(writer, symbol);
        var reader = new Vp8LBitReader(writer.ToArray());
        foreach (int symbol in symbols)
        {
            reader.FillWindow();
            Assert.Equal(symbol, Vp8LHuffmanTable.ReadSymbol(ref table[0], ref reader));
        }
        Assert.False(reader.IsEndOfStream);
    }

    [Fact]
    public void Every_symbol_of_a_large_alphabet_decodes()
    {
        int[] lengths = Vp8LTestEncoder.FullLengths(280 + 2048);
        var code = new TestPrefixCode(lengths);
        var table = new uint[Vp8LHuffmanTable.MaxTableSize];
        Assert.True(Vp8LHuffmanTable.Build(lengths, Vp8LHuffmanTable.RootBits, table) > 0);
        var writer = new Vp8LBitWriter();
        for (int s = 0; s < lengths.Length; s++) code.Write(writer, s);
        var reader = new Vp8LBitReader(writer.ToArray());
        for (int s = 0; s < lengths.Length; s++)
        {
            reader.FillWindow();
            Assert.Equal(s, Vp8LHuffmanTable.ReadSymbol(ref table[0], ref reader));
        }
    }
}
