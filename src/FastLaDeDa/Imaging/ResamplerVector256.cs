using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastLaDeDa.Imaging;

/// <summary>
/// The resampling passes with 256-bit vectors (AVX2).
/// Horizontal: four output pixels at a time in two vectors, one 128-bit lane each; a lane holds
/// that output's 16-byte source window (5 taps), and one in-lane byte shuffle per tap widens the
/// tap's R, G, B into three int32 lanes, which are multiplied by the weight and accumulated (no
/// gathers, which are slow on Zen 4). Two rows are done together so each weight load serves both.
/// Vertical: 32 bytes of the row at a time, bytes widened to int32 and multiplied by
/// each tap's broadcast weight.
/// </summary>
internal sealed class ResamplerVector256 : Resampler
{
    /// <summary>The single instance.</summary>
    public static ResamplerVector256 Instance { get; } = new();

    private ResamplerVector256() { }

    /// <inheritdoc/>
    public override string Isa => "Vector256";

    /// <inheritdoc/>
    public override bool IsSupported => Vector256.IsHardwareAccelerated && Avx2.IsSupported;

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
                for (int y = 0; y < rowCount; y++)
                {
                    long rowOffset = (long)(firstRow + y) * inStride;
                    byte* outRow = result + (long)y * outStride;
                    // Two rows at a time share the offsets and each weight load.
                    if (y + 1 < rowCount && rowOffset + inStride + table.BytesRead <= source.Length)
                    {
                        HorizontalRows(input + rowOffset, inStride, outRow, outStride, table, weights, offsets);
                        y++;
                        continue;
                    }
                    if (rowOffset + table.BytesRead <= source.Length)
                    {
                        HorizontalRow(input + rowOffset, outRow, outStride, table, weights, offsets);
                        continue;
                    }
                    // The windows of this row would read past the buffer: copy it with slack.
                    padded ??= ArrayPool<byte>.Shared.Rent(Math.Max(table.BytesRead, inStride));
                    source.Slice((int)rowOffset, inStride).CopyTo(padded);
                    padded.AsSpan(inStride).Clear();
                    fixed (byte* row = padded)
                        HorizontalRow(row, outRow, outStride, table, weights, offsets);
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
        Vector256<byte> tap0 = Vector256.Create(Vector128.Create((byte)0, Z, Z, Z, 1, Z, Z, Z, 2, Z, Z, Z, Z, Z, Z, Z));
        Vector256<byte> tap1 = Vector256.Create(Vector128.Create((byte)3, Z, Z, Z, 4, Z, Z, Z, 5, Z, Z, Z, Z, Z, Z, Z));
        Vector256<byte> tap2 = Vector256.Create(Vector128.Create((byte)6, Z, Z, Z, 7, Z, Z, Z, 8, Z, Z, Z, Z, Z, Z, Z));
        Vector256<byte> tap3 = Vector256.Create(Vector128.Create((byte)9, Z, Z, Z, 10, Z, Z, Z, 11, Z, Z, Z, Z, Z, Z, Z));
        Vector256<byte> tap4 = Vector256.Create(Vector128.Create((byte)12, Z, Z, Z, 13, Z, Z, Z, 14, Z, Z, Z, Z, Z, Z, Z));
        Vector256<int> half = Vector256.Create(Half);
        int taps = table.MaxCount;
        for (int g = 0; g < table.Groups; g++)
        {
            int x = table.GroupStart(g);
            byte* p0 = row + offsets[x], p1 = row + offsets[x + 1], p2 = row + offsets[x + 2], p3 = row + offsets[x + 3];
            int* w = weights + g * taps * 16; // 16 ints per tap: 4 outputs x (R, G, B, unused)
            Vector256<int> acc01 = half, acc23 = half; // outputs x, x+1 and x+2, x+3
            for (int t = 0; t < taps; t += 5, p0 += 15, p1 += 15, p2 += 15, p3 += 15)
            {
                Vector256<byte> window01 = Vector256.Create(Vector128.Load(p0), Vector128.Load(p1));
                Vector256<byte> window23 = Vector256.Create(Vector128.Load(p2), Vector128.Load(p3));
                int rest = taps - t;
                // acc += pixel[start + t] * weight[t], for R, G, B of four outputs
                Tap(ref acc01, ref acc23, window01, window23, tap0, w); w += 16;
                if (rest == 1) break;
                Tap(ref acc01, ref acc23, window01, window23, tap1, w); w += 16;
                if (rest == 2) break;
                Tap(ref acc01, ref acc23, window01, window23, tap2, w); w += 16;
                if (rest == 3) break;
                Tap(ref acc01, ref acc23, window01, window23, tap3, w); w += 16;
                if (rest == 4) break;
                Tap(ref acc01, ref acc23, window01, window23, tap4, w); w += 16;
            }
            ResamplerVector512.StoreTwelve(Clip(acc01, acc23), outRow + x * 3, outRow + outStride);
        }
    }

