namespace FastLaDeDa.Tests.Support;

/// <summary>
/// Builds GIF files block by block, malformed ones included, with LZW data given as explicit
/// codes (see <see cref="LzwCodes"/>).
/// </summary>
internal sealed class TestGifBuilder
{
    private readonly List<byte> _bytes = [];

    /// <summary>Starts a GIF89a with a logical screen and an optional global colour table (RGB triples; its length sets the size field).</summary>
    public TestGifBuilder(int width, int height, byte[]? globalTable = null, int background = 0)
    {
        _bytes.AddRange("GIF89a"u8.ToArray());
        AddUInt16(width);
        AddUInt16(height);
        _bytes.Add(globalTable is null ? (byte)0 : (byte)(0x80 | 0x70 | TableSizeBits(globalTable)));
        _bytes.Add((byte)background);
        _bytes.Add(0);
        if (globalTable is not null) _bytes.AddRange(globalTable);
    }

    /// <summary>A Graphic Control Extension, with a transparent index when given.</summary>
    public TestGifBuilder GraphicControl(int? transparentIndex) =>
        Raw(0x21, 0xF9, 4, (byte)(transparentIndex is null ? 0 : 1), 0, 0, (byte)(transparentIndex ?? 0), 0);

    /// <summary>Bytes as they are.</summary>
    public TestGifBuilder Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    /// <summary>An image descriptor, its local table (RGB triples) if any, the LZW code size and the data in sub-blocks of <paramref name="blockSize"/>.</summary>
    public TestGifBuilder Image(int left, int top, int width, int height, int minimumCodeSize, byte[] lzwData,
        byte[]? localTable = null, bool interlaced = false, int blockSize = 255, bool terminate = true)
    {
        _bytes.Add(0x2C);
        AddUInt16(left);
        AddUInt16(top);
        AddUInt16(width);
        AddUInt16(height);
        _bytes.Add((byte)((localTable is null ? 0 : 0x80 | TableSizeBits(localTable)) | (interlaced ? 0x40 : 0)));
        if (localTable is not null) _bytes.AddRange(localTable);
        _bytes.Add((byte)minimumCodeSize);
        for (int pos = 0; pos < lzwData.Length; pos += blockSize)
        {
            int n = Math.Min(blockSize, lzwData.Length - pos);
            _bytes.Add((byte)n);
            _bytes.AddRange(lzwData.AsSpan(pos, n).ToArray());
        }
        if (terminate) _bytes.Add(0);
        return this;
    }

    /// <summary>The trailer.</summary>
    public TestGifBuilder Trailer() => Raw(0x3B);

    /// <summary>The file.</summary>
    public byte[] ToArray() => [.. _bytes];

    /// <summary>RGB triples of a grey ramp of <paramref name="entries"/> entries (the table Pillow drops).</summary>
    public static byte[] GreyRamp(int entries) => [.. Enumerable.Range(0, entries).SelectMany(i => new[] { (byte)i, (byte)i, (byte)i })];

    private static int TableSizeBits(byte[] table) => (int)Math.Log2(table.Length / 3) - 1;

    private void AddUInt16(int value)
    {
        _bytes.Add((byte)value);
        _bytes.Add((byte)(value >> 8));
    }
}
