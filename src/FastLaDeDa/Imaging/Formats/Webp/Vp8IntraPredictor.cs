using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// VP8 intra prediction (RFC 6386 section 12) as libwebp 1.2.4 computes it, in place in a work
/// buffer whose rows are <see cref="Stride"/> bytes apart: the block at <c>offset</c> reads its
/// top row at <c>offset - Stride</c>, its left column at <c>offset - 1</c> and, for 4x4 blocks,
/// four top-right pixels. Frame borders are the caller's job (127 above, 129 to the left).
/// </summary>
internal static class Vp8IntraPredictor
{
    /// <summary>Distance between rows of the work buffer (libwebp's BPS).</summary>
    public const int Stride = 32;

    /// <summary>Predicts the 16x16 luma block at <paramref name="offset"/> with a 16x16 mode (DC variants included).</summary>
    public static void Luma16(byte mode, Span<byte> buffer, int offset) => Predict(mode, buffer, offset, 16, Vector128.IsHardwareAccelerated);

    /// <summary>Predicts the 8x8 chroma block at <paramref name="offset"/> (DC variants included).</summary>
    public static void Chroma8(byte mode, Span<byte> buffer, int offset) => Predict(mode, buffer, offset, 8, Vector128.IsHardwareAccelerated);

    /// <summary>
    /// A 16x16 or 8x8 prediction; <paramref name="vector"/> picks whole-row vector stores and a
    /// vector TrueMotion instead of the per-pixel reference (same results).
    /// </summary>
    internal static void Predict(byte mode, Span<byte> buffer, int offset, int size, bool vector)
    {
        if (offset < Stride + 1 || offset + (size - 1) * Stride + size > buffer.Length)
            throw new ArgumentOutOfRangeException(nameof(offset), "block or its edges outside the work buffer");
        int shift = size == 16 ? 4 : 3;
        switch (mode)
        {
            case Vp8PredictionMode.DC:
            {
                int sum = size;
                for (int i = 0; i < size; i++) sum += buffer[offset - Stride + i] + buffer[offset - 1 + i * Stride];
                Fill(buffer, offset, size, (byte)(sum >> (shift + 1)));
                break;
            }
            case Vp8PredictionMode.DCNoTop:
            {
                int sum = size >> 1;
                for (int i = 0; i < size; i++) sum += buffer[offset - 1 + i * Stride];
                Fill(buffer, offset, size, (byte)(sum >> shift));
                break;
            }
            case Vp8PredictionMode.DCNoLeft:
            {
                int sum = size >> 1;
                for (int i = 0; i < size; i++) sum += buffer[offset - Stride + i];
                Fill(buffer, offset, size, (byte)(sum >> shift));
                break;
            }
            case Vp8PredictionMode.DCNoTopLeft:
                Fill(buffer, offset, size, 0x80);
                break;
            case Vp8PredictionMode.TM:
                if (vector) TrueMotionVector(buffer, offset, size);
                else TrueMotion(buffer, offset, size);
                break;
            case Vp8PredictionMode.VE:
                for (int y = 0; y < size; y++) CopyRow(buffer, offset - Stride, offset + y * Stride, size);
                break;
            case Vp8PredictionMode.HE:
                for (int y = 0; y < size; y++) FillRow(buffer.Slice(offset + y * Stride, size), buffer[offset + y * Stride - 1]);
                break;
            default:
                throw new InvalidOperationException($"16x16/chroma prediction mode {mode} does not exist");
        }
    }

    private static void Fill(Span<byte> buffer, int offset, int size, byte value)
    {
        for (int y = 0; y < size; y++) FillRow(buffer.Slice(offset + y * Stride, size), value);
    }

