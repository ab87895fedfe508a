using System.Buffers.Binary;

namespace FastLaDeDa.Tests.Support;

/// <summary>
/// Builds bitmap files field by field, malformed ones included: any info header size, a DIB
/// (no file header), raw palette and pixel bytes as stored (so RLE streams can be written by
/// hand), and any pixel offset.
/// </summary>
internal sealed class TestBmpBuilder
{
    /// <summary>Info header size: 12 (OS/2 1.x), 40, 64, 108 or 124 (or anything, to test refusals).</summary>
    public int HeaderSize { get; init; } = 40;

    public int Width { get; init; } = 1;

    public int Height { get; init; } = 1;

    /// <summary>Store the height negated (top-down rows).</summary>
    public bool TopDown { get; init; }

    public int BitsPerPixel { get; init; } = 24;

    public uint Compression { get; init; }

    /// <summary>The header's colour count (0: 2^bits).</summary>
    public uint ColorsField { get; init; }

    /// <summary>The palette bytes as stored (4 bytes an entry, 3 for OS/2 1.x).</summary>
    public byte[] Palette { get; init; } = [];

    /// <summary>Red, green, blue (and alpha) masks: after a 40-byte header, inside larger ones.</summary>
    public uint[]? Masks { get; init; }

    /// <summary>The pixel data as stored (rows bottom-up unless <see cref="TopDown"/>, padded, or an RLE stream).</summary>
    public byte[] Pixels { get; init; } = [];

    /// <summary>The file header's pixel offset; null puts the pixels right after the palette and says so.</summary>
    public uint? PixelOffset { get; init; }

    /// <summary>Leave out the 14-byte file header (a DIB, as on the clipboard).</summary>
    public bool Dib { get; init; }

    /// <summary>Builds palette bytes (B, G, R, 0 per entry) from RGB triples.</summary>
    public static byte[] Bgrx(params (byte R, byte G, byte B)[] colors) =>
        [.. colors.SelectMany(c => new[] { c.B, c.G, c.R, (byte)0 })];

    /// <summary>The file.</summary>
    public byte[] ToArray()
    {
        // Written as at least 40 bytes, then cut to the declared size (16 and 12 are shorter).
        var info = new byte[Math.Max(HeaderSize, 40)];
        BinaryPrimitives.WriteInt32LittleEndian(info, HeaderSize);
        if (HeaderSize == 12)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(info.AsSpan(4), (ushort)Width);
            BinaryPrimitives.WriteUInt16LittleEndian(info.AsSpan(6), (ushort)Height);
            BinaryPrimitives.WriteUInt16LittleEndian(info.AsSpan(8), 1);
            BinaryPrimitives.WriteUInt16LittleEndian(info.AsSpan(10), (ushort)BitsPerPixel);
        }
        else
        {
            BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(4), Width);
            BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(8), TopDown ? -Height : Height);
            BinaryPrimitives.WriteUInt16LittleEndian(info.AsSpan(12), 1);
            BinaryPrimitives.WriteUInt16LittleEndian(info.AsSpan(14), (ushort)BitsPerPixel);
            BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(16), Compression);
            BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(32), ColorsField);
            if (Masks is not null && HeaderSize >= 56)
                for (int i = 0; i < Masks.Length; i++)
                    BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(40 + 4 * i), Masks[i]);
        }

        var body = new List<byte>(info.Take(HeaderSize));
        if (Masks is not null && HeaderSize == 40)
            foreach (uint mask in Masks.Take(3)) body.AddRange(BitConverter.GetBytes(mask));
        body.AddRange(Palette);
        if (Dib) return [.. body, .. Pixels];

        uint offset = PixelOffset ?? (uint)(14 + body.Count);
        var file = new List<byte>([(byte)'B', (byte)'M', 0, 0, 0, 0, 0, 0, 0, 0, .. BitConverter.GetBytes(offset)]);
        file.AddRange(body);
        while (file.Count < offset && PixelOffset is not null) file.Add(0xEE); // a gap Pillow skips
        file.AddRange(Pixels);
        byte[] bytes = [.. file];
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), bytes.Length);
        return bytes;
    }
}
