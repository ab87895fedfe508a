using System.Buffers;
using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// Decodes one VP8 key frame, one macroblock row at a time, in libwebp 1.2.4's order: the row's
/// modes (first partition), then per macroblock its coefficients (token partition), its
/// reconstruction (<see cref="Vp8MacroblockReconstructor"/>) into a row cache and its loop
/// filtering there; then the rows no later filtering can change go to RGB
/// (<see cref="Vp8RgbRowWriter"/>), and the rows the next macroblock row still filters move to
/// the top of the cache. Memory is proportional to the width only; every buffer read has been
/// written in the same decode.
/// </summary>
internal sealed class Vp8FrameDecoder : IDisposable
{
    private const int Bps = Vp8IntraPredictor.Stride;

    /// <summary>Rows above a macroblock row that its loop filter still changes: none, simple, normal.</summary>
    private static ReadOnlySpan<byte> FilterDelayRows => [0, 2, 8];

    private readonly string? _source;
    private readonly int _width, _height, _mbWidth, _mbHeight;
    private Vp8BoolDecoder _modeReader;
    private readonly Vp8BoolDecoder[] _tokenReaders;
    private readonly Vp8SegmentHeader _segments;
    private readonly Vp8FilterHeader _filter;
    private readonly Vp8QuantMatrix[] _quant;
    private readonly byte[] _tokenProbabilities;
    private readonly int _skipProbability;
    private readonly Vp8FilterStrength[] _strengths;
    private readonly int _filterType, _delayRows;

    private readonly Vp8IntraModeReader _intraModes;
    private readonly Vp8ResidualReader _residuals;
    private readonly Vp8MacroblockModes[] _rowModes;

    private readonly Vp8MacroblockReconstructor _reconstructor;
    private readonly Vp8RgbRowWriter _rgbWriter;

    // Pooled buffers (all sized from the width, which the frame header bounds to 16383). The cache
    // holds the rows above the current macroblock row that its filtering still changes, then its 16 (8) rows.
    private readonly byte[] _subblockModes;
    private readonly short[] _coeffs;
    private readonly byte[] _cacheY, _cacheU, _cacheV;
    private readonly int _cacheYStride, _cacheUvStride;

    /// <summary>Parses the first partition's frame-level headers and sets up the token partitions.</summary>
    public Vp8FrameDecoder(Vp8FrameHeader header, byte[] data, int length, string? source)
    {
        _source = source;
        _width = header.Width;
        _height = header.Height;
        _mbWidth = (_width + 15) >> 4;
        _mbHeight = (_height + 15) >> 4;

        _modeReader = new Vp8BoolDecoder(data, Vp8FrameHeader.Size, header.FirstPartitionSize);
        _modeReader.GetFlag(); // colour space: only 0 (YCbCr) exists and libwebp ignores it
        _modeReader.GetFlag(); // clamping type: libwebp always clamps
        _segments = Vp8SegmentHeader.Read(ref _modeReader);
        if (_modeReader.Eof) throw Corrupt("VP8 segment header truncated");
        _filter = Vp8FilterHeader.Read(ref _modeReader);
        if (_modeReader.Eof) throw Corrupt("VP8 filter header truncated");
        _tokenReaders = SplitPartitions(data, Vp8FrameHeader.Size + header.FirstPartitionSize, length);
        _quant = Vp8QuantMatrix.Read(ref _modeReader, _segments);
        _modeReader.GetFlag(); // "refresh entropy probabilities": meaningless for a single key frame
        _tokenProbabilities = Vp8TokenProbabilities.Read(ref _modeReader);
        _skipProbability = _modeReader.GetFlag() ? _modeReader.GetValue(8) : -1;
        // A truncation above shows as Eof, which the first row of modes reports.

        _filterType = _filter.FilterType;
        _delayRows = FilterDelayRows[_filterType];
        _strengths = _filter.Strengths(_segments);

        _intraModes = new Vp8IntraModeReader(_mbWidth);
        _residuals = new Vp8ResidualReader(_mbWidth);
        _rowModes = new Vp8MacroblockModes[_mbWidth];

        _subblockModes = Rent<byte>(16 * _mbWidth);
        _coeffs = Rent<short>(384);
        _cacheYStride = 16 * _mbWidth;
        _cacheUvStride = 8 * _mbWidth;
        _cacheY = Rent<byte>(_cacheYStride * (_delayRows + 16));
        _cacheU = Rent<byte>(_cacheUvStride * (_delayRows / 2 + 8));
        _cacheV = Rent<byte>(_cacheUvStride * (_delayRows / 2 + 8));
        _reconstructor = new Vp8MacroblockReconstructor(_mbWidth, _mbHeight);
        _rgbWriter = new Vp8RgbRowWriter(_width, _height);
    }

