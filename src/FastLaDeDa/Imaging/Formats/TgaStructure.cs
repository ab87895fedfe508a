using System.Buffers.Binary;
using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats;

/// <summary>
/// The header of a Truevision TGA file, read before the pixels are decoded: dimensions (checked
/// against <see cref="ImageLimits"/>), image type and depth limited to what Pillow 9.4 reads, and
/// a check that all pixel data (raw or run-length packets) is present, because stb reads zeros
/// past the end of a cut file where Pillow raises.
/// </summary>
/// <remarks>
/// Pillow honours the right-to-left bit of the descriptor; stb ignores it, so
/// <see cref="MirrorIfRightToLeft"/> flips the rows. stb mishandles a colour map whose first
/// entry index is not 0, so such files are refused.
/// </remarks>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="RightToLeft">Whether pixels are stored right to left (descriptor bit 4).</param>
internal readonly record struct TgaStructure(int Width, int Height, bool RightToLeft)
{
    private const int HeaderSize = 18;

    /// <summary>
    /// TGA has no magic number, so this is the test that tells it from random bytes: a colour-map
    /// type of 0 or 1, a known image type, a known pixel depth, and no interleaving bits.
    /// </summary>
    public static bool HasPlausibleHeader(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderSize) return false;
        int colorMapType = data[1], imageType = data[2], depth = data[16], descriptor = data[17];
        if (colorMapType > 1 || imageType is not (1 or 2 or 3 or 9 or 10 or 11)) return false;
        if (depth is not (8 or 15 or 16 or 24 or 32) || (descriptor & 0xC0) != 0) return false;
        if (colorMapType == 1 && data[7] is not (15 or 16 or 24 or 32)) return false;
        return (imageType is 1 or 9) == (colorMapType == 1);
    }

    /// <summary>Reads and validates the header and checks the pixel data is complete; throws <see cref="ImageDecodeException"/> (or a subclass) otherwise.</summary>
    public static TgaStructure Read(ReadOnlySpan<byte> data, ImageLimits limits, string? source)
    {
        if (data.Length < HeaderSize) throw Truncated(source);
        int idLength = data[0], colorMapType = data[1], imageType = data[2];
        int colorMapStart = BinaryPrimitives.ReadUInt16LittleEndian(data[3..]);
        int colorMapLength = BinaryPrimitives.ReadUInt16LittleEndian(data[5..]);
        int colorMapDepth = data[7];
        int width = BinaryPrimitives.ReadUInt16LittleEndian(data[12..]);
        int height = BinaryPrimitives.ReadUInt16LittleEndian(data[14..]);
        int depth = data[16], descriptor = data[17];

        bool supported = (imageType & 7) switch
        {
            1 => depth == 8 && colorMapType == 1, // palette
            2 => depth is 16 or 24 or 32 && colorMapType == 0, // true colour
            3 => depth is 8 or 16 && colorMapType == 0, // grey (16 = grey + alpha)
            _ => false,
        };
        if (!supported)
            throw new UnsupportedImageFormatException(source, $"TGA image type {imageType} with {depth}-bit pixels (colour map type {colorMapType}) is not supported");
        if (colorMapType == 1 && (colorMapStart != 0 || colorMapLength == 0))
            throw new UnsupportedImageFormatException(source, "TGA colour map that does not start at entry 0 is not supported");
        ImageLimitGuard.CheckDimensions(width, height, limits, source, "TGA");

        int colorMapBytes = colorMapType == 1 ? colorMapLength * ((colorMapDepth + 7) / 8) : 0;
        int pos = HeaderSize + idLength + colorMapBytes;
        int bytesPerPixel = (depth + 7) / 8;
        long pixelCount = (long)width * height;
        if ((imageType & 8) == 0)
        {
            if (pos + pixelCount * bytesPerPixel > data.Length) throw Truncated(source);
        }
        else
        {
            CheckRunLengthPackets(data, pos, pixelCount, bytesPerPixel, source);
        }
        return new TgaStructure(width, height, (descriptor & 0x10) != 0);
    }

    /// <summary>Mirrors every row when the file stores pixels right to left, as Pillow does.</summary>
    public void MirrorIfRightToLeft(Rgb24Image image)
    {
        if (!RightToLeft) return;
        for (int y = 0; y < image.Height; y++)
        {
            Span<byte> row = image.Pixels.AsSpan(y * image.Stride, image.Stride);
            for (int left = 0, right = (image.Width - 1) * 3; left < right; left += 3, right -= 3)
            {
                for (int c = 0; c < 3; c++)
                    (row[left + c], row[right + c]) = (row[right + c], row[left + c]);
            }
        }
    }

    // A packet header byte: high bit set = one pixel repeated (count = low 7 bits + 1), else raw pixels.
    private static void CheckRunLengthPackets(ReadOnlySpan<byte> data, long pos, long pixelCount, int bytesPerPixel, string? source)
    {
        long decoded = 0;
        while (decoded < pixelCount)
        {
            if (pos >= data.Length) throw Truncated(source);
            int packet = data[(int)pos++];
            int count = (packet & 0x7F) + 1;
            pos += (packet & 0x80) != 0 ? bytesPerPixel : (long)count * bytesPerPixel;
            if (pos > data.Length) throw Truncated(source);
            decoded += count;
        }
    }

    private static ImageDecodeException Truncated(string? source) =>
        new(source, "truncated TGA (pixel data incomplete)");
}
