using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FastLaDeDa.Imaging.Resize;

/// <summary>
/// The resampling passes written once for every register width (<typeparamref name="TOps"/>).
/// Horizontal: four output pixels at a time, one 128-bit lane each; a lane holds that output's
/// 16-byte source window (5 taps), and one in-lane byte shuffle per tap widens the tap's R, G, B
/// into three int32 lanes, which are multiplied by the weight and accumulated (no gathers, which
/// are slow on Zen 4). <see cref="IResampleOps{TQuad, TInt}.RowsTogether"/> rows are done
/// together so each weight load serves them all. Vertical: 4 · Count bytes of the row at a time,
/// bytes widened to int32 and multiplied by each tap's broadcast weight. Integer sums are exact,
/// so every width gives the scalar bytes. <see cref="ResamplerVector128"/>,
/// <see cref="ResamplerVector256"/> and <see cref="ResamplerVector512"/> are its named instances.
/// </summary>
internal abstract class ResamplerSimd<TOps, TQuad, TInt> : Resampler
    where TOps : struct, IResampleOps<TQuad, TInt>
    where TQuad : struct
    where TInt : struct
{
    /// <inheritdoc/>
    public override string Isa => TOps.Isa;

    /// <inheritdoc/>
    public override bool IsSupported => TOps.IsSupported;

    /// <inheritdoc/>
    public override unsafe void Horizontal(ReadOnlySpan<byte> source, int sourceWidth, HorizontalResampling pass, int firstRow, int rowCount, Span<byte> output)
    {
        ResampleAxis axis = pass.Axis;
        CheckHorizontal(source, sourceWidth, axis, firstRow, rowCount, output);
        if (!pass.HasTable)
        {
            ResamplerScalar.Instance.Horizontal(source, sourceWidth, pass, firstRow, rowCount, output);
            return;
        }
        int inStride = sourceWidth * 3, outStride = axis.OutputSize * 3, together = TOps.RowsTogether;
        ref readonly HorizontalTapTable table = ref pass.Table;
        byte[]? padded = null;
        try
        {
            fixed (byte* input = source, result = output)
            fixed (int* weights = table.Weights, offsets = table.Offsets)
            {
                for (int y = 0; y < rowCount; )
                {
                    long rowOffset = (long)(firstRow + y) * inStride;
                    byte* outRow = result + (long)y * outStride;
                    // Several rows at a time share the offsets and each weight load.
                    if (together > 1 && y + together <= rowCount && rowOffset + (together - 1L) * inStride + table.BytesRead <= source.Length)
                    {
                        HorizontalRows(input + rowOffset, inStride, outRow, outStride, table, weights, offsets);
                        y += together;
                        continue;
                    }
                    if (rowOffset + table.BytesRead <= source.Length)
                    {
                        HorizontalRow(input + rowOffset, outRow, outStride, table, weights, offsets);
                        y++;
                        continue;
                    }
                    // The windows of this row would read past the buffer: copy it with slack.
                    padded ??= ArrayPool<byte>.Shared.Rent(Math.Max(table.BytesRead, inStride));
                    source.Slice((int)rowOffset, inStride).CopyTo(padded);
                    padded.AsSpan(inStride).Clear();
                    fixed (byte* row = padded)
                        HorizontalRow(row, outRow, outStride, table, weights, offsets);
                    y++;
                }
            }
        }
        finally
        {
            if (padded is not null) ArrayPool<byte>.Shared.Return(padded);
        }
    }

    /// <summary>One row, a group of four output pixels at a time (see <see cref="HorizontalTapTable"/>).</summary>
    private static unsafe void HorizontalRow(byte* row, byte* outRow, int outStride, in HorizontalTapTable table, int* weights, int* offsets)
    {
        TQuad half = TOps.Fill(Half);
        TQuad m0 = TOps.TapMask(0), m1 = TOps.TapMask(1), m2 = TOps.TapMask(2), m3 = TOps.TapMask(3), m4 = TOps.TapMask(4);
        int taps = table.MaxCount;
        for (int g = 0; g < table.Groups; g++)
        {
            int x = table.GroupStart(g);
            byte* p0 = row + offsets[x], p1 = row + offsets[x + 1], p2 = row + offsets[x + 2], p3 = row + offsets[x + 3];
            int* w = weights + g * taps * 16; // 16 ints per tap: 4 outputs x (R, G, B, unused)
            TQuad acc = half;
            for (int t = 0; t < taps; t += 5, p0 += 15, p1 += 15, p2 += 15, p3 += 15)
            {
                TQuad window = TOps.Windows(p0, p1, p2, p3);
                int rest = taps - t;
                // acc += pixel[start + t] * weight[t], for R, G, B of four outputs
                acc = TOps.MultiplyAddTap(acc, window, m0, TOps.LoadWeights(w)); w += 16;
                if (rest == 1) break;
                acc = TOps.MultiplyAddTap(acc, window, m1, TOps.LoadWeights(w)); w += 16;
                if (rest == 2) break;
                acc = TOps.MultiplyAddTap(acc, window, m2, TOps.LoadWeights(w)); w += 16;
                if (rest == 3) break;
                acc = TOps.MultiplyAddTap(acc, window, m3, TOps.LoadWeights(w)); w += 16;
                if (rest == 4) break;
                acc = TOps.MultiplyAddTap(acc, window, m4, TOps.LoadWeights(w)); w += 16;
            }
            StoreTwelve(TOps.Clip(acc), outRow + x * 3, outRow + outStride);
        }
    }

    /// <summary>
    /// <see cref="HorizontalRow"/> for <see cref="IResampleOps{TQuad, TInt}.RowsTogether"/> (2 or 4)
    /// consecutive rows <paramref name="inStride"/> bytes apart (same taps, so one offset and weight
    /// load serve them all). The rows past RowsTogether are constants the JIT removes.
    /// </summary>
    private static unsafe void HorizontalRows(byte* row, nint inStride, byte* outRow, nint outStride, in HorizontalTapTable table, int* weights, int* offsets)
    {
        bool four = TOps.RowsTogether == 4;
        TQuad half = TOps.Fill(Half);
        TQuad m0 = TOps.TapMask(0), m1 = TOps.TapMask(1), m2 = TOps.TapMask(2), m3 = TOps.TapMask(3), m4 = TOps.TapMask(4);
        int taps = table.MaxCount;
        for (int g = 0; g < table.Groups; g++)
        {
            int x = table.GroupStart(g);
            byte* p0 = row + offsets[x], p1 = row + offsets[x + 1], p2 = row + offsets[x + 2], p3 = row + offsets[x + 3];
            int* w = weights + g * taps * 16;
            TQuad acc0 = half, acc1 = half, acc2 = half, acc3 = half;
            for (int t = 0; t < taps; t += 5, p0 += 15, p1 += 15, p2 += 15, p3 += 15)
            {
                TQuad a0 = TOps.Windows(p0, p1, p2, p3);
                TQuad a1 = TOps.Windows(p0 + inStride, p1 + inStride, p2 + inStride, p3 + inStride);
                TQuad a2 = four ? TOps.Windows(p0 + 2 * inStride, p1 + 2 * inStride, p2 + 2 * inStride, p3 + 2 * inStride) : default;
                TQuad a3 = four ? TOps.Windows(p0 + 3 * inStride, p1 + 3 * inStride, p2 + 3 * inStride, p3 + 3 * inStride) : default;
                int rest = taps - t;
                // acc_r += pixel_r[start + t] * weight[t], for R, G, B of four outputs in each row; one
                // weight load per tap serves every row. Written out (no helper taking the accumulators
                // by ref): by-ref accumulators made the JIT spill 12 registers per 5 taps.
                TQuad k = TOps.LoadWeights(w); w += 16;
                acc0 = TOps.MultiplyAddTap(acc0, a0, m0, k); acc1 = TOps.MultiplyAddTap(acc1, a1, m0, k);
                if (four) { acc2 = TOps.MultiplyAddTap(acc2, a2, m0, k); acc3 = TOps.MultiplyAddTap(acc3, a3, m0, k); }
                if (rest == 1) break;
                k = TOps.LoadWeights(w); w += 16;
                acc0 = TOps.MultiplyAddTap(acc0, a0, m1, k); acc1 = TOps.MultiplyAddTap(acc1, a1, m1, k);
                if (four) { acc2 = TOps.MultiplyAddTap(acc2, a2, m1, k); acc3 = TOps.MultiplyAddTap(acc3, a3, m1, k); }
                if (rest == 2) break;
                k = TOps.LoadWeights(w); w += 16;
                acc0 = TOps.MultiplyAddTap(acc0, a0, m2, k); acc1 = TOps.MultiplyAddTap(acc1, a1, m2, k);
                if (four) { acc2 = TOps.MultiplyAddTap(acc2, a2, m2, k); acc3 = TOps.MultiplyAddTap(acc3, a3, m2, k); }
                if (rest == 3) break;
                k = TOps.LoadWeights(w); w += 16;
                acc0 = TOps.MultiplyAddTap(acc0, a0, m3, k); acc1 = TOps.MultiplyAddTap(acc1, a1, m3, k);
                if (four) { acc2 = TOps.MultiplyAddTap(acc2, a2, m3, k); acc3 = TOps.MultiplyAddTap(acc3, a3, m3, k); }
                if (rest == 4) break;
                k = TOps.LoadWeights(w); w += 16;
                acc0 = TOps.MultiplyAddTap(acc0, a0, m4, k); acc1 = TOps.MultiplyAddTap(acc1, a1, m4, k);
                if (four) { acc2 = TOps.MultiplyAddTap(acc2, a2, m4, k); acc3 = TOps.MultiplyAddTap(acc3, a3, m4, k); }
            }
            byte* out0 = outRow + x * 3;
            StoreTwelve(TOps.Clip(acc0), out0, outRow + outStride);
            StoreTwelve(TOps.Clip(acc1), out0 + outStride, outRow + 2 * outStride);
            if (four)
            {
                StoreTwelve(TOps.Clip(acc2), out0 + 2 * outStride, outRow + 3 * outStride);
                StoreTwelve(TOps.Clip(acc3), out0 + 3 * outStride, outRow + 4 * outStride);
            }
        }
    }

    /// <summary>
    /// Stores the first 12 bytes of <paramref name="rgb"/>, as one 16-byte store when that stays
    /// before <paramref name="rowEnd"/> (the extra 4 bytes land on the next pixel of the same row,
    /// which the next group writes later; a multi-row kernel has already written the next row).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreTwelve(Vector128<byte> rgb, byte* destination, byte* rowEnd)
    {
        if (destination + 16 <= rowEnd)
        {
            rgb.Store(destination);
            return;
        }
        *(ulong*)destination = rgb.AsUInt64().ToScalar();
        *(uint*)(destination + 8) = rgb.AsUInt32().GetElement(2);
    }

    /// <inheritdoc/>
    public override unsafe void Vertical(ReadOnlySpan<byte> rows, int width, ResampleAxis axis, int firstRow, Span<byte> output)
    {
        CheckVertical(rows, width, axis, firstRow, output);
        int stride = width * 3, n = TOps.Count;
        if (stride < n)
        {
            ResamplerScalar.Instance.Vertical(rows, width, axis, firstRow, output);
            return;
        }
        TInt half = TOps.Broadcast(Half);
        fixed (byte* input = rows, result = output)
        fixed (int* allWeights = axis.FixedWeights)
        {
            for (int y = 0; y < axis.OutputSize; y++)
            {
                int taps = axis.Count[y];
                int* weights = allWeights + y * axis.KernelSize;
                byte* first = input + (long)(axis.Start[y] - firstRow) * stride;
                byte* outRow = result + (long)y * stride;
                int i = 0;
                for (; i + 4 * n <= stride; i += 4 * n)
                {
                    TInt acc0 = half, acc1 = half, acc2 = half, acc3 = half;
                    byte* p = first + i;
                    for (int t = 0; t < taps; t++, p += stride)
                    {
                        // acc[i] += row[t][i] * weight[t]
                        TInt w = TOps.Broadcast(weights[t]);
                        acc0 = TOps.MultiplyAdd(acc0, TOps.Widen(p), w);
                        acc1 = TOps.MultiplyAdd(acc1, TOps.Widen(p + n), w);
                        acc2 = TOps.MultiplyAdd(acc2, TOps.Widen(p + 2 * n), w);
                        acc3 = TOps.MultiplyAdd(acc3, TOps.Widen(p + 3 * n), w);
                    }
                    TOps.ClipStore(acc0, acc1, acc2, acc3, outRow + i);
                }
                // Remaining bytes Count at a time, the last block overlapping the one before it.
                for (; i < stride; i += n)
                {
                    if (i > stride - n) i = stride - n;
                    TInt acc = half;
                    byte* p = first + i;
                    for (int t = 0; t < taps; t++, p += stride)
                        acc = TOps.MultiplyAdd(acc, TOps.Widen(p), TOps.Broadcast(weights[t]));
                    TOps.ClipStore(acc, outRow + i);
                }
            }
        }
    }
}
