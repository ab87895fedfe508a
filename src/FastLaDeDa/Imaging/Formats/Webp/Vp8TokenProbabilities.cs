namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// The DCT-token probabilities of a frame (RFC 6386 section 13): the defaults, updated from the
/// first partition, laid out flat for the token reader as [type][position 0..16][context][11],
/// position n holding its band's probabilities (16 is a sentinel that repeats band 0).
/// Types: 0 = luma AC after a Y2 block, 1 = Y2, 2 = chroma, 3 = luma with DC (4x4 prediction).
/// </summary>
internal static class Vp8TokenProbabilities
{
    /// <summary>Probabilities per context.</summary>
    public const int PerContext = 11;

    /// <summary>Entries per position (3 contexts).</summary>
    public const int PerPosition = 3 * PerContext;

    /// <summary>Entries per type (17 positions).</summary>
    public const int PerType = 17 * PerPosition;

    private const int TypeCount = 4, BandCount = 8;

    /// <summary>Band of each coefficient position (RFC 6386 section 13.3), plus the sentinel.</summary>
    private static ReadOnlySpan<byte> Bands => [0, 1, 2, 3, 6, 4, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 0];

    /// <summary>Reads the probability updates and returns the table described on the type.</summary>
    public static byte[] Read(ref Vp8BoolDecoder reader)
    {
        Span<byte> bands = stackalloc byte[TypeCount * BandCount * PerPosition];
        for (int i = 0; i < bands.Length; i++)
            bands[i] = reader.GetBit(Vp8TokenProbabilityTables.Update[i]) != 0 ? (byte)reader.GetValue(8) : Vp8TokenProbabilityTables.Default[i];

        var table = new byte[TypeCount * PerType];
        for (int t = 0; t < TypeCount; t++)
            for (int n = 0; n <= 16; n++)
                bands.Slice((t * BandCount + Bands[n]) * PerPosition, PerPosition).CopyTo(table.AsSpan(t * PerType + n * PerPosition));
        return table;
    }
}
