using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastLaDeDa.Imaging.Formats.Png;

/// <summary>
/// Turns one unfiltered scanline into RGB the way Pillow 9.4 gets there: the mode and unpacker
/// <c>PngImagePlugin._MODES</c> picks for the bit depth and colour type, then
/// <c>convert("RGB")</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Grey at 1, 2, 4 bits: modes "1", "L;2", "L;4": the levels scaled by 255, 85, 17. Grey at 8
/// bits: "L". All four go through a 256-entry grey table like palette indices.</item>
/// <item>Palette: indices ("P;1" ... "P") looked up in Pillow's 256-entry palette, whose entries
/// past the file's PLTE stay a grey ramp (<see cref="IndexedPalette"/>).</item>
/// <item>Grey at 16 bits: mode "I" (0..65535); <c>convert("RGB")</c> clips to 255.</item>
/// <item>RGB, RGBA, grey + alpha at 8 or 16 bits: the first (most significant) byte of each
/// colour or grey sample; alpha is dropped, never composited.</item>
/// </list>
/// </remarks>
internal sealed class PngRowExpander : IDisposable
{
    private enum Kind { Indexed, Grey16, Rgb8, Rgba8, Picked }

    private readonly Kind _kind;
    private readonly int _bitDepth;
    private readonly IndexedPalette? _table;
    private readonly int _stride, _green, _blue; // Picked: bytes per pixel; offsets of G and B (R is at 0)
    private byte[]? _indices;                    // sub-byte depths: the unpacked indices of one row

    /// <summary>An expander for rows of an image with <paramref name="header"/>'s format.</summary>
    /// <param name="header">Bit depth and colour type.</param>
    /// <param name="palette">The palette of a colour-type-3 image; ignored otherwise.</param>
    /// <param name="maxPixels">The longest row that will be expanded.</param>
    public PngRowExpander(PngStructure header, IndexedPalette? palette, int maxPixels)
    {
        _bitDepth = header.BitDepth;
        int channels = Channels(header);
        int sampleBytes = _bitDepth == 16 ? 2 : 1;
        BytesPerPixel = Math.Max(1, channels * _bitDepth / 8);
        if (header.ColorType == PngStructure.Palette || (header.ColorType == PngStructure.Grey && _bitDepth <= 8))
        {
            _kind = Kind.Indexed;
            _table = header.ColorType == PngStructure.Palette
                ? palette ?? throw new ArgumentNullException(nameof(palette))
                : GreyLevels(_bitDepth);
            if (_bitDepth < 8) _indices = ArrayPool<byte>.Shared.Rent(maxPixels);
        }
        else if (header.ColorType == PngStructure.Grey)
        {
            _kind = Kind.Grey16;
        }
        else if (_bitDepth == 8 && header.ColorType is PngStructure.Rgb or PngStructure.Rgba)
        {
            _kind = header.ColorType == PngStructure.Rgb ? Kind.Rgb8 : Kind.Rgba8;
        }
        else
        {
            _kind = Kind.Picked;
            _stride = channels * sampleBytes;
            // Grey + alpha repeats the grey sample; colour takes the next samples.
            (_green, _blue) = header.ColorType == PngStructure.GreyAlpha ? (0, 0) : (sampleBytes, 2 * sampleBytes);
        }
    }

    /// <summary>Bytes per complete pixel for the filters: 1 for bit depths below 8.</summary>
    public int BytesPerPixel { get; }

    /// <summary>Bytes in a scanline of <paramref name="pixels"/> pixels (without the filter byte).</summary>
    public static int RowBytes(PngStructure header, int pixels) =>
        (int)(((long)pixels * Channels(header) * header.BitDepth + 7) / 8);

    /// <summary>Samples per pixel of the colour type.</summary>
    private static int Channels(PngStructure header) => header.ColorType switch
    {
        PngStructure.Grey or PngStructure.Palette => 1,
        PngStructure.GreyAlpha => 2,
        PngStructure.Rgb => 3,
        _ => 4,
    };

