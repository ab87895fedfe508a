using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// Reads a macroblock's DCT coefficients from its token partition (RFC 6386 section 13) into
/// 25 dequantized 4x4 blocks (16 luma, 4 U, 4 V; the Y2 block is inverse-WHT'd into the luma
/// DCs), keeping the "has non-zero coefficients" contexts of the row above and the block to the
/// left. Follows libwebp 1.2.4's <c>ParseResiduals</c>/<c>GetCoeffs</c> bit for bit, including
/// the int16 wrap of out-of-range dequantized values.
/// </summary>
internal sealed class Vp8ResidualReader
{
    private const int TypeLumaAc = 0, TypeY2 = 1, TypeChroma = 2, TypeLumaFull = 3;

    // Per macroblock column: bits 0-3 luma columns, 4-5 U, 6-7 V (libwebp's nz_), and the Y2 flag.
    private readonly byte[] _aboveNz;
    private readonly byte[] _aboveNzDc;
    private int _leftNz;
    private int _leftNzDc;

    /// <summary>Creates the reader for a frame <paramref name="macroblockWidth"/> macroblocks wide.</summary>
    public Vp8ResidualReader(int macroblockWidth)
    {
        _aboveNz = new byte[macroblockWidth];
        _aboveNzDc = new byte[macroblockWidth];
    }

    /// <summary>Resets the left contexts at the start of a macroblock row.</summary>
    public void StartRow()
    {
        _leftNz = 0;
        _leftNzDc = 0;
    }

    /// <summary>Records a macroblock without coefficients (skip flag set).</summary>
    public void Skip(int x, bool is4x4)
    {
        _aboveNz[x] = 0;
        _leftNz = 0;
        if (!is4x4)
        {
            _aboveNzDc[x] = 0;
            _leftNzDc = 0;
        }
    }

    /// <summary>
    /// Reads the coefficients of macroblock <paramref name="x"/> into <paramref name="coeffs"/> (384 values,
    /// cleared first). Returns the 2-bit transform codes of the luma blocks (block 0 in the top bits)
    /// and of the chroma blocks (U in bits 0-7, V in 8-15): 0 none, 1 DC only, 2 at most three
    /// coefficients, 3 more.
    /// </summary>
    public (uint Luma, uint Chroma) Read(ref Vp8BoolDecoder decoder, ReadOnlySpan<byte> probabilities, in Vp8QuantMatrix q,
        bool is4x4, int x, Span<short> coeffs)
    {
        // A local copy of the decoder stays in registers across the blocks (see Vp8BoolDecoder).
        Vp8BoolDecoder reader = decoder;
        coeffs = coeffs[..384];
        coeffs.Clear();
        ReadOnlySpan<byte> acProbabilities;
        int first;
        if (!is4x4)
        {
            Span<short> dc = stackalloc short[16];
            dc.Clear();
            int ctx = _aboveNzDc[x] + _leftNzDc;
            int nz = ReadBlock(ref reader, TypeSlice(probabilities, TypeY2), ctx, q.Y2Dc, q.Y2Ac, 0, dc);
            _leftNzDc = nz > 0 ? 1 : 0;
            _aboveNzDc[x] = (byte)_leftNzDc;
            if (nz > 1)
            {
                Vp8Transform.InverseWalshHadamard(dc, coeffs);
            }
            else
            {
                // Only the DC: the WHT reduces to one rounded shift, copied to every block.
                short dc0 = (short)((dc[0] + 3) >> 3);
                for (int i = 0; i < 16 * 16; i += 16) coeffs[i] = dc0;
            }
            first = 1;
            acProbabilities = TypeSlice(probabilities, TypeLumaAc);
        }
        else
        {
            first = 0;
            acProbabilities = TypeSlice(probabilities, TypeLumaFull);
        }

        int aboveBits = _aboveNz[x] & 0x0f;
        int leftBits = _leftNz & 0x0f;
        uint lumaCodes = 0;
        int block = 0;
        for (int y = 0; y < 4; y++)
        {
            int left = leftBits & 1;
            uint rowCodes = 0;
            for (int i = 0; i < 4; i++, block++)
            {
                int ctx = left + (aboveBits & 1);
                Span<short> dst = coeffs.Slice(block * 16, 16);
                int nz = ReadBlock(ref reader, acProbabilities, ctx, q.Y1Dc, q.Y1Ac, first, dst);
                left = nz > first ? 1 : 0;
                aboveBits = (aboveBits >> 1) | (left << 7);
                rowCodes = (rowCodes << 2) | TransformCode(nz, dst[0]);
            }
            aboveBits >>= 4;
            leftBits = (leftBits >> 1) | (left << 7);
            lumaCodes = (lumaCodes << 8) | rowCodes;
        }
        int outAbove = aboveBits;
        int outLeft = leftBits >> 4;

        uint chromaCodes = 0;
        ReadOnlySpan<byte> chromaProbabilities = TypeSlice(probabilities, TypeChroma);
        for (int ch = 0; ch < 4; ch += 2)
        {
            uint codes = 0;
            aboveBits = _aboveNz[x] >> (4 + ch);
            leftBits = _leftNz >> (4 + ch);
            for (int y = 0; y < 2; y++)
            {
                int left = leftBits & 1;
                for (int i = 0; i < 2; i++, block++)
                {
                    int ctx = left + (aboveBits & 1);
                    Span<short> dst = coeffs.Slice(block * 16, 16);
                    int nz = ReadBlock(ref reader, chromaProbabilities, ctx, q.UvDc, q.UvAc, 0, dst);
                    left = nz > 0 ? 1 : 0;
                    aboveBits = (aboveBits >> 1) | (left << 3);
                    codes = (codes << 2) | TransformCode(nz, dst[0]);
                }
                aboveBits >>= 2;
                leftBits = (leftBits >> 1) | (left << 5);
            }
            chromaCodes |= codes << (4 * ch);
            outAbove |= (aboveBits << 4) << ch;
            outLeft |= (leftBits & 0xf0) << ch;
        }
        _aboveNz[x] = (byte)outAbove;
        _leftNz = (byte)outLeft;
        decoder = reader;
        return (lumaCodes, chromaCodes);
    }

