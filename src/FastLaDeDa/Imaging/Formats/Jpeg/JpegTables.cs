namespace FastLaDeDa.Imaging.Formats.Jpeg;

/// <summary>Constant tables of the JPEG standard (ITU T.81) that the decoder needs.</summary>
internal static class JpegTables
{
    /// <summary>
    /// Zigzag index → natural (row-major) index of the 64 coefficients, followed by 16 entries of
    /// 63. A corrupt run length can push the zigzag index past 63 (at most 63 + 15); libjpeg maps
    /// those overruns to the last coefficient instead of failing, and so does this table.
    /// </summary>
    public static ReadOnlySpan<byte> NaturalOrder => NaturalOrderTable;

    private static readonly byte[] NaturalOrderTable = BuildNaturalOrder();

    /// <summary>Scatters 64 coefficients from zigzag order into natural order.</summary>
    public static void ZigzagToNatural(ReadOnlySpan<short> zigzag, Span<short> natural)
    {
        ReadOnlySpan<byte> order = NaturalOrderTable.AsSpan(0, 64);
        natural = natural[..64];
        for (int k = 0; k < 64; k++) natural[order[k]] = zigzag[k];
    }

    private static byte[] BuildNaturalOrder()
    {
        var order = new byte[64 + 16];
        int i = 0;
        // Walk the anti-diagonals, alternating direction: up-right on even sums, down-left on odd.
        for (int sum = 0; sum <= 14; sum++)
        {
            int rowStart = Math.Max(0, sum - 7), rowEnd = Math.Min(7, sum);
            if (sum % 2 == 0)
                for (int row = rowEnd; row >= rowStart; row--) order[i++] = (byte)(row * 8 + sum - row);
            else
                for (int row = rowStart; row <= rowEnd; row++) order[i++] = (byte)(row * 8 + sum - row);
        }
        for (; i < order.Length; i++) order[i] = 63;
        return order;
    }

    /// <summary>
    /// The example Huffman tables of Annex K.3 (luminance: slot 0, chrominance: slot 1). libjpeg
    /// installs them into empty DC/AC slots 0 and 1 before a sequential Huffman scan, because
    /// Motion-JPEG frames omit them; a progressive scan gets no defaults.
    /// </summary>
    public static (byte[] Counts, byte[] Symbols) StandardTable(bool isDc, int slot) => (isDc, slot) switch
    {
        (true, 0) => (Counts(0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0), Sequence(12)),
        (true, 1) => (Counts(0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0), Sequence(12)),
        (false, 0) => (Counts(0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d), Convert.FromHexString(
            "010203000411051221314106135161072271143281" +
            "91A1082342B1C11552D1F02433627282090A161718191A25262728292A3435363738393A43444546" +
            "4748494A535455565758595A636465666768696A737475767778797A838485868788898A92939495" +
            "969798999AA2A3A4A5A6A7A8A9AAB2B3B4B5B6B7B8B9BAC2C3C4C5C6C7C8C9CAD2D3D4D5D6D7D8D9" +
            "DAE1E2E3E4E5E6E7E8E9EAF1F2F3F4F5F6F7F8F9FA")),
        (false, 1) => (Counts(0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77), Convert.FromHexString(
            "00010203110405213106124151076171132232810814" +
            "4291A1B1C109233352F0156272D10A162434E125F11718191A262728292A35363738393A43444546" +
            "4748494A535455565758595A636465666768696A737475767778797A82838485868788898A929394" +
            "95969798999AA2A3A4A5A6A7A8A9AAB2B3B4B5B6B7B8B9BAC2C3C4C5C6C7C8C9CAD2D3D4D5D6D7D8" +
            "D9DAE2E3E4E5E6E7E8E9EAF2F3F4F5F6F7F8F9FA")),
        _ => throw new ArgumentOutOfRangeException(nameof(slot)),
    };

    // Counts of codes of length 1..16, stored at index 1..16 as in a DHT segment.
    private static byte[] Counts(params int[] perLength) => [0, .. perLength.Select(c => (byte)c)];

    private static byte[] Sequence(int count) => [.. Enumerable.Range(0, count).Select(i => (byte)i)];
}
