using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FastLaDeDa.Imaging.Webp;

/// <summary>
/// Decodes one VP8 key frame, one macroblock row at a time, in libwebp 1.2.4's order: read the
/// row's modes (first partition), then per macroblock its coefficients (token partition), its
/// prediction and inverse transforms in a small work buffer that keeps the unfiltered edges
/// intra prediction needs, a copy into a row cache and its loop filtering; then the rows that
/// no later filtering can change are upsampled and converted to RGB. Memory is proportional to
/// the width only; every buffer read has been written in the same decode.
/// </summary>
internal sealed class Vp8FrameDecoder : IDisposable
{
    private const int Bps = Vp8IntraPredictor.Stride;

    // Work buffer layout (libwebp's yuv_b_): one row of top samples, 16 luma rows with 8 bytes
    // of left samples before them and 4 top-right bytes after; then the same for U and V side by side.
    private const int WorkSize = Bps * 17 + Bps * 9;
    private const int YOffset = Bps * 1 + 8;
    private const int UOffset = YOffset + Bps * 16 + Bps;
    private const int VOffset = UOffset + 16;

    /// <summary>Rows above a macroblock row that its loop filter still changes: none, simple, normal.</summary>
    private static ReadOnlySpan<byte> FilterDelayRows => [0, 2, 8];

    /// <summary>Offsets of the sixteen 4x4 luma blocks in the work buffer, raster order.</summary>
    private static ReadOnlySpan<short> LumaBlockOffsets =>
    [
        0, 4, 8, 12,
        4 * Bps, 4 * Bps + 4, 4 * Bps + 8, 4 * Bps + 12,
        8 * Bps, 8 * Bps + 4, 8 * Bps + 8, 8 * Bps + 12,
        12 * Bps, 12 * Bps + 4, 12 * Bps + 8, 12 * Bps + 12,
    ];

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

