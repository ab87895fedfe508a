using System.Runtime.CompilerServices;

namespace FastLaDeDa.Imaging.Webp;

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
    public static void Luma16(byte mode, Span<byte> buffer, int offset) => Predict(mode, buffer, offset, 16);

    /// <summary>Predicts the 8x8 chroma block at <paramref name="offset"/> (DC variants included).</summary>
    public static void Chroma8(byte mode, Span<byte> buffer, int offset) => Predict(mode, buffer, offset, 8);

    private static void Predict(byte mode, Span<byte> buffer, int offset, int size)
    {
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
                TrueMotion(buffer, offset, size);
                break;
            case Vp8PredictionMode.VE:
            {
                ReadOnlySpan<byte> top = buffer.Slice(offset - Stride, size);
                for (int y = 0; y < size; y++) top.CopyTo(buffer.Slice(offset + y * Stride, size));
                break;
            }
            case Vp8PredictionMode.HE:
                for (int y = 0; y < size; y++) buffer.Slice(offset + y * Stride, size).Fill(buffer[offset + y * Stride - 1]);
                break;
            default:
                throw new InvalidOperationException($"16x16/chroma prediction mode {mode} does not exist");
        }
    }

    private static void Fill(Span<byte> buffer, int offset, int size, byte value)
    {
        for (int y = 0; y < size; y++) buffer.Slice(offset + y * Stride, size).Fill(value);
    }

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
                int dc = (a + b + c + d + i0 + j0 + k0 + l0 + 4) >> 3;
                for (int y = 0; y < 4; y++) p.Slice(y * S, 4).Fill((byte)dc);
                break;
            }
            case Vp8PredictionMode.TM:
                TrueMotion(buffer, offset, 4);
                break;
            case Vp8PredictionMode.VE:
            {
                int e = buffer[top + 4];
                byte v0 = Avg3(x0, a, b), v1 = Avg3(a, b, c), v2 = Avg3(b, c, d), v3 = Avg3(c, d, e);
                for (int y = 0; y < 4; y++)
                {
                    p[y * S] = v0;
                    p[y * S + 1] = v1;
                    p[y * S + 2] = v2;
                    p[y * S + 3] = v3;
                }
                break;
            }
            case Vp8PredictionMode.HE:
                p[..4].Fill(Avg3(x0, i0, j0));
                p.Slice(S, 4).Fill(Avg3(i0, j0, k0));
                p.Slice(2 * S, 4).Fill(Avg3(j0, k0, l0));
                p.Slice(3 * S, 4).Fill(Avg3(k0, l0, l0));
                break;
            case Vp8PredictionMode.RD:
                Set(p, Avg3(j0, k0, l0), 0, 3);
                Set(p, Avg3(i0, j0, k0), 1, 3, 0, 2);
                Set(p, Avg3(x0, i0, j0), 2, 3, 1, 2, 0, 1);
                Set(p, Avg3(a, x0, i0), 3, 3, 2, 2, 1, 1, 0, 0);
                Set(p, Avg3(b, a, x0), 3, 2, 2, 1, 1, 0);
                Set(p, Avg3(c, b, a), 3, 1, 2, 0);
                Set(p, Avg3(d, c, b), 3, 0);
                break;
            case Vp8PredictionMode.LD:
            {
                int e = buffer[top + 4], f = buffer[top + 5], g = buffer[top + 6], h = buffer[top + 7];
                Set(p, Avg3(a, b, c), 0, 0);
                Set(p, Avg3(b, c, d), 1, 0, 0, 1);
                Set(p, Avg3(c, d, e), 2, 0, 1, 1, 0, 2);
                Set(p, Avg3(d, e, f), 3, 0, 2, 1, 1, 2, 0, 3);
                Set(p, Avg3(e, f, g), 3, 1, 2, 2, 1, 3);
                Set(p, Avg3(f, g, h), 3, 2, 2, 3);
                Set(p, Avg3(g, h, h), 3, 3);
                break;
            }
            case Vp8PredictionMode.VR:
                Set(p, Avg2(x0, a), 0, 0, 1, 2);
                Set(p, Avg2(a, b), 1, 0, 2, 2);
                Set(p, Avg2(b, c), 2, 0, 3, 2);
                Set(p, Avg2(c, d), 3, 0);
                Set(p, Avg3(k0, j0, i0), 0, 3);
                Set(p, Avg3(j0, i0, x0), 0, 2);
                Set(p, Avg3(i0, x0, a), 0, 1, 1, 3);
                Set(p, Avg3(x0, a, b), 1, 1, 2, 3);
                Set(p, Avg3(a, b, c), 2, 1, 3, 3);
                Set(p, Avg3(b, c, d), 3, 1);
                break;
            case Vp8PredictionMode.VL:
            {
                int e = buffer[top + 4], f = buffer[top + 5], g = buffer[top + 6], h = buffer[top + 7];
                Set(p, Avg2(a, b), 0, 0);
                Set(p, Avg2(b, c), 1, 0, 0, 2);
                Set(p, Avg2(c, d), 2, 0, 1, 2);
                Set(p, Avg2(d, e), 3, 0, 2, 2);
                Set(p, Avg3(a, b, c), 0, 1);
                Set(p, Avg3(b, c, d), 1, 1, 0, 3);
                Set(p, Avg3(c, d, e), 2, 1, 1, 3);
                Set(p, Avg3(d, e, f), 3, 1, 2, 3);
                Set(p, Avg3(e, f, g), 3, 2);
                Set(p, Avg3(f, g, h), 3, 3);
                break;
            }
            case Vp8PredictionMode.HD:
                Set(p, Avg2(i0, x0), 0, 0, 2, 1);
                Set(p, Avg2(j0, i0), 0, 1, 2, 2);
                Set(p, Avg2(k0, j0), 0, 2, 2, 3);
                Set(p, Avg2(l0, k0), 0, 3);
                Set(p, Avg3(a, b, c), 3, 0);
                Set(p, Avg3(x0, a, b), 2, 0);
                Set(p, Avg3(i0, x0, a), 1, 0, 3, 1);
                Set(p, Avg3(j0, i0, x0), 1, 1, 3, 2);
                Set(p, Avg3(k0, j0, i0), 1, 2, 3, 3);
                Set(p, Avg3(l0, k0, j0), 1, 3);
                break;
            case Vp8PredictionMode.HU:
                Set(p, Avg2(i0, j0), 0, 0);
                Set(p, Avg2(j0, k0), 2, 0, 0, 1);
                Set(p, Avg2(k0, l0), 2, 1, 0, 2);
                Set(p, Avg3(i0, j0, k0), 1, 0);
                Set(p, Avg3(j0, k0, l0), 3, 0, 1, 1);
                Set(p, Avg3(k0, l0, l0), 3, 1, 1, 2);
                Set(p, (byte)l0, 3, 2, 2, 2, 0, 3, 1, 3, 2, 3, 3, 3);
                break;
            default:
                throw new InvalidOperationException($"4x4 prediction mode {mode} does not exist");
        }
    }

    /// <summary>Writes <paramref name="value"/> at each (x, y) pair of <paramref name="positions"/>.</summary>
    private static void Set(Span<byte> block, byte value, params ReadOnlySpan<int> positions)
    {
        for (int i = 0; i < positions.Length; i += 2) block[positions[i] + positions[i + 1] * Stride] = value;
    }
}
