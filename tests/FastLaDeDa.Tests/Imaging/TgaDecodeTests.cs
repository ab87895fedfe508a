using System.Buffers.Binary;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;

namespace FastLaDeDa.Tests.Imaging;

/// <summary>Hand-built TGA files, compared with Pillow 9.4's TgaImagePlugin semantics.</summary>
public sealed class TgaDecodeTests
{
    internal static byte[] Build(int imageType, int depth, int width, int height, byte[] pixelData, byte descriptor = 0,
        byte[]? colorMap = null, int colorMapDepth = 0)
    {
        var header = new byte[18];
        header[1] = (byte)(colorMap is null ? 0 : 1);
        header[2] = (byte)imageType;
        if (colorMap is not null)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(5), (ushort)(colorMap.Length / (colorMapDepth / 8)));
            header[7] = (byte)colorMapDepth;
        }
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(12), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(14), (ushort)height);
        header[16] = (byte)depth;
        header[17] = descriptor;
        return [.. header, .. colorMap ?? [], .. pixelData];
    }

    // Two rows of two BGR pixels, stored bottom row first (the TGA default).
    private static readonly byte[] BottomUpBgr = [7, 8, 9, 10, 11, 12, /* top: */ 1, 2, 3, 4, 5, 6];

    [Fact]
    public void Bgr24_bottom_up_is_flipped()
    {
        Rgb24Image image = ImageDecoder.Decode(Build(2, 24, 2, 2, BottomUpBgr));

        Assert.Equal(new byte[] { 3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10 }, image.Pixels);
    }

    [Fact]
    public void Top_left_origin_is_kept()
    {
        Rgb24Image image = ImageDecoder.Decode(Build(2, 24, 2, 2, BottomUpBgr, descriptor: 0x20));

        Assert.Equal(new byte[] { 9, 8, 7, 12, 11, 10, 3, 2, 1, 6, 5, 4 }, image.Pixels);
    }

    [Fact]
    public void Right_to_left_rows_are_mirrored_like_pillow()
    {
        Rgb24Image image = ImageDecoder.Decode(Build(2, 24, 2, 2, BottomUpBgr, descriptor: 0x30));

        Assert.Equal(new byte[] { 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 }, image.Pixels);
    }

    [Fact]
    public void Run_length_bgra32_drops_alpha()
    {
        // Packets: 3 copies of one pixel, then 1 raw pixel (4 pixels = 2x2).
        byte[] packets = [0x82, 10, 20, 30, 0, 0x00, 40, 50, 60, 128];
        Rgb24Image image = ImageDecoder.Decode(Build(10, 32, 2, 2, packets, descriptor: 0x28));

        Assert.Equal(new byte[] { 30, 20, 10, 30, 20, 10, 30, 20, 10, 60, 50, 40 }, image.Pixels);
    }

    [Fact]
    public void Grey_and_palette_images_convert_like_pillow()
    {
        Assert.Equal(new byte[] { 5, 5, 5, 250, 250, 250 }, ImageDecoder.Decode(Build(3, 8, 2, 1, [5, 250])).Pixels);

        byte[] colorMap = [1, 2, 3, 4, 5, 6, 7, 8, 9]; // BGR entries
        Rgb24Image palette = ImageDecoder.Decode(Build(1, 8, 3, 1, [2, 0, 1], colorMap: colorMap, colorMapDepth: 24));
        Assert.Equal(new byte[] { 9, 8, 7, 3, 2, 1, 6, 5, 4 }, palette.Pixels);
    }

    [Fact]
    public void Rgb555_uses_the_truncating_scale()
    {
        int[] fives = [0, 4, 17, 31];
        byte[] data = [.. fives.SelectMany(v => BitConverter.GetBytes((ushort)((v << 10) | (v << 5) | v)))];

        Rgb24Image image = ImageDecoder.Decode(Build(2, 16, 4, 1, data));

        Assert.Equal(fives.SelectMany(v => Enumerable.Repeat((byte)(v * 255 / 31), 3)).ToArray(), image.Pixels);
    }

    [Fact]
    public void Cut_run_length_data_is_an_error()
    {
        byte[] packets = [0x82, 10, 20, 30, 0, 0x00, 40, 50];

        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(Build(10, 32, 2, 2, packets), "cut.tga"));
        Assert.Contains("truncated TGA", e.Message);
    }
}
