using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// Decodes a VP8L (WebP lossless, RFC 9649) bitstream the way libwebp 1.2.4 does, including which
/// damaged streams it rejects: the ARGB image of a "VP8L" chunk to RGB, or the headerless stream of
/// a compressed alpha plane to alpha bytes.
/// </summary>
/// <remarks>
/// Pixels are decoded into a pooled ARGB buffer (backward references may reach any earlier pixel);
/// every 16 rows the inverse transforms are applied to that band into a small cache, which is then
/// written out, so the output is produced while the band is still in the CPU cache. Work is linear
/// in the pixels and in the input bits: the largest memory is the image itself (checked against
/// <see cref="ImageLimits"/> by the caller) and the Huffman tables (capped).
/// </remarks>
internal sealed class Vp8LDecoder : IDisposable
{
    /// <summary>The first byte of every VP8L chunk.</summary>
    public const byte Signature = 0x2F;

    private const int MaxTransforms = 4;
    private const int BandRows = 16;
    private const int LiteralCodes = 256;
    private const int LengthCodes = 24;
    private const int CodeToPlaneCodes = 120;
    private const int MetaGroupsBeforeRemapping = 1000;

    /// <summary>(dy, 8 − dx) of the 120 short distance codes (RFC 9649 §5.2.2), dy in the high nibble.</summary>
    private static ReadOnlySpan<byte> DistanceCodeToPlane =>
    [
        0x18, 0x07, 0x17, 0x19, 0x28, 0x06, 0x27, 0x29, 0x16, 0x1a,
        0x26, 0x2a, 0x38, 0x05, 0x37, 0x39, 0x15, 0x1b, 0x36, 0x3a,
        0x25, 0x2b, 0x48, 0x04, 0x47, 0x49, 0x14, 0x1c, 0x35, 0x3b,
        0x46, 0x4a, 0x24, 0x2c, 0x58, 0x45, 0x4b, 0x34, 0x3c, 0x03,
        0x57, 0x59, 0x13, 0x1d, 0x56, 0x5a, 0x23, 0x2d, 0x44, 0x4c,
        0x55, 0x5b, 0x33, 0x3d, 0x68, 0x02, 0x67, 0x69, 0x12, 0x1e,
        0x66, 0x6a, 0x22, 0x2e, 0x54, 0x5c, 0x43, 0x4d, 0x65, 0x6b,
        0x32, 0x3e, 0x78, 0x01, 0x77, 0x79, 0x53, 0x5d, 0x11, 0x1f,
        0x64, 0x6c, 0x42, 0x4e, 0x76, 0x7a, 0x21, 0x2f, 0x75, 0x7b,
        0x31, 0x3f, 0x63, 0x6d, 0x52, 0x5e, 0x00, 0x74, 0x7c, 0x41,
        0x4f, 0x10, 0x20, 0x62, 0x6e, 0x30, 0x73, 0x7d, 0x51, 0x5f,
        0x40, 0x72, 0x7e, 0x61, 0x6f, 0x50, 0x71, 0x7f, 0x60, 0x70,
    ];

    private readonly string? _source;
    private readonly Vp8LTransform[] _transforms = new Vp8LTransform[MaxTransforms];
    private int _transformCount;
    private int _transformsSeen;

    // The level-0 (main) image: its codes, cache, decoded pixels and band output.
    private Vp8LHuffmanGroups? _groups;
    private Vp8LColorCache? _colorCache;
    private uint[]? _pixels;
    private uint[]? _band;
    private int _width;        // final width (the transforms' output)
    private int _codedWidth;   // width of the coded pixels (narrower when palette indices are packed)
    private int _rowsOutput;
    private IVp8LRowSink? _sink;

    private Vp8LDecoder(string? source) => _source = source;

    /// <summary>Reads the 5-byte VP8L header: (width, height), or null when it is invalid (libwebp's VP8LGetInfo).</summary>
    public static (int Width, int Height)? ReadSize(ReadOnlySpan<byte> stream)
    {
        if (stream.Length < 5 || stream[0] != Signature || (stream[4] >> 5) != 0) return null;
        var reader = new Vp8LBitReader(stream);
        return ReadImageInfo(ref reader);
    }

