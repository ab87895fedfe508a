using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace FastLaDeDa.Tests.Support;

/// <summary>
/// A tiny PNG encoder for building test images of every bit depth and colour type (filter 0 or
/// any filter per row, zlib via <see cref="ZLibStream"/>, optional Adam7 interlacing), plus raw
/// chunk helpers for crafting damaged files.
/// </summary>
internal static class TestPngWriter
{
    public static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly (int X, int Y, int DX, int DY)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    /// <summary>Encodes an image whose sample (x, y, channel) is given by <paramref name="sample"/>.</summary>
    /// <param name="filter">The filter type (0–4) of each stored row, by its index in the data (rows of all passes counted); 0 when null.</param>
    public static byte[] Encode(int width, int height, int bitDepth, int colorType, Func<int, int, int, int> sample,
        byte[]? palette = null, byte[]? transparency = null, bool interlaced = false, Func<int, int>? filter = null)
    {
        byte[] raw = ImageData(width, height, bitDepth, colorType, sample, interlaced, filter);
        var chunks = new List<byte[]> { Chunk("IHDR", Header(width, height, bitDepth, colorType, interlaced)) };
        if (palette is not null) chunks.Add(Chunk("PLTE", palette));
        if (transparency is not null) chunks.Add(Chunk("tRNS", transparency));
        chunks.Add(Chunk("IDAT", Compress(raw)));
        chunks.Add(Chunk("IEND", []));
        return Assemble(chunks);
    }

    /// <summary>The uncompressed image data: each row's filter byte and filtered bytes, pass after pass when interlaced.</summary>
    public static byte[] ImageData(int width, int height, int bitDepth, int colorType, Func<int, int, int, int> sample,
        bool interlaced = false, Func<int, int>? filter = null)
    {
        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => throw new ArgumentOutOfRangeException(nameof(colorType)) };
        var raw = new MemoryStream();
        int rowIndex = 0;
        foreach (var (x0, y0, dx, dy) in interlaced ? Adam7 : [(0, 0, 1, 1)])
            WriteRows(raw, x0, y0, dx, dy, width, height, bitDepth, channels, sample, filter ?? (_ => 0), ref rowIndex);
        return raw.ToArray();
    }

    public static byte[] Header(uint width, uint height, int bitDepth, int colorType, bool interlaced = false)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), height);
        header[8] = (byte)bitDepth;
        header[9] = (byte)colorType;
        header[12] = (byte)(interlaced ? 1 : 0);
        return header;
    }

    public static byte[] Header(int width, int height, int bitDepth, int colorType, bool interlaced = false) =>
        Header((uint)width, (uint)height, bitDepth, colorType, interlaced);

    /// <summary>A chunk: length, type, data, CRC-32 of type and data.</summary>
    public static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    public static byte[] Assemble(IEnumerable<byte[]> chunks) => [.. Signature, .. chunks.SelectMany(c => c)];

    public static byte[] Compress(byte[] data)
    {
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(data);
        return compressed.ToArray();
    }

    private static void WriteRows(MemoryStream raw, int x0, int y0, int dx, int dy, int width, int height, int bitDepth, int channels,
        Func<int, int, int, int> sample, Func<int, int> filter, ref int rowIndex)
    {
        if (x0 >= width || y0 >= height) return; // empty Adam7 pass
        int bytesPerPixel = Math.Max(1, channels * bitDepth / 8);
        byte[] prior = [];
        for (int y = y0; y < height; y += dy)
        {
            var row = new MemoryStream();
            int bitBuffer = 0, bitCount = 0;
            for (int x = x0; x < width; x += dx)
            {
                for (int c = 0; c < channels; c++)
                {
                    int v = sample(x, y, c);
                    if (bitDepth == 16) { row.WriteByte((byte)(v >> 8)); row.WriteByte((byte)v); }
                    else if (bitDepth == 8) row.WriteByte((byte)v);
                    else
                    {
                        bitBuffer = (bitBuffer << bitDepth) | v;
                        bitCount += bitDepth;
                        if (bitCount == 8) { row.WriteByte((byte)bitBuffer); bitBuffer = 0; bitCount = 0; }
                    }
                }
            }
            if (bitCount > 0) row.WriteByte((byte)(bitBuffer << (8 - bitCount)));
            byte[] bytes = row.ToArray();
            if (prior.Length == 0) prior = new byte[bytes.Length]; // the first row of a pass is filtered against zeros
            int type = filter(rowIndex++);
            raw.WriteByte((byte)type);
            raw.Write(Filter(type, bytes, prior, bytesPerPixel));
            prior = bytes;
        }
    }

    /// <summary>PNG filtering as the specification defines it (the encoder's side: predictions from the original bytes).</summary>
    public static byte[] Filter(int type, byte[] row, byte[] prior, int bytesPerPixel)
    {
        var filtered = new byte[row.Length];
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0, b = prior[i], c = i >= bytesPerPixel ? prior[i - bytesPerPixel] : 0;
            int predicted = type switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => Paeth(a, b, c),
                _ => throw new ArgumentOutOfRangeException(nameof(type)),
            };
            filtered[i] = (byte)(row[i] - predicted);
        }
        return filtered;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static uint Crc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