    // Pooled buffers (all sized from the width, which the frame header bounds to 16383).
    private readonly byte[] _subblockModes;
    private readonly short[] _coeffs;
    private readonly byte[] _work;
    private readonly byte[] _topY, _topU, _topV;
    private readonly byte[] _cacheY, _cacheU, _cacheV;
    private readonly int _cacheYStride, _cacheUvStride;
    private readonly byte[] _pendingY, _pendingU, _pendingV;
    private readonly byte[] _upsampled;

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
        _work = Rent<byte>(WorkSize);
        _topY = Rent<byte>(16 * _mbWidth);
        _topU = Rent<byte>(8 * _mbWidth);
        _topV = Rent<byte>(8 * _mbWidth);
        _cacheYStride = 16 * _mbWidth;
        _cacheUvStride = 8 * _mbWidth;
        _cacheY = Rent<byte>(_cacheYStride * (_delayRows + 16));
        _cacheU = Rent<byte>(_cacheUvStride * (_delayRows / 2 + 8));
        _cacheV = Rent<byte>(_cacheUvStride * (_delayRows / 2 + 8));
        int uvWidth = (_width + 1) >> 1;
        _pendingY = Rent<byte>(_width);
        _pendingU = Rent<byte>(uvWidth);
        _pendingV = Rent<byte>(uvWidth);
        _upsampled = Rent<byte>(4 * _width);
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
                Reconstruct(mbX, mbY, in mb, lumaCodes, chromaCodes);
                if (_filterType > 0)
                {
                    Vp8FilterStrength strength = _strengths[mb.Segment * 2 + (mb.Is4x4 ? 1 : 0)];
                    bool inner = strength.FilterInner || (lumaCodes | chromaCodes) != 0;
                    FilterMacroblock(mbX, mbY, strength, inner);
                }
            }
            EmitRows(mbY, rgb, stride);
            RotateCache();
        }
    }

    /// <summary>Predicts and reconstructs macroblock (<paramref name="mbX"/>, <paramref name="mbY"/>) and copies it to the row cache.</summary>
    private void Reconstruct(int mbX, int mbY, in Vp8MacroblockModes mb, uint lumaCodes, uint chromaCodes)
    {
        Span<byte> work = _work.AsSpan(0, WorkSize);
        if (mbX == 0)
        {
            // Left of the frame: 129. Above it: 127 (its corner included); the corner of later rows is 129.
            for (int j = 0; j < 16; j++) work[YOffset + j * Bps - 1] = 129;
            for (int j = 0; j < 8; j++)
            {
                work[UOffset + j * Bps - 1] = 129;
                work[VOffset + j * Bps - 1] = 129;
            }
            if (mbY > 0)
            {
                work[YOffset - Bps - 1] = work[UOffset - Bps - 1] = work[VOffset - Bps - 1] = 129;
            }
            else
            {
                work.Slice(YOffset - Bps - 1, 16 + 4 + 1).Fill(127);
                work.Slice(UOffset - Bps - 1, 8 + 1).Fill(127);
                work.Slice(VOffset - Bps - 1, 8 + 1).Fill(127);
            }
        }
        else
        {
            // The previous macroblock's last columns (and top row end) become this one's left edge.
            for (int j = -1; j < 16; j++) Copy4(work, YOffset + j * Bps + 12, YOffset + j * Bps - 4);
            for (int j = -1; j < 8; j++)
            {
                Copy4(work, UOffset + j * Bps + 4, UOffset + j * Bps - 4);
                Copy4(work, VOffset + j * Bps + 4, VOffset + j * Bps - 4);
            }
        }
        if (mbY > 0)
        {
            Copy16(_topY.AsSpan(16 * mbX), work[(YOffset - Bps)..]);
            Copy8(_topU.AsSpan(8 * mbX), work[(UOffset - Bps)..]);
            Copy8(_topV.AsSpan(8 * mbX), work[(VOffset - Bps)..]);
        }

        ReadOnlySpan<short> coeffs = _coeffs.AsSpan(0, 384);
        if (mb.Is4x4)
        {
            Span<byte> topRight = work.Slice(YOffset - Bps + 16, 4);
            if (mbY > 0)
            {
                if (mbX >= _mbWidth - 1) topRight.Fill(_topY[16 * mbX + 15]);
                else _topY.AsSpan(16 * (mbX + 1), 4).CopyTo(topRight);
            }
            // Blocks of the right column below the first see the macroblock's top-right pixels too.
            for (int k = 1; k < 4; k++) Copy4(work, YOffset - Bps + 16, YOffset - Bps + 16 + 4 * k * Bps);
            ReadOnlySpan<byte> subModes = _subblockModes.AsSpan(16 * mbX, 16);
            for (int n = 0; n < 16; n++)
            {
                int offset = YOffset + LumaBlockOffsets[n];
                Vp8IntraPredictor.Luma4(subModes[n], work, offset);
                AddResidual((lumaCodes >> (30 - 2 * n)) & 3, coeffs.Slice(16 * n, 16), work, offset);
            }
        }
        else
        {
            Vp8IntraPredictor.Luma16(EdgeAwareMode(mbX, mbY, mb.LumaMode), work, YOffset);
            if (lumaCodes != 0)
                for (int n = 0; n < 16; n++)
                    AddResidual((lumaCodes >> (30 - 2 * n)) & 3, coeffs.Slice(16 * n, 16), work, YOffset + LumaBlockOffsets[n]);
        }

        byte chromaMode = EdgeAwareMode(mbX, mbY, mb.ChromaMode);
        Vp8IntraPredictor.Chroma8(chromaMode, work, UOffset);
        Vp8IntraPredictor.Chroma8(chromaMode, work, VOffset);
        AddChromaResidual(chromaCodes & 0xff, coeffs.Slice(16 * 16, 64), work, UOffset);
        AddChromaResidual((chromaCodes >> 8) & 0xff, coeffs.Slice(20 * 16, 64), work, VOffset);

        if (mbY < _mbHeight - 1)
        {
            // Unfiltered bottom rows: the top edge of the macroblock below.
            Copy16(work[(YOffset + 15 * Bps)..], _topY.AsSpan(16 * mbX));
            Copy8(work[(UOffset + 7 * Bps)..], _topU.AsSpan(8 * mbX));
            Copy8(work[(VOffset + 7 * Bps)..], _topV.AsSpan(8 * mbX));
        }

        int yDst = _delayRows * _cacheYStride + 16 * mbX;
        for (int j = 0; j < 16; j++) Copy16(work[(YOffset + j * Bps)..], _cacheY.AsSpan(yDst + j * _cacheYStride));
        int uvDst = _delayRows / 2 * _cacheUvStride + 8 * mbX;
        for (int j = 0; j < 8; j++)
        {
            Copy8(work[(UOffset + j * Bps)..], _cacheU.AsSpan(uvDst + j * _cacheUvStride));
            Copy8(work[(VOffset + j * Bps)..], _cacheV.AsSpan(uvDst + j * _cacheUvStride));
        }
    }

    // Small fixed-size copies (Span.CopyTo's call costs more than the copy at these sizes).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy4(Span<byte> buffer, int from, int to) =>
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[to..], BinaryPrimitives.ReadUInt32LittleEndian(buffer[from..]));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy8(ReadOnlySpan<byte> from, Span<byte> to) =>
        BinaryPrimitives.WriteUInt64LittleEndian(to, BinaryPrimitives.ReadUInt64LittleEndian(from));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy16(ReadOnlySpan<byte> from, Span<byte> to) => Vector128.Create(from).CopyTo(to);

    /// <summary>DC prediction without the missing top and/or left edge on the frame's first row and column.</summary>
    private static byte EdgeAwareMode(int mbX, int mbY, byte mode)
    {
        if (mode != Vp8PredictionMode.DC) return mode;
        if (mbX == 0) return mbY == 0 ? Vp8PredictionMode.DCNoTopLeft : Vp8PredictionMode.DCNoLeft;
        return mbY == 0 ? Vp8PredictionMode.DCNoTop : Vp8PredictionMode.DC;
    }

    /// <summary>Adds one 4x4 block's residual with the transform libwebp picks for its code.</summary>
    private static void AddResidual(uint code, ReadOnlySpan<short> coeffs, Span<byte> work, int offset)
    {
        switch (code)
        {
            case 3: AddInverseDct(coeffs, work, offset); break;
            case 2: Vp8Transform.AddInverseDctAc3(coeffs, work, offset, Bps); break;
            case 1: Vp8Transform.AddInverseDctDcOnly(coeffs[0], work, offset, Bps); break;
        }
    }

    /// <summary>Adds the residual of one 8x8 chroma block (four 4x4 blocks, codes in 8 bits).</summary>
    private static void AddChromaResidual(uint codes, ReadOnlySpan<short> coeffs, Span<byte> work, int offset)
    {
        if (codes == 0) return;
        bool anyAc = (codes & 0xaa) != 0;
        for (int n = 0; n < 4; n++)
        {
            ReadOnlySpan<short> block = coeffs.Slice(16 * n, 16);
            int at = offset + (n >> 1) * 4 * Bps + (n & 1) * 4;
            // libwebp transforms all four blocks fully when any has AC, else only non-zero DCs.
            if (anyAc) AddInverseDct(block, work, at);
            else if (block[0] != 0) Vp8Transform.AddInverseDctDcOnly(block[0], work, at, Bps);
        }
    }

    private static void AddInverseDct(ReadOnlySpan<short> coeffs, Span<byte> work, int offset)
    {
        if (Vp8TransformVector.IsSupported) Vp8TransformVector.AddInverseDct(coeffs, work, offset, Bps);
        else Vp8Transform.AddInverseDct(coeffs, work, offset, Bps);
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
        if (Vp8LoopFilterVector.IsSupported) Vp8LoopFilterVector.SimpleHorizontal(plane, offset, stride, threshold);
        else Vp8LoopFilter.SimpleHorizontal(plane, offset, stride, threshold);
    }

    private static void SimpleVertical(Span<byte> plane, int offset, int stride, int threshold)
    {
        if (Vp8LoopFilterVector.IsSupported) Vp8LoopFilterVector.SimpleVertical(plane, offset, stride, threshold);
        else Vp8LoopFilter.SimpleVertical(plane, offset, stride, threshold);
    }

    private static void HorizontalEdge(Span<byte> plane, int offset, int stride, int count, bool macroblockEdge, int threshold, int interior, int hev)
    {
        if (Vp8LoopFilterVector.IsSupported) Vp8LoopFilterVector.HorizontalEdge(plane, offset, stride, count, macroblockEdge, threshold, interior, hev);
        else Vp8LoopFilter.HorizontalEdge(plane, offset, stride, count, macroblockEdge, threshold, interior, hev);
    }

    private static void VerticalEdge(Span<byte> plane, int offset, int stride, int count, bool macroblockEdge, int threshold, int interior, int hev)
    {
        if (Vp8LoopFilterVector.IsSupported) Vp8LoopFilterVector.VerticalEdge(plane, offset, stride, count, macroblockEdge, threshold, interior, hev);
        else Vp8LoopFilter.VerticalEdge(plane, offset, stride, count, macroblockEdge, threshold, interior, hev);
    }

    /// <summary>
    /// Converts the rows that are final after macroblock row <paramref name="mbY"/> (libwebp's
    /// <c>FinishRow</c> + <c>EmitFancyRGB</c>): the fancy upsampler works on pairs of output rows
    /// around each chroma row, and leaves the last row of a batch pending until the next chroma row exists.
    /// </summary>
    private void EmitRows(int mbY, Span<byte> rgb, int stride)
    {
        bool lastRow = mbY == _mbHeight - 1;
        int yStart = mbY == 0 ? 0 : 16 * mbY - _delayRows;
        int yEnd = lastRow ? _height : Math.Min(16 * (mbY + 1) - _delayRows, _height);
        if (yStart >= yEnd) return;

        // Cache row 0 holds image row 16 * mbY - delay (luma) and its chroma row.
        int lumaBase = 16 * mbY - _delayRows, chromaBase = 8 * mbY - _delayRows / 2;
        int uvWidth = (_width + 1) >> 1;
        ReadOnlySpan<byte> LumaRow(int row) => _cacheY.AsSpan((row - lumaBase) * _cacheYStride, _width);
        ReadOnlySpan<byte> URow(int row) => _cacheU.AsSpan((row - chromaBase) * _cacheUvStride, uvWidth);
        ReadOnlySpan<byte> VRow(int row) => _cacheV.AsSpan((row - chromaBase) * _cacheUvStride, uvWidth);

        int y = yStart;
        int chroma = yStart >> 1;
        if (yStart == 0)
            ConvertPair(LumaRow(0), default, URow(0), VRow(0), URow(0), VRow(0), rgb[..(3 * _width)], default);
        else
            ConvertPair(_pendingY.AsSpan(0, _width), LumaRow(yStart), _pendingU.AsSpan(0, uvWidth), _pendingV.AsSpan(0, uvWidth),
                URow(chroma), VRow(chroma), rgb.Slice((yStart - 1) * stride, 3 * _width), rgb.Slice(yStart * stride, 3 * _width));
        for (; y + 2 < yEnd; y += 2, chroma++)
            ConvertPair(LumaRow(y + 1), LumaRow(y + 2), URow(chroma), VRow(chroma), URow(chroma + 1), VRow(chroma + 1),
                rgb.Slice((y + 1) * stride, 3 * _width), rgb.Slice((y + 2) * stride, 3 * _width));

        if (yEnd < _height)
        {
            LumaRow(y + 1).CopyTo(_pendingY);
            URow(chroma).CopyTo(_pendingU);
            VRow(chroma).CopyTo(_pendingV);
        }
        else if ((yEnd & 1) == 0)
        {
            ConvertPair(LumaRow(y + 1), default, URow(chroma), VRow(chroma), URow(chroma), VRow(chroma), rgb.Slice((y + 1) * stride, 3 * _width), default);
        }
    }

    /// <summary>
    /// Converts an output row pair: <paramref name="topY"/> with chroma 3/4 from the top chroma rows,
    /// <paramref name="bottomY"/> (when not empty) with chroma 3/4 from the bottom ones.
    /// </summary>
    private void ConvertPair(ReadOnlySpan<byte> topY, ReadOnlySpan<byte> bottomY, ReadOnlySpan<byte> topU, ReadOnlySpan<byte> topV,
        ReadOnlySpan<byte> bottomU, ReadOnlySpan<byte> bottomV, Span<byte> topRgb, Span<byte> bottomRgb)
    {
        int width = _width;
        Span<byte> upTopU = _upsampled.AsSpan(0, width), upBottomU = _upsampled.AsSpan(width, width);
        Span<byte> upTopV = _upsampled.AsSpan(2 * width, width), upBottomV = _upsampled.AsSpan(3 * width, width);
        if (Vp8FancyUpsamplerVector.IsSupported)
        {
            Vp8FancyUpsamplerVector.UpsampleRows(topU, bottomU, upTopU, upBottomU, width);
            Vp8FancyUpsamplerVector.UpsampleRows(topV, bottomV, upTopV, upBottomV, width);
        }
        else
        {
            Vp8FancyUpsampler.UpsampleRows(topU, bottomU, upTopU, upBottomU, width);
            Vp8FancyUpsampler.UpsampleRows(topV, bottomV, upTopV, upBottomV, width);
        }
        ConvertRow(topY, upTopU, upTopV, topRgb);
        if (!bottomY.IsEmpty) ConvertRow(bottomY, upBottomU, upBottomV, bottomRgb);
    }

    private static void ConvertRow(ReadOnlySpan<byte> y, ReadOnlySpan<byte> u, ReadOnlySpan<byte> v, Span<byte> rgb)
    {
        if (Vp8YuvToRgbVector.IsSupported) Vp8YuvToRgbVector.ConvertRow(y, u, v, rgb);
        else Vp8YuvToRgb.ConvertRow(y, u, v, rgb);
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
        ArrayPool<byte>.Shared.Return(_work);
        ArrayPool<byte>.Shared.Return(_topY);
        ArrayPool<byte>.Shared.Return(_topU);
        ArrayPool<byte>.Shared.Return(_topV);
        ArrayPool<byte>.Shared.Return(_cacheY);
        ArrayPool<byte>.Shared.Return(_cacheU);
        ArrayPool<byte>.Shared.Return(_cacheV);
        ArrayPool<byte>.Shared.Return(_pendingY);
        ArrayPool<byte>.Shared.Return(_pendingU);
        ArrayPool<byte>.Shared.Return(_pendingV);
        ArrayPool<byte>.Shared.Return(_upsampled);
    }
}
