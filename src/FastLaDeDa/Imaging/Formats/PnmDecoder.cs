using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats;

/// <summary>
/// Decodes the Netpbm formats P1–P6 (PBM, PGM, PPM; plain and raw) the way Pillow 9.4's
/// PpmImagePlugin does. StbImageSharp has no PNM decoder, and the format is small enough to
/// read directly.
/// </summary>
/// <remarks>
/// Pillow's rules, replicated here:
/// <list type="bullet">
/// <item>Samples are rescaled to 0..255 as <c>round(v / maxval * 255)</c> with Python's
/// round-half-to-even (raw samples above maxval are clamped to 255; plain ones are an error).</item>
/// <item>A grey image with maxval above 255 opens in mode "I" with samples rescaled to 0..65535,
/// and <c>convert("RGB")</c> then CLIPS each value to 255, so almost every pixel becomes white.
/// That is what the official pipeline sees, so it is what FastLaDeDa returns.</item>
/// <item>PBM: 1 is black, 0 is white.</item>
/// <item>Header tokens are at most 10 characters; a <c>#</c> comment runs to the end of the line
/// and does not end a token.</item>
/// </list>
/// A file whose raster is shorter than its header promises is an error, as in Pillow.
/// </remarks>
internal static class PnmDecoder
{
    private const int MaxTokenLength = 10;

    /// <summary>"P1".."P6" followed by whitespace.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> data) =>
        data.Length >= 3 && data[0] == 'P' && data[1] is >= (byte)'1' and <= (byte)'6' && IsWhitespace(data[2]);

    /// <summary>Decodes a PNM image; throws <see cref="ImageDecodeException"/> (or a subclass) when it is invalid or incomplete.</summary>
    public static Rgb24Image Decode(ReadOnlySpan<byte> data, ImageLimits limits, string? source)
    {
        char kind = (char)data[1];
        int pos = 3; // magic and the whitespace after it
        long width = ReadHeaderToken(data, ref pos, source);
        long height = ReadHeaderToken(data, ref pos, source);
        bool bitmap = kind is '1' or '4';
        long maxValue = bitmap ? 1 : ReadHeaderToken(data, ref pos, source);
        if (!bitmap && maxValue is < 1 or > 65535)
            throw new ImageDecodeException(source, $"corrupt PNM: maxval {maxValue} is not in 1..65535");
        ImageLimitGuard.CheckDimensions(width, height, limits, source, "PNM");

        var image = new Rgb24Image((int)width, (int)height, new byte[width * height * 3]);
        ReadOnlySpan<byte> raster = data[Math.Min(pos, data.Length)..];
        switch (kind)
        {
            case '4': DecodeRawBitmap(raster, image, source); break;
            case '5': DecodeRaw(raster, image, channels: 1, (int)maxValue, source); break;
            case '6': DecodeRaw(raster, image, channels: 3, (int)maxValue, source); break;
            case '1': DecodePlainBitmap(raster, image, source); break;
            case '2': DecodePlain(raster, image, channels: 1, (int)maxValue, source); break;
            default: DecodePlain(raster, image, channels: 3, (int)maxValue, source); break;
        }
        return image;
    }