    private static ReadOnlySpan<byte> TypeSlice(ReadOnlySpan<byte> probabilities, int type) =>
        probabilities.Slice(type * Vp8TokenProbabilities.PerType, Vp8TokenProbabilities.PerType);

    /// <summary>libwebp's 2-bit code: 3 beyond the third coefficient, 2 up to it, else whether the DC is non-zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint TransformCode(int nz, short dc) => nz > 3 ? 3u : nz > 1 ? 2u : dc != 0 ? 1u : 0u;

    /// <summary>Zigzag scan order: coefficient index of each position.</summary>
    private static ReadOnlySpan<byte> Zigzag => [0, 1, 4, 8, 5, 2, 3, 6, 9, 12, 13, 10, 7, 11, 14, 15];

    /// <summary>
    /// Reads one block's tokens from position <paramref name="n"/> on, storing dequantized values in
    /// <paramref name="dst"/>; returns the position after the last non-zero token (16 when the
    /// block ends without an end-of-block token).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadBlock(ref Vp8BoolDecoder reader, ReadOnlySpan<byte> probabilities, int ctx, int dcFactor, int acFactor, int n, Span<short> dst)
    {
        // Positions stay in [0, 16] and contexts in [0, 2], so with these lengths every index below is in range.
        if (probabilities.Length < Vp8TokenProbabilities.PerType || dst.Length < 16 || (uint)ctx > 2 || (uint)n > 1)
            throw new ArgumentOutOfRangeException(nameof(probabilities), "token table, block or context out of range");
        return ReadTokens(ref reader, ref MemoryMarshal.GetReference(probabilities), ctx, dcFactor, acFactor, n, ref MemoryMarshal.GetReference(dst));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadTokens(ref Vp8BoolDecoder reader, ref byte probabilities, int ctx, int dcFactor, int acFactor, int n, ref short dst)
    {
        const int PerPosition = Vp8TokenProbabilities.PerPosition, PerContext = Vp8TokenProbabilities.PerContext;
        ref byte zigzag = ref MemoryMarshal.GetReference(Zigzag);
        ref byte p = ref Unsafe.Add(ref probabilities, n * PerPosition + ctx * PerContext);
        for (; n < 16; n++)
        {
            if (reader.GetBit(p) == 0) return n; // end of block
            while (reader.GetBit(Unsafe.Add(ref p, 1)) == 0)
            {
                // A zero: the next token cannot be an end of block and uses context 0.
                p = ref Unsafe.Add(ref probabilities, ++n * PerPosition);
                if (n == 16) return 16;
            }
            ref byte next = ref Unsafe.Add(ref probabilities, (n + 1) * PerPosition);
            int v;
            if (reader.GetBit(Unsafe.Add(ref p, 2)) == 0)
            {
                v = 1;
                p = ref Unsafe.Add(ref next, PerContext);
            }
            else
            {
                v = ReadLargeValue(ref reader, ref p);
                p = ref Unsafe.Add(ref next, 2 * PerContext);
            }
            Unsafe.Add(ref dst, Unsafe.Add(ref zigzag, n)) = (short)(reader.GetSigned(v) * (n > 0 ? acFactor : dcFactor));
        }
        return 16;
    }

    /// <summary>Extra-bit probabilities of the DCT_CAT3..6 tokens (RFC 6386 section 13.2).</summary>
    private static ReadOnlySpan<byte> Cat3 => [173, 148, 140];
    private static ReadOnlySpan<byte> Cat4 => [176, 155, 140, 135];
    private static ReadOnlySpan<byte> Cat5 => [180, 157, 141, 134, 130];
    private static ReadOnlySpan<byte> Cat6 => [254, 254, 243, 230, 196, 177, 153, 140, 133, 130, 129];

    /// <summary>Reads a token value of 2 or more (the token tree below "not one").</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadLargeValue(ref Vp8BoolDecoder reader, ref byte p)
    {
        if (reader.GetBit(Unsafe.Add(ref p, 3)) == 0)
            return reader.GetBit(Unsafe.Add(ref p, 4)) == 0 ? 2 : 3 + reader.GetBit(Unsafe.Add(ref p, 5));
        if (reader.GetBit(Unsafe.Add(ref p, 6)) == 0)
        {
            if (reader.GetBit(Unsafe.Add(ref p, 7)) == 0) return 5 + reader.GetBit(159);
            int v = 7 + 2 * reader.GetBit(165);
            return v + reader.GetBit(145);
        }
        int bit1 = reader.GetBit(Unsafe.Add(ref p, 8));
        int bit0 = reader.GetBit(Unsafe.Add(ref p, 9 + bit1));
        int category = 2 * bit1 + bit0;
        ReadOnlySpan<byte> extra = category switch { 0 => Cat3, 1 => Cat4, 2 => Cat5, _ => Cat6 };
        int value = 0;
        foreach (byte probability in extra) value += value + reader.GetBit(probability);
        return value + 3 + (8 << category);
    }
}