    private static (int Width, int Height)? ReadImageInfo(ref Vp8LBitReader reader)
    {
        if (reader.ReadBits(8) != Signature) return null;
        int width = (int)reader.ReadBits(14) + 1;
        int height = (int)reader.ReadBits(14) + 1;
        reader.ReadBits(1); // alpha hint: does not change the decoded pixels
        if (reader.ReadBits(3) != 0) return null;
        return reader.EndOfStreamFlagged ? null : (width, height);
    }

    /// <summary>
    /// Decodes the VP8L chunk payload <paramref name="stream"/> (the bytes libwebp's decoder sees: the
    /// payload and any padding byte) and writes its RGB rows to <paramref name="rgb"/> from
    /// <paramref name="offset"/>, <paramref name="stride"/> bytes apart. The caller has checked the size
    /// against its limits.
    /// </summary>
    public static void DecodeRgb(ReadOnlySpan<byte> stream, byte[] rgb, int offset, int stride, string? source)
    {
        using var decoder = new Vp8LDecoder(source);
        var reader = new Vp8LBitReader(stream);
        (int width, int height) = ReadImageInfo(ref reader) ?? throw decoder.Corrupt("invalid header");
        decoder.DecodeLevel0(ref reader, width, height, new Vp8LRgbRowSink(rgb, offset, stride), alphaEndRule: false);
    }

    /// <summary>
    /// Decodes the headerless VP8L stream of a compressed alpha plane of
    /// <paramref name="width"/>×<paramref name="height"/>: <paramref name="sink"/> receives the green
    /// channel of each row (the alpha values before unfiltering).
    /// </summary>
    public static void DecodeAlpha(ReadOnlySpan<byte> stream, int width, int height, IVp8LRowSink sink, string? source)
    {
        using var decoder = new Vp8LDecoder(source);
        var reader = new Vp8LBitReader(stream);
        decoder.DecodeLevel0(ref reader, width, height, sink, alphaEndRule: true);
    }

    private void DecodeLevel0(ref Vp8LBitReader reader, int width, int height, IVp8LRowSink sink, bool alphaEndRule)
    {
        _width = width;
        _sink = sink;
        _codedWidth = ReadImageStreamHeader(ref reader, width, height);

        // libwebp decodes an alpha plane with its 8-bit path when the palette is the only transform and
        // no cache or non-green code is used; that path tolerates reading past the end on the very last
        // symbol. Everything else fails as soon as the stream is over-read.
        bool eightBitAlpha = alphaEndRule && _transformCount == 1 && _transforms[0].Type == Vp8LTransformType.ColorIndexing
            && _colorCache is null && AllLiteralsTrivial(_groups!);

        _pixels = ArrayPool<uint>.Shared.Rent(checked(_codedWidth * height));
        _band = ArrayPool<uint>.Shared.Rent(_width * (BandRows + 1) + 1);
        Span<uint> pixels = _pixels.AsSpan(0, _codedWidth * height);
        if (eightBitAlpha)
            DecodeAlphaIndices(ref reader, pixels, _codedWidth, height, _groups!);
        else
            DecodePixels(ref reader, pixels, _codedWidth, height, _groups!, _colorCache, processRows: true);
    }

    private static bool AllLiteralsTrivial(Vp8LHuffmanGroups groups)
    {
        foreach (ref readonly Vp8LHuffmanGroup group in groups.Groups.AsSpan())
            if (!group.IsTrivialLiteral) return false;
        return true;
    }

    /// <summary>
    /// Reads the transforms, color cache and prefix codes of the main image (level 0) and sets them up;
    /// returns the width of the coded pixels.
    /// </summary>
    private int ReadImageStreamHeader(ref Vp8LBitReader reader, int width, int height)
    {
        int codedWidth = width;
        while (reader.ReadBits(1) == 1)
            ReadTransform(ref reader, ref codedWidth, height);
        int cacheBits = ReadColorCacheBits(ref reader);
        _groups = ReadHuffmanCodes(ref reader, codedWidth, height, cacheBits, allowMetaCodes: true);
        if (cacheBits > 0) _colorCache = new Vp8LColorCache(cacheBits);
        return codedWidth;
    }

    private int ReadColorCacheBits(ref Vp8LBitReader reader)
    {
        if (reader.ReadBits(1) == 0) return 0;
        int bits = (int)reader.ReadBits(4);
        if (bits is < 1 or > Vp8LColorCache.MaxBits) throw Corrupt($"color cache of {bits} bits (1 to 11 allowed)");
        return bits;
    }

