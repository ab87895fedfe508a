namespace FastLaDeDa.Imaging.Formats.Png;

/// <summary>
/// Undoes the PNG filters one byte at a time, exactly as the specification (and Pillow's
/// <c>ZipDecode.c</c>) states them: the reference <see cref="PngUnfilterVector256"/> is tested
/// against, what it falls back on where vectors do not pay, and the whole of
/// <see cref="PngUnfilterScalar"/>.
/// </summary>
internal static class PngUnfilterReference
{
    /// <summary>
    /// Writes the unfiltered row to <c>current[Pad .. Pad + rowBytes]</c> from the filtered bytes
    /// <c>raw[..rowBytes]</c> and the previous unfiltered row <c>prior[Pad .. Pad + rowBytes]</c>
    /// (zeros for the first row of an image or pass). Both padded rows follow <see cref="PngRowLayout"/>:
    /// their first <see cref="PngRowLayout.Pad"/> bytes are zero.
    /// </summary>
    public static void Unfilter(PngFilterType filter, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> prior, Span<byte> current, int rowBytes, int bytesPerPixel)
    {
        const int pad = PngRowLayout.Pad;
        ReadOnlySpan<byte> input = raw[..rowBytes];
        ReadOnlySpan<byte> above = prior.Slice(pad, rowBytes);
        Span<byte> output = current.Slice(pad, rowBytes);
        // Left neighbours: current[pad + i - bpp] and prior[pad + i - bpp], zero before the row.
        switch (filter)
        {
            case PngFilterType.None:
                input.CopyTo(output);
                break;
            case PngFilterType.Sub:
                for (int i = 0; i < rowBytes; i++)
                    output[i] = (byte)(input[i] + current[pad + i - bytesPerPixel]);
                break;
            case PngFilterType.Up:
                for (int i = 0; i < rowBytes; i++)
                    output[i] = (byte)(input[i] + above[i]);
                break;
            case PngFilterType.Average:
                for (int i = 0; i < rowBytes; i++)
                    output[i] = (byte)(input[i] + ((current[pad + i - bytesPerPixel] + above[i]) >> 1));
                break;
            case PngFilterType.Paeth:
                for (int i = 0; i < rowBytes; i++)
                    output[i] = (byte)(input[i] + Paeth(current[pad + i - bytesPerPixel], above[i], prior[pad + i - bytesPerPixel]));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(filter), filter, "not a PNG filter type");
        }
    }

    /// <summary>The Paeth predictor of left <paramref name="a"/>, above <paramref name="b"/> and upper left <paramref name="c"/>.</summary>
    public static int Paeth(int a, int b, int c)
    {
        int pa = Abs(b - c), pb = Abs(a - c), pc = Abs(a + b - 2 * c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    // Branch-free |x| (Math.Abs checks for int.MinValue, which cannot occur here).
    private static int Abs(int x) => (x ^ (x >> 31)) - (x >> 31);
}
