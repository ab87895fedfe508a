namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>The five prefix codes of one group (RFC 9649 §3.7.2.2), for writing pixels.</summary>
internal sealed record Vp8LTestCodes(TestPrefixCode Green, TestPrefixCode Red, TestPrefixCode Blue, TestPrefixCode Alpha, TestPrefixCode Distance);

/// <summary>
/// A minimal VP8L encoder for tests, on top of <see cref="Vp8LBitWriter"/>: "full" prefix codes in which
/// every symbol of an alphabet has a code (so any literal, backward reference or cache index can be
/// written), entropy-coded images and the pieces of the image stream header.
/// </summary>
internal static class Vp8LTestEncoder
{
    /// <summary>Green alphabet without a color cache: 256 literals + 24 length prefixes.</summary>
    public const int GreenAlphabet = 280;

    /// <summary>
    /// Complete code lengths giving all <paramref name="alphabetSize"/> symbols a code: with
    /// 2^(L−1) &lt; n ≤ 2^L, 2^L − n symbols get L − 1 bits and the others L bits.
    /// </summary>
    public static int[] FullLengths(int alphabetSize)
    {
        int bits = 0;
        while (1 << bits < alphabetSize) bits++;
        int shorter = (1 << bits) - alphabetSize;
        return [.. Enumerable.Range(0, alphabetSize).Select(s => s < shorter ? bits - 1 : bits)];
    }

    /// <summary>Writes five full codes (green with the cache symbols of <paramref name="cacheBits"/>).</summary>
    public static Vp8LTestCodes WriteFullCodes(Vp8LBitWriter writer, int cacheBits = 0) => new(
        writer.NormalCode(FullLengths(GreenAlphabet + (cacheBits > 0 ? 1 << cacheBits : 0))),
        writer.NormalCode(FullLengths(256)),
        writer.NormalCode(FullLengths(256)),
        writer.NormalCode(FullLengths(256)),
        writer.NormalCode(FullLengths(40)));

    /// <summary>Writes literal pixels (0xAARRGGBB).</summary>
    public static void WriteLiterals(Vp8LBitWriter writer, Vp8LTestCodes codes, IEnumerable<uint> pixels)
    {
        foreach (uint argb in pixels)
        {
            codes.Green.Write(writer, (int)(argb >> 8) & 0xFF);
            codes.Red.Write(writer, (int)(argb >> 16) & 0xFF);
            codes.Blue.Write(writer, (int)argb & 0xFF);
            codes.Alpha.Write(writer, (int)(argb >> 24));
        }
    }

    /// <summary>Writes a backward reference: <paramref name="length"/> pixels, distance code <paramref name="distanceCode"/> (1..120 plane codes, else distance + 120).</summary>
    public static void WriteBackwardReference(Vp8LBitWriter writer, Vp8LTestCodes codes, int length, int distanceCode)
    {
        var (lengthPrefix, lengthExtraBits, lengthExtra) = Vp8LBitWriter.Prefix(length);
        codes.Green.Write(writer, 256 + lengthPrefix);
        writer.Bits(lengthExtra, lengthExtraBits);
        var (distancePrefix, distanceExtraBits, distanceExtra) = Vp8LBitWriter.Prefix(distanceCode);
        codes.Distance.Write(writer, distancePrefix);
        writer.Bits(distanceExtra, distanceExtraBits);
    }

    /// <summary>Writes a color cache index.</summary>
    public static void WriteCacheIndex(Vp8LBitWriter writer, Vp8LTestCodes codes, int index) =>
        codes.Green.Write(writer, GreenAlphabet + index);

    /// <summary>A sub-image (transform data, palette, entropy image): no color cache, full codes, literals.</summary>
    public static void WriteSubImage(Vp8LBitWriter writer, IEnumerable<uint> pixels)
    {
        writer.Bits(0, 1); // no color cache
        Vp8LTestCodes codes = WriteFullCodes(writer);
        WriteLiterals(writer, codes, pixels);
    }

    /// <summary>
    /// A complete lossless image: header, no transform, no cache, no meta codes, full codes, literals.
    /// </summary>
    public static byte[] LiteralImage(int width, int height, IReadOnlyList<uint> pixels)
    {
        var writer = new Vp8LBitWriter().Header(width, height);
        writer.Bits(0, 1).Bits(0, 1).Bits(0, 1); // no transform, no color cache, no meta codes
        WriteLiterals(writer, WriteFullCodes(writer), pixels);
        return writer.ToArray();
    }

    /// <summary>The color cache hash of RFC 9649 §5.2.3.</summary>
    public static int CacheIndex(uint argb, int cacheBits) => (int)((0x1e35a7bdu * argb) >> (32 - cacheBits));

    /// <summary>Interleaved RGB of ARGB pixels.</summary>
    public static byte[] Rgb(IEnumerable<uint> pixels) =>
        [.. pixels.SelectMany(p => new[] { (byte)(p >> 16), (byte)(p >> 8), (byte)p })];
}