    private static void DecodeRawBitmap(ReadOnlySpan<byte> raster, Rgb24Image image, string? source)
    {
        int rowBytes = (image.Width + 7) / 8;
        if ((long)rowBytes * image.Height > raster.Length) throw Truncated(source);
        byte[] pixels = image.Pixels;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                bool black = (raster[y * rowBytes + (x >> 3)] & (0x80 >> (x & 7))) != 0;
                pixels.AsSpan((y * image.Width + x) * 3, 3).Fill(black ? (byte)0 : (byte)255);
            }
        }
    }

    private static void DecodeRaw(ReadOnlySpan<byte> raster, Rgb24Image image, int channels, int maxValue, string? source)
    {
        int bytesPerSample = maxValue < 256 ? 1 : 2;
        long samples = (long)image.Width * image.Height * channels;
        if (samples * bytesPerSample > raster.Length) throw Truncated(source);
        byte[] lookup = BuildLookup(maxValue, channels, clampAboveMax: true);
        byte[] pixels = image.Pixels;
        for (long i = 0; i < samples; i++)
        {
            int raw = bytesPerSample == 1 ? raster[(int)i] : (raster[(int)(2 * i)] << 8) | raster[(int)(2 * i + 1)];
            Store(pixels, i, channels, lookup[raw]);
        }
    }

    private static void DecodePlainBitmap(ReadOnlySpan<byte> raster, Rgb24Image image, string? source)
    {
        // Every data token is one character, so whitespace between them is optional.
        long pixelCount = (long)image.Width * image.Height;
        long count = 0;
        int pos = 0;
        while (count < pixelCount)
        {
            if (pos >= raster.Length) throw Truncated(source);
            byte c = raster[pos++];
            if (IsWhitespace(c)) continue;
            if (c == '#') { SkipComment(raster, ref pos); continue; }
            if (c is not ((byte)'0' or (byte)'1'))
                throw new ImageDecodeException(source, $"corrupt PBM: invalid character 0x{c:X2} in the data");
            Store(image.Pixels, count++, 1, c == '1' ? (byte)0 : (byte)255);
        }
    }

    private static void DecodePlain(ReadOnlySpan<byte> raster, Rgb24Image image, int channels, int maxValue, string? source)
    {
        byte[] lookup = BuildLookup(maxValue, channels, clampAboveMax: false);
        long samples = (long)image.Width * image.Height * channels;
        int pos = 0;
        for (long i = 0; i < samples; i++)
        {
            long value = ReadToken(raster, ref pos, source, inHeader: false);
            if (value > maxValue)
                throw new ImageDecodeException(source, $"corrupt PNM: sample value {value} is above maxval {maxValue}");
            Store(image.Pixels, i, channels, lookup[value]);
        }
    }

    /// <summary>
    /// The final 8-bit value of every possible sample, computed as Pillow computes it: rescale to
    /// the mode's range (0..65535 for a grey image with maxval above 255, else 0..255) with
    /// round-half-to-even, then for mode "I" clip to 255 in <c>convert("RGB")</c>.
    /// </summary>
    private static byte[] BuildLookup(int maxValue, int channels, bool clampAboveMax)
    {
        bool modeI = channels == 1 && maxValue > 255;
        int outMax = modeI ? 65535 : 255;
        int entries = maxValue < 256 ? 256 : 65536;
        var lookup = new byte[entries];
        for (int v = 0; v < entries; v++)
        {
            double scaled = v <= maxValue || clampAboveMax
                ? Math.Min(outMax, Math.Round(v / (double)maxValue * outMax, MidpointRounding.ToEven))
                : 0;
            lookup[v] = (byte)Math.Min(scaled, 255);
        }
        return lookup;
    }

    private static void Store(byte[] pixels, long sample, int channels, byte value)
    {
        if (channels == 3)
        {
            pixels[sample] = value;
        }
        else
        {
            long i = sample * 3;
            pixels[i] = pixels[i + 1] = pixels[i + 2] = value;
        }
    }

    private static long ReadHeaderToken(ReadOnlySpan<byte> data, ref int pos, string? source) =>
        ReadToken(data, ref pos, source, inHeader: true);

    /// <summary>
    /// Reads one decimal token: skips leading whitespace, ends at (and consumes) one whitespace
    /// character or the end of the data; a <c>#</c> comment is skipped without ending the token.
    /// </summary>
    private static long ReadToken(ReadOnlySpan<byte> data, ref int pos, string? source, bool inHeader)
    {
        long value = 0;
        int digits = 0;
        while (pos < data.Length)
        {
            byte c = data[pos++];
            if (IsWhitespace(c))
            {
                if (digits == 0) continue;
                break;
            }
            if (c == '#')
            {
                SkipComment(data, ref pos);
                continue;
            }
            if (c is < (byte)'0' or > (byte)'9' || ++digits > MaxTokenLength)
                throw new ImageDecodeException(source, $"corrupt PNM: invalid {(inHeader ? "header" : "sample")} token at offset {pos - 1}");
            value = value * 10 + (c - '0');
        }
        if (digits == 0)
            throw inHeader ? new ImageDecodeException(source, "truncated PNM (header incomplete)") : Truncated(source);
        return value;
    }

    // Pillow ends a comment at CR, LF or the end of the data.
    private static void SkipComment(ReadOnlySpan<byte> data, ref int pos)
    {
        while (pos < data.Length && data[pos] is not ((byte)'\r' or (byte)'\n')) pos++;
        if (pos < data.Length) pos++;
    }

    private static bool IsWhitespace(byte b) => b is 0x20 or 0x09 or 0x0A or 0x0B or 0x0C or 0x0D;

    private static ImageDecodeException Truncated(string? source) =>
        new(source, "truncated PNM (pixel data incomplete)");
}
