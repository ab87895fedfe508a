using FastLaDeDa.Imaging.Formats.Webp;

namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// <see cref="Vp8BoolDecoder"/> against the RFC 6386 encoder (<see cref="Vp8TestBoolEncoder"/>),
/// and its end-of-data behaviour, which libwebp turns into "truncated" errors.
/// </summary>
public sealed class Vp8BoolDecoderTests
{
    private static Vp8BoolDecoder Decoder(byte[] data) => new(data, 0, data.Length);

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 1000)]
    [InlineData(3, 20000)]
    public void Decodes_what_the_rfc_encoder_wrote(int seed, int count)
    {
        var random = new Random(seed);
        var probabilities = new int[count];
        var bits = new bool[count];
        var encoder = new Vp8TestBoolEncoder();
        for (int i = 0; i < count; i++)
        {
            // Skewed probabilities and bits that often go against them exercise long renormalizations.
            probabilities[i] = random.Next(4) == 0 ? random.Next(1, 256) : random.Next(2) == 0 ? random.Next(1, 8) : random.Next(248, 256);
            bits[i] = random.Next(3) == 0;
            encoder.Bool(probabilities[i], bits[i]);
        }
        var decoder = Decoder(encoder.Finish());
        for (int i = 0; i < count; i++) Assert.True(bits[i] == (decoder.GetBit(probabilities[i]) != 0), $"bit {i}");
        Assert.False(decoder.Eof);
    }

    [Fact]
    public void Literals_signed_values_and_signs_round_trip()
    {
        var encoder = new Vp8TestBoolEncoder();
        int[] values = [0, 1, 5, 63, 127, 100, 42];
        foreach (int v in values) encoder.Literal(v, 7);
        foreach (int v in values) encoder.Signed(-v / 2, 6);
        // GetSigned is a branch-free GetBit(128): it must read sign bits the encoder wrote at 1/2.
        foreach (int v in values) encoder.Bool(128, v % 2 == 1);
        var decoder = Decoder(encoder.Finish());
        foreach (int v in values) Assert.Equal(v, decoder.GetValue(7));
        foreach (int v in values) Assert.Equal(-v / 2, decoder.GetSignedValue(6));
        foreach (int v in values) Assert.Equal(v % 2 == 1 ? -9 : 9, decoder.GetSigned(9));
        Assert.False(decoder.Eof);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(20)]
    public void End_of_data_is_flagged_when_libwebp_flags_it(int length)
    {
        // Zero bytes decode to zero bits; the first read keeps the range at 128 (no shift), every
        // later one shifts one bit. libwebp's reader (56-bit refills, then bytes, then one zero
        // byte with eof set) therefore completes 8 * length - 6 reads before one needs more data.
        var decoder = Decoder(new byte[length]);
        for (int i = 0; i < 8 * length - 6; i++)
        {
            Assert.Equal(0, decoder.GetBit(128));
            Assert.False(decoder.Eof, $"read {i}");
        }
        decoder.GetBit(128);
        Assert.True(decoder.Eof);
        // Past the end it keeps answering (zeros), never reading outside the buffer.
        for (int i = 0; i < 1000; i++) decoder.GetBit(i % 255 + 1);
        Assert.True(decoder.Eof);
    }

    [Fact]
    public void An_empty_partition_is_at_its_end_at_once()
    {
        // libwebp loads the first byte when the reader is created.
        Assert.True(new Vp8BoolDecoder([1, 2, 3], 3, 0).Eof);
        Assert.False(new Vp8BoolDecoder([1, 2, 3], 2, 1).Eof);
    }

    [Fact]
    public void Reads_only_its_own_slice()
    {
        var encoder = new Vp8TestBoolEncoder();
        for (int i = 0; i < 50; i++) encoder.Literal(i, 6);
        byte[] payload = encoder.Finish();
        // The partition sits between bytes that would decode differently if read.
        byte[] buffer = [0xff, 0xff, .. payload, 0xff, 0xff, 0xff];
        var decoder = new Vp8BoolDecoder(buffer, 2, payload.Length);
        for (int i = 0; i < 50; i++) Assert.Equal(i, decoder.GetValue(6));
    }
}