    private static T[] Rent<T>(int length) => ArrayPool<T>.Shared.Rent(length);

    private ImageDecodeException Corrupt(string cause) => new(_source, cause);

    /// <summary>RFC 6386 section 9.5: 1, 2, 4 or 8 token partitions, sizes (3 bytes each) before them but the last.</summary>
    private Vp8BoolDecoder[] SplitPartitions(byte[] data, int start, int end)
    {
        int count = 1 << _modeReader.GetValue(2);
        int last = count - 1;
        int sizeLeft = end - start;
        if (sizeLeft < 3 * last) throw Corrupt($"VP8 partition sizes truncated ({count} partitions)");
        var readers = new Vp8BoolDecoder[count];
        int partStart = start + 3 * last;
        sizeLeft -= 3 * last;
        for (int p = 0; p < last; p++)
        {
            int sizeAt = start + 3 * p;
            int size = data[sizeAt] | (data[sizeAt + 1] << 8) | (data[sizeAt + 2] << 16);
            // libwebp clamps a partition running past the data instead of failing here.
            size = Math.Min(size, sizeLeft);
            readers[p] = new Vp8BoolDecoder(data, partStart, size);
            partStart += size;
            sizeLeft -= size;
        }
        if (sizeLeft == 0) throw Corrupt("VP8 last token partition is empty (truncated data)");
        readers[last] = new Vp8BoolDecoder(data, partStart, sizeLeft);
        return readers;
    }

    /// <summary>Decodes all macroblock rows into <paramref name="rgb"/> (rows <paramref name="stride"/> bytes apart).</summary>
    public void Decode(Span<byte> rgb, int stride)
    {
        Span<Vp8MacroblockModes> modes = _rowModes;
        for (int mbY = 0; mbY < _mbHeight; mbY++)
        {
            _intraModes.ReadRow(ref _modeReader, _segments, _skipProbability, modes, _subblockModes);
            if (_modeReader.Eof) throw Corrupt($"VP8 first partition truncated (macroblock row {mbY})");

            ref Vp8BoolDecoder tokens = ref _tokenReaders[mbY & (_tokenReaders.Length - 1)];
            _residuals.StartRow();
            for (int mbX = 0; mbX < _mbWidth; mbX++)
            {
                ref Vp8MacroblockModes mb = ref modes[mbX];
                uint lumaCodes = 0, chromaCodes = 0;
                if (mb.Skip)
                {
                    _residuals.Skip(mbX, mb.Is4x4);
                }
                else
                {
                    (lumaCodes, chromaCodes) = _residuals.Read(ref tokens, _tokenProbabilities, _quant[mb.Segment], mb.Is4x4, mbX, _coeffs);
                    if (tokens.Eof) throw Corrupt($"VP8 token partition truncated (macroblock {mbX}, {mbY})");
                }
                int yAt = _delayRows * _cacheYStride + 16 * mbX, uvAt = _delayRows / 2 * _cacheUvStride + 8 * mbX;
                _reconstructor.Reconstruct(mbX, mbY, in mb, _subblockModes.AsSpan(16 * mbX, 16), _coeffs, lumaCodes, chromaCodes,
                    _cacheY.AsSpan(yAt), _cacheYStride, _cacheU.AsSpan(uvAt), _cacheV.AsSpan(uvAt), _cacheUvStride);
                if (_filterType > 0)
                {
                    Vp8FilterStrength strength = _strengths[mb.Segment * 2 + (mb.Is4x4 ? 1 : 0)];
                    bool inner = strength.FilterInner || (lumaCodes | chromaCodes) != 0;
                    FilterMacroblock(mbX, mbY, strength, inner);
                }
            }
            // Final rows: down to the delay above the next macroblock row (all remaining on the last).
            int yStart = mbY == 0 ? 0 : 16 * mbY - _delayRows;
            int yEnd = mbY == _mbHeight - 1 ? _height : Math.Min(16 * (mbY + 1) - _delayRows, _height);
            var rows = new Vp8PlaneRows(_width, _cacheY, _cacheYStride, 16 * mbY - _delayRows,
                _cacheU, _cacheV, _cacheUvStride, 8 * mbY - _delayRows / 2);
            _rgbWriter.WriteRows(yStart, yEnd, rows, rgb, stride);
            RotateCache();
        }
    }

