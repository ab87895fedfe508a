using FastLaDeDa.Imaging.Formats.Webp;

namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// The VP8L bit reader: least significant bit first, and libwebp's end-of-stream rule, which decides
/// whether a short or cut stream fails: bits past the data read as zeros while the 64-bit window lasts.
/// </summary>
public sealed class Vp8LBitReaderTests
{
    [Fact]
    public void Bits_come_least_significant_first()
    {
        var reader = new Vp8LBitReader([0b1011_0010, 0xFF, 0x01]);
        Assert.Equal(0b10u, reader.ReadBits(2));
        Assert.Equal(0b1100u, reader.ReadBits(4));
        Assert.Equal(0b11_1111_1110u, reader.ReadBits(10));
        Assert.Equal(1u, reader.ReadBits(8));
        Assert.False(reader.IsEndOfStream);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void A_stream_shorter_than_8_bytes_reads_zeros_up_to_64_bits(int length)
    {
        byte[] data = [.. Enumerable.Range(1, length).Select(i => (byte)(0x80 | i))];
        var reader = new Vp8LBitReader(data);
        for (int i = 0; i < length; i++) Assert.Equal(data[i], (byte)reader.ReadBits(8));
        for (int bits = length * 8; bits < 64; bits += 8)
        {
            Assert.Equal(0u, reader.ReadBits(8));
            Assert.False(reader.IsEndOfStream);
        }
        reader.ReadBits(1);
        Assert.True(reader.IsEndOfStream);
        Assert.True(reader.EndOfStreamFlagged);
        Assert.Equal(0u, reader.ReadBits(1));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(100)]
    public void A_longer_stream_ends_at_its_last_bit(int length)
    {
        byte[] data = [.. Enumerable.Range(0, length).Select(i => (byte)(i * 37 + 1))];
        var reader = new Vp8LBitReader(data);
        for (int i = 0; i < length; i++)
        {
            Assert.Equal(data[i], (byte)reader.ReadBits(8));
            Assert.False(reader.IsEndOfStream);
        }
        reader.ReadBits(1);
        Assert.True(reader.IsEndOfStream);
    }

    [Fact]
    public void Peeking_and_skipping_read_the_same_bits_as_ReadBits()
    {
        byte[] data = [.. Enumerable.Range(0, 200).Select(i => (byte)(i * 73 + 5))]; // 1600 bits, 100 reads use about 800
        var reads = new Vp8LBitReader(data);
        var peeks = new Vp8LBitReader(data);
        for (int step = 0; step < 100; step++)
        {
            int count = 1 + step % 15;
            peeks.FillWindow();
            uint peeked = peeks.PeekBits & ((1u << count) - 1);
            peeks.Skip(count);
            Assert.Equal(reads.ReadBits(count), peeked);
        }
        Assert.False(peeks.IsEndOfStream);
    }
}
