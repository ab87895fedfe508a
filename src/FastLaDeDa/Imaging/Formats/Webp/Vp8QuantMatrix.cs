namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// Dequantization factors of one segment (RFC 6386 sections 9.6 and 14.1), computed as libwebp
/// 1.2.4's <c>VP8ParseQuant</c> does (including its Y2 AC factor <c>x * 155 / 100</c>, at least 8).
/// </summary>
internal readonly record struct Vp8QuantMatrix(int Y1Dc, int Y1Ac, int Y2Dc, int Y2Ac, int UvDc, int UvAc)
{
    /// <summary>Reads the quantizer indices from the first partition and returns the four segments' factors.</summary>
    public static Vp8QuantMatrix[] Read(ref Vp8BoolDecoder reader, Vp8SegmentHeader segments)
    {
        int baseIndex = reader.GetValue(7);
        int y1DcDelta = ReadDelta(ref reader);
        int y2DcDelta = ReadDelta(ref reader);
        int y2AcDelta = ReadDelta(ref reader);
        int uvDcDelta = ReadDelta(ref reader);
        int uvAcDelta = ReadDelta(ref reader);

        var matrices = new Vp8QuantMatrix[Vp8SegmentHeader.SegmentCount];
        for (int s = 0; s < matrices.Length; s++)
        {
            int q = baseIndex;
            if (segments.Enabled)
            {
                q = segments.Quantizer[s];
                if (!segments.AbsoluteDelta) q += baseIndex;
            }
            else if (s > 0)
            {
                matrices[s] = matrices[0];
                continue;
            }
            int y2Ac = AcTable[Math.Clamp(q + y2AcDelta, 0, 127)] * 101581 >> 16;
            matrices[s] = new Vp8QuantMatrix(
                Y1Dc: DcTable[Math.Clamp(q + y1DcDelta, 0, 127)],
                Y1Ac: AcTable[Math.Clamp(q, 0, 127)],
                Y2Dc: DcTable[Math.Clamp(q + y2DcDelta, 0, 127)] * 2,
                Y2Ac: Math.Max(y2Ac, 8),
                UvDc: DcTable[Math.Clamp(q + uvDcDelta, 0, 117)],
                UvAc: AcTable[Math.Clamp(q + uvAcDelta, 0, 127)]);
        }
        return matrices;
    }

    private static int ReadDelta(ref Vp8BoolDecoder reader) => reader.GetFlag() ? reader.GetSignedValue(4) : 0;

    /// <summary>DC dequantization factor per quantizer index (RFC 6386 section 14.1).</summary>
    private static ReadOnlySpan<byte> DcTable =>
    [
          4,   5,   6,   7,   8,   9,  10,  10,  11,  12,  13,  14,  15,  16,  17,  17,
         18,  19,  20,  20,  21,  21,  22,  22,  23,  23,  24,  25,  25,  26,  27,  28,
         29,  30,  31,  32,  33,  34,  35,  36,  37,  37,  38,  39,  40,  41,  42,  43,
         44,  45,  46,  46,  47,  48,  49,  50,  51,  52,  53,  54,  55,  56,  57,  58,
         59,  60,  61,  62,  63,  64,  65,  66,  67,  68,  69,  70,  71,  72,  73,  74,
         75,  76,  76,  77,  78,  79,  80,  81,  82,  83,  84,  85,  86,  87,  88,  89,
         91,  93,  95,  96,  98, 100, 101, 102, 104, 106, 108, 110, 112, 114, 116, 118,
        122, 124, 126, 128, 130, 132, 134, 136, 138, 140, 143, 145, 148, 151, 154, 157,    ];

    /// <summary>AC dequantization factor per quantizer index (RFC 6386 section 14.1).</summary>
    private static ReadOnlySpan<ushort> AcTable =>
    [
          4,   5,   6,   7,   8,   9,  10,  11,  12,  13,  14,  15,  16,  17,  18,  19,
         20,  21,  22,  23,  24,  25,  26,  27,  28,  29,  30,  31,  32,  33,  34,  35,
         36,  37,  38,  39,  40,  41,  42,  43,  44,  45,  46,  47,  48,  49,  50,  51,
         52,  53,  54,  55,  56,  57,  58,  60,  62,  64,  66,  68,  70,  72,  74,  76,
         78,  80,  82,  84,  86,  88,  90,  92,  94,  96,  98, 100, 102, 104, 106, 108,
        110, 112, 114, 116, 119, 122, 125, 128, 131, 134, 137, 140, 143, 146, 149, 152,
        155, 158, 161, 164, 167, 170, 173, 177, 181, 185, 189, 193, 197, 201, 205, 209,
        213, 217, 221, 225, 229, 234, 239, 245, 249, 254, 259, 264, 269, 274, 279, 284,    ];
}