    /// <summary>Writes the RGB of the first <paramref name="pixels"/> pixels of <paramref name="row"/> to <paramref name="rgb"/>.</summary>
    public void Expand(ReadOnlySpan<byte> row, int pixels, Span<byte> rgb)
    {
        rgb = rgb[..(pixels * 3)];
        switch (_kind)
        {
            case Kind.Rgb8:
                row[..(pixels * 3)].CopyTo(rgb);
                break;
            case Kind.Rgba8:
                DropAlpha(row[..(pixels * 4)], rgb);
                break;
            case Kind.Indexed when _bitDepth == 8:
                _table!.Expand(row[..pixels], rgb);
                break;
            case Kind.Indexed:
                Span<byte> indices = _indices.AsSpan(0, pixels);
                Unpack(row, _bitDepth, indices);
                _table!.Expand(indices, rgb);
                break;
            case Kind.Grey16:
                for (int i = 0, o = 0; i < pixels; i++, o += 3)
                {
                    // Clipping a big-endian 16-bit value to 255: a non-zero high byte means 255.
                    byte value = row[2 * i] != 0 ? (byte)255 : row[2 * i + 1];
                    rgb[o] = rgb[o + 1] = rgb[o + 2] = value;
                }
                break;
            default:
                for (int i = 0, s = 0, o = 0; i < pixels; i++, s += _stride, o += 3)
                {
                    rgb[o] = row[s];
                    rgb[o + 1] = row[s + _green];
                    rgb[o + 2] = row[s + _blue];
                }
                break;
        }
    }

    /// <summary>Returns the index buffer to the pool.</summary>
    public void Dispose()
    {
        if (_indices is not null) ArrayPool<byte>.Shared.Return(_indices);
        _indices = null;
    }

    /// <summary>RGBA → RGB: four pixels per 16-byte shuffle where vectors are accelerated, the rest one by one.</summary>
    private static void DropAlpha(ReadOnlySpan<byte> rgba, Span<byte> rgb)
    {
        int pixels = rgb.Length / 3, i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            // The last four lanes are overwritten by the next store, or lie past the pixels
            // converted here: the loop stops while a 16-byte store still ends inside the row.
            Vector128<byte> pick = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0, 0, 0, 0);
            ref byte source = ref MemoryMarshal.GetReference(rgba);
            ref byte destination = ref MemoryMarshal.GetReference(rgb);
            for (; i + 6 <= pixels; i += 4)
                Vector128.Shuffle(Vector128.LoadUnsafe(ref source, (nuint)(4 * i)), pick).StoreUnsafe(ref destination, (nuint)(3 * i));
        }
        for (; i < pixels; i++)
        {
            rgb[3 * i] = rgba[4 * i];
            rgb[3 * i + 1] = rgba[4 * i + 1];
            rgb[3 * i + 2] = rgba[4 * i + 2];
        }
    }

    /// <summary>Splits packed 1-, 2- or 4-bit samples (most significant first) into one byte each.</summary>
    private static void Unpack(ReadOnlySpan<byte> row, int bitDepth, Span<byte> samples)
    {
        int perByte = 8 / bitDepth, mask = (1 << bitDepth) - 1;
        for (int i = 0; i < samples.Length; i++)
        {
            int shift = 8 - bitDepth * (i % perByte + 1);
            samples[i] = (byte)((row[i / perByte] >> shift) & mask);
        }
    }

    /// <summary>The grey table of a depth: level v shows as v × 255 / (2^depth − 1).</summary>
    private static IndexedPalette GreyLevels(int bitDepth)
    {
        if (bitDepth == 8) return IndexedPalette.GreyRamp();
        int levels = 1 << bitDepth, scale = 255 / (levels - 1);
        var table = new byte[levels * 3];
        for (int v = 0; v < levels; v++) table[3 * v] = table[3 * v + 1] = table[3 * v + 2] = (byte)(v * scale);
        return IndexedPalette.FromTable(table, 3, blueFirst: false);
    }
}