    /// <summary><see cref="HorizontalRow"/> for two consecutive rows <paramref name="inStride"/> bytes apart (same taps, so one offset and weight load serve both).</summary>
    private static unsafe void HorizontalRows(byte* row, nint inStride, byte* outRow, nint outStride, in HorizontalTapTable table, int* weights, int* offsets)
    {
        const byte Z = 0x80; // as in HorizontalRow
        Vector256<byte> tap0 = Vector256.Create(Vector128.Create((byte)0, Z, Z, Z, 1, Z, Z, Z, 2, Z, Z, Z, Z, Z, Z, Z));
        Vector256<byte> tap1 = Vector256.Create(Vector128.Create((byte)3, Z, Z, Z, 4, Z, Z, Z, 5, Z, Z, Z, Z, Z, Z, Z));
        Vector256<byte> tap2 = Vector256.Create(Vector128.Create((byte)6, Z, Z, Z, 7, Z, Z, Z, 8, Z, Z, Z, Z, Z, Z, Z));
        Vector256<byte> tap3 = Vector256.Create(Vector128.Create((byte)9, Z, Z, Z, 10, Z, Z, Z, 11, Z, Z, Z, Z, Z, Z, Z));
        Vector256<byte> tap4 = Vector256.Create(Vector128.Create((byte)12, Z, Z, Z, 13, Z, Z, Z, 14, Z, Z, Z, Z, Z, Z, Z));
        Vector256<int> half = Vector256.Create(Half);
        int taps = table.MaxCount;
        for (int g = 0; g < table.Groups; g++)
        {
            int x = table.GroupStart(g);
            byte* p0 = row + offsets[x], p1 = row + offsets[x + 1], p2 = row + offsets[x + 2], p3 = row + offsets[x + 3];
            int* w = weights + g * taps * 16; // 16 ints per tap: 4 outputs x (R, G, B, unused)
            Vector256<int> a01 = half, a23 = half, b01 = half, b23 = half; // rows a and b
            for (int t = 0; t < taps; t += 5, p0 += 15, p1 += 15, p2 += 15, p3 += 15)
            {
                Vector256<byte> wa01 = Vector256.Create(Vector128.Load(p0), Vector128.Load(p1));
                Vector256<byte> wa23 = Vector256.Create(Vector128.Load(p2), Vector128.Load(p3));
                Vector256<byte> wb01 = Vector256.Create(Vector128.Load(p0 + inStride), Vector128.Load(p1 + inStride));
                Vector256<byte> wb23 = Vector256.Create(Vector128.Load(p2 + inStride), Vector128.Load(p3 + inStride));
                int rest = taps - t;
                // acc_r += pixel_r[start + t] * weight[t], for R, G, B of four outputs in two rows
                Tap(ref a01, ref a23, ref b01, ref b23, wa01, wa23, wb01, wb23, tap0, w); w += 16;
                if (rest == 1) break;
                Tap(ref a01, ref a23, ref b01, ref b23, wa01, wa23, wb01, wb23, tap1, w); w += 16;
                if (rest == 2) break;
                Tap(ref a01, ref a23, ref b01, ref b23, wa01, wa23, wb01, wb23, tap2, w); w += 16;
                if (rest == 3) break;
                Tap(ref a01, ref a23, ref b01, ref b23, wa01, wa23, wb01, wb23, tap3, w); w += 16;
                if (rest == 4) break;
                Tap(ref a01, ref a23, ref b01, ref b23, wa01, wa23, wb01, wb23, tap4, w); w += 16;
            }
            byte* out0 = outRow + x * 3;
            ResamplerVector512.StoreTwelve(Clip(a01, a23), out0, outRow + outStride);
            ResamplerVector512.StoreTwelve(Clip(b01, b23), out0 + outStride, outRow + 2 * outStride);
        }
    }

