using System.Buffers;
using System.Runtime.CompilerServices;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>The four VP8L transforms (RFC 9649 §4), by their 2-bit code.</summary>
internal enum Vp8LTransformType
{
    /// <summary>Spatial prediction, one of 14 predictors per tile.</summary>
    Predictor = 0,

    /// <summary>Decorrelates red and blue from green, multipliers per tile.</summary>
    CrossColor = 1,

    /// <summary>Green was subtracted from red and blue.</summary>
    SubtractGreen = 2,

    /// <summary>Palette indices, possibly 2, 4 or 8 packed per pixel.</summary>
    ColorIndexing = 3,
}

/// <summary>
/// One transform read from a VP8L stream, with its data (the tile sub-image, or the palette expanded
/// as libwebp expands it: delta-decoded, zero-padded to all values an index can take), and its inverse
/// applied to a band of rows.
/// </summary>
internal sealed class Vp8LTransform : IDisposable
{
    private uint[]? _data;

    /// <summary>Creates a transform that owns <paramref name="data"/> (pooled; may be null for subtract-green).</summary>
    public Vp8LTransform(Vp8LTransformType type, int bits, int width, int height, uint[]? data)
    {
        Type = type;
        Bits = bits;
        Width = width;
        Height = height;
        _data = data;
    }

    /// <summary>The transform's type.</summary>
    public Vp8LTransformType Type { get; }

    /// <summary>Tile size bits (predictor, cross-color) or pixels-per-pixel packing bits (color indexing).</summary>
    public int Bits { get; }

    /// <summary>Width of the image the transform outputs.</summary>
    public int Width { get; }

    /// <summary>Height of the image.</summary>
    public int Height { get; }

    /// <summary>Width of the transform's input rows: narrower than <see cref="Width"/> for packed palette indices.</summary>
    public int InputWidth => Type == Vp8LTransformType.ColorIndexing ? SubSampleSize(Width, Bits) : Width;

    /// <summary><paramref name="size"/> divided by 2^<paramref name="bits"/>, rounded up.</summary>
    public static int SubSampleSize(int size, int bits) => (size + (1 << bits) - 1) >> bits;

    /// <summary>
    /// Inverts the transform on rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>):
    /// <paramref name="input"/> holds those rows (<see cref="InputWidth"/> pixels each) and may be the
    /// very memory of the output; the output rows (<see cref="Width"/> each) go to
    /// <paramref name="buffer"/> from <paramref name="outputStart"/>, which for the predictor must be
    /// preceded by the previous output row (kept there for the next band).
    /// </summary>
    public void InverseRows(int rowStart, int rowEnd, ReadOnlySpan<uint> input, Span<uint> buffer, int outputStart)
    {
        int rows = rowEnd - rowStart;
        int pixels = rows * Width;
        switch (Type)
        {
            case Vp8LTransformType.SubtractGreen:
                Vp8LInverseTransforms.AddGreenToBlueAndRed(input[..pixels], buffer.Slice(outputStart, pixels));
                break;
            case Vp8LTransformType.CrossColor:
                InverseCrossColor(rowStart, rowEnd, input, buffer.Slice(outputStart, pixels));
                break;
            case Vp8LTransformType.Predictor:
                InversePredictor(rowStart, rowEnd, input, buffer, outputStart);
                if (rowEnd != Height)
                    buffer.Slice(outputStart + pixels - Width, Width).CopyTo(buffer.Slice(outputStart - Width, Width));
                break;
            default:
                InverseColorIndexing(rows, input, buffer.Slice(outputStart, pixels));
                break;
        }
    }

    private void InversePredictor(int rowStart, int rowEnd, ReadOnlySpan<uint> input, Span<uint> buffer, int outputStart)
    {
        int width = Width;
        int y = rowStart;
        int inOffset = 0;
        int outOffset = outputStart;
        if (y == 0)
        {
            // The first row: black for the first pixel, then the left neighbour.
            Vp8LInverseTransforms.PredictorAdd(0, input[..1], buffer, outOffset, width);
            Vp8LInverseTransforms.PredictorAdd(1, input.Slice(1, width - 1), buffer, outOffset + 1, width);
            inOffset += width;
            outOffset += width;
            y++;
        }

        int tileBits = Bits;
        int tileMask = (1 << tileBits) - 1;
        int tilesPerRow = SubSampleSize(width, tileBits);
        ReadOnlySpan<uint> modes = _data;
        for (; y < rowEnd; y++, inOffset += width, outOffset += width)
        {
            ReadOnlySpan<uint> tileModes = modes.Slice((y >> tileBits) * tilesPerRow, tilesPerRow);
            // The first column: the pixel above.
            Vp8LInverseTransforms.PredictorAdd(2, input.Slice(inOffset, 1), buffer, outOffset, width);
            for (int x = 1; x < width;)
            {
                int mode = (int)((tileModes[x >> tileBits] >> 8) & 0xF);
                int end = Math.Min((x & ~tileMask) + tileMask + 1, width);
                Vp8LInverseTransforms.PredictorAdd(mode, input.Slice(inOffset + x, end - x), buffer, outOffset + x, width);
                x = end;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void InverseCrossColor(int rowStart, int rowEnd, ReadOnlySpan<uint> input, Span<uint> output)
    {
        int width = Width;
        int tileBits = Bits;
        int tileWidth = 1 << tileBits;
        int tilesPerRow = SubSampleSize(width, tileBits);
        ReadOnlySpan<uint> multipliers = _data;
        int offset = 0;
        for (int y = rowStart; y < rowEnd; y++, offset += width)
        {
            ReadOnlySpan<uint> tileMultipliers = multipliers.Slice((y >> tileBits) * tilesPerRow, tilesPerRow);
            for (int tile = 0, x = 0; x < width; tile++, x += tileWidth)
            {
                int count = Math.Min(tileWidth, width - x);
                Vp8LInverseTransforms.TransformColorInverse(tileMultipliers[tile], input.Slice(offset + x, count), output.Slice(offset + x, count));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void InverseColorIndexing(int rows, ReadOnlySpan<uint> input, Span<uint> output)
    {
        ReadOnlySpan<uint> palette = _data;
        int width = Width;
        int inputWidth = InputWidth;
        if (Bits == 0)
        {
            Vp8LInverseTransforms.MapColors(input[..output.Length], palette, output);
            return;
        }
        if (input.Overlaps(output))
        {
            // Unpacking in place: move the packed rows to the end of the output first, so that
            // writing the wider rows never overtakes the packed pixels still to be read.
            int packedLength = rows * inputWidth;
            Span<uint> moved = output[^packedLength..];
            input[..packedLength].CopyTo(moved);
            input = moved;
        }
        int bitsPerIndex = 8 >> Bits;
        int indicesPerPixel = 1 << Bits;
        uint indexMask = (1u << bitsPerIndex) - 1;
        for (int y = 0; y < rows; y++)
        {
            ReadOnlySpan<uint> packedRow = input.Slice(y * inputWidth, inputWidth);
            Span<uint> row = output.Slice(y * width, width);
            uint packed = 0;
            for (int x = 0; x < width; x++)
            {
                if ((x & (indicesPerPixel - 1)) == 0) packed = (packedRow[x >> Bits] >> 8) & 0xFF;
                row[x] = palette[(int)(packed & indexMask)];
                packed >>= bitsPerIndex;
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_data is not null) ArrayPool<uint>.Shared.Return(_data);
        _data = null;
    }
}
