namespace FastLaDeDa.Tests.Support;

/// <summary>
/// A tiny GIF89a writer for tests: one frame, LZW with a minimum code size of 8 written without
/// compression (every index is emitted as a literal code and a clear code is sent before the
/// table would grow past 9-bit codes).
/// </summary>
internal static class TestGifWriter
{
    public static byte[] Write(int screenWidth, int screenHeight, byte[] globalPalette, int backgroundIndex,
        int frameLeft, int frameTop, int frameWidth, int frameHeight, byte[] indices, int? transparentIndex)
    {
        var gif = new List<byte>();
        gif.AddRange("GIF89a"u8.ToArray());
        AddUInt16(gif, screenWidth);
        AddUInt16(gif, screenHeight);
        int tableBits = (int)Math.Log2(globalPalette.Length / 3) - 1;
        gif.Add((byte)(0x80 | 0x70 | tableBits)); // global table, 8-bit colour resolution
        gif.Add((byte)backgroundIndex);
        gif.Add(0); // aspect
        gif.AddRange(globalPalette);

        // Graphic Control Extension
        gif.AddRange([0x21, 0xF9, 4, (byte)(transparentIndex is null ? 0 : 1), 0, 0, (byte)(transparentIndex ?? 0), 0]);

        gif.Add(0x2C);
        AddUInt16(gif, frameLeft);
        AddUInt16(gif, frameTop);
        AddUInt16(gif, frameWidth);
        AddUInt16(gif, frameHeight);
        gif.Add(0); // no local table, not interlaced

        const int minimumCodeSize = 8, clear = 256, end = 257;
        gif.Add(minimumCodeSize);
        var bits = new BitWriter();
        for (int i = 0; i < indices.Length; i++)
        {
            if (i % 200 == 0) bits.Write(clear, 9);
            bits.Write(indices[i], 9);
        }
        bits.Write(end, 9);
        byte[] data = bits.ToArray();
        for (int pos = 0; pos < data.Length; pos += 255)
        {
            int n = Math.Min(255, data.Length - pos);
            gif.Add((byte)n);
            gif.AddRange(data.AsSpan(pos, n).ToArray());
        }
        gif.Add(0);
        gif.Add(0x3B);
        return [.. gif];
    }

    private static void AddUInt16(List<byte> bytes, int value)
    {
        bytes.Add((byte)value);
        bytes.Add((byte)(value >> 8));
    }

    private sealed class BitWriter
    {
        private readonly List<byte> _bytes = [];
        private int _buffer, _count;

        public void Write(int code, int width)
        {
            _buffer |= code << _count;
            _count += width;
            while (_count >= 8)
            {
                _bytes.Add((byte)_buffer);
                _buffer >>= 8;
                _count -= 8;
            }
        }

        public byte[] ToArray()
        {
            if (_count > 0) _bytes.Add((byte)_buffer);
            return [.. _bytes];
        }
    }
}
