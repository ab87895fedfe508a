namespace FastLaDeDa.Tests.Support;

/// <summary>
/// Writes baseline JPEGs straight from quantized coefficients, so tests can feed the decoder
/// values no encoder produces (magnitudes up to 32767, 16-bit quantization tables) and compare it
/// with libjpeg on them. Huffman tables cover every category: 16 DC symbols with 5-bit codes and
/// all 256 AC symbols with 9-bit codes (0xFF: 10 bits). One component (grey) or three (YCbCr 4:4:4), JFIF.
/// </summary>
internal static class TestJpegWriter
{
    /// <summary>
    /// A <paramref name="widthInBlocks"/> × <paramref name="heightInBlocks"/>-block image; blocks are
    /// given per component in raster order as 64 coefficients in natural order, quantization tables
    /// (natural order) per component.
    /// </summary>
    public static byte[] Write(int widthInBlocks, int heightInBlocks, short[][][] blocks, ushort[][] quantization)
    {
        int components = blocks.Length;
        var output = new List<byte> { 0xFF, 0xD8 };
        Segment(output, 0xE0, [(byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
        for (int c = 0; c < components; c++)
        {
            var dqt = new List<byte> { (byte)(0x10 | c) }; // 16-bit values
            for (int i = 0; i < 64; i++)
            {
                ushort q = quantization[c][Zigzag[i]];
                dqt.Add((byte)(q >> 8));
                dqt.Add((byte)q);
            }
            Segment(output, 0xDB, [.. dqt]);
        }
        int width = widthInBlocks * 8, height = heightInBlocks * 8;
        var sof = new List<byte> { 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, (byte)components };
        for (int c = 0; c < components; c++) sof.AddRange([(byte)(c + 1), 0x11, (byte)c]);
        Segment(output, 0xC1, [.. sof]); // extended sequential: 16-bit tables allowed
        Segment(output, 0xC4, [0x00, .. Counts(5, 16), .. Enumerable.Range(0, 16).Select(i => (byte)i)]);
        Segment(output, 0xC4, [0x10, .. Counts(9, 256), .. Enumerable.Range(0, 256).Select(i => (byte)i)]);
        var sos = new List<byte> { (byte)components };
        for (int c = 0; c < components; c++) sos.AddRange([(byte)(c + 1), 0x00]);
        sos.AddRange([0, 63, 0]);
        Segment(output, 0xDA, [.. sos]);

        var bits = new BitWriter(output);
        var lastDc = new int[components];
        for (int b = 0; b < widthInBlocks * heightInBlocks; b++)
        {
            for (int c = 0; c < components; c++)
            {
                short[] block = blocks[c][b];
                int diff = block[0] - lastDc[c];
                lastDc[c] = block[0];
                int size = Category(diff);
                bits.Write(size, 5); // DC symbol s has the 5-bit code s
                bits.WriteValue(diff, size);
                int run = 0;
                for (int k = 1; k < 64; k++)
                {
                    int v = block[Zigzag[k]];
                    if (v == 0) { run++; continue; }
                    while (run > 15) { bits.Write(0xF0, 9); run -= 16; }
                    int s = Category(v);
                    int symbol = (run << 4) | s;
                    if (symbol < 255) bits.Write(symbol, 9); // AC symbol rs has the 9-bit code rs...
                    else bits.Write(255 << 1, 10);           // ...except 0xFF, the one 10-bit code
                    bits.WriteValue(v, s);
                    run = 0;
                }
                if (run > 0) bits.Write(0x00, 9); // EOB
            }
        }
        bits.Flush();
        output.AddRange([0xFF, 0xD9]);
        return [.. output];
    }

    // Counts per code length (DHT layout). 256 symbols do not fit one count byte: 255 codes of
    // length L and one of length L + 1 — codes 0..254, then 255 << 1 for the last symbol.
    private static byte[] Counts(int length, int count)
    {
        var counts = new byte[16];
        if (count <= 255)
        {
            counts[length - 1] = (byte)count;
        }
        else
        {
            counts[length - 1] = 255;
            counts[length] = (byte)(count - 255);
        }
        return counts;
    }

    private static int Category(int value)
    {
        int magnitude = Math.Abs(value), size = 0;
        while (magnitude > 0) { size++; magnitude >>= 1; }
        return size;
    }

    private static void Segment(List<byte> output, byte marker, byte[] payload)
    {
        output.AddRange([0xFF, marker, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2)]);
        output.AddRange(payload);
    }

    /// <summary>Zigzag index → natural index (T.81 Figure A.6).</summary>
    public static readonly int[] Zigzag = BuildZigzag();

    private static int[] BuildZigzag()
    {
        var order = new int[64];
        int i = 0;
        for (int sum = 0; sum <= 14; sum++)
        {
            int lo = Math.Max(0, sum - 7), hi = Math.Min(7, sum);
            if (sum % 2 == 0) for (int row = hi; row >= lo; row--) order[i++] = row * 8 + sum - row;
            else for (int row = lo; row <= hi; row++) order[i++] = row * 8 + sum - row;
        }
        return order;
    }

    private sealed class BitWriter(List<byte> output)
    {
        private int _buffer, _count;

        public void Write(int value, int length)
        {
            for (int i = length - 1; i >= 0; i--) Bit((value >> i) & 1);
        }

        /// <summary>The value bits of a category-<paramref name="size"/> value (negative values as v − 1).</summary>
        public void WriteValue(int value, int size)
        {
            if (size > 0) Write(value < 0 ? value + (1 << size) - 1 : value, size);
        }

        private void Bit(int bit)
        {
            _buffer = (_buffer << 1) | bit;
            if (++_count < 8) return;
            output.Add((byte)_buffer);
            if (_buffer == 0xFF) output.Add(0x00); // byte stuffing
            _buffer = _count = 0;
        }

        public void Flush()
        {
            while (_count != 0) Bit(1);
        }
    }
}
