using System.Buffers.Binary;
using System.Text;

namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>Builds WebP RIFF containers chunk by chunk (WebP container specification).</summary>
internal static class WebpTestFile
{
    /// <summary>A chunk: FourCC, payload size, payload, and a zero padding byte when the size is odd.</summary>
    public static byte[] Chunk(string fourCC, ReadOnlySpan<byte> payload)
    {
        var chunk = new byte[8 + payload.Length + (payload.Length & 1)];
        Encoding.ASCII.GetBytes(fourCC).CopyTo(chunk, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(chunk.AsSpan(8));
        return chunk;
    }

    /// <summary>"RIFF", size, "WEBP", then the chunks.</summary>
    public static byte[] Riff(params byte[][] chunks)
    {
        byte[] body = [.. Encoding.ASCII.GetBytes("WEBP"), .. chunks.SelectMany(c => c)];
        byte[] file = [.. Encoding.ASCII.GetBytes("RIFF"), 0, 0, 0, 0, .. body];
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)body.Length);
        return file;
    }

    /// <summary>A simple lossless file.</summary>
    public static byte[] Lossless(byte[] vp8lStream) => Riff(Chunk("VP8L", vp8lStream));

    /// <summary>A VP8X chunk: flags, canvas size.</summary>
    public static byte[] Vp8X(int flags, int canvasWidth, int canvasHeight)
    {
        var payload = new byte[10];
        payload[0] = (byte)flags;
        WriteUInt24(payload, 4, canvasWidth - 1);
        WriteUInt24(payload, 7, canvasHeight - 1);
        return Chunk("VP8X", payload);
    }

    /// <summary>An ANIM chunk.</summary>
    public static byte[] Anim(uint backgroundColor = 0xFFFFFFFF, int loopCount = 0)
    {
        var payload = new byte[6];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, backgroundColor);
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(4), (ushort)loopCount);
        return Chunk("ANIM", payload);
    }

    /// <summary>An ANMF chunk: offsets (even), the size its header declares, duration, flags, then the frame's chunks.</summary>
    public static byte[] Anmf(int x, int y, int width, int height, params byte[][] frameChunks)
    {
        var header = new byte[16];
        WriteUInt24(header, 0, x / 2);
        WriteUInt24(header, 3, y / 2);
        WriteUInt24(header, 6, width - 1);
        WriteUInt24(header, 9, height - 1);
        WriteUInt24(header, 12, 100);
        return Chunk("ANMF", [.. header, .. frameChunks.SelectMany(c => c)]);
    }

    /// <summary>VP8X flag bits.</summary>
    public const int AnimationFlag = 0x02, XmpFlag = 0x04, ExifFlag = 0x08, AlphaFlag = 0x10, IccFlag = 0x20;

    private static void WriteUInt24(byte[] buffer, int offset, int value)
    {
        buffer[offset] = (byte)value;
        buffer[offset + 1] = (byte)(value >> 8);
        buffer[offset + 2] = (byte)(value >> 16);
    }

    /// <summary>Offsets and FourCCs of the top-level chunks (and those inside ANMF chunks).</summary>
    public static List<(int Offset, string FourCC, int Size)> Chunks(byte[] file)
    {
        var result = new List<(int, string, int)>();
        void Walk(int start, int end, bool nested)
        {
            int position = start;
            while (position + 8 <= end)
            {
                string fourCC = Encoding.ASCII.GetString(file, position, 4);
                int size = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(position + 4));
                result.Add((position, fourCC, size));
                if (fourCC == "ANMF" && !nested) Walk(position + 24, Math.Min(end, position + 8 + size), true);
                position += 8 + size + (size & 1);
            }
        }
        Walk(12, file.Length, false);
        return result;
    }
}
