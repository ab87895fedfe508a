using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// Rebuilds macroblocks as libwebp 1.2.4's <c>ReconstructRow</c> does: in a small work buffer
/// (libwebp's <c>yuv_b_</c>) holding, around the macroblock, the unfiltered edges intra
/// prediction reads (the previous macroblock's last columns on the left, the previous row's
/// last rows on top, 127 above the frame and 129 left of it), then prediction, the inverse
/// transforms libwebp picks per block, and a copy out. Pooled buffers sized from the width.
/// </summary>
internal sealed class Vp8MacroblockReconstructor : IDisposable
{
    private const int Bps = Vp8IntraPredictor.Stride;

    // Work buffer layout: one row of top samples, 16 luma rows with 8 bytes of left samples before
    // them and 4 top-right bytes after; then the same for U and V side by side (8 rows).
    private const int WorkSize = Bps * 17 + Bps * 9;
    private const int YOffset = Bps * 1 + 8;
    private const int UOffset = YOffset + Bps * 16 + Bps;
    private const int VOffset = UOffset + 16;

    /// <summary>Offsets of the sixteen 4x4 luma blocks in the work buffer, raster order.</summary>
    private static ReadOnlySpan<short> LumaBlockOffsets =>
    [
        0, 4, 8, 12,
        4 * Bps, 4 * Bps + 4, 4 * Bps + 8, 4 * Bps + 12,
        8 * Bps, 8 * Bps + 4, 8 * Bps + 8, 8 * Bps + 12,
        12 * Bps, 12 * Bps + 4, 12 * Bps + 8, 12 * Bps + 12,
    ];

    private readonly int _mbWidth, _mbHeight;
    private readonly byte[] _work;
    // Bottom rows of the previous macroblock row, unfiltered: the top edges of the current one.
    private readonly byte[] _topY, _topU, _topV;

    /// <summary>Creates the reconstructor of a frame of <paramref name="mbWidth"/> x <paramref name="mbHeight"/> macroblocks.</summary>
    public Vp8MacroblockReconstructor(int mbWidth, int mbHeight)
    {
        _mbWidth = mbWidth;
        _mbHeight = mbHeight;
        _work = ArrayPool<byte>.Shared.Rent(WorkSize);
        _topY = ArrayPool<byte>.Shared.Rent(16 * mbWidth);
        _topU = ArrayPool<byte>.Shared.Rent(8 * mbWidth);
        _topV = ArrayPool<byte>.Shared.Rent(8 * mbWidth);
    }

    /// <summary>
    /// Predicts and reconstructs macroblock (<paramref name="mbX"/>, <paramref name="mbY"/>) from its
    /// modes, 4x4 modes, dequantized coefficients and transform codes (see <see cref="Vp8ResidualReader"/>),
    /// then copies its 16x16 luma to <paramref name="y"/> and 8x8 chroma to <paramref name="u"/> and
    /// <paramref name="v"/> (rows <paramref name="yStride"/> / <paramref name="uvStride"/> apart).
    /// Macroblocks must come in raster order.
    /// </summary>
    public void Reconstruct(int mbX, int mbY, in Vp8MacroblockModes mb, ReadOnlySpan<byte> subblockModes, ReadOnlySpan<short> coeffs,
        uint lumaCodes, uint chromaCodes, Span<byte> y, int yStride, Span<byte> u, Span<byte> v, int uvStride)
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

        coeffs = coeffs[..384];
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
            ReadOnlySpan<byte> subModes = subblockModes[..16];
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

        for (int j = 0; j < 16; j++) Copy16(work[(YOffset + j * Bps)..], y[(j * yStride)..]);
        for (int j = 0; j < 8; j++)
        {
            Copy8(work[(UOffset + j * Bps)..], u[(j * uvStride)..]);
            Copy8(work[(VOffset + j * Bps)..], v[(j * uvStride)..]);
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

    /// <inheritdoc/>
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_work);
        ArrayPool<byte>.Shared.Return(_topY);
        ArrayPool<byte>.Shared.Return(_topU);
        ArrayPool<byte>.Shared.Return(_topV);
    }
}