    /// <summary>Fills a 16- or 8-byte row with word stores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FillRow(Span<byte> row, byte value)
    {
        if (row.Length == 16) Vector128.Create(value).CopyTo(row);
        else BinaryPrimitives.WriteUInt64LittleEndian(row, value * 0x0101010101010101ul);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRow(Span<byte> buffer, int from, int to, int size)
    {
        if (size == 16) Vector128.Create((ReadOnlySpan<byte>)buffer.Slice(from, 16)).CopyTo(buffer.Slice(to, 16));
        else BinaryPrimitives.WriteUInt64LittleEndian(buffer.Slice(to, 8), BinaryPrimitives.ReadUInt64LittleEndian(buffer.Slice(from, 8)));
    }

    /// <summary>TrueMotion, the reference: each pixel is left + top - top-left, clamped to [0, 255].</summary>
    private static void TrueMotion(Span<byte> buffer, int offset, int size)
    {
        int topLeft = buffer[offset - Stride - 1];
        for (int y = 0; y < size; y++)
        {
            int left = buffer[offset + y * Stride - 1] - topLeft;
            Span<byte> row = buffer.Slice(offset + y * Stride, size);
            ReadOnlySpan<byte> top = buffer.Slice(offset - Stride, size);
            for (int x = 0; x < size; x++) row[x] = (byte)Math.Clamp(left + top[x], 0, 255);
        }
    }

    /// <summary>TrueMotion of a 16- or 8-wide block with 16-bit lanes: the top row plus each row's left - top-left, clamped.</summary>
    private static void TrueMotionVector(Span<byte> buffer, int offset, int size)
    {
        int topLeft = buffer[offset - Stride - 1];
        Vector128<byte> top = size == 16
            ? Vector128.Create((ReadOnlySpan<byte>)buffer.Slice(offset - Stride, 16))
            : Vector128.CreateScalar(BinaryPrimitives.ReadUInt64LittleEndian(buffer.Slice(offset - Stride, 8))).AsByte();
        Vector128<short> topLow = Vector128.WidenLower(top).AsInt16(), topHigh = Vector128.WidenUpper(top).AsInt16();
        Vector128<short> max = Vector128.Create((short)255);
        for (int y = 0; y < size; y++)
        {
            var delta = Vector128.Create((short)(buffer[offset + y * Stride - 1] - topLeft));
            Vector128<ushort> low = Vector128.Min(Vector128.Max(topLow + delta, Vector128<short>.Zero), max).AsUInt16();
            Vector128<ushort> high = Vector128.Min(Vector128.Max(topHigh + delta, Vector128<short>.Zero), max).AsUInt16();
            Vector128<byte> row = Vector128.Narrow(low, high);
            if (size == 16) row.CopyTo(buffer.Slice(offset + y * Stride, 16));
            else BinaryPrimitives.WriteUInt64LittleEndian(buffer.Slice(offset + y * Stride, 8), row.AsUInt64().ToScalar());
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Avg3(int a, int b, int c) => (byte)((a + 2 * b + c + 2) >> 2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Avg2(int a, int b) => (byte)((a + b + 1) >> 1);

    /// <summary>Predicts the 4x4 luma block at <paramref name="offset"/> with a 4x4 mode.</summary>
    public static void Luma4(byte mode, Span<byte> buffer, int offset)
    {
        const int S = Stride;
        // Edge samples: X top-left, A..H top and top-right, I..L left.
        int top = offset - S;
        int x0 = buffer[top - 1];
        int a = buffer[top], b = buffer[top + 1], c = buffer[top + 2], d = buffer[top + 3];
        int i0 = buffer[offset - 1], j0 = buffer[offset + S - 1], k0 = buffer[offset + 2 * S - 1], l0 = buffer[offset + 3 * S - 1];
        Span<byte> p = buffer.Slice(offset, 3 * S + 4);
        switch (mode)
        {
            case Vp8PredictionMode.DC:
            {
                byte dc = (byte)((a + b + c + d + i0 + j0 + k0 + l0 + 4) >> 3);
                for (int y = 0; y < 4; y++) Row(p, y, dc, dc, dc, dc);
                break;
            }
            case Vp8PredictionMode.TM:
                TrueMotion(buffer, offset, 4);
                break;
            case Vp8PredictionMode.VE:
            {
                int e = buffer[top + 4];
                byte v0 = Avg3(x0, a, b), v1 = Avg3(a, b, c), v2 = Avg3(b, c, d), v3 = Avg3(c, d, e);
                for (int y = 0; y < 4; y++) Row(p, y, v0, v1, v2, v3);
                break;
            }
            case Vp8PredictionMode.HE:
                Row(p, 0, Avg3(x0, i0, j0));
                Row(p, 1, Avg3(i0, j0, k0));
                Row(p, 2, Avg3(j0, k0, l0));
                Row(p, 3, Avg3(k0, l0, l0));
                break;
            case Vp8PredictionMode.RD:
            {
                byte jkl = Avg3(j0, k0, l0), ijk = Avg3(i0, j0, k0), xij = Avg3(x0, i0, j0), axi = Avg3(a, x0, i0);
                byte bax = Avg3(b, a, x0), cba = Avg3(c, b, a), dcb = Avg3(d, c, b);
                Row(p, 0, axi, bax, cba, dcb);
                Row(p, 1, xij, axi, bax, cba);
                Row(p, 2, ijk, xij, axi, bax);
                Row(p, 3, jkl, ijk, xij, axi);
                break;
            }
            case Vp8PredictionMode.LD:
            {
                int e = buffer[top + 4], f = buffer[top + 5], g = buffer[top + 6], h = buffer[top + 7];
                byte abc = Avg3(a, b, c), bcd = Avg3(b, c, d), cde = Avg3(c, d, e), def = Avg3(d, e, f);
                byte efg = Avg3(e, f, g), fgh = Avg3(f, g, h), ghh = Avg3(g, h, h);
                Row(p, 0, abc, bcd, cde, def);
                Row(p, 1, bcd, cde, def, efg);
                Row(p, 2, cde, def, efg, fgh);
                Row(p, 3, def, efg, fgh, ghh);
                break;
            }
            case Vp8PredictionMode.VR:
            {
                byte xa = Avg2(x0, a), ab = Avg2(a, b), bc = Avg2(b, c), cd = Avg2(c, d);
                byte ixa = Avg3(i0, x0, a), xab = Avg3(x0, a, b), abc = Avg3(a, b, c), bcd = Avg3(b, c, d);
                Row(p, 0, xa, ab, bc, cd);
                Row(p, 1, ixa, xab, abc, bcd);
                Row(p, 2, Avg3(j0, i0, x0), xa, ab, bc);
                Row(p, 3, Avg3(k0, j0, i0), ixa, xab, abc);
                break;
            }
            case Vp8PredictionMode.VL:
            {
                int e = buffer[top + 4], f = buffer[top + 5], g = buffer[top + 6], h = buffer[top + 7];
                byte bc = Avg2(b, c), cd = Avg2(c, d), de = Avg2(d, e);
                byte bcd = Avg3(b, c, d), cde = Avg3(c, d, e), def = Avg3(d, e, f);
                Row(p, 0, Avg2(a, b), bc, cd, de);
                Row(p, 1, Avg3(a, b, c), bcd, cde, def);
                Row(p, 2, bc, cd, de, Avg3(e, f, g));
                Row(p, 3, bcd, cde, def, Avg3(f, g, h));
                break;
            }
            case Vp8PredictionMode.HD:
            {
                byte ix = Avg2(i0, x0), ji = Avg2(j0, i0), kj = Avg2(k0, j0);
                byte ixa = Avg3(i0, x0, a), jix = Avg3(j0, i0, x0), kji = Avg3(k0, j0, i0);
                Row(p, 0, ix, ixa, Avg3(x0, a, b), Avg3(a, b, c));
                Row(p, 1, ji, jix, ix, ixa);
                Row(p, 2, kj, kji, ji, jix);
                Row(p, 3, Avg2(l0, k0), Avg3(l0, k0, j0), kj, kji);
                break;
            }
            case Vp8PredictionMode.HU:
            {
                byte jk = Avg2(j0, k0), kl = Avg2(k0, l0), jkl = Avg3(j0, k0, l0), kll = Avg3(k0, l0, l0), l = (byte)l0;
                Row(p, 0, Avg2(i0, j0), Avg3(i0, j0, k0), jk, jkl);
                Row(p, 1, jk, jkl, kl, kll);
                Row(p, 2, kl, kll, l, l);
                Row(p, 3, l, l, l, l);
                break;
            }
            default:
                throw new InvalidOperationException($"4x4 prediction mode {mode} does not exist");
        }
    }

    /// <summary>Fills row <paramref name="y"/> of a 4x4 block with one value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(Span<byte> block, int y, byte value) =>
        BinaryPrimitives.WriteUInt32LittleEndian(block.Slice(y * Stride, 4), value * 0x01010101u);

    /// <summary>Writes row <paramref name="y"/> of a 4x4 block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(Span<byte> block, int y, byte x0, byte x1, byte x2, byte x3) =>
        BinaryPrimitives.WriteUInt32LittleEndian(block.Slice(y * Stride, 4), (uint)(x0 | (x1 << 8) | (x2 << 16) | (x3 << 24)));
}
