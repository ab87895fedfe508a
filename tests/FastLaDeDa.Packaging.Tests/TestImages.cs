namespace FastLaDeDa.Packaging.Tests;

public static class TestImages
{
    /// <summary>A bottom-up 24-bit BMP with a deterministic pattern (gradients plus a hash), so that
    /// the test needs no shared data.</summary>
    public static byte[] Bmp24(int width, int height)
    {
        int stride = (width * 3 + 3) & ~3;
        int size = 54 + stride * height;
        var b = new byte[size];
        b[0] = (byte)'B'; b[1] = (byte)'M';
        BitConverter.TryWriteBytes(b.AsSpan(2), size);
        BitConverter.TryWriteBytes(b.AsSpan(10), 54);
        BitConverter.TryWriteBytes(b.AsSpan(14), 40);
        BitConverter.TryWriteBytes(b.AsSpan(18), width);
        BitConverter.TryWriteBytes(b.AsSpan(22), height);
        BitConverter.TryWriteBytes(b.AsSpan(26), (short)1);
        BitConverter.TryWriteBytes(b.AsSpan(28), (short)24);
        BitConverter.TryWriteBytes(b.AsSpan(34), stride * height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                uint h = (uint)(x * 73856093) ^ (uint)(y * 19349663);
                h ^= h >> 13; h *= 0x5bd1e995; h ^= h >> 15;
                int o = 54 + y * stride + x * 3;
                b[o] = (byte)(x * 255 / width ^ (h & 31));
                b[o + 1] = (byte)(y * 255 / height ^ ((h >> 8) & 31));
                b[o + 2] = (byte)(h >> 16);
            }
        return b;
    }
}