    private void ReadTransform(ref Vp8LBitReader reader, ref int codedWidth, int height)
    {
        var type = (Vp8LTransformType)reader.ReadBits(2);
        if ((_transformsSeen & (1 << (int)type)) != 0) throw Corrupt($"transform {type} appears twice");
        _transformsSeen |= 1 << (int)type;

        int width = codedWidth;
        switch (type)
        {
            case Vp8LTransformType.Predictor:
            case Vp8LTransformType.CrossColor:
            {
                int bits = (int)reader.ReadBits(3) + 2;
                uint[] tiles = DecodeSubImage(ref reader, Vp8LTransform.SubSampleSize(width, bits), Vp8LTransform.SubSampleSize(height, bits));
                _transforms[_transformCount++] = new Vp8LTransform(type, bits, width, height, tiles);
                break;
            }
            case Vp8LTransformType.ColorIndexing:
            {
                int colors = (int)reader.ReadBits(8) + 1;
                int bits = colors > 16 ? 0 : colors > 4 ? 1 : colors > 2 ? 2 : 3;
                uint[] palette = DecodeSubImage(ref reader, colors, 1);
                palette = ExpandPalette(palette, colors, bits);
                _transforms[_transformCount++] = new Vp8LTransform(type, bits, width, height, palette);
                codedWidth = Vp8LTransform.SubSampleSize(width, bits);
                break;
            }
            default:
                _transforms[_transformCount++] = new Vp8LTransform(type, 0, width, height, null);
                break;
        }
    }

    /// <summary>
    /// Delta-decodes the palette and pads it with transparent black to every value a (packed) index can
    /// take, so that out-of-range indices read zeros as in libwebp.
    /// </summary>
    private static uint[] ExpandPalette(uint[] coded, int colors, int bits)
    {
        int size = 1 << (8 >> bits);
        uint[] palette = ArrayPool<uint>.Shared.Rent(size);
        try
        {
            palette[0] = coded[0];
            for (int i = 1; i < colors; i++)
                palette[i] = Vp8LInverseTransforms.AddPixels(coded[i], palette[i - 1]);
            Array.Clear(palette, colors, size - colors);
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(coded);
        }
        return palette;
    }

    /// <summary>Decodes a sub-image (transform data, palette or entropy image): its own cache and codes, no transforms, no meta codes.</summary>
    private uint[] DecodeSubImage(ref Vp8LBitReader reader, int width, int height)
    {
        int cacheBits = ReadColorCacheBits(ref reader);
        using Vp8LHuffmanGroups groups = ReadHuffmanCodes(ref reader, width, height, cacheBits, allowMetaCodes: false);
        using Vp8LColorCache? cache = cacheBits > 0 ? new Vp8LColorCache(cacheBits) : null;
        uint[] pixels = ArrayPool<uint>.Shared.Rent(width * height);
        try
        {
            DecodePixels(ref reader, pixels.AsSpan(0, width * height), width, height, groups, cache, processRows: false);
            return pixels;
        }
        catch
        {
            ArrayPool<uint>.Shared.Return(pixels);
            throw;
        }
    }

