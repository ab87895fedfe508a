using System.Buffers.Binary;

namespace FastLaDeDa.Tests.Support;

/// <summary>Writes uncompressed 24-bit BMP files (the simplest format to build by hand in a test).</summary>
internal static class BmpWriter
{
    /// <summary>A BMP of <paramref name="width"/>×<paramref name="height"/> from interleaved RGB bytes.</summary>
    public static byte[] Encode(int width, int height, ReadOnlySpan<byte> rgb)
    {
        int rowBytes = (width * 3 + 3) & ~3;
        var file = new byte[54 + rowBytes * height];
        file[0] = (byte)'B'; file[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(34), rowBytes * height);
        for (int y = 0; y < height; y++)
        {
            int row = 54 + (height - 1 - y) * rowBytes; // bottom-up, BGR
            for (int x = 0; x < width; x++)
            {
                int s = (y * width + x) * 3;
                file[row + x * 3] = rgb[s + 2];
                file[row + x * 3 + 1] = rgb[s + 1];
                file[row + x * 3 + 2] = rgb[s];
            }
        }
        return file;
    }
}
