using System.Buffers.Binary;
using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats;

/// <summary>
/// A walk over a PNG's chunks, done before the pixels are decoded: the signature, IHDR first
/// (dimensions checked against <see cref="ImageLimits"/> at once, bit depth and colour type
/// validated), every chunk length inside the file, every chunk's CRC-32, and an IEND at the end.
/// The pixels are then decoded by <see cref="Png.PngDecoder"/>, which relies on this validation.
/// </summary>
/// <remarks>
/// This is stricter than Pillow in two ways, on purpose: Pillow does not check the CRCs of IDAT
/// chunks and tolerates a missing IEND once all pixel rows are decoded. A detector should not
/// score a file whose bytes are known to be damaged.
/// </remarks>
/// <param name="Width">Width from IHDR.</param>
/// <param name="Height">Height from IHDR.</param>
/// <param name="BitDepth">Bits per sample (1, 2, 4, 8 or 16).</param>
/// <param name="ColorType">PNG colour type: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA.</param>
/// <param name="Interlaced">Whether the image is Adam7-interlaced.</param>
internal readonly record struct PngStructure(int Width, int Height, int BitDepth, int ColorType, bool Interlaced)
{
    public const int Grey = 0, Rgb = 2, Palette = 3, GreyAlpha = 4, Rgba = 6;

    /// <summary>The 8-byte PNG file signature.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Walks <paramref name="data"/>; throws <see cref="ImageDecodeException"/> (or a subclass) when it is not a complete, valid PNG.</summary>
    public static PngStructure Read(ReadOnlySpan<byte> data, ImageLimits limits, string? source)
    {
        if (!data.StartsWith(Signature))
            throw data.Length < Signature.Length ? Truncated(source) : Corrupt(source, "invalid signature");

        PngStructure? header = null;
        bool sawPalette = false, sawImageData = false;
        int pos = Signature.Length;
        while (true)
        {
            if (data.Length - pos < 12) throw Truncated(source);
            uint length = BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
            ReadOnlySpan<byte> type = data.Slice(pos + 4, 4);
            if (length > int.MaxValue) throw Corrupt(source, $"chunk length {length} out of range at offset {pos}");
            if (!IsChunkType(type)) throw Corrupt(source, $"invalid chunk type at offset {pos}");
            if (data.Length - pos - 12 < length) throw Truncated(source);

            ReadOnlySpan<byte> body = data.Slice(pos + 8, (int)length);
            uint storedCrc = BinaryPrimitives.ReadUInt32BigEndian(data[(pos + 8 + (int)length)..]);
            string name = System.Text.Encoding.ASCII.GetString(type);
            if (Crc32.Compute(data.Slice(pos + 4, 4 + (int)length)) != storedCrc)
                throw Corrupt(source, $"CRC mismatch in {name} chunk at offset {pos}");

            if (header is null)
            {
                if (name != "IHDR") throw Corrupt(source, "first chunk is not IHDR");
                header = ReadHeader(body, limits, source);
            }
            else
            {
                switch (name)
                {
                    case "IHDR": throw Corrupt(source, "more than one IHDR chunk");
                    case "PLTE": sawPalette = true; break;
                    case "IDAT": sawImageData = true; break;
                    case "IEND":
                        if (!sawImageData) throw Corrupt(source, "no IDAT chunk");
                        if (header.Value.ColorType == Palette && !sawPalette) throw Corrupt(source, "palette image without a PLTE chunk");
                        return header.Value;
                }
            }
            pos += 12 + (int)length;
        }
    }

    private static PngStructure ReadHeader(ReadOnlySpan<byte> body, ImageLimits limits, string? source)
    {
        if (body.Length != 13) throw Corrupt(source, "IHDR chunk has the wrong length");
        uint width = BinaryPrimitives.ReadUInt32BigEndian(body);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        int bitDepth = body[8], colorType = body[9], compression = body[10], filter = body[11], interlace = body[12];
        bool validDepth = colorType switch
        {
            Grey => bitDepth is 1 or 2 or 4 or 8 or 16,
            Palette => bitDepth is 1 or 2 or 4 or 8,
            Rgb or GreyAlpha or Rgba => bitDepth is 8 or 16,
            _ => false,
        };
        if (!validDepth) throw Corrupt(source, $"invalid bit depth {bitDepth} for colour type {colorType}");
        if (compression != 0 || filter != 0 || interlace > 1)
            throw Corrupt(source, "unknown compression, filter or interlace method in IHDR");
        ImageLimitGuard.CheckDimensions(width, height, limits, source, "PNG");
        return new PngStructure((int)width, (int)height, bitDepth, colorType, interlace == 1);
    }

    private static bool IsChunkType(ReadOnlySpan<byte> type)
    {
        foreach (byte b in type)
            if (b is not ((>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z')))
                return false;
        return true;
    }

    private static ImageDecodeException Truncated(string? source) =>
        new(source, "truncated PNG (no IEND chunk)");

    private static ImageDecodeException Corrupt(string? source, string what) =>
        new(source, $"corrupt PNG: {what}");
}
