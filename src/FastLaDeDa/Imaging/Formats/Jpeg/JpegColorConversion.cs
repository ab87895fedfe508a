namespace FastLaDeDa.Imaging.Formats.Jpeg;

/// <summary>The colour space of a JPEG's components, as libjpeg guesses it from the markers and component ids.</summary>
internal enum JpegColorSpace
{
    /// <summary>One grey component.</summary>
    Grayscale,

    /// <summary>Y, Cb, Cr (JFIF).</summary>
    YCbCr,

    /// <summary>R, G, B stored directly (Adobe transform 0, or component ids 'R', 'G', 'B').</summary>
    Rgb,

    /// <summary>C, M, Y, K stored directly (Adobe transform 0, or no Adobe marker).</summary>
    Cmyk,

    /// <summary>Y, Cb, Cr, K (Adobe transform 2).</summary>
    Ycck,
}

/// <summary>
/// Turns component rows into RGB as libjpeg + Pillow do: libjpeg's fixed-point YCbCr → RGB
/// (<c>jdcolor.c</c>, 16-bit tables with round-half-up, clamped), Pillow's handling of grey (replicated)
/// and of four-component files (libjpeg yields CMYK — from YCCK with the same tables —, Pillow
/// reads it as inverted Adobe CMYK, "CMYK;I", and converts with its <c>cmyk2rgb</c>).
/// </summary>
internal static class JpegColorConversion
{
    private const int ScaleBits = 16;
    private const int OneHalf = 1 << (ScaleBits - 1);

    /// <summary>Cr → R offset, rounded: 1.402 (Cr − 128).</summary>
    internal static readonly int[] CrToR = new int[256];

    /// <summary>Cb → B offset, rounded: 1.772 (Cb − 128).</summary>
    internal static readonly int[] CbToB = new int[256];

    /// <summary>Cr's share of the G offset, scaled by 2^16: −0.71414 (Cr − 128).</summary>
    internal static readonly int[] CrToG = new int[256];

    /// <summary>Cb's share of the G offset, scaled by 2^16 plus ½: −0.34414 (Cb − 128) + ½.</summary>
    internal static readonly int[] CbToG = new int[256];

    static JpegColorConversion()
    {
        for (int i = 0; i < 256; i++)
        {
            int x = i - 128;
            CrToR[i] = (Fix(1.40200) * x + OneHalf) >> ScaleBits;
            CbToB[i] = (Fix(1.77200) * x + OneHalf) >> ScaleBits;
            CrToG[i] = -Fix(0.71414) * x;
            CbToG[i] = -Fix(0.34414) * x + OneHalf;
        }
    }

    private static int Fix(double x) => (int)(x * (1 << ScaleBits) + 0.5);

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);

    /// <summary>YCbCr rows → interleaved RGB.</summary>
    public static void YCbCrToRgb(ReadOnlySpan<byte> y, ReadOnlySpan<byte> cb, ReadOnlySpan<byte> cr, Span<byte> rgb)
    {
        for (int x = 0; x < rgb.Length / 3; x++)
        {
            int luma = y[x], blue = cb[x], red = cr[x];
            rgb[3 * x] = Clamp(luma + CrToR[red]);
            rgb[3 * x + 1] = Clamp(luma + ((CbToG[blue] + CrToG[red]) >> ScaleBits));
            rgb[3 * x + 2] = Clamp(luma + CbToB[blue]);
        }
    }

    /// <summary>Three component rows stored as R, G, B → interleaved RGB.</summary>
    public static void Interleave(ReadOnlySpan<byte> r, ReadOnlySpan<byte> g, ReadOnlySpan<byte> b, Span<byte> rgb)
    {
        for (int x = 0; x < rgb.Length / 3; x++)
        {
            rgb[3 * x] = r[x];
            rgb[3 * x + 1] = g[x];
            rgb[3 * x + 2] = b[x];
        }
    }

    /// <summary>A grey row → RGB with the grey value in all three channels (Pillow's L → RGB).</summary>
    public static void GreyToRgb(ReadOnlySpan<byte> grey, Span<byte> rgb)
    {
        for (int x = 0; x < rgb.Length / 3; x++)
            rgb[3 * x] = rgb[3 * x + 1] = rgb[3 * x + 2] = grey[x];
    }

    /// <summary>
    /// Four component rows → RGB. libjpeg outputs CMYK (converting YCCK first); Pillow assumes Adobe's
    /// inverted CMYK and inverts every channel, then <c>cmyk2rgb</c>: with k′ = 255 − K,
    /// channel = clip(k′ − (c × k′ + 128) / 255) where c is the inverted C, M or Y and the division
    /// is Pillow's MULDIV255 ((t &gt;&gt; 8) + t) &gt;&gt; 8.
    /// </summary>
    public static void FourComponentToRgb(JpegColorSpace space, ReadOnlySpan<byte> c0, ReadOnlySpan<byte> c1, ReadOnlySpan<byte> c2, ReadOnlySpan<byte> k, Span<byte> rgb)
    {
        for (int x = 0; x < rgb.Length / 3; x++)
        {
            int c, m, yellow;
            if (space == JpegColorSpace.Ycck)
            {
                int luma = c0[x], blue = c1[x], red = c2[x];
                c = Clamp(255 - (luma + CrToR[red]));
                m = Clamp(255 - (luma + ((CbToG[blue] + CrToG[red]) >> ScaleBits)));
                yellow = Clamp(255 - (luma + CbToB[blue]));
            }
            else
            {
                (c, m, yellow) = (c0[x], c1[x], c2[x]);
            }
            // Pillow's "CMYK;I" unpacker inverts all four channels.
            int notK = k[x]; // 255 − (255 − K)
            rgb[3 * x] = InvertedCmykChannel(255 - c, notK);
            rgb[3 * x + 1] = InvertedCmykChannel(255 - m, notK);
            rgb[3 * x + 2] = InvertedCmykChannel(255 - yellow, notK);
        }
    }

    private static byte InvertedCmykChannel(int channel, int notK)
    {
        int t = channel * notK + 128;
        return Clamp(notK - (((t >> 8) + t) >> 8));
    }
}