    private Vp8LHuffmanGroups ReadHuffmanCodes(ref Vp8LBitReader reader, int width, int height, int cacheBits, bool allowMetaCodes)
    {
        int metaBits = 0;
        int codedGroups = 1;
        int storedGroups = 1;
        int[]? metaImage = null;
        int[]? mapping = null;
        try
        {
            if (allowMetaCodes && reader.ReadBits(1) == 1)
            {
                metaBits = (int)reader.ReadBits(3) + 2;
                int metaWidth = Vp8LTransform.SubSampleSize(width, metaBits);
                int metaHeight = Vp8LTransform.SubSampleSize(height, metaBits);
                int tiles = metaWidth * metaHeight;
                uint[] coded = DecodeSubImage(ref reader, metaWidth, metaHeight);
                metaImage = ArrayPool<int>.Shared.Rent(tiles);
                for (int i = 0; i < tiles; i++)
                {
                    // The group number is stored in red and green.
                    int group = (int)((coded[i] >> 8) & 0xFFFF);
                    metaImage[i] = group;
                    codedGroups = Math.Max(codedGroups, group + 1);
                }
                ArrayPool<uint>.Shared.Return(coded);

                storedGroups = codedGroups;
                if (codedGroups > MetaGroupsBeforeRemapping || codedGroups > width * height)
                {
                    // Many (or sparse) group numbers: keep only those some tile uses, renumbered densely,
                    // as libwebp does, so a stream cannot make us build tables for unused groups.
                    mapping = ArrayPool<int>.Shared.Rent(codedGroups);
                    mapping.AsSpan(0, codedGroups).Fill(-1);
                    storedGroups = 0;
                    for (int i = 0; i < tiles; i++)
                    {
                        ref int mapped = ref mapping[metaImage[i]];
                        if (mapped == -1) mapped = storedGroups++;
                        metaImage[i] = mapped;
                    }
                }
            }
            if (reader.EndOfStreamFlagged) throw Corrupt("truncated stream");

            // From here the groups own the entropy image, even when reading them fails.
            int[]? entropyImage = metaImage;
            metaImage = null;
            return Vp8LHuffmanGroups.Read(ref reader, codedGroups,
                mapping is null ? [] : mapping.AsSpan(0, codedGroups), storedGroups, entropyImage, metaBits, cacheBits, _source);
        }
        finally
        {
            if (metaImage is not null) ArrayPool<int>.Shared.Return(metaImage);
            if (mapping is not null) ArrayPool<int>.Shared.Return(mapping);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadCopyLengthOrDistance(int prefix, ref Vp8LBitReader reader)
    {
        if (prefix < 4) return prefix + 1;
        int extraBits = (prefix - 2) >> 1;
        int offset = (2 + (prefix & 1)) << extraBits;
        return offset + (int)reader.ReadBits(extraBits) + 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PlaneCodeToDistance(int width, int planeCode)
    {
        if (planeCode > CodeToPlaneCodes) return planeCode - CodeToPlaneCodes;
        int distanceCode = DistanceCodeToPlane[planeCode - 1];
        int dy = distanceCode >> 4;
        int dx = 8 - (distanceCode & 0xF);
        int distance = dy * width + dx;
        return distance >= 1 ? distance : 1; // tiny widths can make it 0 or negative
    }

    /// <summary>
    /// Decodes the entropy-coded pixels (RFC 9649 §5.2) into <paramref name="pixels"/>. With
    /// <paramref name="processRows"/> each completed band of rows is transformed and written out.
    /// </summary>
    /// <remarks>
    /// libwebp stops at the first symbol read past the end of the data, and fails. Here the end is
    /// checked once per row and after each backward reference instead: reading past the end is
    /// sticky, so the outcome is the same (a failure), while the symbols decoded in between from the
    /// zero or stale bits of the window cannot do harm (every table index is masked, every copy is
    /// checked) and are at most one row's work.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DecodePixels(ref Vp8LBitReader readerState, Span<uint> pixels, int width, int height,
        Vp8LHuffmanGroups groups, Vp8LColorCache? cache, bool processRows)
    {
        // A local copy, so that the JIT can keep the reader's state in registers.
        Vp8LBitReader reader = readerState;
        ref uint tables = ref MemoryMarshal.GetReference(groups.Tables);
        ref Vp8LPackedCode packedCodes = ref MemoryMarshal.GetReference(groups.Packed);
        Vp8LHuffmanGroup[] groupArray = groups.Groups;
        int mask = groups.MetaMask;
        int cacheLimit = LiteralCodes + LengthCodes + (cache?.Size ?? 0);
        int end = width * height;
        int position = 0;
        int column = 0;
        int row = 0;
        ref Vp8LHuffmanGroup group = ref groupArray[0];
        // Every write below is at position < end = pixels.Length (the loop condition, checked copies);
        // every cache slot is below its size (the hash is shifted to its bits).
        ref uint output = ref MemoryMarshal.GetReference(pixels);
        ref uint cacheColors = ref cache is null ? ref Unsafe.NullRef<uint>() : ref MemoryMarshal.GetReference(cache.Colors);
        int cacheShift = cache?.HashShift ?? 0;

        while (position < end)
        {
            if ((column & mask) == 0) group = ref groupArray[groups.GroupIndexAt(column, row, width)];
            if (group.IsTrivialCode)
            {
                Unsafe.Add(ref output, position) = group.TrivialLiteral;
                goto NextPixel;
            }
            reader.FillWindow();
            int code;
            if (group.PackedTable >= 0)
            {
                Vp8LPackedCode packed = Unsafe.Add(ref packedCodes, group.PackedTable + (int)(reader.PeekBits & 63));
                if (packed.Bits < Vp8LPackedCode.NonLiteral)
                {
                    reader.Skip(packed.Bits);
                    Unsafe.Add(ref output, position) = packed.Value;
                    goto NextPixel;
                }
                reader.Skip(packed.Bits - Vp8LPackedCode.NonLiteral);
                code = (int)packed.Value;
            }
            else
            {
                code = Vp8LHuffmanTable.ReadSymbol(ref Unsafe.Add(ref tables, group.Green), ref reader);
            }

            if (code < LiteralCodes)
            {
                if (group.IsTrivialLiteral)
                {
                    Unsafe.Add(ref output, position) = group.TrivialLiteral | ((uint)code << 8);
                }
                else
                {
                    uint red = (uint)Vp8LHuffmanTable.ReadSymbol(ref Unsafe.Add(ref tables, group.Red), ref reader);
                    reader.FillWindow();
                    uint blue = (uint)Vp8LHuffmanTable.ReadSymbol(ref Unsafe.Add(ref tables, group.Blue), ref reader);
                    uint alpha = (uint)Vp8LHuffmanTable.ReadSymbol(ref Unsafe.Add(ref tables, group.Alpha), ref reader);
                    Unsafe.Add(ref output, position) = (alpha << 24) | (red << 16) | ((uint)code << 8) | blue;
                }
            }
            else if (code < LiteralCodes + LengthCodes)
            {
                int length = ReadCopyLengthOrDistance(code - LiteralCodes, ref reader);
                int distanceSymbol = Vp8LHuffmanTable.ReadSymbol(ref Unsafe.Add(ref tables, group.Distance), ref reader);
                reader.FillWindow();
                int distance = PlaneCodeToDistance(width, ReadCopyLengthOrDistance(distanceSymbol, ref reader));
                if (reader.IsEndOfStream) throw Truncated();
                if (position < distance || end - position < length)
                    throw Corrupt($"backward reference (distance {distance}, length {length}) outside the image");
                CopyBackward(pixels, position, distance, length);
                int copied = position;
                position += length;
                column += length;
                while (column >= width)
                {
                    column -= width;
                    row++;
                    if (processRows && row % BandRows == 0) ProcessRows(row);
                }
                if (cache is not null)
                    foreach (uint pixel in pixels[copied..position]) cache.Insert(pixel);
                if ((column & mask) != 0) group = ref groupArray[groups.GroupIndexAt(column, row, width)];
                continue;
            }
            else if (code < cacheLimit)
            {
                Unsafe.Add(ref output, position) = Unsafe.Add(ref cacheColors, code - LiteralCodes - LengthCodes);
            }
            else
            {
                throw Corrupt("invalid symbol");
            }

        NextPixel:
            if (cache is not null)
            {
                uint pixel = Unsafe.Add(ref output, position);
                Unsafe.Add(ref cacheColors, Vp8LColorCache.Slot(pixel, cacheShift)) = pixel;
            }
            position++;
            if (++column >= width)
            {
                column = 0;
                row++;
                if (reader.IsEndOfStream) throw Truncated();
                if (processRows && row % BandRows == 0) ProcessRows(row);
            }
        }

        if (reader.IsEndOfStream) throw Truncated();
        if (processRows) ProcessRows(row);
        readerState = reader;
    }

    /// <summary>
    /// The pixel loop of libwebp's 8-bit path for alpha planes (a palette as the only transform, no
    /// cache, constant red, blue and alpha): the same symbols, but its own end-of-stream rule, which
    /// decides whether a cut plane fails: the end is checked after every symbol, and reading past it is
    /// tolerated when that symbol completes the image.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DecodeAlphaIndices(ref Vp8LBitReader reader, Span<uint> pixels, int width, int height, Vp8LHuffmanGroups groups)
    {
        ref uint tables = ref MemoryMarshal.GetReference(groups.Tables);
        Vp8LHuffmanGroup[] groupArray = groups.Groups;
        int mask = groups.MetaMask;
        int end = width * height;
        int position = 0;
        int column = 0;
        int row = 0;
        ref Vp8LHuffmanGroup group = ref groupArray[0];
        while (position < end)
        {
            if ((column & mask) == 0) group = ref groupArray[groups.GroupIndexAt(column, row, width)];
            reader.FillWindow();
            int code = Vp8LHuffmanTable.ReadSymbol(ref Unsafe.Add(ref tables, group.Green), ref reader);
            int length = 1;
            if (code < LiteralCodes)
            {
                pixels[position] = group.TrivialLiteral | ((uint)code << 8);
            }
            else if (code < LiteralCodes + LengthCodes)
            {
                length = ReadCopyLengthOrDistance(code - LiteralCodes, ref reader);
                int distanceSymbol = Vp8LHuffmanTable.ReadSymbol(ref Unsafe.Add(ref tables, group.Distance), ref reader);
                reader.FillWindow();
                int distance = PlaneCodeToDistance(width, ReadCopyLengthOrDistance(distanceSymbol, ref reader));
                if (position < distance || end - position < length)
                    throw Corrupt($"backward reference (distance {distance}, length {length}) outside the image");
                CopyBackward(pixels, position, distance, length);
            }
            else
            {
                throw Corrupt("invalid symbol");
            }
            position += length;
            column += length;
            while (column >= width)
            {
                column -= width;
                row++;
                if (row % BandRows == 0) ProcessRows(row);
            }
            if (length > 1 && (column & mask) != 0) group = ref groupArray[groups.GroupIndexAt(column, row, width)];
            if (reader.IsEndOfStream) break;
        }
        if (reader.IsEndOfStream && position < end) throw Truncated();
        ProcessRows(row);
    }

    /// <summary>Copies <paramref name="length"/> pixels from <paramref name="distance"/> back; overlapping copies repeat the pattern.</summary>
    private static void CopyBackward(Span<uint> pixels, int position, int distance, int length)
    {
        if (distance >= length)
        {
            pixels.Slice(position - distance, length).CopyTo(pixels.Slice(position, length));
            return;
        }
        if (distance == 1)
        {
            pixels.Slice(position, length).Fill(pixels[position - 1]);
            return;
        }
        // The pattern of 'distance' pixels repeats: copy it in chunks that double, each from a source
        // already written and not overlapping its destination.
        int copied = 0;
        int chunk = distance;
        while (copied < length)
        {
            int count = Math.Min(chunk, length - copied);
            pixels.Slice(position + copied - chunk, count).CopyTo(pixels.Slice(position + copied, count));
            copied += count;
            chunk *= 2;
        }
    }

    /// <summary>Transforms and writes out the rows decoded since the last call, up to <paramref name="rowEnd"/>.</summary>
    private void ProcessRows(int rowEnd)
    {
        while (_rowsOutput < rowEnd)
        {
            int start = _rowsOutput;
            int end = Math.Min(start + BandRows, rowEnd);
            ProcessBand(start, end);
            _rowsOutput = end;
        }
    }

    private void ProcessBand(int rowStart, int rowEnd)
    {
        int rows = rowEnd - rowStart;
        ReadOnlySpan<uint> coded = _pixels.AsSpan(rowStart * _codedWidth, rows * _codedWidth);
        if (_transformCount == 0)
        {
            _sink!.WriteRows(rowStart, coded, _width);
            return;
        }
        // The band buffer: one pixel (the predictor's top-left of nothing, so that its neighbourhood is
        // always inside the buffer), one row kept for the predictor (the previous band's last row), then the band.
        Span<uint> band = _band.AsSpan(0, (rows + 1) * _width + 1);
        int outputStart = _width + 1;
        ReadOnlySpan<uint> input = coded;
        for (int i = _transformCount - 1; i >= 0; i--)
        {
            Vp8LTransform transform = _transforms[i];
            transform.InverseRows(rowStart, rowEnd, input, band, outputStart);
            input = band.Slice(outputStart, rows * transform.Width);
        }
        _sink!.WriteRows(rowStart, input, _width);
    }

    private ImageDecodeException Corrupt(string cause) => new(_source, "corrupt VP8L: " + cause);

    private ImageDecodeException Truncated() => Corrupt("truncated stream");

    /// <inheritdoc/>
    public void Dispose()
    {
        for (int i = 0; i < _transformCount; i++) _transforms[i].Dispose();
        _transformCount = 0;
        _groups?.Dispose();
        _colorCache?.Dispose();
        if (_pixels is not null) ArrayPool<uint>.Shared.Return(_pixels);
        if (_band is not null) ArrayPool<uint>.Shared.Return(_band);
        _pixels = _band = null;
    }
}
