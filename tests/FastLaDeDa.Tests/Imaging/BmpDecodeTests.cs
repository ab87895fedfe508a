using System.Buffers.Binary;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;

namespace FastLaDeDa.Tests.Imaging;

/// <summary>Hand-built bitmaps, compared with Pillow 9.4's BmpImagePlugin semantics.</summary>
public sealed class BmpDecodeTests
{
    /// <summary>Builds a BMP with a 40-byte info header; <paramref name="rows"/> are top row first, unpadded.</summary>
    internal static byte[] Build(int width, int height, int bitsPerPixel, byte[][] rows, byte[]? palette = null,
        uint[]? masks = null, bool topDown = false)
    {
        int rowBytes = (width * bitsPerPixel + 31) / 32 * 4;
        int paletteBytes = palette?.Length ?? 0;
        int maskBytes = masks is null ? 0 : 12;
        int offset = 14 + 40 + maskBytes + paletteBytes;
        var bmp = new byte[offset + rowBytes * height];
        bmp[0] = (byte)'B';
        bmp[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), offset);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), topDown ? -height : height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), (short)bitsPerPixel);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(30), masks is null ? 0 : 3);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(46), palette is null ? 0 : palette.Length / 4);
        if (masks is not null)
            for (int i = 0; i < 3; i++)
                BinaryPrimitives.WriteUInt32LittleEndian(bmp.AsSpan(54 + 4 * i), masks[i]);
        palette?.CopyTo(bmp, 54 + maskBytes);
        for (int y = 0; y < height; y++)
        {
            int stored = topDown ? y : height - 1 - y; // bottom-up unless top-down
            rows[y].CopyTo(bmp, offset + stored * rowBytes);
        }
        return bmp;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Bgr24_rows_are_flipped_and_padding_skipped(bool topDown)
    {
        byte[] bmp = Build(3, 2, 24, [[1, 2, 3, 4, 5, 6, 7, 8, 9], [10, 11, 12, 13, 14, 15, 16, 17, 18]], topDown: topDown);

        Rgb24Image image = ImageDecoder.Decode(bmp);

        Assert.Equal((3, 2), (image.Width, image.Height));
        Assert.Equal(new byte[] { 3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10, 15, 14, 13, 18, 17, 16 }, image.Pixels);
    }

    [Fact]
    public void Bgrx32_ignores_the_fourth_byte()
    {
        byte[] bmp = Build(2, 1, 32, [[1, 2, 3, 0, 4, 5, 6, 255]]);

        Assert.Equal(new byte[] { 3, 2, 1, 6, 5, 4 }, ImageDecoder.Decode(bmp).Pixels);
    }

    [Fact]
    public void Eight_and_one_bit_palettes_are_looked_up()
    {
        byte[] palette8 = [.. Enumerable.Range(0, 256).SelectMany(i => new[] { (byte)i, (byte)(i / 2), (byte)(255 - i), (byte)0 })];
        byte[] bmp8 = Build(3, 1, 8, [[0, 100, 255]], palette8);
        Assert.Equal(new byte[] { 255, 0, 0, 155, 50, 100, 0, 127, 255 }, ImageDecoder.Decode(bmp8).Pixels);

        byte[] palette1 = [10, 20, 30, 0, 200, 210, 220, 0];
        byte[] bmp1 = Build(10, 1, 1, [[0b1010_0000, 0b0100_0000]], palette1);
        byte[] expected = [.. new[] { 1, 0, 1, 0, 0, 0, 0, 0, 0, 1 }.SelectMany(i => i == 1 ? new byte[] { 220, 210, 200 } : [30, 20, 10])];
        Assert.Equal(expected, ImageDecoder.Decode(bmp1).Pixels);
    }

    [Fact]
    public void Rgb555_uses_pillows_truncating_scale_not_bit_replication()
    {
        // Pillow's BGR;15 unpacker: v * 255 / 31 (integer). Bit replication would give 33 for 4.
        int[] fives = [0, 1, 4, 15, 16, 30, 31];
        byte[][] rows = [[.. fives.SelectMany(v => BitConverter.GetBytes((ushort)((v << 10) | (v << 5) | v)))]];
        byte[] bmp = Build(fives.Length, 1, 16, rows);

        Rgb24Image image = ImageDecoder.Decode(bmp);

        Assert.Equal(fives.SelectMany(v => Enumerable.Repeat((byte)(v * 255 / 31), 3)).ToArray(), image.Pixels);
    }

    [Fact]
    public void Rgb565_bit_fields_use_pillows_scale_for_six_bit_green()
    {
        // Pillow's BGR;16 unpacker: red/blue v * 255 / 31, green v * 255 / 63.
        (int R, int G, int B)[] values = [(0, 0, 0), (1, 1, 1), (4, 4, 4), (16, 32, 16), (31, 63, 31), (3, 40, 29)];
        byte[][] rows = [[.. values.SelectMany(v => BitConverter.GetBytes((ushort)((v.R << 11) | (v.G << 5) | v.B)))]];
        byte[] bmp = Build(values.Length, 1, 16, rows, masks: [0xF800, 0x07E0, 0x001F]);

        Rgb24Image image = ImageDecoder.Decode(bmp);

        Assert.Equal(values.SelectMany(v => new[] { (byte)(v.R * 255 / 31), (byte)(v.G * 255 / 63), (byte)(v.B * 255 / 31) }).ToArray(), image.Pixels);
    }

    [Fact]
    public void Unusual_sixteen_bit_masks_are_refused()
    {
        byte[] bmp = Build(1, 1, 16, [[0, 0]], masks: [0x0F00, 0x00F0, 0x000F]);

        var e = Assert.Throws<UnsupportedImageFormatException>(() => ImageDecoder.Decode(bmp, "masks.bmp"));
        Assert.Contains("bit masks", e.Message);
    }

    [Fact]
    public void Truncated_pixel_data_is_an_error()
    {
        byte[] bmp = Build(4, 4, 24, [new byte[12], new byte[12], new byte[12], new byte[12]]);

        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(bmp.AsSpan(0, bmp.Length - 13), "cut.bmp"));
        Assert.Contains("truncated BMP", e.Message);
    }
}