    /// <summary>
    /// clip8(acc &gt;&gt; PrecisionBits) for outputs x, x+1 (<paramref name="acc01"/>) and x+2, x+3
    /// (<paramref name="acc23"/>), as 12 bytes R, G, B × 4: signed saturation to int16, then
    /// unsigned saturation to 0..255, which is exactly the clamp.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Clip(Vector256<int> acc01, Vector256<int> acc23)
    {
        const byte Z = 0x80;
        // Lane 0 of the packed bytes holds outputs x, x+2 and lane 1 outputs x+1, x+3.
        Vector256<short> words = Avx2.PackSignedSaturate(acc01 >> ResampleAxis.PrecisionBits, acc23 >> ResampleAxis.PrecisionBits);
        Vector256<byte> bytes = Avx2.PackUnsignedSaturate(words, words);
        Vector128<byte> rgbx = Sse2.UnpackLow(bytes.GetLower().AsInt32(), bytes.GetUpper().AsInt32()).AsByte();
        return Vector128.Shuffle(rgbx, Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, Z, Z, Z, Z));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Tap(ref Vector256<int> a01, ref Vector256<int> a23, ref Vector256<int> b01, ref Vector256<int> b23,
        Vector256<byte> wa01, Vector256<byte> wa23, Vector256<byte> wb01, Vector256<byte> wb23, Vector256<byte> tap, int* weights)
    {
        Vector256<int> k01 = Vector256.Load(weights), k23 = Vector256.Load(weights + 8);
        a01 += Avx2.Shuffle(wa01, tap).AsInt32() * k01;
        a23 += Avx2.Shuffle(wa23, tap).AsInt32() * k23;
        b01 += Avx2.Shuffle(wb01, tap).AsInt32() * k01;
        b23 += Avx2.Shuffle(wb23, tap).AsInt32() * k23;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Tap(ref Vector256<int> acc01, ref Vector256<int> acc23, Vector256<byte> window01, Vector256<byte> window23, Vector256<byte> tap, int* weights)
    {
        acc01 += Avx2.Shuffle(window01, tap).AsInt32() * Vector256.Load(weights);
        acc23 += Avx2.Shuffle(window23, tap).AsInt32() * Vector256.Load(weights + 8);
    }

    /// <inheritdoc/>
    public override unsafe void Vertical(ReadOnlySpan<byte> rows, int width, ResampleAxis axis, int firstRow, Span<byte> output)
    {
        CheckVertical(rows, width, axis, firstRow, output);
        int stride = width * 3;
        if (stride < 8)
        {
            ResamplerScalar.Instance.Vertical(rows, width, axis, firstRow, output);
            return;
        }
        // Dword d of the packed result comes from dword (d % 2) * 4 + d / 2 (packs work per 128-bit lane).
        Vector256<int> unpack = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
        Vector256<int> half = Vector256.Create(Half);
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
                for (; i + 32 <= stride; i += 32)
                {
                    Vector256<int> acc0 = half, acc1 = half, acc2 = half, acc3 = half;
                    byte* p = first + i;
                    for (int t = 0; t < taps; t++, p += stride)
                    {
                        // acc[i] += row[t][i] * weight[t]
                        Vector256<int> w = Vector256.Create(weights[t]);
                        acc0 += Avx2.ConvertToVector256Int32(p) * w;
                        acc1 += Avx2.ConvertToVector256Int32(p + 8) * w;
                        acc2 += Avx2.ConvertToVector256Int32(p + 16) * w;
                        acc3 += Avx2.ConvertToVector256Int32(p + 24) * w;
                    }
                    // clip8: signed saturation to int16, then unsigned saturation to 0..255.
                    Vector256<short> s01 = Avx2.PackSignedSaturate(acc0 >> ResampleAxis.PrecisionBits, acc1 >> ResampleAxis.PrecisionBits);
                    Vector256<short> s23 = Avx2.PackSignedSaturate(acc2 >> ResampleAxis.PrecisionBits, acc3 >> ResampleAxis.PrecisionBits);
                    Vector256<byte> packed = Avx2.PackUnsignedSaturate(s01, s23);
                    Avx2.PermuteVar8x32(packed.AsInt32(), unpack).AsByte().Store(outRow + i);
                }
                // Remaining bytes 8 at a time, the last block overlapping the one before it.
                for (; i < stride; i += 8)
                {
                    if (i > stride - 8) i = stride - 8;
                    Vector256<int> acc = half;
                    byte* p = first + i;
                    for (int t = 0; t < taps; t++, p += stride)
                        acc += Avx2.ConvertToVector256Int32(p) * Vector256.Create(weights[t]);
                    Vector256<short> words = Avx2.PackSignedSaturate(acc >> ResampleAxis.PrecisionBits, acc >> ResampleAxis.PrecisionBits);
                    Vector256<byte> bytes = Avx2.PackUnsignedSaturate(words, words);
                    // Lane 0 starts with bytes 0..3, lane 1 with bytes 4..7.
                    *(uint*)(outRow + i) = bytes.AsUInt32().GetElement(0);
                    *(uint*)(outRow + i + 4) = bytes.AsUInt32().GetElement(4);
                }
            }
        }
    }
}