    /// <summary>Loop-filters macroblock (<paramref name="mbX"/>, <paramref name="mbY"/>) in the cache: left edge, inner vertical edges, top edge, inner horizontal edges.</summary>
    private void FilterMacroblock(int mbX, int mbY, Vp8FilterStrength strength, bool inner)
    {
        int limit = strength.Limit;
        if (limit == 0) return;
        int ys = _cacheYStride;
        int y = _delayRows * ys + 16 * mbX;
        Span<byte> plane = _cacheY;
        if (_filterType == 1)
        {
            if (mbX > 0) SimpleHorizontal(plane, y, ys, limit + 4);
            if (inner)
                for (int k = 4; k < 16; k += 4) SimpleHorizontal(plane, y + k, ys, limit);
            if (mbY > 0) SimpleVertical(plane, y, ys, limit + 4);
            if (inner)
                for (int k = 4; k < 16; k += 4) SimpleVertical(plane, y + k * ys, ys, limit);
            return;
        }

        int uvs = _cacheUvStride;
        int uv = _delayRows / 2 * uvs + 8 * mbX;
        Span<byte> u = _cacheU, v = _cacheV;
        int interior = strength.InteriorLimit, hev = strength.HevThreshold;
        if (mbX > 0)
        {
            HorizontalEdge(plane, y, ys, 16, true, limit + 4, interior, hev);
            HorizontalEdge(u, uv, uvs, 8, true, limit + 4, interior, hev);
            HorizontalEdge(v, uv, uvs, 8, true, limit + 4, interior, hev);
        }
        if (inner)
        {
            for (int k = 4; k < 16; k += 4) HorizontalEdge(plane, y + k, ys, 16, false, limit, interior, hev);
            HorizontalEdge(u, uv + 4, uvs, 8, false, limit, interior, hev);
            HorizontalEdge(v, uv + 4, uvs, 8, false, limit, interior, hev);
        }
        if (mbY > 0)
        {
            VerticalEdge(plane, y, ys, 16, true, limit + 4, interior, hev);
            VerticalEdge(u, uv, uvs, 8, true, limit + 4, interior, hev);
            VerticalEdge(v, uv, uvs, 8, true, limit + 4, interior, hev);
        }
        if (inner)
        {
            for (int k = 4; k < 16; k += 4) VerticalEdge(plane, y + k * ys, ys, 16, false, limit, interior, hev);
            VerticalEdge(u, uv + 4 * uvs, uvs, 8, false, limit, interior, hev);
            VerticalEdge(v, uv + 4 * uvs, uvs, 8, false, limit, interior, hev);
        }
    }

    // The filters with SIMD where available, else the scalar reference (same results).
    private static void SimpleHorizontal(Span<byte> plane, int offset, int stride, int threshold)
    {
        if (Vp8DeblockingFilterVector.IsSupported) Vp8DeblockingFilterVector.SimpleHorizontal(plane, offset, stride, threshold);
        else Vp8DeblockingFilter.SimpleHorizontal(plane, offset, stride, threshold);
    }

    private static void SimpleVertical(Span<byte> plane, int offset, int stride, int threshold)
    {
        if (Vp8DeblockingFilterVector.IsSupported) Vp8DeblockingFilterVector.SimpleVertical(plane, offset, stride, threshold);
        else Vp8DeblockingFilter.SimpleVertical(plane, offset, stride, threshold);
    }

    private static void HorizontalEdge(Span<byte> plane, int offset, int stride, int count, bool macroblockEdge, int threshold, int interior, int hev)
    {
        if (Vp8DeblockingFilterVector.IsSupported) Vp8DeblockingFilterVector.HorizontalEdge(plane, offset, stride, count, macroblockEdge, threshold, interior, hev);
        else Vp8DeblockingFilter.HorizontalEdge(plane, offset, stride, count, macroblockEdge, threshold, interior, hev);
    }

    private static void VerticalEdge(Span<byte> plane, int offset, int stride, int count, bool macroblockEdge, int threshold, int interior, int hev)
    {
        if (Vp8DeblockingFilterVector.IsSupported) Vp8DeblockingFilterVector.VerticalEdge(plane, offset, stride, count, macroblockEdge, threshold, interior, hev);
        else Vp8DeblockingFilter.VerticalEdge(plane, offset, stride, count, macroblockEdge, threshold, interior, hev);
    }

    /// <summary>Moves the bottom rows the next macroblock row's filter will still change to the top of the cache.</summary>
    private void RotateCache()
    {
        if (_delayRows == 0) return;
        _cacheY.AsSpan(16 * _cacheYStride, _delayRows * _cacheYStride).CopyTo(_cacheY);
        int uvRows = _delayRows / 2;
        _cacheU.AsSpan(8 * _cacheUvStride, uvRows * _cacheUvStride).CopyTo(_cacheU);
        _cacheV.AsSpan(8 * _cacheUvStride, uvRows * _cacheUvStride).CopyTo(_cacheV);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_subblockModes);
        ArrayPool<short>.Shared.Return(_coeffs);
        ArrayPool<byte>.Shared.Return(_cacheY);
        ArrayPool<byte>.Shared.Return(_cacheU);
        ArrayPool<byte>.Shared.Return(_cacheV);
        _reconstructor.Dispose();
        _rgbWriter.Dispose();
    }
}
