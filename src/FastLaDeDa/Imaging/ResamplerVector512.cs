using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Imaging;

/// <summary>
/// The resampling passes with 512-bit vectors (AVX-512 F + BW).
/// Horizontal: four output pixels at a time, one 128-bit lane each; a lane holds that output's
/// 16-byte source window (5 taps), and one in-lane byte shuffle per tap widens the tap's R, G, B
/// into three int32 lanes, which are multiplied by the weight and accumulated (no gathers, which
/// are slow on Zen 4). Four rows are done together so each weight load serves four rows.
/// Vertical: 64 bytes of the row at a time, bytes widened to int32 and multiplied by each tap's
/// broadcast weight.
/// </summary>
internal sealed class ResamplerVector512 : Resampler
{
    /// <summary>The single instance.</summary>
    public static ResamplerVector512 Instance { get; } = new();

    private ResamplerVector512() { }

    /// <inheritdoc/>
    public override string Isa => "Vector512";

    /// <inheritdoc/>
    public override bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Avx512BW.IsSupported;

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
        int inStride = sourceWidth * 3, outStride = axis.OutputSize * 3;
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
                    // Four rows at a time share the offsets and each weight load.
                    if (y + 3 < rowCount && rowOffset + 3L * inStride + table.BytesRead <= source.Length)
                    {
                        HorizontalRows(input + rowOffset, inStride, outRow, outStride, table, weights, offsets);
                        y += 4;
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
        const byte Z = 0x80; // pshufb writes 0 for an index with the high bit set
        // Per 128-bit lane: tap j's bytes 3j, 3j+1, 3j+2 of the window, each widened to an int32.
        Vector512<byte> tap0 = Vector512.Create(Vector128.Create((byte)0, Z, Z, Z, 1, Z, Z, Z, 2, Z, Z, Z, Z, Z, Z, Z));
        Vector512<byte> tap1 = Vector512.Create(Vector128.Create((byte)3, Z, Z, Z, 4, Z, Z, Z, 5, Z, Z, Z, Z, Z, Z, Z));
        Vector512<byte> tap2 = Vector512.Create(Vector128.Create((byte)6, Z, Z, Z, 7, Z, Z, Z, 8, Z, Z, Z, Z, Z, Z, Z));
        Vector512<byte> tap3 = Vector512.Create(Vector128.Create((byte)9, Z, Z, Z, 10, Z, Z, Z, 11, Z, Z, Z, Z, Z, Z, Z));
        Vector512<byte> tap4 = Vector512.Create(Vector128.Create((byte)12, Z, Z, Z, 13, Z, Z, Z, 14, Z, Z, Z, Z, Z, Z, Z));
        Vector128<byte> compact = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, Z, Z, Z, Z);
        Vector512<int> half = Vector512.Create(Half);
        int taps = table.MaxCount;
        for (int g = 0; g < table.Groups; g++)
        {
            int x = table.GroupStart(g);
            byte* p0 = row + offsets[x], p1 = row + offsets[x + 1], p2 = row + offsets[x + 2], p3 = row + offsets[x + 3];
            int* w = weights + g * taps * 16; // 16 ints per tap: 4 outputs x (R, G, B, unused)
            Vector512<int> acc = half;
            for (int t = 0; t < taps; t += 5, p0 += 15, p1 += 15, p2 += 15, p3 += 15)
            {
                Vector512<byte> window = Window(p0, p1, p2, p3);
                int rest = taps - t;
                // acc += pixel[start + t] * weight[t], for R, G, B of four outputs
                acc += Avx512BW.Shuffle(window, tap0).AsInt32() * Vector512.Load(w); w += 16;
                if (rest == 1) break;
                acc += Avx512BW.Shuffle(window, tap1).AsInt32() * Vector512.Load(w); w += 16;
                if (rest == 2) break;
                acc += Avx512BW.Shuffle(window, tap2).AsInt32() * Vector512.Load(w); w += 16;
                if (rest == 3) break;
                acc += Avx512BW.Shuffle(window, tap3).AsInt32() * Vector512.Load(w); w += 16;
                if (rest == 4) break;
                acc += Avx512BW.Shuffle(window, tap4).AsInt32() * Vector512.Load(w); w += 16;
            }
            StoreTwelve(Vector128.Shuffle(Clip(acc), compact), outRow + x * 3, outRow + outStride);
        }
    }

    /// <summary><see cref="HorizontalRow"/> for four consecutive rows <paramref name="inStride"/> bytes apart (same taps, so one offset and weight load serve all four).</summary>
    private static unsafe void HorizontalRows(byte* row, nint inStride, byte* outRow, nint outStride, in HorizontalTapTable table, int* weights, int* offsets)
    {
        const byte Z = 0x80; // as in HorizontalRow
        Vector512<byte> tap0 = Vector512.Create(Vector128.Create((byte)0, Z, Z, Z, 1, Z, Z, Z, 2, Z, Z, Z, Z, Z, Z, Z));
        Vector512<byte> tap1 = Vector512.Create(Vector128.Create((byte)3, Z, Z, Z, 4, Z, Z, Z, 5, Z, Z, Z, Z, Z, Z, Z));
        Vector512<byte> tap2 = Vector512.Create(Vector128.Create((byte)6, Z, Z, Z, 7, Z, Z, Z, 8, Z, Z, Z, Z, Z, Z, Z));
        Vector512<byte> tap3 = Vector512.Create(Vector128.Create((byte)9, Z, Z, Z, 10, Z, Z, Z, 11, Z, Z, Z, Z, Z, Z, Z));
        Vector512<byte> tap4 = Vector512.Create(Vector128.Create((byte)12, Z, Z, Z, 13, Z, Z, Z, 14, Z, Z, Z, Z, Z, Z, Z));
        Vector128<byte> compact = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, Z, Z, Z, Z);
        Vector512<int> half = Vector512.Create(Half);
        int taps = table.MaxCount;
        for (int g = 0; g < table.Groups; g++)
        {
            int x = table.GroupStart(g);
            byte* p0 = row + offsets[x], p1 = row + offsets[x + 1], p2 = row + offsets[x + 2], p3 = row + offsets[x + 3];
            int* w = weights + g * taps * 16; // 16 ints per tap: 4 outputs x (R, G, B, unused)
            Vector512<int> acc0 = half, acc1 = half, acc2 = half, acc3 = half;
            for (int t = 0; t < taps; t += 5, p0 += 15, p1 += 15, p2 += 15, p3 += 15)
            {
                Vector512<byte> a0 = Window(p0, p1, p2, p3);
                Vector512<byte> a1 = Window(p0 + inStride, p1 + inStride, p2 + inStride, p3 + inStride);
                Vector512<byte> a2 = Window(p0 + 2 * inStride, p1 + 2 * inStride, p2 + 2 * inStride, p3 + 2 * inStride);
                Vector512<byte> a3 = Window(p0 + 3 * inStride, p1 + 3 * inStride, p2 + 3 * inStride, p3 + 3 * inStride);
                int rest = taps - t;
                // acc_r += pixel_r[start + t] * weight[t], for R, G, B of four outputs in four rows
                Vector512<int> k = Vector512.Load(w); w += 16;
                acc0 += Avx512BW.Shuffle(a0, tap0).AsInt32() * k; acc1 += Avx512BW.Shuffle(a1, tap0).AsInt32() * k;
                acc2 += Avx512BW.Shuffle(a2, tap0).AsInt32() * k; acc3 += Avx512BW.Shuffle(a3, tap0).AsInt32() * k;
                if (rest == 1) break;
                k = Vector512.Load(w); w += 16;
                acc0 += Avx512BW.Shuffle(a0, tap1).AsInt32() * k; acc1 += Avx512BW.Shuffle(a1, tap1).AsInt32() * k;
                acc2 += Avx512BW.Shuffle(a2, tap1).AsInt32() * k; acc3 += Avx512BW.Shuffle(a3, tap1).AsInt32() * k;
                if (rest == 2) break;
                k = Vector512.Load(w); w += 16;
                acc0 += Avx512BW.Shuffle(a0, tap2).AsInt32() * k; acc1 += Avx512BW.Shuffle(a1, tap2).AsInt32() * k;
                acc2 += Avx512BW.Shuffle(a2, tap2).AsInt32() * k; acc3 += Avx512BW.Shuffle(a3, tap2).AsInt32() * k;
                if (rest == 3) break;
                k = Vector512.Load(w); w += 16;
                acc0 += Avx512BW.Shuffle(a0, tap3).AsInt32() * k; acc1 += Avx512BW.Shuffle(a1, tap3).AsInt32() * k;
                acc2 += Avx512BW.Shuffle(a2, tap3).AsInt32() * k; acc3 += Avx512BW.Shuffle(a3, tap3).AsInt32() * k;
                if (rest == 4) break;
                k = Vector512.Load(w); w += 16;
                acc0 += Avx512BW.Shuffle(a0, tap4).AsInt32() * k; acc1 += Avx512BW.Shuffle(a1, tap4).AsInt32() * k;
                acc2 += Avx512BW.Shuffle(a2, tap4).AsInt32() * k; acc3 += Avx512BW.Shuffle(a3, tap4).AsInt32() * k;
            }
            byte* out0 = outRow + x * 3;
            StoreTwelve(Vector128.Shuffle(Clip(acc0), compact), out0, outRow + outStride);
            StoreTwelve(Vector128.Shuffle(Clip(acc1), compact), out0 + outStride, outRow + 2 * outStride);
            StoreTwelve(Vector128.Shuffle(Clip(acc2), compact), out0 + 2 * outStride, outRow + 3 * outStride);
            StoreTwelve(Vector128.Shuffle(Clip(acc3), compact), out0 + 3 * outStride, outRow + 4 * outStride);
        }
    }

    /// <summary>clip8(acc &gt;&gt; PrecisionBits) per int32 lane: negatives to 0 first, then unsigned saturation to 255.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Clip(Vector512<int> acc) =>
        Avx512F.ConvertToVector128ByteWithSaturation(Vector512.Max(acc >> ResampleAxis.PrecisionBits, Vector512<int>.Zero).AsUInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<byte> Window(byte* p0, byte* p1, byte* p2, byte* p3) =>
        Vector512.Create(
            Vector256.Create(Vector128.Load(p0), Vector128.Load(p1)),
            Vector256.Create(Vector128.Load(p2), Vector128.Load(p3)));

    /// <summary>
    /// Stores the first 12 bytes of <paramref name="rgb"/>, as one 16-byte store when that stays
    /// before <paramref name="rowEnd"/> (the extra 4 bytes land on the next pixel of the same row,
    /// which the next group writes later; a multi-row kernel has already written the next row).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void StoreTwelve(Vector128<byte> rgb, byte* destination, byte* rowEnd)
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
        int stride = width * 3;
        if (stride < 16)
        {
            ResamplerScalar.Instance.Vertical(rows, width, axis, firstRow, output);
            return;
        }
        // Dword d of the packed result comes from dword (d % 4) * 4 + d / 4 (packs work per 128-bit lane).
        Vector512<int> unpack = Vector512.Create(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
        Vector512<int> half = Vector512.Create(Half);
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
                for (; i + 64 <= stride; i += 64)
                {
                    Vector512<int> acc0 = half, acc1 = half, acc2 = half, acc3 = half;
                    byte* p = first + i;
                    for (int t = 0; t < taps; t++, p += stride)
                    {
                        // acc[i] += row[t][i] * weight[t]
                        Vector512<int> w = Vector512.Create(weights[t]);
                        acc0 += Avx512F.ConvertToVector512Int32(Vector128.Load(p)) * w;
                        acc1 += Avx512F.ConvertToVector512Int32(Vector128.Load(p + 16)) * w;
                        acc2 += Avx512F.ConvertToVector512Int32(Vector128.Load(p + 32)) * w;
                        acc3 += Avx512F.ConvertToVector512Int32(Vector128.Load(p + 48)) * w;
                    }
                    // clip8: signed saturation to int16, then unsigned saturation to 0..255.
                    Vector512<short> s01 = Avx512BW.PackSignedSaturate(acc0 >> ResampleAxis.PrecisionBits, acc1 >> ResampleAxis.PrecisionBits);
                    Vector512<short> s23 = Avx512BW.PackSignedSaturate(acc2 >> ResampleAxis.PrecisionBits, acc3 >> ResampleAxis.PrecisionBits);
                    Vector512<byte> packed = Avx512BW.PackUnsignedSaturate(s01, s23);
                    Avx512F.PermuteVar16x32(packed.AsInt32(), unpack).AsByte().Store(outRow + i);
                }
                // Remaining bytes 16 at a time, the last block overlapping the one before it.
                for (; i < stride; i += 16)
                {
                    if (i > stride - 16) i = stride - 16;
                    Vector512<int> acc = half;
                    byte* p = first + i;
                    for (int t = 0; t < taps; t++, p += stride)
                        acc += Avx512F.ConvertToVector512Int32(Vector128.Load(p)) * Vector512.Create(weights[t]);
                    Vector512<int> shifted = Vector512.Max(acc >> ResampleAxis.PrecisionBits, Vector512<int>.Zero);
                    Avx512F.ConvertToVector128ByteWithSaturation(shifted.AsUInt32()).Store(outRow + i);
                }
            }
        }
    }
}
